from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from config.choicelabels import ChoiceLabels
from config.redirects import SlugRoute
from programme.fields import LocalisedDecimalField
from programme.models import SitePage

from . import queries
from .choices import ActivityKind, ActivityStatus

END_BEFORE_START = _("Sluttdatoen kan ikke være før startdatoen.")
DONE_WITHOUT_DATE = _("En gjennomført aktivitet må ha datoen den ble gjennomført.")
RESULT_BEFORE_DONE = _("Resultat og antall nådd føres først når aktiviteten er gjennomført.")


class CommunicationPlanPage(RoutablePageMixin, SitePage):
    """The communication plan, under the programme page; its activities are snippets shown here
    and on their own sub-pages. Edited by the programme office."""

    description_field = "purpose"
    purpose = models.TextField(_("formål"), help_text=_("Hva planen skal oppnå, og hvem den er laget for."))
    background = models.TextField(_("bakgrunn"), blank=True)
    period_start = models.DateField(_("periode fra"), null=True, blank=True)
    period_end = models.DateField(_("periode til"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        FieldPanel("background"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Periode")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("purpose"), index.SearchField("background")]
    api_fields = [
        APIField("purpose"),
        APIField("background"),
        APIField("period_start"),
        APIField("period_end"),
    ]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("kommunikasjonsplan")
        verbose_name_plural = _("kommunikasjonsplaner")

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": END_BEFORE_START})

    @path("")
    def plan(self, request):
        activities = queries.published_activities()
        return self.render(
            request,
            context_overrides={
                "groups": queries.activities_by_status(activities=activities),
                "budget": queries.budget(activities=activities),
            },
        )

    @path("kalender/", name="calendar")
    def calendar(self, request):
        from .feeds import activities_calendar

        return activities_calendar(request, plan=self, activities=queries.published_activities())

    @path("<slug:slug>/", name="activity")
    def activity(self, request, slug):
        activity = queries.published_activities().filter(slug=slug).first()
        if activity is None:
            raise Http404
        return self.render(
            request,
            template="communication/activity.html",
            context_overrides={
                "activity": activity,
                "budget": queries.budget(activities=[activity]),
                "disseminates": queries.disseminated_pages(activity=activity),
            },
        )

    def get_sitemap_urls(self, request=None):
        """The plan and each published activity's page."""
        return self.sitemap_urls_with(request, queries.published_activities())

    def activity_url(self, activity: Activity) -> str:
        return self.url + self.reverse_subpage("activity", kwargs={"slug": activity.slug})


class TargetGroup(models.Model):
    """A reusable target group (målgruppe), e.g. kommuner or NAV."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("målgruppe")
        verbose_name_plural = _("målgrupper")

    def __str__(self):
        return self.name


class Activity(SlugRoute, ChoiceLabels, DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A dissemination activity of the communication plan. Published activities are public."""

    title = models.CharField(_("tittel"), max_length=200)
    # A draft needs its title too (Wagtail asks only for what publishing needs): without one it
    # is listed as «(tom)» and named «…-objekt (6)» in the admin's messages.
    title.required_on_save = True
    slug = models.SlugField(_("adresse"), max_length=100, unique=True, help_text=_("Brukes i nettadressen."))
    kind = models.CharField(_("type"), max_length=32, choices=ActivityKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=ActivityStatus.choices, default="forslag")
    summary = models.TextField(_("beskrivelse"), blank=True)
    purposes = models.TextField(_("formål"), blank=True, help_text=_("Ett formål per linje."))
    target_groups = ParentalManyToManyField(TargetGroup, verbose_name=_("målgrupper"), blank=True)
    target_group_note = models.CharField(
        _("målgruppe, presisert"),
        max_length=300,
        blank=True,
        help_text=_("Målgruppen slik planen beskriver den."),
    )
    starts_on = models.DateField(_("dato eller periode fra"), null=True, blank=True)
    ends_on = models.DateField(
        _("til"), null=True, blank=True, help_text=_("Tom for en aktivitet på én dag.")
    )
    timing_note = models.CharField(
        _("tidspunkt, presisert"), max_length=200, blank=True, help_text=_("For eksempel «i løpet av 2022».")
    )
    place = models.CharField(_("sted"), max_length=200, blank=True)
    responsible = models.CharField(_("ansvarlig"), max_length=200, blank=True)
    covered_by_contract = models.BooleanField(_("dekket av gjeldende kontrakt"), default=False)
    funding_note = models.CharField(_("finansiering"), max_length=300, blank=True)
    reports = ParentalManyToManyField(
        "knowledge.ResearchReportPage", verbose_name=_("rapporter"), blank=True, related_name="activities"
    )
    findings = ParentalManyToManyField(
        "knowledge.FindingPage", verbose_name=_("funn"), blank=True, related_name="activities"
    )
    themes = ParentalManyToManyField(
        "programme.ThemePage", verbose_name=_("tema"), blank=True, related_name="activities"
    )
    outcome = models.TextField(
        _("resultat"), blank=True, help_text=_("Fylles ut når aktiviteten er gjennomført.")
    )
    reached = models.PositiveIntegerField(_("antall nådd"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("rekkefølge"), default=0)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("summary"),
        FieldPanel("purposes"),
        MultiFieldPanel(
            [FieldPanel("target_groups"), FieldPanel("target_group_note")], heading=_("Målgrupper")
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]), FieldPanel("timing_note")],
            heading=_("Når"),
        ),
        FieldRowPanel([FieldPanel("place"), FieldPanel("responsible")]),
        MultiFieldPanel(
            [FieldPanel("covered_by_contract"), FieldPanel("funding_note")], heading=_("Finansiering")
        ),
        InlinePanel("cost_items", heading=_("Omkostninger"), label=_("kostnadspost")),
        MultiFieldPanel(
            [FieldPanel("reports"), FieldPanel("findings"), FieldPanel("themes")],
            heading=_("Hva aktiviteten formidler"),
        ),
        MultiFieldPanel([FieldPanel("outcome"), FieldPanel("reached")], heading=_("Etter gjennomføring")),
        FieldPanel("sort_order"),
    ]

    search_fields = [
        index.SearchField("title", boost=5),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.SearchField("purposes"),
        index.SearchField("target_group_note"),
        index.FilterField("status"),
        index.FilterField("kind"),
        index.FilterField("live"),
        # The admin list sorts a search by its columns too.
        index.FilterField("title"),
        index.FilterField("starts_on"),
    ]

    class Meta:
        ordering = ["sort_order", "starts_on", "title"]
        verbose_name = _("formidlingsaktivitet")
        verbose_name_plural = _("formidlingsaktiviteter")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = END_BEFORE_START
        if self.status == ActivityStatus.DONE and not self.starts_on:
            errors["starts_on"] = DONE_WITHOUT_DATE
        if self.status != ActivityStatus.DONE and (self.outcome or self.reached is not None):
            errors["outcome" if self.outcome else "reached"] = RESULT_BEFORE_DONE
        if errors:
            raise ValidationError(errors)

    @property
    def purpose_list(self) -> list[str]:
        return [line.strip() for line in self.purposes.splitlines() if line.strip()]

    @property
    def is_dated(self) -> bool:
        return self.starts_on is not None

    def cost_summary(self) -> queries.CostSummary:
        summary = queries.CostSummary()
        summary.add(list(self.cost_items.all()))
        return summary

    @property
    def cost_total_known(self) -> Decimal | None:
        summary = self.cost_summary()
        return summary.known if summary.has_known else None

    @property
    def cost_items_unpriced(self) -> int:
        summary = self.cost_summary()
        return summary.unpriced + summary.activities_without_items

    # Values for the listing export: what the admin shows, never the stored codes.
    @property
    def kind_label(self) -> str:
        return str(self.get_kind_display())

    @property
    def status_label(self) -> str:
        return str(self.get_status_display())

    @property
    def covered_label(self) -> str:
        return str(_("Ja") if self.covered_by_contract else _("Nei"))

    @property
    def target_groups_label(self) -> str:
        names = [group.name for group in self.target_groups.all()]
        return "; ".join([*names, self.target_group_note] if self.target_group_note else names)

    @classmethod
    def route_page(cls):
        return queries.communication_plan()

    def get_public_url(self) -> str | None:
        base = queries.plan_url()
        return f"{base}{self.route_path(self.slug)}" if base and self.live else None

    def pagecache_dependents(self):
        plan = queries.communication_plan()
        return [plan] if plan else []


