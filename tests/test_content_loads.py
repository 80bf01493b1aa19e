"""The real programme content loads, and every live page and its admin edit view answers."""

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_every_live_page_renders_with_its_title(client):
    pages = Page.objects.live().public().exclude(depth=1).specific()
    assert pages, "the loaded content has no live pages"
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert page.title in response.content.decode(), page.url


def test_every_page_has_a_working_admin_edit_view(admin_client):
    for page in Page.objects.exclude(depth=1):
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, f"{page.title} ({page.pk})"


def test_loading_twice_changes_nothing():
    before = _row_counts()
    call_command("load_programme", verbosity=0)
    assert _row_counts() == before


def test_every_snippet_has_a_working_admin_edit_view(admin_client):
    from django.urls import reverse
    from wagtail.snippets.models import get_snippet_models

    for model in get_snippet_models():
        if model._meta.app_label not in {"programme", "knowledge", "meetings", "communication"}:
            continue
        viewset = model.snippet_viewset
        listing = admin_client.get(reverse(viewset.get_url_name("list")))
        assert listing.status_code == 200, model
        for obj in model._default_manager.all()[:3]:
            response = admin_client.get(reverse(viewset.get_url_name("edit"), args=[obj.pk]))
            assert response.status_code == 200, f"{model.__name__} {obj.pk}"
