import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from config.admin_exports import NorwegianCsvExport

from . import queries
from .admin_views import IndicatorImportViewSet
from .models import Area, BudgetCategory, FundingSource, Indicator, Milestone, Observation, Phase, Remark


class RemarkViewSet(SnippetViewSet):
    model = Remark
    icon = "list-ol"
    menu_label = _("Flertallsmerknader")
    list_display = ["number", "text", "across_themes"]
    list_filter = ["across_themes", "themes"]
    search_fields = ["text"]
    ordering = ["number"]


YES_NO = [("ja", _("Ja")), ("nei", _("Nei"))]


class PhaseViewSet(SnippetViewSet):
    model = Phase
    icon = "time"
    menu_label = _("Faser")
    list_display = ["number", "name", "starts_on", "ends_on"]
    ordering = ["number"]


class MilestoneFilterSet(WagtailFilterSet):
    owner = django_filters.ChoiceFilter(
        label=_("Ansvarlig"), field_name="owner_name", choices=lambda: queries.milestone_owner_choices()
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Fristen er passert"), choices=YES_NO, method="filter_overdue", empty_label=_("Alle")
    )

    class Meta:
        model = Milestone
        fields = ["theme", "phase", "status", "owner", "overdue", "live"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = queryset.overdue(today=today)
        return overdue if value == "ja" else queryset.exclude(pk__in=overdue.values("pk"))


class OverdueColumn(Column):
    """Whether the due date has passed, as text (never by colour alone)."""

    def get_value(self, instance):
        return _("Fristen er passert") if instance.is_overdue(today=timezone.localdate()) else ""


class MilestoneIndexView(NorwegianCsvExport, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("theme", "phase")


class MilestoneViewSet(SnippetViewSet):
    model = Milestone
    icon = "flag"
    menu_label = _("Milepæler")
    index_view_class = MilestoneIndexView
    filterset_class = MilestoneFilterSet
    list_display = [
        "title",
        Column("theme_label", label=_("Tema")),
        Column("phase", label=_("Fase")),
        Column("owner_display", label=_("Ansvarlig")),
        "due_date",
        Column("status_label", label=_("Status"), sort_key="status"),
        OverdueColumn("overdue", label=_("Forfalt")),
    ]
    list_per_page = 50
    # The search runs on the model's own search fields (title, description, owner, theme): a
    # narrower list here would reach Wagtail's SQLite database backend as FTS5 column names it
    # does not have.
    ordering = ["due_date", "title"]
    list_export = [
        "title",
        "theme_label",
        "phase_label",
        "owner_display",
        "due_date",
        "status_label",
        "completed_on",
        "overdue_label",
        "published_label",
        "description",
    ]
    export_headings = {
        "title": _("Tittel"),
        "theme_label": _("Tema"),
        "phase_label": _("Fase"),
        "owner_display": _("Ansvarlig"),
        "due_date": _("Frist"),
        "status_label": _("Status"),
        "completed_on": _("Fullført dato"),
        "overdue_label": _("Fristen er passert"),
        "published_label": _("Publisert"),
        "description": _("Beskrivelse"),
    }
    export_filename = "milepaeler"


class IndicatorFilterSet(WagtailFilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("Område med observasjoner"),
        queryset=Area.objects.all(),
        field_name="observations__area",
        distinct=True,
    )

    class Meta:
        model = Indicator
        fields = ["unit", "area"]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    menu_label = _("Indikatorer")
    filterset_class = IndicatorFilterSet
    list_display = ["name", "unit", "source"]
    search_fields = ["name", "slug", "description", "source", "ssb_variable"]
    ordering = ["sort_order", "name"]


class ObservationIndexView(NorwegianCsvExport, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("indicator", "area")


class ObservationViewSet(SnippetViewSet):
    """Every measurement in one list, filtered and exported; they are also edited inline on
    their indicator."""

    model = Observation
    icon = "table"
    menu_label = _("Målinger")
    index_view_class = ObservationIndexView
    list_display = ["indicator", "area", "period", "value"]
    list_filter = ["indicator", "area", "period"]
    ordering = ["indicator__sort_order", "area__sort_order", "period"]
    panels = [
        FieldPanel("indicator"),
        FieldRowPanel([FieldPanel("area"), FieldPanel("period"), FieldPanel("value")]),
    ]
    list_export = ["indicator", "area", "period", "value"]
    export_headings = {
        "indicator": _("Indikator"),
        "area": _("Område"),
        "period": _("Periode"),
        "value": _("Verdi"),
    }
    export_filename = "indikatormalinger"


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    menu_label = _("Områder")
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]


class BudgetCategoryViewSet(SnippetViewSet):
    model = BudgetCategory
    icon = "tasks"
    menu_label = _("Budsjettposter")
    list_display = ["name", "description", "planned_amount"]
    list_filter = {"planned_amount": ["isnull"]}
    search_fields = ["name", "description"]
    ordering = ["sort_order", "name"]


class FundingSourceViewSet(SnippetViewSet):
    model = FundingSource
    icon = "doc-full"
    menu_label = _("Finansieringskilder")
    list_display = ["name", "status", "amount", "purpose"]
    list_filter = ["status"]
    search_fields = ["name", "description", "purpose"]
    ordering = ["sort_order", "name"]


class ProgrammeViewSetGroup(ViewSetGroup):
    menu_label = _("Program")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        RemarkViewSet,
        PhaseViewSet,
        MilestoneViewSet,
        IndicatorViewSet,
        ObservationViewSet,
        IndicatorImportViewSet,
        AreaViewSet,
        BudgetCategoryViewSet,
        FundingSourceViewSet,
    )
