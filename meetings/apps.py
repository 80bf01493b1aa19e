from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Møter")
    content_loader = "meetings.loaders.load"
    feed_links = "meetings.syndication.feed_links"
    open_datasets = "meetings.opendata.DATASETS"
    bench_bulk_content = "meetings.factories.bulk_content"
    role_permissions = {
        "Programleder": [
            f"{action}_{model}"
            for model in ("body", "meetingplan", "treatmentplan")
            for action in ("add", "change", "delete", "view")
        ],
    }

    def ready(self):
        from . import signals  # noqa: F401
