from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

AMBIGUOUS_NUMBER = _(
    "Skriv tallet uten skilletegn mellom tusener, med komma eller punktum før desimalene: "
    "1500000,50 eller 1 500 000,50."
)


class DecimalInput(forms.TextInput):
    """A text box (a number box would refuse «64,6» in some browsers) showing the value with the
    interface language's decimal mark and no grouping, so that it reads back as it was."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            return str(value).replace(".", get_format("DECIMAL_SEPARATOR"))
        return super().format_value(value)


class DecimalCommaFormField(forms.DecimalField):
    """«64,6» and «64.6» are the same number in every interface language, and spaces may group
    the thousands («1 500 000,50»). Django's localised field read «64,6» as 646 in English (the
    comma is its thousands separator), so a number with both marks is refused, never guessed."""

    widget = DecimalInput

    def to_python(self, value):
        if isinstance(value, str):
            text = "".join(value.split())  # spaces and no-break spaces between thousands
            if "," in text and "." in text or text.count(",") > 1:
                raise ValidationError(AMBIGUOUS_NUMBER, code="invalid")
            value = text.replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        # Not the step/min/max of a number box: the text box takes «64,6».
        return {}


class LocalisedDecimalField(models.DecimalField):
    """A decimal field whose admin form accepts the Norwegian decimal comma, and a point, in any
    interface language (`DecimalCommaFormField`)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DecimalCommaFormField, **kwargs})
