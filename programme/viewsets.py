from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Remark


class RemarkViewSet(SnippetViewSet):
    model = Remark
    icon = "list-ol"
    menu_label = _("Flertallsmerknader")
    list_display = ["number", "text", "across_themes"]
    list_filter = ["across_themes", "themes"]
    search_fields = ["text"]
    ordering = ["number"]


class ProgrammeViewSetGroup(ViewSetGroup):
    menu_label = _("Program")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (RemarkViewSet,)
