"""What only the Whoosh backend has: an index on disk shared by processes, written after the
database commits, rebuilt into one segment (two, by two processes, when it is large), and
repaired by update_index when it is missing or damaged."""

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from whoosh import index as windex

from communication.models import Activity
from knowledge import search
from knowledge.search import writer as search_writer
from knowledge.search.backend import (
    INDEX_NAME,
    SearchIndexUnavailable,
    WhooshSearchBackend,
    document_key,
    whoosh_language,
)
from knowledge.search.writer import SegmentWorkerFailed

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent

WRITER = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django
    django.setup()
    from communication.models import Activity
    from knowledge.search.backend import WhooshSearchBackend

    backend = WhooshSearchBackend({{"PATH": {path!r}, "LOCK_TIMEOUT": 60}})
    worker = int(sys.argv[1])
    for number in range({count}):
        pk = 100000 + worker * 1000 + number
        activity = Activity(pk=pk, title=f"samtidig skriver{{worker}} nummer{{number}}", slug=f"s-{{pk}}")
        # Outside a transaction the write happens at once, one commit per object, as when
        # several app servers publish at the same moment.
        backend.write(updates=[backend.document(activity, Activity)])
    """
)


def test_concurrent_writers_in_separate_processes_lose_no_update(whoosh_index, tmp_path):
    processes, count = 3, 15
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT), path=str(whoosh_index.path), count=count))
    workers = [
        subprocess.Popen([sys.executable, str(script), str(worker)], stderr=subprocess.PIPE)
        for worker in range(processes)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err.decode()[-2000:]
    searcher = whoosh_index.searcher()
    keys = {
        searcher.stored_fields(docnum)["key"]
        for docnum in searcher.document_numbers()
        if searcher.stored_fields(docnum)["key"].startswith("communication.activity:10")
    }
    expected = {
        f"communication.activity:{100000 + worker * 1000 + number}"
        for worker in range(processes)
        for number in range(count)
    }
    assert keys == expected


def test_a_rolled_back_transaction_never_reaches_the_index(whoosh_index, django_capture_on_commit_callbacks):
    activity = Activity.objects.filter(live=True).first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                activity.summary = "Om trollmannsknuten."
                activity.save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert list(whoosh_index.search("trollmannsknuten", Activity)) == []


def test_the_index_waits_for_the_commit(whoosh_index, django_capture_on_commit_callbacks):
    activity = Activity.objects.filter(live=True).first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        activity.summary = "Om vindmøllepumpa."
        activity.save()
    assert list(whoosh_index.search("vindmøllepumpa", Activity)) == []
    for callback in callbacks:
        callback()
    assert [found.pk for found in whoosh_index.search("vindmøllepumpa", Activity)] == [activity.pk]


def test_update_index_builds_one_segment_and_the_searcher_is_reused(whoosh_index):
    call_command("update_index", verbosity=0)
    ix = windex.open_dir(str(whoosh_index.path), indexname=INDEX_NAME)
    assert len(ix._segments()) == 1
    first = whoosh_index.searcher()
    assert whoosh_index.searcher() is first
    whoosh_index.write_now(updates=[whoosh_index.document(Activity.objects.first(), Activity)])
    assert whoosh_index.searcher() is not first


def _parallel_rebuild(settings, path) -> None:
    """Rebuild with the second process taking over after 10 objects, in batches of 5."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "REBUILD_PROCESSES": 2, "PARALLEL_FROM": 10}
    }
    call_command("update_index", verbosity=0, chunk_size=5)


def _segments(path) -> list:
    return windex.open_dir(str(path), indexname=INDEX_NAME)._segments()


def _everything(query: str) -> dict:
    """(model, pk) -> score of every object a search finds, pages and activities."""
    found = {}
    backend = get_search_backend()
    for queryset in (Page.objects.all(), Activity.objects.all()):
        for obj in backend.search(query, queryset).annotate_score("_score"):
            found[(type(obj)._meta.label_lower, obj.pk)] = round(obj._score, 6)
    return found


