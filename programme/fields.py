from django.db import models


class LocalisedDecimalField(models.DecimalField):
    """A decimal field whose admin form accepts the editor's own notation: «64,6» in Norwegian
    (Django's form field only does that when asked to localise)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"localize": True, **kwargs})
