"""Forms of the public programme pages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

START_AFTER_END = _("Fra-datoen kan ikke være etter til-datoen.")
INVALID_DATE = _("Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2021-02-03.")


class DateInput(forms.DateInput):
    input_type = "date"


class ReportPeriodForm(forms.Form):
    """The period of a status report (GET). Empty fields take the defaults: from the working
    committee's last held meeting (or 90 days back when there is none) to today."""

    fra = forms.DateField(
        label=_("Fra og med"), required=False, widget=DateInput, error_messages={"invalid": INVALID_DATE}
    )
    til = forms.DateField(
        label=_("Til og med"), required=False, widget=DateInput, error_messages={"invalid": INVALID_DATE}
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
