from __future__ import annotations

import django_filters
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from config.admin_exports import NorwegianCsvExport

from . import queries
from .models import Activity, TargetGroup


class ActivityFilterSet(WagtailFilterSet):
    starts_on = django_filters.DateFromToRangeFilter(label=_("Periode"), widget=DateRangePickerWidget)

    class Meta:
        model = Activity
        fields = ["status", "kind", "target_groups", "covered_by_contract", "starts_on"]


class CostColumn(Column):
    """The activity's known cost, and what is not priced; never a silent zero."""

    def get_value(self, instance):
        return cost_text(instance.cost_summary())


def cost_text(summary: queries.CostSummary) -> str:
    from django.template.loader import render_to_string

    return render_to_string("communication/includes/cost.txt", {"cost": summary}).strip()


class ActivityIndexView(NorwegianCsvExport, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("cost_items", "target_groups")


class ActivityViewSet(SnippetViewSet):
    model = Activity
    icon = "calendar-alt"
    menu_label = _("Aktiviteter")
    index_view_class = ActivityIndexView
    filterset_class = ActivityFilterSet
    list_display = ["title", "kind", "status", "starts_on", CostColumn("cost", label=_("Kostnad"))]
    list_per_page = 50
    ordering = ["sort_order", "starts_on", "title"]
    list_export = [
        "title",
        "kind_label",
        "status_label",
        "starts_on",
        "ends_on",
        "timing_note",
        "place",
        "responsible",
        "target_groups_label",
        "purposes",
        "covered_label",
        "funding_note",
        "cost_total_known",
        "cost_items_unpriced",
        "outcome",
        "reached",
    ]
    export_headings = {
        "title": _("Tittel"),
        "kind_label": _("Type"),
        "status_label": _("Status"),
        "starts_on": _("Fra"),
        "ends_on": _("Til"),
        "timing_note": _("Tidspunkt"),
        "place": _("Sted"),
        "responsible": _("Ansvarlig"),
        "target_groups_label": _("Målgruppe"),
        "purposes": _("Formål"),
        "covered_label": _("Dekket av kontrakten"),
        "funding_note": _("Finansiering"),
        "cost_total_known": _("Kjent kostnad (NOK)"),
        "cost_items_unpriced": _("Poster uten beløp"),
        "outcome": _("Resultat"),
        "reached": _("Antall nådd"),
    }
    export_filename = "formidlingsaktiviteter"


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "group"
    menu_label = _("Målgrupper")
    list_display = ["name"]
    search_fields = ["name", "description"]


class ActivityMonthView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Planned and dated activities month by month, with the plan's budget."""

    permission_required = "communication.view_activity"
    template_name = "communication/admin/month_list.html"
    page_title = _("Aktiviteter per måned")
    header_icon = "calendar-alt"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activities = list(queries.activities())
        context["months"] = queries.activities_by_month(activities=activities)
        context["undated"] = [activity for activity in activities if not activity.starts_on]
        context["budget"] = queries.budget(activities=activities)
        return context


class ActivityMonthMenuItem(MenuItem):
    def is_shown(self, request):
        # Only for those who may open it (the editors of the library may not).
        return request.user.has_perm(ActivityMonthView.permission_required)


class ActivityCalendarViewSet(ViewSet):
    name = "formidling-maned"
    icon = "date"
    menu_label = _("Per måned")
    url_prefix = "formidling/maned"
    menu_item_class = ActivityMonthMenuItem

    def get_urlpatterns(self):
        return [path("", ActivityMonthView.as_view(), name="index")]


class CommunicationViewSetGroup(ViewSetGroup):
    menu_label = _("Formidling")
    menu_icon = "mail"
    menu_order = 300
    items = (ActivityViewSet, ActivityCalendarViewSet, TargetGroupViewSet)
