"""The milestone panel on the Wagtail admin home, for the programme office."""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin.ui.components import Component

from . import queries
from .roles import PROGRAMME_LEADER


def sees_milestone_panel(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=PROGRAMME_LEADER).exists())


class MilestonePanel(Component):
    """Overdue milestones, milestones due in the next 30 days, and a status count per theme."""

    name = "milestones"
    template_name = "programme/admin/milestone_panel.html"
    order = 50

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context.update(queries.dashboard(today=timezone.localdate()))
        return context
