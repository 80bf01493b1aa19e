from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable
from wagtail.search import index

from programme.models import SitePage

from . import queries
from .choices import BodyKind, CaseKind, MeetingStatus, TreatmentStatus, VoteKind

END_BEFORE_START = _("Møtet kan ikke slutte før det starter.")
DUPLICATE_CASE_NUMBER = _("Saksnummer {number} er allerede brukt av {body} i {year}.")
CASE_NUMBER_FORMAT = _("Saksnummer skrives som løpenummer/år, for eksempel 1/21.")
COUNTS_WITHOUT_VOTE = _("Stemmetall føres bare når voteringen er registrert med stemmetall.")
COUNTS_MISSING = _("Før opp stemmer for og mot.")


class Body(ClusterableModel):
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


class MeetingIndexPage(RoutablePageMixin, SitePage):
    """Meetings of every body, their agendas and decisions, and the calendar feed."""

    intro = models.TextField(_("ingress"), blank=True)

    content_panels = [*SitePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = ["meetings.MeetingPage"]
    max_count = 1

    class Meta:
        verbose_name = _("møteoversikt")
        verbose_name_plural = _("møteoversikter")

    @path("")
    def overview(self, request):
        body_slug = request.GET.get("organ", "")
        year = request.GET.get("ar", "")
        today = timezone.localdate()
        meetings = queries.meetings(index=self, body_id=body_slug, year=year)
        return self.render(
            request,
            context_overrides={
                "upcoming": [m for m in meetings if m.starts_at.date() >= today],
                "past": [m for m in meetings if m.starts_at.date() < today][::-1],
                "bodies": queries.bodies_with_meetings(index=self),
                "years": queries.meeting_years(index=self),
                "selected_body": body_slug,
                "selected_year": year,
                "treatment_plans": queries.treatment_plans(),
            },
        )

    @path("kalender/", name="calendar")
    def calendar(self, request):
        from .feeds import meetings_calendar

        return meetings_calendar(request, index=self, meetings=queries.meetings(index=self))

    @path("kalender/<int:body_id>/", name="body_calendar")
    def body_calendar(self, request, body_id):
        from .feeds import meetings_calendar

        meetings = queries.meetings(index=self, body_id=str(body_id))
        if not meetings and not Body.objects.filter(pk=body_id).exists():
            raise Http404
        return meetings_calendar(request, index=self, meetings=meetings)


class MeetingPageForm(WagtailAdminPageForm):
    """Checks case numbers across the body's year, which the inline forms cannot see."""

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        starts_at = cleaned.get("starts_at")
        if not body or not starts_at:
            return cleaned
        formset = self.formsets.get("case_items")
        numbers = []
        for form in formset.forms if formset else []:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            number = form.cleaned_data.get("case_number")
            if not number:
                continue
            if number in numbers or queries.case_number_taken(
                body=body, year=starts_at.year, number=number, exclude_meeting=self.instance
            ):
                form.add_error(
                    "case_number", DUPLICATE_CASE_NUMBER.format(number=number, body=body, year=starts_at.year)
                )
            numbers.append(number)
        return cleaned


class MeetingPage(SitePage):
    """A meeting of a body: time, place, status and its agenda of case items."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ"))
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    place = models.CharField(_("møtested"), max_length=200, blank=True)
    online = models.BooleanField(_("digitalt møte"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default="planlagt")
    notes = models.TextField(_("merknader"), blank=True)

    base_form_class = MeetingPageForm
    content_panels = [
        *SitePage.content_panels,
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("online")]),
        FieldPanel("status"),
        FieldPanel("notes"),
        InlinePanel("case_items", heading=_("Saksliste"), label=_("sak")),
    ]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("place"),
        index.RelatedFields("body", [index.SearchField("name")]),
        index.RelatedFields(
            "case_items",
            [
                index.SearchField("title", boost=2),
                index.SearchField("decision"),
                index.SearchField("summary"),
            ],
        ),
        index.FilterField("status"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["meetings.MeetingIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": END_BEFORE_START})

    def save(self, *args, **kwargs):
        queries.number_case_items(meeting=self)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["case_items"] = queries.case_items(meeting=self)
        return context


class CaseItem(Orderable):
    """An item on a meeting's agenda (sak): the case, its proposal and the decision taken."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="case_items")
    kind = models.CharField(_("type"), max_length=20, choices=CaseKind.choices, default=CaseKind.CASE)
    case_number = models.CharField(
        _("saksnummer"),
        max_length=12,
        blank=True,
        help_text=_("Tildeles automatisk i rekkefølge (1/21, 2/21 …) når feltet er tomt."),
    )
    archive_reference = models.CharField(_("arkivsak-dok."), max_length=40, blank=True)
    title = models.CharField(_("tittel"), max_length=300)
    case_officer = models.CharField(_("saksbehandler"), max_length=120, blank=True)
    approved_by = models.CharField(_("godkjent av"), max_length=120, blank=True)
    document_date = models.DateField(_("dato"), null=True, blank=True)
    route = models.TextField(_("saksgang"), blank=True, help_text=_("Organ og møtedato, én per linje."))
    attachments = models.TextField(_("bilag"), blank=True, help_text=_("Titler på bilag, én per linje."))
    proposed_decision = models.TextField(_("forslag til vedtak"), blank=True)
    summary = models.TextField(_("sammendrag"), blank=True)
    decision = models.TextField(_("vedtak"), blank=True)
    decision_date = models.DateField(_("protokolldato"), null=True, blank=True)
    vote = models.CharField(_("votering"), max_length=12, choices=VoteKind.choices, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("stemmer for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("stemmer mot"), null=True, blank=True)
    votes_blank = models.PositiveSmallIntegerField(_("avholdende"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("case_number"), FieldPanel("archive_reference")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("case_officer"), FieldPanel("approved_by"), FieldPanel("document_date")]),
        FieldPanel("route"),
        FieldPanel("attachments"),
        FieldPanel("proposed_decision"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("decision"),
                FieldPanel("decision_date"),
                FieldPanel("vote"),
                FieldRowPanel(
                    [FieldPanel("votes_for"), FieldPanel("votes_against"), FieldPanel("votes_blank")]
                ),
            ],
            heading=_("Vedtak"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("sak")
        verbose_name_plural = _("saker")

    def __str__(self):
        return f"{self.case_number} {self.title}".strip()

    def clean(self):
        super().clean()
        errors = {}
        if self.case_number and not queries.CASE_NUMBER.fullmatch(self.case_number):
            errors["case_number"] = CASE_NUMBER_FORMAT
        counts = (self.votes_for, self.votes_against, self.votes_blank)
        if self.vote != VoteKind.COUNTED and any(count is not None for count in counts):
            errors["vote"] = COUNTS_WITHOUT_VOTE
        if self.vote == VoteKind.COUNTED and (self.votes_for is None or self.votes_against is None):
            errors["votes_for"] = COUNTS_MISSING
        if errors:
            raise ValidationError(errors)

    @property
    def vote_display(self) -> str:
        if self.vote == VoteKind.UNANIMOUS:
            return "(Enst.)"
        if self.vote == VoteKind.COUNTED:
            blank = _(", {n} avholdende").format(n=self.votes_blank) if self.votes_blank else ""
            return _("({yes} mot {no}{blank})").format(yes=self.votes_for, no=self.votes_against, blank=blank)
        return ""

    @property
    def attachment_list(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]

    @property
    def route_list(self) -> list[str]:
        return [line.strip() for line in self.route.splitlines() if line.strip()]


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
        if any(day.year != self.year for day in dates):
            raise ValidationError({"dates": _("Alle datoene må være i planens år.")})
        if self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": END_BEFORE_START})

    @property
    def date_list(self) -> list[dt.date]:
        return [dt.date.fromisoformat(line.strip()) for line in self.dates.splitlines() if line.strip()]


class TreatmentPlan(ClusterableModel):
    """A case's route through bodies (saksgang / behandlingsplan) with the planned dates."""

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


class TreatmentStep(Orderable):
    plan = ParentalKey(TreatmentPlan, on_delete=models.CASCADE, related_name="steps")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="treatment_steps", verbose_name=_("organ")
    )
    planned_date = models.DateField(_("møtedato"))
    status = models.CharField(_("status"), max_length=12, choices=TreatmentStatus.choices, default="planlagt")

    panels = [FieldRowPanel([FieldPanel("body"), FieldPanel("planned_date"), FieldPanel("status")])]

    class Meta(Orderable.Meta):
        verbose_name = _("behandling")
        verbose_name_plural = _("behandlinger")
