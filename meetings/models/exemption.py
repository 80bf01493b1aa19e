"""Exemption from public access (unntatt offentlighet), modelled on Noark 5 M500–M502 and eInnsyn:
a flag, a required legal basis (skjermingshjemmel), and an optional date from which the content is
public. Whether something is exempt *now* is derived from that date and today, never stored, so
it becomes public when the date passes without anyone editing it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.documents import get_document_model_string

from config.choicelabels import ChoiceLabels

from ..choices import ExemptionBasis
from .messages import (
    EXEMPTION_BASIS_MISSING,
    EXEMPTION_FIELDS_WITHOUT_EXEMPT,
    EXEMPTION_OTHER_MISSING,
    EXEMPTION_OTHER_WITHOUT_OTHER,
)

NEUTRAL_TITLE = _("Unntatt offentlighet")

EXEMPT_HELP = _(
    "Kryss av når innholdet er unntatt offentlighet. Alle kan da se at det finnes, hjemmelen og en "
    "offentlig tittel, men bare utvalgsmedlemmer, programledelsen og redaktører ser selve innholdet. "
    "Unnta bare det som må unntas (offentleglova § 12): resten av møtet er fortsatt offentlig."
)
BASIS_HELP = _("Påkrevd når innholdet er unntatt. Ved § 13 skal også bestemmelsen om taushetsplikt nevnes.")
OTHER_HELP = _("Bare ved «Annen hjemmel»: skriv hjemmelen slik den skal vises, for eksempel «offl. § 21».")
PUBLIC_FROM_HELP = _(
    "Valgfritt. Fra og med denne datoen er innholdet offentlig for alle, uten at noen må endre noe."
)
PAGE_TITLE_HELP = _(
    "Sidens tittel er alltid offentlig (den vises i adresselinjen, lister, kalendere og API-et): "
    "hold den nøytral. Unntaket skjuler innholdet, ikke tittelen."
)
PUBLIC_TITLE_HELP = _(
    "Valgfritt. Vises for alle i stedet for tittelen når tittelen selv røper det unntatte innholdet. "
    "Tomt gir «Unntatt offentlighet»."
)


def exemption_errors(
    *, exempt: bool, basis: str, basis_other: str, public_from: dt.date | None = None
) -> dict[str, object]:
    """The field errors of an exemption, shared by the models and the attachment block."""
    errors: dict[str, object] = {}
    if exempt and not basis:
        errors["exemption_basis"] = EXEMPTION_BASIS_MISSING
    if not exempt and (basis or public_from):
        errors["exemption_basis" if basis else "public_from"] = EXEMPTION_FIELDS_WITHOUT_EXEMPT
    if basis == ExemptionBasis.OTHER and not basis_other.strip():
        errors["exemption_basis_other"] = EXEMPTION_OTHER_MISSING
    if basis != ExemptionBasis.OTHER and basis_other.strip():
        errors["exemption_basis_other"] = EXEMPTION_OTHER_WITHOUT_OTHER
    return errors


def is_exempt_on(*, exempt: bool, public_from: dt.date | None, today: dt.date | None = None) -> bool:
    if not exempt:
        return False
    today = today or timezone.localdate()
    return public_from is None or today < public_from


def basis_label(basis: str, other: str = "") -> str:
    if basis == ExemptionBasis.OTHER:
        return other.strip()
    return str(ExemptionBasis(basis).label) if basis in ExemptionBasis.values else ""


class Exemption(ChoiceLabels, models.Model):
    """Fields and rules shared by everything that can be exempt from public access."""

    exempt = models.BooleanField(_("unntatt offentlighet"), default=False, help_text=EXEMPT_HELP)
    exemption_basis = models.CharField(
        _("hjemmel"), max_length=20, choices=ExemptionBasis.choices, blank=True, help_text=BASIS_HELP
    )
    exemption_basis_other = models.CharField(
        _("annen hjemmel"), max_length=200, blank=True, help_text=OTHER_HELP
    )
    public_from = models.DateField(_("offentlig fra"), null=True, blank=True, help_text=PUBLIC_FROM_HELP)

    exemption_fields = ["exempt", "exemption_basis", "exemption_basis_other", "public_from"]

    class Meta:
        abstract = True

    @classmethod
    def exemption_panel(cls, *extra: FieldPanel, help_text=None) -> MultiFieldPanel:
        return MultiFieldPanel(
            [
                FieldPanel("exempt"),
                *extra,
                FieldRowPanel([FieldPanel("exemption_basis"), FieldPanel("public_from")]),
                FieldPanel("exemption_basis_other"),
            ],
            heading=_("Unntatt offentlighet"),
            classname="collapsed",
            help_text=help_text,
        )

    def clean(self):
        super().clean()
        errors = exemption_errors(
            exempt=self.exempt,
            basis=self.exemption_basis,
            basis_other=self.exemption_basis_other,
            public_from=self.public_from,
        )
        if errors:
            raise ValidationError(errors)

    def is_exempt(self, *, today: dt.date | None = None) -> bool:
        return is_exempt_on(exempt=self.exempt, public_from=self.public_from, today=today)

    @property
    def exemption_basis_display(self) -> str:
        return basis_label(self.exemption_basis, self.exemption_basis_other)


class ProtectedDocument(models.Model):
    """A document that an exemption moved into the private collection: released again to the
    public when no exemption holds it any longer, whether its exemption ended or was removed.
    (A document an editor put in the private collection is not recorded and stays there.)"""

    document = models.OneToOneField(
        get_document_model_string(), on_delete=models.CASCADE, related_name="+", verbose_name=_("dokument")
    )
    protected_at = models.DateTimeField(_("skjermet"), auto_now_add=True)

    class Meta:
        verbose_name = _("skjermet dokument")
        verbose_name_plural = _("skjermede dokumenter")

    def __str__(self) -> str:
        return str(self.document)
