from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import TEXT_BLOCKS
from .pages import SitePage


class OpenDataPage(SitePage):
    """What the site publishes as open data, and how to reuse it: every dataset, feed and API
    endpoint, listed from the apps' own registrations. Edited by the programme office."""

    description_field = "intro"
    intro = models.TextField(_("ingress"))
    body = StreamField(TEXT_BLOCKS, verbose_name=_("brødtekst"), blank=True)
    licence_name = models.CharField(
        _("lisens"), max_length=120, default="Norsk lisens for offentlige data (NLOD) 2.0"
    )
    licence_url = models.URLField(_("lisensens adresse"), default="https://data.norge.no/nlod/no/2.0")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("licence_name"),
        FieldPanel("licence_url"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    # Linked from every page's footer: a new address purges the whole page cache (signals.py).
    linked_from_every_page = True
    parent_page_types = ["programme.ProgrammePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("side om åpne data")
        verbose_name_plural = _("sider om åpne data")

    def get_context(self, request, *args, **kwargs):
        from config.feeds import feed_links
        from config.opendata import datasets

        context = super().get_context(request, *args, **kwargs)
        kinds = ("list", "csv", "xlsx")
        context["datasets"] = [
            (dataset, {kind: reverse(f"opendata:{kind}", args=[dataset.slug]) for kind in kinds})
            for dataset in datasets().values()
        ]
        context["feeds"] = feed_links()
        return context