def test_a_large_rebuild_uses_two_processes_and_finds_the_same(whoosh_index, settings, monkeypatch):
    taken = []
    offer = search_writer.SegmentWorker.offer

    def counted_offer(self, documents):
        taken.append(offer(self, documents))
        return taken[-1]

    monkeypatch.setattr(search_writer.SegmentWorker, "offer", counted_offer)
    queries = ["VTA", "arbeidsmarkedsbedrift", "kommunen eierskap", '"varig tilrettelagt arbeid"', "tiltak"]
    call_command("update_index", verbosity=0)
    assert len(_segments(whoosh_index.path)) == 1
    one_process = {query: _everything(query) for query in queries}
    assert all(one_process.values())

    _parallel_rebuild(settings, whoosh_index.path)
    assert any(taken), "the worker took no batch"
    assert len(_segments(whoosh_index.path)) == 2
    assert {query: _everything(query) for query in queries} == one_process
    assert not list(whoosh_index.path.parent.glob(".index.rebuild-*"))

    # Later writes reach objects in either segment.
    activities = list(Activity.objects.all())
    whoosh_index.write_now(deletes=[document_key(Activity, activity.pk) for activity in activities[1:]])
    activities[0].title = "Om fjernskriverne"
    whoosh_index.write_now(updates=[whoosh_index.document(activities[0], Activity)])
    assert list(whoosh_index.search("tiltak", Activity)) == []
    assert list(whoosh_index.search("fjernskriverne", Activity)) == [activities[0]]


@pytest.mark.parametrize("failure", ["error", "exit"])
def test_a_failed_worker_fails_the_rebuild_and_keeps_the_live_index(
    whoosh_index, settings, monkeypatch, failure
):
    parent = os.getpid()
    add_document = search_writer.FastSegmentWriter.add_document

    def add_in_parent_only(self, **fields):
        if os.getpid() != parent:  # the worker, forked with this patch
            if failure == "exit":
                os._exit(3)
            raise ValueError("broken document")
        return add_document(self, **fields)

    monkeypatch.setattr(search_writer.FastSegmentWriter, "add_document", add_in_parent_only)
    before = _everything("VTA")
    with pytest.raises(SegmentWorkerFailed, match="broken document" if failure == "error" else "exit code 3"):
        _parallel_rebuild(settings, whoosh_index.path)
    assert _everything("VTA") == before
    assert len(_segments(whoosh_index.path)) == 1
    assert not list(whoosh_index.path.parent.glob(".index.rebuild-*"))


def test_the_reused_searcher_sees_what_another_process_commits(whoosh_index, tmp_path):
    from whoosh import query as wq

    query = wq.Term("words", "fjernskriverne")
    assert whoosh_index.run(query, Activity, limit=10) == []
    searcher = whoosh_index.searcher()
    assert whoosh_index.searcher() is searcher
    script = tmp_path / "writer.py"
    script.write_text(
        WRITER.format(root=str(ROOT), path=str(whoosh_index.path), count=1).replace(
            'title=f"samtidig skriver{worker} nummer{number}"', 'title="Om fjernskriverne"'
        )
    )
    subprocess.run([sys.executable, str(script), "7"], check=True, timeout=240)
    assert [pk for pk, _score in whoosh_index.run(query, Activity, limit=10)] == ["107000"]
    assert whoosh_index.searcher() is not searcher


