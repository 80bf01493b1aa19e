"""Phases, their timeline rows, milestones, and the public timeline and status report pages."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from config.choicelabels import ChoiceLabels
from config.redirects import SlugRoute

from .. import queries
from ..choices import MILESTONE_STATUS_SYMBOLS, MilestoneStatus
from .pages import SitePage

END_BEFORE_START = _("Slutten kan ikke være før starten.")
COMPLETED_DATE_REQUIRED = _("En fullført milepæl må ha datoen den ble fullført.")
COMPLETED_DATE_ONLY_WHEN_DONE = _("Fullført-dato føres bare når statusen er «Fullført».")
COMPLETED_IN_FUTURE = _("Fullført-datoen kan ikke være fram i tid.")


class Phase(ClusterableModel):
    """A programme phase (fase 1–4) with the rows it has in the timeline. Edited by the programme office."""

    number = models.PositiveSmallIntegerField(
        _("nummer"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    starts_on = models.DateField(_("starter"), help_text=_("Første dag i fasens første termin."))
    ends_on = models.DateField(_("slutter"), help_text=_("Siste dag i fasens siste termin."))

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("name")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Periode")),
        InlinePanel("rows", heading=_("Rader i framdriftsplanen"), label=_("rad")),
    ]

    class Meta:
        ordering = ["number"]
        verbose_name = _("fase")
        verbose_name_plural = _("faser")

    def __str__(self):
        return _("Fase %(number)s: %(name)s") % {"number": self.number, "name": self.name}

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": END_BEFORE_START})

    def is_current(self, *, today: dt.date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def pagecache_dependents(self):
        return queries.progress_pages()


class PhaseRow(Orderable):
    """One row of the timeline ("Overordnet framdrift"): an activity of a phase over its terms."""

    phase = ParentalKey(Phase, on_delete=models.CASCADE, related_name="rows")
    activity = models.CharField(_("aktivitet"), max_length=300)
    starts_on = models.DateField(_("starter"))
    ends_on = models.DateField(_("slutter"))

    panels = [FieldPanel("activity"), FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")])]

    class Meta(Orderable.Meta):
        verbose_name = _("rad i framdriftsplanen")
        verbose_name_plural = _("rader i framdriftsplanen")

    def __str__(self):
        return self.activity

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": END_BEFORE_START})


class MilestoneQuerySet(models.QuerySet):
    """Overdue is derived from the due date, the status and the day asked about; never stored."""

    def published(self):
        return self.filter(live=True)

    def open(self):
        return self.exclude(status__in=MilestoneStatus.closed())

    def overdue(self, *, today: dt.date):
        return self.open().filter(due_date__lt=today)

    def due_within(self, *, today: dt.date, days: int):
        return self.open().filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days))

    def late_at(self, *, day: dt.date):
        """Late at the end of `day`: due before it and not completed by then. Cancelled milestones
        are left out, since when they were cancelled is not recorded."""
        return (
            self.exclude(status=MilestoneStatus.CANCELLED)
            .filter(due_date__lt=day)
            .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=day))
        )

    def with_overdue(self, *, today: dt.date):
        """Annotate `overdue` for `today`, for lists that show it."""
        overdue = Q(due_date__lt=today) & ~Q(status__in=MilestoneStatus.closed())
        return self.annotate(
            overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField())
        )


class Milestone(SlugRoute, ChoiceLabels, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A milestone (milepæl) of a theme or of the whole programme. The programme leader saves
    drafts and publishes; only published milestones are public."""

    title = models.CharField(_("tittel"), max_length=250)
    # A draft needs its title too (Wagtail asks only for what publishing needs): without one it
    # is listed as «(tom)» and named «…-objekt (6)» in the admin's messages.
    title.required_on_save = True
    slug = models.SlugField(_("adresse"), max_length=100, unique=True, help_text=_("Brukes i nettadressen."))
    theme = models.ForeignKey(
        "programme.ThemePage",
        verbose_name=_("tema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
        help_text=_("Tomt for milepæler som gjelder hele programmet."),
    )
    phase = models.ForeignKey(
        Phase, verbose_name=_("fase"), on_delete=models.PROTECT, related_name="milestones"
    )
    owner_name = models.CharField(
        _("ansvarlig"),
        max_length=200,
        blank=True,
        help_text=_("Navnet som vises. Tomt til ansvaret er plassert."),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarlig bruker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
        help_text=_("Brukeren som får påminnelser på e-post om frister."),
    )
    due_date = models.DateField(_("frist"))
    status = models.CharField(
        _("status"), max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    completed_on = models.DateField(
        _("fullført dato"),
        null=True,
        blank=True,
        help_text=_("Fylles ut når statusen settes til «Fullført»."),
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    decisions = ParentalManyToManyField(
        "meetings.CaseItem",
        verbose_name=_("vedtak bak milepælen"),
        blank=True,
        related_name="milestones",
    )
    recommendations = ParentalManyToManyField(
        "knowledge.RecommendationPage",
        verbose_name=_("anbefalinger bak milepælen"),
        blank=True,
        related_name="milestones",
    )

    objects = MilestoneQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("phase")]),
        FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_user")], heading=_("Ansvar")),
        FieldRowPanel([FieldPanel("due_date"), FieldPanel("status"), FieldPanel("completed_on")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("decisions"), FieldPanel("recommendations")], heading=_("Grunnlaget for milepælen")
        ),
    ]
    search_fields = [
        index.SearchField("title", boost=5),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.SearchField("owner_name"),
        index.SearchField("public_theme_title"),
        index.FilterField("live"),
        index.FilterField("status"),
        index.FilterField("due_date"),
        index.FilterField("theme"),
        # The admin list sorts a search by its columns too.
        index.FilterField("title"),
    ]

    class Meta:
        ordering = ["due_date", "title"]
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.status == MilestoneStatus.DONE and not self.completed_on:
            errors["completed_on"] = COMPLETED_DATE_REQUIRED
        elif self.status != MilestoneStatus.DONE and self.completed_on:
            errors["completed_on"] = COMPLETED_DATE_ONLY_WHEN_DONE
        elif self.completed_on and self.completed_on > timezone.localdate():
            errors["completed_on"] = COMPLETED_IN_FUTURE
        if errors:
            raise ValidationError(errors)
        if self.owner_user_id and not self.owner_name:
            self.owner_name = self.owner_user.get_full_name() or self.owner_user.get_username()

    def is_overdue(self, *, today: dt.date) -> bool:
        return self.due_date < today and self.status not in MilestoneStatus.closed()

    def is_late_at(self, *, day: dt.date) -> bool:
        """Late at the end of `day` (see `MilestoneQuerySet.late_at`)."""
        return (
            self.status != MilestoneStatus.CANCELLED
            and self.due_date < day
            and (self.completed_on is None or self.completed_on > day)
        )

    @property
    def status_symbol(self) -> str:
        return MILESTONE_STATUS_SYMBOLS.get(self.status, "")

    @property
    def is_closed(self) -> bool:
        return self.status in MilestoneStatus.closed()

    @property
    def owner_display(self) -> str:
        return self.owner_name or str(_("Ikke plassert"))

    # Values for the listing export (the admin's own clock is the right "today" there).
    @property
    def status_label(self) -> str:
        return str(self.get_status_display())

    @property
    def public_theme(self):
        """The theme as readers may see it: None unless the theme is live. A theme page never
        published (a draft) has a title no reader has seen."""
        theme = self.theme if self.theme_id else None
        return theme if theme is not None and theme.live else None

    def public_theme_title(self) -> str:
        theme = self.public_theme
        return theme.title if theme is not None else ""

    @property
    def theme_label(self) -> str:
        return self.theme.title if self.theme_id else str(_("Hele programmet"))

    @property
    def phase_label(self) -> str:
        return str(self.phase)

    @property
    def overdue_label(self) -> str:
        return str(_("Ja") if self.is_overdue(today=timezone.localdate()) else _("Nei"))

    @property
    def published_label(self) -> str:
        return str(_("Ja") if self.live else _("Nei"))

    route_prefix = queries.MILESTONE_PATH

    @classmethod
    def route_page(cls):
        return queries.timeline_page()

    def get_public_url(self) -> str | None:
        base = queries.timeline_url()
        return f"{base}{self.route_path(self.slug)}" if base and self.live else None

    def pagecache_dependents(self):
        # Its theme, its recommendations and the meetings of its decisions are found from its
        # relations (config/purges.py `pages_showing`).
        return queries.progress_pages()


