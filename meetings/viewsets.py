from django.contrib.auth.mixins import UserPassesTestMixin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from config import opendata

from . import queries
from .models import Body, MeetingPlan, TreatmentPlan


class BodyViewSet(SnippetViewSet):
    model = Body
    icon = "group"
    menu_label = _("Organer")
    list_display = ["name", "kind", "documents_public"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MeetingPlanViewSet(SnippetViewSet):
    model = MeetingPlan
    icon = "date"
    menu_label = _("Møteplaner")
    list_display = ["body", "year", "starts", "ends"]
    list_filter = ["body", "year"]


class TreatmentPlanViewSet(SnippetViewSet):
    model = TreatmentPlan
    icon = "list-ol"
    menu_label = _("Behandlingsplaner")
    list_display = ["title", "archive_reference"]
    search_fields = ["title", "archive_reference"]


class DecisionListView(UserPassesTestMixin, WagtailAdminTemplateMixin, TemplateView):
    """Every decision the reader may see (committee-only ones too, for the programme office),
    with the public dataset's columns, and its export to CSV and XLSX."""

    template_name = "meetings/admin/decision_list.html"
    page_title = _("Vedtak")
    header_icon = "doc-full"

    def test_func(self):
        user = self.request.user
        return user.has_perm("wagtailadmin.access_admin") and queries.may_read_committee_content(user=user)

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            dataset = opendata.datasets()["vedtak"]
            rows = queries.decisions(user=request.user)
            render = opendata.csv_response if export == "csv" else opendata.xlsx_response
            return render(request, dataset, rows, filename="vedtak")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decisions"] = queries.decisions(user=self.request.user, with_milestones=True)
        return context


class DecisionViewSet(ViewSet):
    name = "vedtak"
    icon = "doc-full"
    menu_label = _("Vedtak")
    url_prefix = "moter/vedtak"

    def get_urlpatterns(self):
        return [path("", DecisionListView.as_view(), name="index")]


class MeetingsViewSetGroup(ViewSetGroup):
    menu_label = _("Møter")
    menu_icon = "calendar"
    menu_order = 250
    items = (BodyViewSet, MeetingPlanViewSet, TreatmentPlanViewSet, DecisionViewSet)
