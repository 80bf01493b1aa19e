from django.apps import AppConfig


class SearchBenchConfig(AppConfig):
    name = "bench.support.searchbench"
    label = "searchbench"
    default_auto_field = "django.db.models.BigAutoField"
