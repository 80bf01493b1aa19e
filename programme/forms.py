"""Forms of the public programme pages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from config.params import FIRST_YEAR, LAST_YEAR

START_AFTER_END = _("Fra-datoen kan ikke være etter til-datoen.")
INVALID_DATE = _("Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2021-02-03.")
DATE_OUT_OF_RANGE = _("Velg en dato mellom år %(first)s og %(last)s.")
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)


def _within_years(day: dt.date) -> None:
    # A report to 9999-12-31 (the date picker's last day) would overflow the day after it.
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(DATE_OUT_OF_RANGE, params={"first": FIRST_YEAR, "last": LAST_YEAR})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__({"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat(), **(attrs or {})}, format)


class ReportPeriodForm(forms.Form):
    """The period of a status report (GET). Empty fields take the defaults: from the working
    committee's last held meeting (or 90 days back when there is none) to today."""

    fra = forms.DateField(
        label=_("Fra og med"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": INVALID_DATE},
        validators=[_within_years],
    )
    til = forms.DateField(
        label=_("Til og med"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": INVALID_DATE},
        validators=[_within_years],
    )

    def __init__(self, data=None, *, default_start: dt.date | None, today: dt.date):
        self.today = today
        self.default_start = default_start or today - dt.timedelta(days=90)
        # A field left empty takes its default, so the form always shows the period reported.
        values = {"fra": self.default_start.isoformat(), "til": today.isoformat()}
        for key in values:
            if data and data.get(key):
                values[key] = data[key]
        super().__init__(values)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fra"), cleaned.get("til")
        if start and end and start > end:
            self.add_error("fra", START_AFTER_END)
        return cleaned

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned_data["fra"], self.cleaned_data["til"]
