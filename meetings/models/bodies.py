"""Bodies, their members, meeting plans and treatment plans (snippets)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from config.choicelabels import ChoiceLabels
from config.searchdeps import ShownInSearchOf

from ..choices import NOT_UPDATED, BodyKind, TreatmentStatus
from .messages import (
    END_BEFORE_START,
)


class Body(ChoiceLabels, ClusterableModel):
    """A political or administrative body that meets and decides (utvalg, råd, organ)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnavn"), max_length=60, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=BodyKind.choices, default=BodyKind.POLITICAL)
    documents_public = models.BooleanField(
        _("dokumentene er offentlige"),
        default=True,
        help_text=_("Om møtedokumentene som regel er offentlige."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("documents_public"),
        InlinePanel("members", heading=_("Medlemmer"), label=_("medlem")),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organer")

    def __str__(self):
        return self.name


class BodyMember(Orderable):
    body = ParentalKey(Body, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(
        _("rolle"), max_length=60, blank=True, help_text=_("Leder, nestleder, medlem, vara …")
    )
    party = models.CharField(_("parti"), max_length=60, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")

    def __str__(self):
        return self.name


class MeetingPlan(ClusterableModel):
    """A body's meeting plan (møteplan) for a year; its service creates the planned meetings."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meeting_plans", verbose_name=_("organ")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    starts = models.TimeField(_("møtestart"))
    ends = models.TimeField(_("møteslutt"), null=True, blank=True)
    place = models.CharField(_("møtested"), max_length=200, blank=True)
    dates = models.TextField(_("møtedatoer"), help_text=_("Én dato per linje, ÅÅÅÅ-MM-DD."))
    note = models.TextField(_("merknad"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("body"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("starts"), FieldPanel("ends")]),
        FieldPanel("place"),
        FieldPanel("dates"),
        FieldPanel("note"),
    ]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_plan_per_body_and_year")]
        verbose_name = _("møteplan")
        verbose_name_plural = _("møteplaner")

    def __str__(self):
        return f"{self.body} {self.year}"

    def clean(self):
        super().clean()
        try:
            dates = self.date_list
        except ValueError:
            raise ValidationError({"dates": _("Skriv én dato per linje som ÅÅÅÅ-MM-DD.")}) from None
        # A missing year or start time has its own field error already.
        if self.year is not None and any(day.year != self.year for day in dates):
            raise ValidationError({"dates": _("Alle datoene må være i planens år.")})
        if self.ends and self.starts and self.ends <= self.starts:
            raise ValidationError({"ends": END_BEFORE_START})

    @property
    def date_list(self) -> list[dt.date]:
        return [dt.date.fromisoformat(line.strip()) for line in self.dates.splitlines() if line.strip()]


class TreatmentPlan(ShownInSearchOf, ClusterableModel):
    """A case's route through bodies (saksgang / behandlingsplan) with the planned dates, shown
    on the meetings overview (and in its search entry)."""

    title = models.CharField(_("sak"), max_length=300)
    archive_reference = models.CharField(_("arkivsak"), max_length=40, blank=True)
    note = models.TextField(_("merknad"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("archive_reference"),
        FieldPanel("note"),
        InlinePanel("steps", heading=_("Saksgang"), label=_("behandling")),
    ]

    class Meta:
        verbose_name = _("behandlingsplan")
        verbose_name_plural = _("behandlingsplaner")

    def __str__(self):
        return self.title

    def search_pages(self):
        from .meetings import MeetingIndexPage

        return list(MeetingIndexPage.objects.all())


class TreatmentStep(ChoiceLabels, Orderable):
    plan = ParentalKey(TreatmentPlan, on_delete=models.CASCADE, related_name="steps")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="treatment_steps", verbose_name=_("organ")
    )
    planned_date = models.DateField(_("møtedato"))
    status = models.CharField(_("status"), max_length=12, choices=TreatmentStatus.choices, default="planlagt")

    panels = [FieldRowPanel([FieldPanel("body"), FieldPanel("planned_date"), FieldPanel("status")])]

    @property
    def status_label(self) -> str:
        """The status readers see (`NOT_UPDATED` for a planned step whose day has passed)."""
        if self.status == TreatmentStatus.PLANNED and self.planned_date < timezone.localdate():
            return str(NOT_UPDATED)
        return self.get_status_display()

    class Meta(Orderable.Meta):
        verbose_name = _("behandling")
        verbose_name_plural = _("behandlinger")
