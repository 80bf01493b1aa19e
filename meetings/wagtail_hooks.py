from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from .viewsets import MeetingsViewSetGroup


@hooks.register("register_admin_viewset")
def register_meetings_viewsets():
    return MeetingsViewSetGroup()


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def create_planned_meetings(request, instance):
    """Saving a meeting plan creates the meetings it lists that do not exist yet."""
    from .models import MeetingIndexPage, MeetingPlan
    from .services import meeting_plan_create_meetings

    index = MeetingIndexPage.objects.first()
    if isinstance(instance, MeetingPlan) and index is not None:
        meeting_plan_create_meetings(plan=instance, index=index)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def protect_exempt_documents(request, page):
    """Saving a meeting (a draft too) moves the documents of its exempt attachments into the
    private collection at once, before anyone publishes the meeting."""
    from .models import MeetingPage
    from .services import meeting_protect_exempt_documents

    if isinstance(page.specific, MeetingPage):
        meeting_protect_exempt_documents(meeting=page if isinstance(page, MeetingPage) else page.specific)


@hooks.register("register_admin_urls")
def register_protocol_exemption_url():
    from django.urls import path

    from .admin_views import ProtocolExemptionView

    return [
        path(
            "moter/protokoll/<int:page_id>/unntak/",
            ProtocolExemptionView.as_view(),
            name="meetings_protocol_exemption",
        )
    ]


class ProtocolExemptionButton(PageMenuItem):
    label = _("Unntak fra offentlighet")
    icon_name = "lock"
    url_name = "meetings_protocol_exemption"
    priority = 55

    def is_shown(self, user):
        from .models import ProtocolPage

        page = self.page.specific_deferred
        return (
            isinstance(page, ProtocolPage)
            and page.approved_at is not None
            and page.permissions_for_user(user).can_publish()
        )


@hooks.register("register_page_header_buttons")
def protocol_exemption_button(page, user, view_name, next_url=None):
    """A final protocol is locked; its exemption from public access can still be set."""
    yield ProtocolExemptionButton(page=page)
