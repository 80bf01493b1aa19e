from django.db import models
from wagtail.search import index


class LibraryDocument(index.Indexed, models.Model):
    """A library document as the benchmark needs it: a title, a body, tags."""

    title = models.CharField(max_length=200)
    body = models.TextField()
    tags = models.CharField(max_length=200)

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.SearchField("tags"),
    ]

    class Meta:
        app_label = "searchbench"

    def __str__(self):
        return self.title
