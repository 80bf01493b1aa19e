"""Helpers shared by the tests (fixtures are in conftest.py)."""

from pathlib import Path

import yaml
from django.core.files.base import ContentFile
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Collection


def edit_yaml(path: Path, change) -> None:
    """Load a data file, let `change` edit the data in place, and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def make_document(title: str, *, collection=None, content: bytes = b"innhold"):
    """A document with a small text file, in the root collection unless told otherwise."""
    document = get_document_model()(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save(f"{slugify(title)}.txt", ContentFile(content), save=False)
    document.save()
    return document
