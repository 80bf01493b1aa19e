from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = _("Formidling")
    content_loader = "communication.loaders.load"
    # Snippets with public pages of their own, in the public search (knowledge/search).
    public_snippets = ["communication.Activity"]
    feed_links = "communication.feeds.feed_links"
    bench_bulk_content = "communication.factories.bulk_content"
    open_datasets = "communication.opendata.DATASETS"
    role_permissions = {
        "Programleder": [
            f"{action}_{model}"
            for model in ("activity", "targetgroup")
            for action in ("add", "change", "delete", "view", "publish")
        ],
    }
