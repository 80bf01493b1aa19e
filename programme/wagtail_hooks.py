from wagtail import hooks

from .viewsets import ProgrammeViewSetGroup


@hooks.register("register_admin_viewset")
def register_programme_viewsets():
    return ProgrammeViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_milestone_panel(request, panels):
    from .admin_panels import MilestonePanel, sees_milestone_panel

    if sees_milestone_panel(request.user):
        panels.append(MilestonePanel())
