"""Dates typed in the admin mean the same in both interface languages: day first, as in Norway."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-06-05", dt.date(2026, 6, 5)),
        ("05.06.2026", dt.date(2026, 6, 5)),
        ("05/06/2026", dt.date(2026, 6, 5)),
        ("13/06/2026", dt.date(2026, 6, 13)),
    ],
)
def test_a_typed_date_is_read_day_first_in_every_interface_language(language, typed, day):
    with translation.override(language):
        assert forms.DateField().clean(typed) == day


def test_a_month_first_date_is_refused_not_guessed():
    with translation.override("en"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("06/13/2026")


def test_a_typed_time_of_day_is_read_day_first_in_english():
    with translation.override("en"):
        value = forms.DateTimeField().clean("05/06/2026 11:00")
    assert (value.date(), value.hour) == (dt.date(2026, 6, 5), 11)
