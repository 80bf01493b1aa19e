import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import IndicatorImportViewSet
from .models import Area, BudgetCategory, FundingSource, Indicator, Remark


class RemarkViewSet(SnippetViewSet):
    model = Remark
    icon = "list-ol"
    menu_label = _("Flertallsmerknader")
    list_display = ["number", "text", "across_themes"]
    list_filter = ["across_themes", "themes"]
    search_fields = ["text"]
    ordering = ["number"]


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
        IndicatorViewSet,
        IndicatorImportViewSet,
        AreaViewSet,
        BudgetCategoryViewSet,
        FundingSourceViewSet,
    )