@pytest.mark.parametrize("side", ["reader", "writer"])
def test_a_commit_between_whoosh_listing_and_reading_the_index_is_read_again(
    whoosh_index, monkeypatch, django_capture_on_commit_callbacks, side
):
    """Whoosh lists the folder, then opens the newest table of contents: when another process
    commits in between, the file it listed is gone (FileNotFoundError, seen in CI with three
    writers). The backend reads the index again instead of failing the search or the write."""
    from whoosh import query as wq

    real_open_dir = windex.open_dir
    calls = []

    def open_dir_racing_a_commit(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            ix = real_open_dir(*args, **kwargs)
            other = ix.writer()  # the other process's commit: a new table of contents
            other.add_document(key="communication.activity:999999", models="communication.activity")
            other.commit()
            toc = next(name for name in os.listdir(whoosh_index.path) if name.endswith(".toc"))
            raise FileNotFoundError(2, "No such file or directory", str(whoosh_index.path / f"old-{toc}"))
        return real_open_dir(*args, **kwargs)

    monkeypatch.setattr(windex, "open_dir", open_dir_racing_a_commit)
    activity = Activity(pk=123456, title="Om fjernskriverne", slug="fjernskriverne")
    if side == "writer":
        with django_capture_on_commit_callbacks(execute=True):
            whoosh_index.write(updates=[whoosh_index.document(activity, Activity)])
    query = wq.Term("words", "fjernskriverne")
    found = [pk for pk, _score in whoosh_index.run(query, Activity, limit=10)]
    assert found == (["123456"] if side == "writer" else [])
    assert len(calls) >= 2


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_damaged_index_gives_a_clear_message_and_update_index_repairs_it(
    whoosh_index, client, caplog, damage
):
    path = whoosh_index.path
    if damage == "missing":
        import shutil

        shutil.rmtree(path)
    else:
        for file in path.iterdir():
            if file.is_file():
                file.write_bytes(b"\x00garbage" * 10)
    with caplog.at_level(logging.ERROR, logger="knowledge.search.backend"):
        response = client.get("/sok/", {"q": "VTA"})
    assert response.status_code == 200
    assert response.context["outcome"].error == search.INDEX_UNAVAILABLE_MESSAGE
    assert str(search.INDEX_UNAVAILABLE_MESSAGE) in response.content.decode()
    assert "update_index" in caplog.text
    with pytest.raises(SearchIndexUnavailable):
        list(Page.objects.live().search("VTA"))

    call_command("update_index", verbosity=0)
    assert client.get("/sok/", {"q": "VTA"}).context["outcome"].total > 0


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/search/?q=VTA",
        "/admin/pages/search/results/?q=VTA",
        "/admin/snippets/communication/activity/?q=VTA&ordering=title",
    ],
)
def test_the_admin_says_when_the_index_is_missing(whoosh_index, admin_client, caplog, url):
    import shutil

    from knowledge.middleware import INDEX_UNAVAILABLE_ADMIN_MESSAGE

    shutil.rmtree(whoosh_index.path)
    with caplog.at_level(logging.ERROR, logger="knowledge.search.backend"):
        response = admin_client.get(url)
    assert response.status_code == 302
    path, _, query = url.partition("?")
    assert response["Location"] == path + ("?ordering=title" if "ordering" in query else "")
    listing = admin_client.get(response["Location"])
    assert listing.status_code == 200
    assert str(INDEX_UNAVAILABLE_ADMIN_MESSAGE) in {str(message) for message in listing.context["messages"]}
    assert "update_index" in caplog.text


def test_norwegian_and_english_analysis():
    from types import SimpleNamespace

    from wagtail.models import Locale

    assert whoosh_language("nb") == whoosh_language("nn") == whoosh_language("no") == "no"
    assert whoosh_language("en-gb") == "en"
    backend = WhooshSearchBackend({"PATH": "/nonexistent", "LANGUAGES": ["nb", "en"]})
    norwegian = backend.schema["t_no_body"].analyzer
    english = backend.schema["t_en_body"].analyzer
    assert [t.text for t in norwegian("arbeidsmarkedsbedriftene")] == ["arbeidsmarkedsbedrift"]
    assert [t.text for t in english("the employers working")] == ["employ", "work"]
    english_locale = Locale.objects.create(language_code="en")
    assert backend.language_of(SimpleNamespace(locale_id=english_locale.pk)) == "en"
    assert backend.language_of(SimpleNamespace()) == "no"
