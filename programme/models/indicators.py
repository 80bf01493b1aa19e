"""Indicators (indikatorer) and their observations per area and period."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from config.choicelabels import ChoiceLabels

from .. import queries
from ..choices import IndicatorUnit
from ..fields import LocalisedDecimalField
from .pages import SitePage

# Periods sort as text: a year, or a year with a half (H1-2), quarter (K1-4) or month (M01-12),
# the way SSB's Statistikkbanken writes its time codes.
PERIOD_PATTERN = re.compile(r"^\d{4}(?:H[12]|K[1-4]|M(?:0[1-9]|1[0-2]))?$")
PERIOD_HELP = _("År (2019) eller år med halvår (2019H1), kvartal (2019K4) eller måned (2019M01).")
INVALID_PERIOD = _("Ugyldig periode. Skriv år (2019) eller 2019H1, 2019K4 eller 2019M01.")
BASELINE_INCOMPLETE = _("Utgangspunktet trenger både verdi og periode.")
TARGET_INCOMPLETE = _("Målet trenger både verdi og periode.")

period_validator = RegexValidator(PERIOD_PATTERN, INVALID_PERIOD)


class Area(models.Model):
    """A geographic area or group of municipalities an indicator is measured for."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    code = models.CharField(
        _("regionkode"),
        max_length=20,
        blank=True,
        help_text=_(
            "Regionkoden i Statistikkbanken til SSB, hvis området har en. Brukes til å kjenne igjen "
            "området ved import; ellers brukes navnet."
        ),
    )
    sort_order = models.PositiveIntegerField(_("rekkefølge"), default=0)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("område")
        verbose_name_plural = _("områder")

    def __str__(self):
        return self.name

    def pagecache_dependents(self):
        page = queries.indicator_index_page()
        return [page] if page else []


class Indicator(ChoiceLabels, ClusterableModel):
    """A measured figure the programme follows, e.g. the employment rate (sysselsettingsprosent)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(
        _("kortnavn"), max_length=100, unique=True, help_text=_("Brukes i nettadressen og ved import.")
    )
    unit = models.CharField(_("enhet"), max_length=20, choices=IndicatorUnit.choices)
    decimals = models.PositiveSmallIntegerField(
        _("desimaler"),
        default=1,
        validators=[MaxValueValidator(3)],
        help_text=_("Antall desimaler som vises."),
    )
    source = models.CharField(_("kilde"), max_length=300, blank=True)
    ssb_variable = models.CharField(
        _("statistikkvariabel i SSB"),
        max_length=300,
        blank=True,
        help_text=_(
            "Teksten i kolonnen «statistikkvariabel» i filer fra Statistikkbanken som skal leses inn "
            "på denne indikatoren."
        ),
    )
    description = models.TextField(_("beskrivelse"), blank=True, help_text=_("Hva tallet måler og hvordan."))
    baseline_value = LocalisedDecimalField(_("verdi"), max_digits=15, decimal_places=3, null=True, blank=True)
    baseline_period = models.CharField(
        _("periode"), max_length=7, blank=True, validators=[period_validator], help_text=PERIOD_HELP
    )
    baseline_area = models.ForeignKey(
        Area,
        verbose_name=_("område"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_value = LocalisedDecimalField(_("verdi"), max_digits=15, decimal_places=3, null=True, blank=True)
    target_period = models.CharField(
        _("periode"), max_length=7, blank=True, validators=[period_validator], help_text=PERIOD_HELP
    )
    sort_order = models.PositiveIntegerField(_("rekkefølge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("decimals")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("source"), FieldPanel("ssb_variable")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("baseline_value"), FieldPanel("baseline_period")]),
                FieldPanel("baseline_area"),
            ],
            heading=_("Utgangspunkt"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("target_value"), FieldPanel("target_period")])],
            heading=_("Mål"),
            help_text=_("Tomt til et mål er vedtatt."),
        ),
        FieldPanel("sort_order"),
        InlinePanel("observations", heading=_("Observasjoner"), label=_("observasjon")),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if (self.baseline_value is None) != (not self.baseline_period):
            errors["baseline_period" if self.baseline_value is not None else "baseline_value"] = (
                BASELINE_INCOMPLETE
            )
        if (self.target_value is None) != (not self.target_period):
            errors["target_period" if self.target_value is not None else "target_value"] = TARGET_INCOMPLETE
        if errors:
            raise ValidationError(errors)

    def format(self, value: Decimal | None) -> str:
        from ..charts import format_value

        return format_value(value, decimals=self.decimals, unit=self.unit)

    @property
    def baseline_text(self) -> str:
        return self.format(self.baseline_value)

    @property
    def target_text(self) -> str:
        return self.format(self.target_value)

    def pagecache_dependents(self):
        page = queries.indicator_index_page()
        return [page] if page else []


class Observation(models.Model):
    """One measured value of an indicator, for one area and period."""

    indicator = ParentalKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="observations"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("område"), on_delete=models.PROTECT, related_name="observations"
    )
    period = models.CharField(
        _("periode"), max_length=7, validators=[period_validator], help_text=PERIOD_HELP
    )
    value = LocalisedDecimalField(_("verdi"), max_digits=15, decimal_places=3)

    panels = [FieldRowPanel([FieldPanel("area"), FieldPanel("period"), FieldPanel("value")])]

    class Meta:
        ordering = ["period", "area__sort_order", "area__name"]
        verbose_name = _("observasjon")
        verbose_name_plural = _("observasjoner")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="programme_observation_unique_per_area_period"
            )
        ]

    def __str__(self):
        return f"{self.indicator} – {self.area} {self.period}: {self.value}"

    def pagecache_dependents(self):
        page = queries.indicator_index_page()
        return [page] if page else []


class IndicatorIndexPage(SitePage):
    """The indicators the programme follows, each with its chart and data table. Under the
    programme page; the indicators themselves are edited under Program → Indikatorer."""

    description_field = "intro"
    intro = models.TextField(_("ingress"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("indikatoroversikt")
        verbose_name_plural = _("indikatoroversikter")

    def get_context(self, request, *args, **kwargs):
        from ..charts import indicator_chart

        context = super().get_context(request, *args, **kwargs)
        context["indicators"] = [
            (indicator, indicator_chart(indicator)) for indicator in queries.indicators_with_observations()
        ]
        return context
