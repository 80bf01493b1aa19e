"""Project-wide security pieces: the admin's looser Content-Security-Policy, keeping the admin out
of search engines, and the upload limits for documents."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

# Wagtail's admin still renders some inline scripts and style attributes; the public site does not.
ADMIN_CSP_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}

UPLOAD_TOO_LARGE = _("Filen er for stor ({size}). Største tillatte størrelse er {limit}.")


class AdminSecurityMiddleware:
    """Below django-csp's middleware: relax the policy for the admin and keep robots out of it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_replace = ADMIN_CSP_REPLACE
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form with a size limit; the allowed types come from WAGTAILDOCS_EXTENSIONS."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.DOCUMENT_MAX_UPLOAD_SIZE
        if upload is not None and getattr(upload, "size", 0) > limit:
            raise forms.ValidationError(
                UPLOAD_TOO_LARGE.format(size=filesizeformat(upload.size), limit=filesizeformat(limit))
            )
        return upload
