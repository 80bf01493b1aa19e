from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Program")
    # `load_programme` calls each installed app's loader in INSTALLED_APPS order.
    content_loader = "programme.loaders.load"
    # Snippets with public pages of their own, in the public search (knowledge/search).
    public_snippets = ["programme.Milestone"]
    open_datasets = "programme.opendata.DATASETS"
    # Model permissions this app grants to the user groups (see programme/roles.py).
    role_permissions = {
        "Programleder": [
            *(
                f"{action}_{model}"
                for model in ("remark", "indicator", "observation", "area", "budgetcategory", "fundingsource")
                for action in ("add", "change", "delete", "view")
            ),
            *(f"{action}_phase" for action in ("add", "change", "delete", "view")),
            *(f"{action}_milestone" for action in ("add", "change", "delete", "view", "publish")),
        ]
    }
    # Generated milestones for the benchmarks (bench/programme_queries.py, bench/web_bench.py).
    bench_bulk_content = "programme.factories.bulk_content"

    def ready(self):
        import config.purges  # noqa: F401  (connects the page-cache purges)
        import config.routing  # noqa: F401  (connects the site-structure renewals, in commands too)
        from config import generation

        from . import queries, roles, signals  # noqa: F401

        generation.after_outage(queries.purge_all_caches)

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="programme.sync_role_permissions")
