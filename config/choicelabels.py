"""`get_<field>_display()` without translating every label of the field on every call.

Django builds a dict of the field's choices on each call, and hashing a lazy label translates
it: a list of a hundred milestones asked gettext a thousand times. A model with this mixin
looks the label up in a dict made once per field and language.
"""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_labels: dict[tuple[int, str | None], dict] = {}


def _labels_of(field) -> dict:
    key = (id(field), get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = {make_hashable(value): force_str(label) for value, label in field.flatchoices}
        _labels[key] = labels
    return labels


class ChoiceLabels:
    """Mixin for models: fast `get_<field>_display()`, with Django's results."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels_of(field).get(make_hashable(value), value), strings_only=True)
