"""The public API, sitemap and robots.txt show what is public and nothing else."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

pytestmark = pytest.mark.django_db


def test_pages_api_lists_live_public_pages_only(client, programme):
    hidden = Page.objects.get(pk=programme.pk)
    titles = {item["title"] for item in client.get("/api/v2/pages/").json()["items"]}
    assert programme.title in titles
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    titles = {item["title"] for item in client.get("/api/v2/pages/").json()["items"]}
    assert programme.title not in titles


def test_documents_api_leaves_out_restricted_collections(client):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Utvalgets saksdokumenter")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    Document = get_document_model()
    Document.objects.create(title="Offentlig vedlegg", file=ContentFile(b"a", name="offentlig.txt"))
    Document.objects.create(
        title="Unntatt vedlegg", file=ContentFile(b"b", name="unntatt.txt"), collection=private
    )
    titles = {item["title"] for item in client.get("/api/v2/documents/").json()["items"]}
    assert "Offentlig vedlegg" in titles
    assert "Unntatt vedlegg" not in titles


def test_sitemap_lists_the_public_pages(client, programme):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<loc>http://localhost/</loc>" in response.content.decode()


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
