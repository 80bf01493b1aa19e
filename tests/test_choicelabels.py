"""Fast choice labels (config/choicelabels.py) give Django's labels in every language."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from config.choicelabels import ChoiceLabels

pytestmark = pytest.mark.django_db

APPS = ("programme", "knowledge", "meetings", "communication")


def _models_with_choices():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [field for field in model._meta.concrete_fields if field.choices]
            if fields:
                yield model, fields


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_label_is_djangos_label(language):
    checked = 0
    with translation.override(language):
        for model, fields in _models_with_choices():
            instance = model()
            for field in fields:
                for value in [value for value, _label in field.flatchoices] + ["ukjent-verdi", None]:
                    setattr(instance, field.attname, value)
                    expected = models.Model._get_FIELD_display(instance, field)
                    assert instance._get_FIELD_display(field) == expected, (model, field.name, value)
                    checked += 1
    assert checked > 50


def test_english_and_norwegian_labels_differ():
    from meetings.choices import MeetingStatus
    from meetings.models import MeetingPage

    meeting = MeetingPage(status=MeetingStatus.HELD)
    with translation.override("nb"):
        norwegian = meeting.get_status_display()
    with translation.override("en"):
        english = meeting.get_status_display()
    assert norwegian != english


def test_every_model_with_choices_has_the_fast_labels():
    slow = [
        model.__name__ for model, _fields in _models_with_choices() if not issubclass(model, ChoiceLabels)
    ]
    assert slow == []
