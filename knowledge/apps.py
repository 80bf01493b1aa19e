from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Kunnskap")
    content_loader = "knowledge.loaders.load"
    feed_links = "knowledge.feeds.feed_links"
    bench_bulk_content = "knowledge.factories.bulk_content"
