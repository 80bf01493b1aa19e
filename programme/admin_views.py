"""The admin upload of indicator observations (Program → Importer indikatorer)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import imports
from .models import Indicator

IMPORT_PERMISSIONS = ("programme.add_observation", "programme.change_observation")
MAX_UPLOAD_MB = 5
FILE_TOO_LARGE = _("Filen er større enn %(mb)s MB.")


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("CSV (.csv) eller Excel (.xlsx), i langt format eller slik Statistikkbanken lager den."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.all(),
        required=False,
        label=_("Indikator (for filer fra SSB)"),
        help_text=_(
            "Velg indikatoren en SSB-fil gjelder. La stå tom når kolonnen «statistikkvariabel» "
            "inneholder indikatorens navn, kortnavn eller statistikkvariabel."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(FILE_TOO_LARGE, params={"mb": MAX_UPLOAD_MB})
        return upload


class IndicatorImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = IMPORT_PERMISSIONS
    template_name = "programme/admin/indicator_import.html"
    form_class = IndicatorImportForm
    page_title = _("Importer indikatorer")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = imports.import_indicator_file(
                content=upload.read(),
                filename=upload.name,
                indicator=form.cleaned_data["indicator"],
                user=self.request.user,
            )
        except imports.IndicatorImportError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        (messages.success if result.has_changes else messages.info)(
            self.request, f"{upload.name}: {result.summary()}"
        )
        return redirect("indikatorimport:index")


class PermissionMenuItem(MenuItem):
    permissions: tuple[str, ...] = ()

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)


class IndicatorImportViewSet(ViewSet):
    name = "indikatorimport"
    icon = "upload"
    menu_label = _("Importer indikatorer")
    url_prefix = "program/indikatorimport"

    @property
    def menu_item_class(self):
        return type("IndicatorImportMenuItem", (PermissionMenuItem,), {"permissions": IMPORT_PERMISSIONS})

    def get_urlpatterns(self):
        from django.urls import path

        return [path("", IndicatorImportView.as_view(), name="index")]
