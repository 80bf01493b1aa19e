from django import template

from programme import queries
from programme.choices import MILESTONE_STATUS_SYMBOLS, OVERDUE_SYMBOL, MilestoneStatus

register = template.Library()


@register.simple_tag
def milestone_statuses():
    """The six statuses with their symbols, for legends."""
    return [(value, label, MILESTONE_STATUS_SYMBOLS[value]) for value, label in MilestoneStatus.choices]


@register.simple_tag
def overdue_symbol():
    return OVERDUE_SYMBOL


@register.inclusion_tag("programme/includes/milestones_acting.html", takes_context=True)
def milestones_acting_on(context, recommendation):
    """The published milestones that act on a recommendation (shown on its page)."""
    return {
        "request": context.get("request"),
        "milestones": queries.milestones_for_recommendation(recommendation=recommendation),
        "milestone_base": queries.milestone_base_url(),
    }
