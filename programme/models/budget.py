"""The programme's budget categories and its (possible) external funding."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page
from wagtail.search import index

from config.choicelabels import ChoiceLabels
from config.searchdeps import ShownInSearchOf

from .. import queries
from ..choices import FundingStatus
from ..fields import LocalisedDecimalField
from .pages import SitePage

NEGATIVE_AMOUNT = _("Beløpet kan ikke være negativt.")


def _amount_field(verbose_name, help_text):
    return LocalisedDecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), message=NEGATIVE_AMOUNT)],
        help_text=help_text,
    )


class _ShownOnBudgetPage(ShownInSearchOf, ChoiceLabels):
    def pagecache_dependents(self):
        page = queries.budget_page()
        return [page] if page else []

    def search_pages(self):
        return list(BudgetPage.objects.all())


class BudgetCategory(_ShownOnBudgetPage, models.Model):
    """A kind of expected cost in the programme (forventet kostnad), e.g. the programme leader's pay."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True, help_text=_("Hva kostnaden gjelder."))
    planned_amount = _amount_field(
        _("planlagt beløp (NOK)"), _("Tomt til beløpet er fastsatt; vises da som «ikke fastsatt».")
    )
    sort_order = models.PositiveIntegerField(_("rekkefølge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("planned_amount"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("budsjettpost")
        verbose_name_plural = _("budsjettposter")

    def __str__(self):
        return self.name


class FundingSource(_ShownOnBudgetPage, models.Model):
    """An external source of funding: possible, applied for or granted."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FundingStatus.choices, default=FundingStatus.POSSIBLE
    )
    amount = _amount_field(
        _("beløp (NOK)"), _("Søkt eller innvilget beløp. Tomt når det ikke er kjent; regnes aldri som null.")
    )
    purpose = models.CharField(
        _("formål"), max_length=300, blank=True, help_text=_("Hva midlene skal gå til.")
    )
    sort_order = models.PositiveIntegerField(_("rekkefølge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("amount")]),
        FieldPanel("purpose"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("finansieringskilde")
        verbose_name_plural = _("finansieringskilder")

    def __str__(self):
        return self.name


class BudgetPage(SitePage):
    """The programme's expected costs and external funding. Under the programme page; the
    categories and sources are edited under Program → Budsjettposter and Finansieringskilder."""

    description_field = "intro"
    intro = models.TextField(_("ingress"), blank=True)
    costs_note = models.TextField(
        _("merknad til kostnadene"), blank=True, help_text=_("Vises under listen over forventede kostnader.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("costs_note")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("costs_note"),
        index.SearchField("budget_text"),
    ]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("budsjettside")
        verbose_name_plural = _("budsjettsider")

    @property
    def budget_text(self) -> str:
        """What the page shows of the cost categories and funding sources, for its search entry
        (indexed again when one of them changes: `ShownInSearchOf`)."""
        rows = [(category.name, category.description) for category in queries.budget_categories()]
        with translation.override(settings.LANGUAGE_CODE):  # the content's language, whoever saves
            rows += [
                (source.name, source.description, source.purpose, str(source.get_status_display()))
                for source in FundingSource.objects.all()
            ]
        return "\n".join(" ".join(filter(None, row)) for row in rows)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = queries.budget_categories()
        context["funding"] = queries.funding_overview()
        return context
