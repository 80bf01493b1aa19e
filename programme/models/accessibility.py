"""The site's accessibility statement (tilgjengelighetserklæring), in the form Uutilsynet asks for:
the enterprise and the website, the conformance status, each WCAG 2.1 success criterion not met
and why, how the statement was made, when it was made and last reviewed, how to give feedback,
and where to report a breach. Edited by the programme office; the starting text is loaded from
programme/data/accessibility.yaml."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from .pages import SitePage


class ConformanceStatus(models.TextChoices):
    FULL = "fullt", _("Nettstedet oppfyller kravene fullt ut")
    PARTIAL = "delvis", _("Nettstedet oppfyller kravene delvis")
    NONE = "ikke", _("Nettstedet oppfyller ikke kravene")


class AccessibilityStatementPage(SitePage):
    organisation = models.CharField(_("virksomhet"), max_length=200)
    website = models.CharField(
        _("nettsted"), max_length=200, help_text=_("Navnet på nettstedet erklæringen gjelder.")
    )
    standard = models.CharField(
        _("krav"),
        max_length=200,
        help_text=_("Kravene nettstedet vurderes mot, for eksempel WCAG 2.1 nivå A og AA."),
    )
    status = models.CharField(
        _("samsvarsstatus"),
        max_length=8,
        choices=ConformanceStatus.choices,
        default=ConformanceStatus.PARTIAL,
    )
    status_note = models.TextField(_("om samsvarsstatusen"), blank=True)
    method = models.TextField(
        _("slik er erklæringen laget"),
        help_text=_("Hvordan nettstedet er vurdert: egenvurdering, automatiske tester, manuelle tester."),
    )
    made_on = models.DateField(_("erklæringen ble laget"))
    reviewed_on = models.DateField(_("sist oppdatert"))
    feedback_email = models.EmailField(
        _("e-post for tilbakemeldinger"),
        blank=True,
        help_text=_("Virksomhetens adresse for tilbakemeldinger om universell utforming."),
    )
    feedback_phone = models.CharField(_("telefon for tilbakemeldinger"), max_length=40, blank=True)
    feedback_url = models.URLField(_("skjema for tilbakemeldinger"), blank=True)
    uustatus_url = models.URLField(
        _("erklæringen i uustatus.no"),
        blank=True,
        help_text=_(
            "Lenke til virksomhetens erklæring for nettstedet i Digitaliseringsdirektoratets løsning."
        ),
    )
    report_url = models.URLField(
        _("meld fra til Uutilsynet"),
        help_text=_(
            "Hvor brukere melder fra om brudd på kravene til Tilsynet for universell utforming av ikt."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("website")]),
        FieldPanel("standard"),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_note")], heading=_("Samsvarsstatus")),
        InlinePanel("deviations", heading=_("Krav som ikke er oppfylt"), label=_("avvik")),
        FieldPanel("method"),
        FieldRowPanel([FieldPanel("made_on"), FieldPanel("reviewed_on")]),
        MultiFieldPanel(
            [FieldPanel("feedback_email"), FieldPanel("feedback_phone"), FieldPanel("feedback_url")],
            heading=_("Tilbakemelding og kontakt"),
        ),
        FieldPanel("uustatus_url"),
        FieldPanel("report_url"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("status_note"), index.SearchField("method")]
    # Linked from every page's footer: a new address purges the whole page cache (signals.py).
    linked_from_every_page = True
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("tilgjengelighetserklæring")
        verbose_name_plural = _("tilgjengelighetserklæringer")

    @property
    def has_feedback_contact(self) -> bool:
        return bool(self.feedback_email or self.feedback_phone or self.feedback_url)


class AccessibilityDeviation(Orderable):
    """A WCAG 2.1 success criterion the site does not meet, with why and what it means for users."""

    page = ParentalKey(AccessibilityStatementPage, on_delete=models.CASCADE, related_name="deviations")
    criterion = models.CharField(
        _("suksesskriterium"),
        max_length=120,
        help_text=_("Nummer og navn, for eksempel «1.1.1 Ikke-tekstlig innhold»."),
    )
    problem = models.TextField(_("hva som ikke er oppfylt"))
    reason = models.TextField(
        _("begrunnelse"), help_text=_("Hvorfor kravet ikke er oppfylt, og hva som gjøres med det.")
    )

    panels = [FieldPanel("criterion"), FieldPanel("problem"), FieldPanel("reason")]

    class Meta(Orderable.Meta):
        verbose_name = _("avvik")
        verbose_name_plural = _("avvik")

    def __str__(self):
        return self.criterion
