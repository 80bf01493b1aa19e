from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from config.choicelabels import ChoiceLabels
from config.routing import site_root_paths

from .. import queries
from ..blocks import TEXT_BLOCKS, KeyFigureBlock, PointBlock
from ..choices import RoleKind, ThemeGroup

PERIOD_END_BEFORE_START = _("Programmet kan ikke slutte før det starter.")


class SitePage(ChoiceLabels, Page):
    """Base of every page type on this site."""

    class Meta:
        abstract = True

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        # Wagtail reads the site root paths from the shared cache for every `page.url` without
        # a request (25 reads on a research report's page, Redis round trips in production).
        # During a request the worker keeps them with the site structure instead.
        if kwargs:
            return super()._get_site_root_paths(cache_object, **kwargs)
        holder = cache_object if cache_object is not None else self
        paths = getattr(holder, "_wagtail_cached_site_root_paths", None)
        if paths is None:
            paths = site_root_paths()
            holder._wagtail_cached_site_root_paths = paths
        return paths

    # The field whose text describes the page in search engines and link previews when the
    # editors leave «search description» (Promote tab) empty.
    description_field = ""

    @property
    def meta_description(self) -> str:
        if self.search_description:
            return self.search_description
        return str(getattr(self, self.description_field, "") or "") if self.description_field else ""

    def sitemap_urls_with(self, request, rows, prefix: str = "") -> list[dict]:
        """The page's own sitemap entries and one per (slug, last published) in `rows`, at
        `<page>/<prefix><slug>/`: the sub-pages a routable page serves (milestones, activities)."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if base:
            urls += [
                {"location": f"{base}{prefix}{slug}/", "lastmod": published}
                for slug, published in rows.values_list("slug", "last_published_at")
            ]
        return urls

    def get_view_restrictions(self):
        # Wagtail asks the database on every request; almost no page is restricted, and the
        # restricted and aliased paths are cached (queries.py), so ask only when one may apply.
        from wagtail.models import PageViewRestriction

        if not queries.may_be_restricted(page=self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class ProgrammePage(SitePage):
    """The site root: the programme Flere i arbeid itself. Edited by the programme office."""

    description_field = "lead"
    lead = models.TextField(_("ingress"), help_text=_("Én eller to setninger som åpner forsiden."))
    purpose = models.TextField(_("formål"))
    period_start = models.DateField(_("programmet starter"))
    period_end = models.DateField(_("programmet slutter"))
    principles = StreamField(
        [("principle", PointBlock())],
        verbose_name=_("innretning"),
        help_text=_("Prinsippene satsingen styres etter."),
    )
    ambitions = StreamField(TEXT_BLOCKS, verbose_name=_("ambisjoner"))
    effects = StreamField(
        [*TEXT_BLOCKS, ("figure", KeyFigureBlock())],
        verbose_name=_("effekter"),
        help_text=_("Målet for satsingen, med nøkkeltallene det måles mot."),
    )
    target_groups = StreamField([("group", PointBlock())], verbose_name=_("prioriterte målgrupper"))
    approach = StreamField(
        TEXT_BLOCKS,
        verbose_name=_("programstyring som arbeidsform"),
        blank=True,
        help_text=_("Hvorfor satsingen er organisert som et program."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("purpose"),
        MultiFieldPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading=_("Programperiode")),
        FieldPanel("principles"),
        FieldPanel("ambitions"),
        FieldPanel("effects"),
        FieldPanel("target_groups"),
        FieldPanel("approach"),
        InlinePanel("roles", heading=_("Programorganisering"), label=_("rolle")),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("lead", boost=2),
        index.SearchField("purpose"),
        index.SearchField("principles"),
        index.SearchField("ambitions"),
        index.SearchField("effects"),
        index.SearchField("target_groups"),
        index.SearchField("approach"),
        # The programme organisation shown on the front page (programme leader, board, …).
        index.RelatedFields(
            "roles",
            [index.SearchField("name"), index.SearchField("description"), index.SearchField("members")],
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    api_fields = [
        APIField("lead"),
        APIField("purpose"),
        APIField("period_start"),
        APIField("period_end"),
        APIField("principles"),
        APIField("ambitions"),
        APIField("effects"),
        APIField("target_groups"),
        APIField("approach"),
    ]

    class Meta:
        verbose_name = _("programside")
        verbose_name_plural = _("programsider")

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": PERIOD_END_BEFORE_START})

    def route(self, request, path_components):
        # Wagtail walks the tree one level at a time (two queries a level). Every public page is
        # below this one, so find the page by its url_path at once and let it route itself;
        # paths that are not pages (a routable page's sub-routes) take Wagtail's walk.
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = Page.objects.filter(url_path=url_path).first()
            if page is not None:
                return page.specific.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["roles"] = queries.programme_roles(programme=self)
        context["theme_groups"] = queries.themes_by_group()
        context["sections"] = queries.menu_items(root=self)
        context.update(queries.programme_progress(today=timezone.localdate()))
        from .budget import BudgetPage
        from .indicators import IndicatorIndexPage

        context["indicator_url"] = queries.section_url(model=IndicatorIndexPage)
        context["budget_url"] = queries.section_url(model=BudgetPage)
        return context


class ProgrammeRole(ChoiceLabels, Orderable):
    """A role in the programme organisation: a group with its mandate and members, or a person."""

    page = ParentalKey(ProgrammePage, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("type"), max_length=32, choices=RoleKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    mandate = models.TextField(
        _("mandat"), blank=True, help_text=_("Mandatet slik det er vedtatt, ett punkt per linje.")
    )
    members = models.TextField(_("medlemmer eller kompetanser"), blank=True, help_text=_("Én per linje."))

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("mandate"),
        FieldPanel("members"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("rolle i programmet")
        verbose_name_plural = _("roller i programmet")

    def __str__(self):
        return self.name

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]

    @property
    def mandate_points(self) -> list[str]:
        return [line.strip() for line in self.mandate.splitlines() if line.strip()]


class Remark(models.Model):
    """A numbered majority remark (flertallsmerknad) from the city council's general debate."""

    number = models.PositiveSmallIntegerField(
        _("nummer"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    text = models.TextField(_("tekst"), blank=True, help_text=_("Tom der kilden bare oppgir nummeret."))
    across_themes = models.BooleanField(
        _("på tvers av tema"), default=False, help_text=_("Følges opp av programledelsen, ikke av ett tema.")
    )

    panels = [FieldPanel("number"), FieldPanel("text"), FieldPanel("across_themes")]

    class Meta:
        ordering = ["number"]
        verbose_name = _("flertallsmerknad")
        verbose_name_plural = _("flertallsmerknader")

    def __str__(self):
        return _("Merknad %(number)s") % {"number": self.number}


class ThemeIndexPage(SitePage):
    """The six themes of the programme, each run as a project. Edited by the programme office."""

    description_field = "intro"
    intro = models.TextField(_("ingress"))
    across_themes_owner = models.CharField(
        _("ansvar for merknader på tvers av tema"), max_length=200, blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("across_themes_owner")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = ["programme.ThemePage"]
    max_count = 1

    class Meta:
        verbose_name = _("temaoversikt")
        verbose_name_plural = _("temaoversikter")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = queries.themes_by_group(index=self)
        context["across_remarks"] = queries.across_theme_remarks()
        return context


class ThemePage(SitePage):
    """One of the six themes (tema), run as a project with a responsible organisation."""

    # The programme has six themes; room for more, but a theme number is a small one ("Tema 7").
    number = models.PositiveSmallIntegerField(
        _("nummer"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    short_name = models.CharField(_("kortnavn"), max_length=120, blank=True)
    group = models.CharField(_("gruppe"), max_length=20, choices=ThemeGroup.choices)
    responsible_organisation = models.CharField(_("hovedansvar"), max_length=200)
    project_leader = models.CharField(
        _("prosjektleder"), max_length=200, blank=True, help_text=_("Tomt til prosjektlederen er utnevnt.")
    )
    description_field = "description"
    description = models.TextField(_("beskrivelse"), blank=True)
    remarks = ParentalManyToManyField(
        Remark, verbose_name=_("flertallsmerknader"), blank=True, related_name="themes"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("short_name"),
        FieldPanel("group"),
        FieldPanel("responsible_organisation"),
        FieldPanel("project_leader"),
        FieldPanel("description"),
        FieldPanel("remarks"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_name", boost=3),
        index.SearchField("responsible_organisation", boost=2),
        index.SearchField("description"),
        index.FilterField("group"),
    ]
    parent_page_types = ["programme.ThemeIndexPage"]
    subpage_types: list[str] = []
    api_fields = [
        APIField("number"),
        APIField("short_name"),
        APIField("group"),
        APIField("responsible_organisation"),
        APIField("project_leader"),
        APIField("description"),
        APIField("remark_numbers"),
    ]

    class Meta:
        ordering = ["number"]
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")

    @property
    def remark_numbers(self) -> list[int]:
        return sorted(remark.number for remark in self.remarks.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["remark_list"] = queries.theme_remarks(theme=self)
        context["activities"] = queries.theme_activities(theme=self)
        today = timezone.localdate()
        context["milestones"] = queries.theme_milestones(theme=self, today=today)
        context["timeline_url"] = queries.timeline_url()
        context["milestone_base"] = queries.milestone_base_url()
        context["today"] = today
        return context