class TimelinePage(RoutablePageMixin, SitePage):
    """The programme's timeline (framdrift): phases, their rows and the milestones across the
    terms, and each published milestone at milepaeler/<slug>/. Edited by the programme office."""

    description_field = "intro"
    intro = models.TextField(_("ingress"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = ["programme.StatusReportPage"]
    max_count = 1

    class Meta:
        verbose_name = _("framdriftsplan")
        verbose_name_plural = _("framdriftsplaner")

    @path("")
    def timeline(self, request):
        today = timezone.localdate()
        return self.render(request, context_overrides=queries.timeline_context(today=today, timeline=self))

    @path(f"{queries.MILESTONE_PATH}<slug:slug>/", name="milestone")
    def milestone(self, request, slug):
        today = timezone.localdate()
        milestone = queries.published_milestones(today=today).filter(slug=slug).first()
        if milestone is None:
            raise Http404
        return self.render(
            request,
            template="programme/milestone.html",
            context_overrides={
                "milestone": milestone,
                "decisions": queries.milestone_decisions(milestone=milestone),
                "recommendations": queries.milestone_recommendations(milestone=milestone),
                "status_report_page": queries.status_report_page(timeline=self),
                "today": today,
            },
        )

    def get_sitemap_urls(self, request=None):
        return self.sitemap_urls_with(request, queries.published_milestones(), prefix=queries.MILESTONE_PATH)


class StatusReportPage(SitePage):
    """A status report for a chosen period: milestones completed, due and late. Print-ready.
    Without a period, it reports since the working committee's last held meeting."""

    description_field = "intro"
    intro = models.TextField(_("ingress"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["programme.TimelinePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")

    def get_context(self, request, *args, **kwargs):
        from ..forms import ReportPeriodForm

        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        last_meeting = queries.last_committee_meeting(before=timezone.now())
        default_start = (
            last_meeting.starts_at.astimezone(timezone.get_current_timezone()).date()
            if last_meeting
            else None
        )
        form = ReportPeriodForm(request.GET, default_start=default_start, today=today)
        context["form"] = form
        context["last_meeting"] = last_meeting
        context["today"] = today
        context["milestone_base"] = queries.milestone_base_url()
        if form.is_valid():
            start, end = form.period()
            context["period"] = (start, end)
            context["report"] = queries.status_report(start=start, end=end)
        return context
