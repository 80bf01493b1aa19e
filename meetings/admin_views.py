"""Admin: the exemption from public access of a final protocol (Unntak fra offentlighet)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from . import services
from .models import ProtocolPage
from .models.exemption import Exemption
from .models.messages import PROTOCOL_EXEMPTION_SAVED, PROTOCOL_NOT_FINAL


class ExemptionForm(forms.Form):
    """The exemption fields of `Exemption`, with the model's labels, choices and help texts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Exemption.exemption_fields:
            self.fields[name] = ProtocolPage._meta.get_field(name).formfield()
        self.fields["public_from"].widget = AdminDateInput()


class ProtocolExemptionView(WagtailAdminTemplateMixin, FormView):
    """Set, change or lift the exemption of an approved protocol, which is otherwise locked.
    For whoever may publish the protocol."""

    template_name = "meetings/admin/protocol_exemption.html"
    form_class = ExemptionForm
    page_title = _("Unntak fra offentlighet")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        self.protocol = get_object_or_404(ProtocolPage, pk=kwargs["page_id"])
        if not self.protocol.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        if not self.protocol.approved_at:
            messages.info(request, PROTOCOL_NOT_FINAL)
            return redirect("wagtailadmin_pages:edit", self.protocol.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.protocol.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_initial(self):
        return {name: getattr(self.protocol, name) for name in Exemption.exemption_fields}

    def form_valid(self, form):
        try:
            services.protocol_set_exemption(
                protocol=self.protocol, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                for message in field_errors:
                    form.add_error(field, message)
            return self.form_invalid(form)
        messages.success(self.request, PROTOCOL_EXEMPTION_SAVED.format(title=self.protocol.title))
        return redirect("wagtailadmin_pages:edit", self.protocol.pk)
