from wagtail import hooks

from .viewsets import CommunicationViewSetGroup


@hooks.register("register_admin_viewset")
def register_communication_viewsets():
    return CommunicationViewSetGroup()
