from __future__ import annotations

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from programme.blocks import TEXT_BLOCKS
from programme.models import SitePage

from . import queries
from .blocks import TimelineEntryBlock
from .choices import Addressee, FollowUpStatus, LegalKind


class LibraryIndexPage(RoutablePageMixin, SitePage):
    """The knowledge library: reports, findings, recommendations and the legal basis, with the
    feeds of new findings and recommendations. Edited by the library's editors."""

    description_field = "intro"
    intro = models.TextField(_("ingress"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types = ["knowledge.ResearchReportPage", "knowledge.LegalSourcePage"]
    max_count = 1

    class Meta:
        verbose_name = _("kunnskapsbibliotek")
        verbose_name_plural = _("kunnskapsbibliotek")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.library_overview(library=self, tag=request.GET.get("tag", "")))
        return context

    @path("feed/", name="rss")
    def rss_feed(self, request):
        from .feeds import LibraryFeed

        return LibraryFeed(page=self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import LibraryFeed

        return LibraryFeed(page=self, atom=True)(request)


class ReportTag(TaggedItemBase):
    content_object = ParentalKey(
        "knowledge.ResearchReportPage", on_delete=models.CASCADE, related_name="tagged"
    )


class ResearchReportPage(SitePage):
    """A research project or report; part-reports, findings and recommendations are children."""

    subtitle = models.CharField(_("undertittel"), max_length=300, blank=True)
    authors = models.CharField(_("forfattere eller firma"), max_length=200, blank=True)
    commissioner = models.CharField(_("oppdragsgiver"), max_length=200, blank=True)
    funding_programme = models.CharField(_("finansiert av"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    description_field = "summary"
    summary = models.TextField(_("sammendrag"), blank=True)
    background = StreamField(TEXT_BLOCKS, verbose_name=_("bakgrunn"), blank=True)
    research_questions = StreamField(TEXT_BLOCKS, verbose_name=_("problemstillinger"), blank=True)
    methods = StreamField(TEXT_BLOCKS, verbose_name=_("metoder"), blank=True)
    timeline = StreamField([("entry", TimelineEntryBlock())], verbose_name=_("tidslinje"), blank=True)
    tags = ClusterTaggableManager(through=ReportTag, blank=True, verbose_name=_("emneord"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("authors"), FieldPanel("year")]),
                FieldRowPanel([FieldPanel("commissioner"), FieldPanel("funding_programme")]),
            ],
            heading=_("Om rapporten"),
        ),
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("research_questions"),
        FieldPanel("methods"),
        FieldPanel("timeline"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title"),
        index.SearchField("subtitle", boost=2),
        index.SearchField("summary"),
        index.SearchField("authors"),
        index.SearchField("background"),
        index.SearchField("research_questions"),
        index.SearchField("methods"),
        index.FilterField("year"),
    ]
    api_fields = [
        APIField("subtitle"),
        APIField("authors"),
        APIField("commissioner"),
        APIField("funding_programme"),
        APIField("year"),
        APIField("summary"),
        APIField("research_questions"),
        APIField("methods"),
        APIField("tag_names"),
    ]
    parent_page_types = ["knowledge.LibraryIndexPage", "knowledge.ResearchReportPage"]
    subpage_types = ["knowledge.ResearchReportPage", "knowledge.FindingPage", "knowledge.RecommendationPage"]

    class Meta:
        verbose_name = _("forskningsrapport")
        verbose_name_plural = _("forskningsrapporter")

    @property
    def tag_names(self) -> list[str]:
        return sorted(tag.name for tag in self.tags.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.report_contents(report=self))
        return context


class FindingTag(TaggedItemBase):
    content_object = ParentalKey("knowledge.FindingPage", on_delete=models.CASCADE, related_name="tagged")


class FindingPage(SitePage):
    """A finding (funn) of a report, with its evidence and the legal sections it rests on."""

    # The search's year: the report's (the page's own publication date is the load's).
    search_year_parent = "knowledge.ResearchReportPage"

    description_field = "statement"
    statement = models.TextField(_("funn"), help_text=_("Funnet med egne ord fra rapporten."))
    evidence = StreamField(TEXT_BLOCKS, verbose_name=_("grunnlag"), blank=True)
    legal_sections = ParentalManyToManyField(
        "knowledge.LegalSection", verbose_name=_("rettsgrunnlag"), blank=True, related_name="findings"
    )
    sort_order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    tags = ClusterTaggableManager(through=FindingTag, blank=True, verbose_name=_("emneord"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("statement"),
        FieldPanel("evidence"),
        FieldPanel("legal_sections"),
        FieldPanel("tags"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title"),
        index.SearchField("statement", boost=2),
        index.SearchField("evidence"),
    ]
    api_fields = [APIField("statement"), APIField("evidence"), APIField("tag_names")]
    parent_page_types = ["knowledge.ResearchReportPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("funn")
        verbose_name_plural = _("funn")

    @property
    def tag_names(self) -> list[str]:
        return sorted(tag.name for tag in self.tags.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.finding_links(finding=self))
        return context


class RecommendationTag(TaggedItemBase):
    content_object = ParentalKey(
        "knowledge.RecommendationPage", on_delete=models.CASCADE, related_name="tagged"
    )


class RecommendationPage(SitePage):
    """A recommendation (anbefaling) of a report: to whom, on which findings, and its follow-up."""

    # The search's year: the report's (the page's own publication date is the load's).
    search_year_parent = "knowledge.ResearchReportPage"

    description_field = "text"
    text = models.TextField(_("anbefaling"))
    details = StreamField(TEXT_BLOCKS, verbose_name=_("utdyping"), blank=True)
    addressee = models.CharField(_("rettet til"), max_length=20, choices=Addressee.choices)
    status = models.CharField(
        _("oppfølging"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.NOT_ASSESSED
    )
    status_note = models.TextField(_("om oppfølgingen"), blank=True)
    findings = ParentalManyToManyField(
        FindingPage, verbose_name=_("funn bak anbefalingen"), blank=True, related_name="recommendations"
    )
    sort_order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    tags = ClusterTaggableManager(through=RecommendationTag, blank=True, verbose_name=_("emneord"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("text"),
        FieldPanel("details"),
        FieldRowPanel([FieldPanel("addressee"), FieldPanel("status")]),
        FieldPanel("status_note"),
        FieldPanel("findings"),
        FieldPanel("tags"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title"),
        index.SearchField("text", boost=2),
        index.SearchField("details"),
        index.FilterField("addressee"),
        index.FilterField("status"),
    ]
    api_fields = [
        APIField("text"),
        APIField("details"),
        APIField("addressee"),
        APIField("status"),
        APIField("status_note"),
        APIField("finding_ids"),
        APIField("tag_names"),
    ]
    parent_page_types = ["knowledge.ResearchReportPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("anbefaling")
        verbose_name_plural = _("anbefalinger")

    @property
    def tag_names(self) -> list[str]:
        return sorted(tag.name for tag in self.tags.all())

    @property
    def finding_ids(self) -> list[int]:
        return sorted(finding.pk for finding in self.findings.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.recommendation_links(recommendation=self))
        return context


class LegalSourcePage(SitePage):
    """An act or regulation the programme rests on, with the sections it cites."""

    kind = models.CharField(_("type"), max_length=12, choices=LegalKind.choices)
    short_title = models.CharField(_("korttittel"), max_length=120)
    official_title = models.CharField(_("offisiell tittel"), max_length=300, blank=True)
    lovdata_id = models.CharField(
        _("Lovdata-ID"), max_length=40, blank=True, help_text=_("For eksempel LOV-2009-12-18-131.")
    )
    description_field = "note"
    note = models.TextField(_("merknad"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("short_title")]),
        FieldPanel("official_title"),
        FieldPanel("lovdata_id"),
        FieldPanel("note"),
        InlinePanel("sections", heading=_("Siterte bestemmelser"), label=_("bestemmelse")),
    ]
    search_fields = [
        *Page.search_fields,
        index.AutocompleteField("title"),
        index.SearchField("short_title", boost=3),
        index.SearchField("official_title", boost=2),
        index.SearchField("note"),
        index.RelatedFields(
            "sections", [index.SearchField("label"), index.SearchField("text"), index.SearchField("note")]
        ),
    ]
    api_fields = [
        APIField("kind"),
        APIField("short_title"),
        APIField("official_title"),
        APIField("lovdata_id"),
        APIField("sections"),
    ]
    parent_page_types = ["knowledge.LibraryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("rettskilde")
        verbose_name_plural = _("rettskilder")

    @property
    def lovdata_url(self) -> str:
        kind = "lov" if self.kind == LegalKind.ACT else "forskrift"
        return f"https://lovdata.no/{kind}/{self._lovdata_path()}"

    def _lovdata_path(self) -> str:
        # LOV-2009-12-18-131 -> 2009-12-18-131
        return self.lovdata_id.split("-", 1)[1] if "-" in self.lovdata_id else ""


class LegalSection(Orderable):
    """A cited section (§) of a legal source, with the text the source quotes and its own anchor."""

    page = ParentalKey(
        LegalSourcePage, verbose_name=_("rettskilde"), on_delete=models.CASCADE, related_name="sections"
    )
    label = models.CharField(
        _("bestemmelse"), max_length=60, blank=True, help_text=_("For eksempel «§ 3-2 nr. 7».")
    )
    text = models.TextField(_("sitert tekst"), blank=True)
    note = models.TextField(_("merknad"), blank=True)
    anchor = models.SlugField(_("anker"), max_length=60, help_text=_("Del av nettadressen som peker hit."))

    panels = [FieldPanel("label"), FieldPanel("text"), FieldPanel("note"), FieldPanel("anchor")]
    api_fields = [APIField("label"), APIField("text"), APIField("note"), APIField("anchor")]

    class Meta(Orderable.Meta):
        verbose_name = _("bestemmelse")
        verbose_name_plural = _("bestemmelser")
        constraints = [models.UniqueConstraint(fields=["page", "anchor"], name="unique_anchor_per_source")]

    def __str__(self):
        return self.citation

    @property
    def citation(self) -> str:
        return f"{self.page.short_title} {self.label}".strip()

    @property
    def url(self) -> str:
        return f"{self.page.url}#{self.anchor}"

    @staticmethod
    def anchor_for(label: str, position: int) -> str:
        return slugify(label.replace("§", "paragraf")) or f"utdrag-{position + 1}"