class CostItem(Orderable):
    """A cost item (omkostning) of an activity; the amount may be unknown."""

    activity = ParentalKey(Activity, on_delete=models.CASCADE, related_name="cost_items")
    description = models.CharField(_("beskrivelse"), max_length=300)
    amount = LocalisedDecimalField(
        _("beløp (NOK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), message=_("Beløpet kan ikke være negativt."))],
        help_text=_("Tomt når beløpet ikke er kjent; posten vises da som ikke kostnadsberegnet."),
    )
    unit = models.CharField(
        _("per"),
        max_length=60,
        blank=True,
        help_text=_("Fylles ut når beløpet er en enhetspris, f.eks. «foredrag»."),
    )
    quantity = models.PositiveIntegerField(
        _("antall"), null=True, blank=True, help_text=_("Antall enheter; tomt når det ikke er kjent.")
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    panels = [
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("unit"), FieldPanel("quantity")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("kostnadspost")
        verbose_name_plural = _("kostnadsposter")

    def __str__(self):
        return self.description

    @property
    def total(self) -> Decimal | None:
        """The item's cost, or None when it is not known (no amount, or a unit price with no count)."""
        if self.amount is None:
            return None
        if self.unit:
            return self.amount * self.quantity if self.quantity is not None else None
        return self.amount * (self.quantity if self.quantity is not None else 1)
