from wagtail import hooks

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
