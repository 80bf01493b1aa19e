from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

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


class MeetingsViewSetGroup(ViewSetGroup):
    menu_label = _("Møter")
    menu_icon = "calendar"
    menu_order = 250
    items = (BodyViewSet, MeetingPlanViewSet, TreatmentPlanViewSet)
