from dataclasses import replace

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


YES, NO = _("Ja"), _("Nei")


def internal_decisions(*, user) -> tuple[opendata.Dataset, list]:
    """The decisions `user` may see, each marked `public` (in the public dataset) or not, with
    the legal basis of an exemption in force (`exemption_label`); and the public dataset with
    those two columns added. A file exported from the admin travels: it must say which rows
    the public may not see."""
    public = opendata.datasets()["vedtak"]
    public_ids = set(public.rows().values_list("pk", flat=True))
    items = list(queries.decisions(user=user, with_milestones=True))
    queries.apply_exemptions(items, user=user)
    for item in items:
        item.public = item.pk in public_ids
    dataset = replace(
        public,
        columns=(
            *public.columns,
            opendata.Column("offentlig", _("Offentlig"), lambda item: str(YES if item.public else NO)),
            opendata.Column(
                "unntatt_offentlighet",
                _("Unntatt offentlighet"),
                lambda item: item.exemption_label if item.exempt_now else "",
            ),
        ),
    )
    return dataset, items


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
            dataset, rows = internal_decisions(user=request.user)
            render = opendata.csv_response if export == "csv" else opendata.xlsx_response
            return render(request, dataset, rows, filename="vedtak")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decisions"] = internal_decisions(user=self.request.user)[1]
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
