"""The Wagtail admin's login form with its password field labelled. Wagtail gives the field no
label, so Django makes one from the field's name, «Password», in every language."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Passord")
