"""A Wagtail (modelsearch) search backend on Whoosh.

Whoosh finds the matching objects and scores them; the Django queryset does the rest (filters,
permissions, ordering), so every Wagtail search - the public search page, the admin, snippet
choosers, ``Page.objects.search()`` - runs on it, and settings alone swap it for Wagtail's
database backend or Elasticsearch/OpenSearch.

The index is one Whoosh index on disk (``PATH``) holding every indexed model:

- ``key``: ``<root model label>:<pk>`` (unique), ``models``: the labels of the object's model
  and its indexed parents, so that a search of ``Page`` finds every page type;
- ``t_<language>_<field>``: one text field per search field (``sections__text`` for related
  fields), analysed for the object's language (Norwegian: Snowball stemmer and stop words); a
  field's ``boost`` is applied at query time, so BM25F weighs every field on its own;
- ``ac_<field>``: edge n-grams of the autocomplete fields; ``words``: the plain words of the
  object, the vocabulary of the spelling suggestion.

Writes are serialised across processes by a lock file beside the index (Whoosh allows one
writer); a writer that finds it taken retries until ``LOCK_TIMEOUT``. Inside a database
transaction a write waits for the commit (``transaction.on_commit``), so what a rolled-back
transaction changed never reaches the index. ``update_index`` builds a new index beside the
old one (in two processes when it is large) and swaps it in, which also repairs a missing or damaged
index. Every write, a rebuild or one update, goes through ``writer.FastSegmentWriter``: one
process, the segment Whoosh's own writer would write, in a fraction of the time. Searches reuse
one searcher per thread until the index changes on disk, with what it has loaded (the length
tables scoring reads, each model's documents, the key column).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Count, Manager
from django.utils.encoding import force_str
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterFieldError,
    get_model_root,
)
from modelsearch.index import AutocompleteField, RelatedFields, SearchField, class_is_indexed
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import collectors as wcollectors
from whoosh import fields as wf
from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import Analyzer, NgramWordAnalyzer, RegexTokenizer, Token
from whoosh.lang import languages as WHOOSH_LANGUAGES
from whoosh.scoring import BM25F, BM25FScorer, bm25

from . import scoring
from .writer import FastSegmentWriter, SegmentWorker

logger = logging.getLogger(__name__)

INDEX_NAME = "fia"
AUTOCOMPLETE_MAX = 20
DEFAULT_LOCK_TIMEOUT = 30.0
DEFAULT_PARALLEL_FROM = 5000
#: Above this many matches a filtered search fetches its ids from the database in chunks.
PK_CHUNK = 5000

INDEX_UNAVAILABLE = (
    "The search index at %(path)s is missing or damaged (%(error)s). "
    "Run `manage.py update_index` to rebuild it."
)
INDEX_NOT_BUILT = "There is no search index at %(path)s yet; run `manage.py update_index` to build it."
_warned_missing: set[str] = set()
INDEX_LOCKED = "The search index at %(path)s stayed locked for %(timeout)s s; the update was not written."


class SearchIndexUnavailable(Exception):
    """The index is missing or cannot be read; ``manage.py update_index`` rebuilds it."""


class SearchIndexLocked(Exception):
    """Another process held the index's write lock for longer than ``LOCK_TIMEOUT``."""


# ---------------------------------------------------------------------------------------------
# Fixes to whoosh-ng 5.4's per-document reader. When writing postings (and scoring them) it asks
# for the length of every posting's field; for a field without lengths (IDs, keywords) it checked
# for the column file again each time (a stat() per posting, a third of a build), and for the
# others it seeks and reads one byte from the column file. Remember the answer, and read each
# length column (one byte per document) once.


def _patch_whoosh_length_readers() -> None:
    from whoosh.codec import whoosh3

    reader_class = whoosh3.W3PerDocReader
    if getattr(reader_class, "_fia_patched", False):
        return

    def _cached_reader(self, fieldname, column):
        try:
            return self._readers[fieldname]
        except KeyError:
            reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            self._readers[fieldname] = reader
            return reader

    def doc_field_length(self, docnum, fieldname, default=0):
        # The field's whole length column (a byte per document), read once per reader, instead
        # of a seek and a read for every posting scored or written.
        try:
            table = self._fia_lengths[fieldname]
        except AttributeError:
            self._fia_lengths = {}
            table = None
        except KeyError:
            table = None
        if table is None:
            reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            if reader is None:
                table = self._fia_lengths[fieldname] = False
            else:
                raw = reader._dbfile.get(reader._basepos, reader._count) if reader._count else b""
                table = self._fia_lengths[fieldname] = [whoosh3.byte_to_length(b) if b else None for b in raw]
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        if table is False:
            return default
        return table[docnum] if docnum < len(table) else None

    reader_class._cached_reader = _cached_reader
    reader_class.doc_field_length = doc_field_length
    reader_class._fia_patched = True


_patch_whoosh_length_readers()


# whoosh-ng 5.4 reads a positions value ending in b"." as its legacy (pickled) format: a value
# whose last position gap is 46 (a word once at position 46, say) fails to decode, and a phrase
# search over that document fails. Decode the current format first; fall back to the legacy
# one only when the value is not a complete value of the current format.


def _patch_whoosh_positions() -> None:
    from whoosh.formats import Positions

    if getattr(Positions, "_fia_patched", False):
        return
    legacy = Positions._decode_positions_legacy

    def decode_positions(self, valuestring):
        size = len(valuestring)
        if size >= 4:
            count = int.from_bytes(valuestring[:4], "big")
            offset, position, positions = 4, 0, []
            while len(positions) < count and offset < size:
                byte = valuestring[offset]
                offset += 1
                code, shift = byte & 0x7F, 7
                while byte & 0x80 and offset < size:
                    byte = valuestring[offset]
                    offset += 1
                    code |= (byte & 0x7F) << shift
                    shift += 7
                position += code
                positions.append(position)
            if len(positions) == count and offset == size:
                return positions
        return legacy(self, valuestring)

    Positions.decode_positions = decode_positions
    Positions._fia_patched = True


_patch_whoosh_positions()


# ---------------------------------------------------------------------------------------------
# Analysis and schema


def whoosh_language(code: str | None) -> str:
    """Whoosh's name for a language code: ``nb``, ``nn`` and ``no`` are Norwegian (``no``)."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    if base in {"nb", "nn", "no"}:
        return "no"
    return base if base in WHOOSH_LANGUAGES else "no"


# A reference written as numbers joined by «-» or «/»: a section («§ 8-8», «§ 3-2»), a case
# number («1/21»), an archive reference («2020103683-13»). It is one word, so that «8-8» can be
# searched although its parts are one letter long, and «§ 11-9» does not find every «11».
NUMBER_REFERENCE = r"\d+(?:[-/]\d+)+[^\W\d_]?(?![\w-])"
_NUMBER_REFERENCE = re.compile(NUMBER_REFERENCE)
WORD = re.compile(NUMBER_REFERENCE + r"|\w+(?:\.?\w+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text as the search reads them, number references («8-8», «1/21») whole."""
    return WORD.findall(text)


def is_number_reference(word: str) -> bool:
    return bool(_NUMBER_REFERENCE.fullmatch(word))


def _reference_parts(word: str) -> list[str]:
    return re.split(r"[-/]", word)


class FusedLanguageAnalyzer(Analyzer):
    """Whoosh's LanguageAnalyzer (tokenizer, lower case, stop words and words under two letters,
    Snowball stemmer) in one loop instead of a chain of generators, with an unbounded stem cache:
    the same tokens, about twice as fast, which is most of the time an index build takes.

    One addition: a number reference («§ 8-8», «1/21», `NUMBER_REFERENCE`) is one term. Indexing
    puts its parts (those of two letters or more) at the same position, so «2020103683» still
    finds «2020103683-13»; a query asks for the whole reference only."""

    _WORD = WORD

    def __init__(self, language: str):
        self.language = language
        self._prepare()

    def _prepare(self):
        from whoosh.lang import stemmer_for_language, stopwords_for_language

        try:
            self._stops = frozenset(stopwords_for_language(self.language))
        except Exception:  # noqa: BLE001 - a language without a stop list
            self._stops = frozenset()
        self._stem = stemmer_for_language(self.language)
        self._cache: dict[str, str] = {}
        # A word as written -> its stem, or None for a stop word or a word under two letters.
        self._terms: dict[str, str | None] = {}

    def term_positions(self, value: str, start_pos: int = 0) -> tuple[dict[str, list[int]], int]:
        """Stem -> positions of the text, and the number of words kept: what indexing with
        positions yields (stop words and short words removed, positions counting the words
        kept), without Token objects; the index writer's fast path (`knowledge.search.writer`)."""
        terms = self._terms
        words = self._WORD.findall(value)
        try:
            stems = list(map(terms.__getitem__, words))
        except KeyError:
            stops, stem = self._stops, self._stem
            for word in set(words).difference(terms):
                lowered = word.lower()
                if _NUMBER_REFERENCE.fullmatch(lowered):
                    # The reference and its parts, all at one position.
                    parts = [part for part in _reference_parts(lowered) if len(part) > 1]
                    terms[word] = tuple(dict.fromkeys([lowered, *parts]))
                else:
                    terms[word] = None if len(lowered) < 2 or lowered in stops else stem(lowered)
            stems = list(map(terms.__getitem__, words))
        kept = [term for term in stems if term is not None]
        found: dict[str, list[int]] = {}
        for position, term in enumerate(kept, start_pos):
            for text in term if type(term) is tuple else (term,):
                positions = found.get(text)
                if positions is None:
                    found[text] = [position]
                else:
                    positions.append(position)
        return found, len(kept)

    def __getstate__(self):
        return {"language": self.language}

    def __setstate__(self, state):
        self.language = state["language"]
        self._prepare()

    def __eq__(self, other):
        return isinstance(other, FusedLanguageAnalyzer) and other.language == self.language

    def __hash__(self):
        return hash(("fused", self.language))

    def __repr__(self):
        return f"FusedLanguageAnalyzer({self.language!r})"

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stops, cache, stem = self._stops, self._cache, self._stem
        position = start_pos
        for match in self._WORD.finditer(value):
            word = match.group().lower()
            if _NUMBER_REFERENCE.fullmatch(word):
                yield from self._reference_tokens(
                    token, match, word, position, start_char, mode, keeporiginal
                )
                if positions:
                    position += 1
                continue
            stopped = len(word) < 2 or word in stops
            if stopped and removestops:
                continue
            token.stopped = stopped
            if stopped:
                token.text = word
            else:
                stemmed = cache.get(word)
                if stemmed is None:
                    stemmed = cache[word] = stem(word)
                token.text = stemmed
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = position
                position += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    @staticmethod
    def _reference_tokens(token, match, word, position, start_char, mode, keeporiginal):
        """A number reference as one token, and when indexing its parts at the same position."""
        texts = [(word, match.start(), match.end())]
        if mode != "query":
            offset = match.start()
            for part in _reference_parts(word):
                if len(part) > 1 and part != word:
                    texts.append((part, offset, offset + len(part)))
                offset += len(part) + 1
        for text, start, end in texts:
            token.text = text
            token.stopped = False
            token.boost = 1.0
            if keeporiginal:
                token.original = text
            token.pos = position
            token.startchar = start_char + start
            token.endchar = start_char + end
            yield token


class TableBM25F(BM25F):
    """Whoosh's BM25F with the same scores, reading a document's field length from the segment's
    length table (loaded once per reader, see `_patch_whoosh_length_readers`) instead of through
    three layers of reader calls per scored posting."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        perdoc = getattr(searcher.reader(), "_perdoc", None)
        if isinstance(scorer, BM25FScorer) and getattr(perdoc, "_fia_patched", False):
            perdoc.doc_field_length(0, fieldname, 1)  # loads the table
            table = perdoc._fia_lengths.get(fieldname)
            if table:
                idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
                size = len(table)

                def score(matcher):
                    docnum = matcher.id()
                    length = table[docnum] if docnum < size else None
                    return bm25(idf, matcher.weight(), length, avgfl, B, K1)

                scorer.score = score
        return scorer


@cache
def text_analyzer(language: str):
    return FusedLanguageAnalyzer(language)


def searchable(word: str, languages: Iterable[str] | None = None) -> bool:
    """Whether a word can narrow a search: two letters or more and a stop word in none of the
    search languages. A language's stop words are left out of its index, so a required «og» would
    find nothing written in Norwegian, and a required «the» nothing in English."""
    return all(
        any(True for _token in text_analyzer(language)(word, mode="query"))
        for language in (languages if languages is not None else _configured_languages())
    )


def build_schema(languages: Iterable[str]) -> wf.Schema:
    schema = wf.Schema(
        key=wf.ID(unique=True, stored=True, sortable=True),
        models=wf.KEYWORD(lowercase=True),
        # The plain words of each object (no stemming), the vocabulary of the spelling suggestion.
        words=wf.KEYWORD(lowercase=False, scorable=False),
    )
    for language in languages:
        schema.add(f"t_{language}_*", wf.TEXT(analyzer=text_analyzer(language), phrase=True), glob=True)
    schema.add(
        "ac_*",
        wf.TEXT(analyzer=NgramWordAnalyzer(minsize=1, maxsize=AUTOCOMPLETE_MAX, at="start"), phrase=False),
        glob=True,
    )
    return schema


def field_path(*names: str) -> str:
    return "__".join(names)


# ---------------------------------------------------------------------------------------------
# Documents


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_text(item) for item in value.values())
    return force_str(value)


def iter_field_values(obj, search_fields, prefix: tuple[str, ...] = ()) -> Iterator[tuple[object, str, str]]:
    """(search field, field path, text) for every SearchField and AutocompleteField of `obj`,
    following RelatedFields."""
    for field in search_fields:
        if isinstance(field, (SearchField, AutocompleteField)):
            yield field, field_path(*prefix, field.field_name), _text(field.get_value(obj))
        elif isinstance(field, RelatedFields):
            related = field.get_value(obj)
            if related is None:
                continue
            if isinstance(related, Manager):
                related_objects = related.all()
            else:
                related_objects = [related() if callable(related) else related]
            for related_object in related_objects:
                yield from iter_field_values(related_object, field.fields, (*prefix, field.field_name))


def model_labels(model) -> list[str]:
    """The labels of `model` and of every indexed concrete model it inherits from."""
    labels = []
    for cls in model.__mro__:
        indexed = isinstance(cls, type) and issubclass(cls, models.Model) and class_is_indexed(cls)
        if indexed and not cls._meta.proxy and cls._meta.label_lower not in labels:
            labels.append(cls._meta.label_lower)
    return labels


def document_key(model, pk) -> str:
    return f"{get_model_root(model)._meta.label_lower}:{pk}"


# ---------------------------------------------------------------------------------------------
# Locking and the index on disk


@contextlib.contextmanager
def write_lock(path: Path, timeout: float) -> Iterator[None]:
    """An exclusive lock across processes (fcntl) on a file beside the index, with retry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_file = path.parent / f".{path.name}.lock"
    handle = open(lock_file, "a+")  # noqa: SIM115 - held for the life of the lock
    try:
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise SearchIndexLocked(INDEX_LOCKED % {"path": path, "timeout": timeout}) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


class _ReaderCache(threading.local):
    """Per thread: the open index and a searcher reused until the index changes on disk."""

    def __init__(self):
        self.entries: dict[str, tuple] = {}


_readers = _ReaderCache()


def forget_readers(path: Path | None = None) -> None:
    for key in list(_readers.entries):
        if path is None or key == str(path):
            _ix, searcher, _stamp = _readers.entries.pop(key)
            with contextlib.suppress(Exception):
                searcher.close()


# Pauses (seconds) between attempts to open an index whose files another process replaced.
OPEN_RETRY_PAUSES = (0, 0.01, 0.02, 0.05, 0)


def _toc_names(path: Path) -> tuple[str, ...]:
    """The index's tables of contents in the folder, by listing it only (no file is opened)."""
    return tuple(sorted(name for name in os.listdir(path) if name.startswith(f"_{INDEX_NAME}_")))


def _has_index(path: Path) -> bool:
    """Whether the folder holds a table of contents. Whoosh's `exists_in` opens the index instead,
    and fails when a commit of another process replaces the file meanwhile."""
    try:
        return bool(_toc_names(path))
    except (FileNotFoundError, NotADirectoryError):
        return False


def _toc_stamp(path: Path) -> tuple:
    """Changes whenever a commit or a rebuild replaces the index's table of contents."""
    try:
        stat = os.stat(path)
        tocs = _toc_names(path)
    except FileNotFoundError:
        return ()
    return (stat.st_ino, tocs)


# ---------------------------------------------------------------------------------------------
# Index


class WhooshIndex(BaseIndex):
    def __init__(self, backend):
        super().__init__(backend)

    def get_key(self):
        return str(self.backend.path)

    def add_model(self, model):
        pass

    def refresh(self):
        forget_readers(self.backend.path)

    def reset(self):
        self.backend.create_empty_index()

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        documents = [self.backend.document(item, model) for item in items]
        if documents:
            self.backend.write(updates=documents)

    def delete_item(self, item):
        self.backend.write(deletes=[document_key(type(item), item.pk)])

    def __str__(self):
        return f"whoosh:{self.backend.path}"


class _RebuildIndex(BaseIndex):
    """What `update_index` writes to: a new index being built beside the live one."""

    def __init__(self, backend, rebuilder):
        super().__init__(backend)
        self.rebuilder = rebuilder

    def get_key(self):
        return str(self.backend.path)

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        self.rebuilder.add_documents([self.backend.document(item, model) for item in items])

    def __str__(self):
        return f"whoosh:{self.backend.path} (rebuild)"


class WhooshRebuilder:
    """Builds the whole index in a new directory, then swaps it in under the write lock.

    A large rebuild uses a second core: once `PARALLEL_FROM` documents are indexed (and if
    `REBUILD_PROCESSES` allows it), a `SegmentWorker` child process takes every batch it has room
    for into a second segment, which the commit lists beside this process's own. Two segments
    are searched as one; nothing merges them (that would cost a second build), and a later
    update's small segment is merged into neither."""

    def __init__(self, index):
        self.index = index
        self.backend = index.backend
        self.directory = None
        self.writer = None
        self.worker = None
        self.indexed = 0

    def start(self):
        path = self.backend.path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.directory = Path(tempfile.mkdtemp(prefix=f".{path.name}.rebuild-", dir=path.parent))
        ix = windex.create_in(str(self.directory), self.backend.schema, indexname=INDEX_NAME)
        self.writer = FastSegmentWriter(ix)
        return _RebuildIndex(self.backend, self)

    def add_documents(self, documents: list[dict]) -> None:
        if self.worker is None and self._parallel(len(documents)):
            self.worker = SegmentWorker(self.writer.storage, self.writer.indexname)
        if self.worker is not None and self.worker.offer(documents):
            return
        for fields in documents:
            self.writer.add_document(**fields)
        self.indexed += len(documents)

    def _parallel(self, coming: int) -> bool:
        backend = self.backend
        return (
            backend.rebuild_processes > 1
            and self.indexed + coming > backend.parallel_from
            and SegmentWorker.available()
        )

    def finish(self):
        try:
            if self.worker is not None:
                # Both processes write their segments at once.
                self.worker.close()
                self.writer.commit_beside(self.worker.segment)
            else:
                self.writer.commit(optimize=True)
            self.backend.swap_in(self.directory)
        except BaseException:
            self._abandon()
            raise

    def _abandon(self):
        if self.worker is not None:
            self.worker.stop()
        if self.writer is not None and not self.writer.is_closed:
            with contextlib.suppress(Exception):
                self.writer.cancel()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __del__(self):
        # A rebuild that failed before finish() leaves nothing behind.
        if self.directory is not None and self.directory.exists() and self.writer is not None:
            self._abandon()


# ---------------------------------------------------------------------------------------------
# Query compilers


_PLAIN_WORD = re.compile(r"\w{2,}", re.UNICODE)


def _words(text: str) -> list[str]:
    return words(text)


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "or"
    TARGET_SEARCH_FIELD_TYPE = SearchField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backend = None

    def search_field_boosts(self) -> dict[str, float]:
        """Field path -> boost for every searchable field of the queryset's model and its
        subclasses (a search of `Page` searches every page type's fields). The queryset model's
        own definition wins; otherwise the highest boost given to that field."""
        model = self.queryset.model
        boosts: dict[str, float] = {}
        own = dict(self._paths(model.get_search_fields()))
        for other in _indexed_descendants(model):
            for path, boost in self._paths(other.get_search_fields()):
                boosts[path] = max(boosts.get(path, 0), boost)
        boosts.update(own)
        if self.fields:
            allowed = {
                path for path in boosts if path in self.fields or path.split("__", 1)[0] in self.fields
            }
            boosts = {path: boost for path, boost in boosts.items() if path in allowed}
        return boosts

    def _paths(self, search_fields, prefix=()):
        for field in search_fields:
            if isinstance(field, RelatedFields):
                yield from self._paths(field.fields, (*prefix, field.field_name))
            elif type(field) is self.TARGET_SEARCH_FIELD_TYPE:
                yield field_path(*prefix, field.field_name), float(getattr(field, "boost", None) or 1)

    # Whoosh query construction

    def compile(self, backend) -> wq.Query:
        self.backend = backend
        self.boosts = self.search_field_boosts()
        query = self._build(self.query)
        return wq.NullQuery if query is None else query

    def _field_names(self, language: str) -> list[tuple[str, float]]:
        return [(f"t_{language}_{path}", boost) for path, boost in self.boosts.items()]

    def _stems(self, word: str) -> dict[str, str]:
        """The word's stem in each search language; none if it is not `searchable`."""
        stems = {}
        for language in self.backend.languages:
            tokens = [token.text for token in text_analyzer(language)(word, mode="query")]
            if not tokens:
                return {}
            stems[language] = tokens[0]
        return stems

    def _word_query(self, word: str, fuzzy: bool = False) -> wq.Query | None:
        stems = self._stems(word)
        if not stems:
            return None  # a short word or a stop word: it narrows nothing
        terms = []
        for language, stem in stems.items():
            for name, boost in self._field_names(language):
                if fuzzy:
                    distance = 1 if len(stem) < 8 else 2
                    terms.append(wq.FuzzyTerm(name, stem, boost=boost, maxdist=distance, prefixlength=1))
                else:
                    terms.append(wq.Term(name, stem, boost=boost))
        return wq.Or(terms) if terms else wq.NullQuery

    def _combine(self, queries: list, operator: str, boost: float = 1.0) -> wq.Query | None:
        """`queries` joined by `operator`; None (no condition) leaves a part out, and is what
        comes back when no part is left."""
        queries = [query for query in queries if query is not None]
        if not queries:
            return None
        if len(queries) == 1 and boost == 1.0:
            return queries[0]
        return (wq.And if operator == "and" else wq.Or)(queries, boost=boost)

    def _build(self, query) -> wq.Query | None:
        """The Whoosh query, or None where the query sets no condition (its words are all stop
        words or shorter than two letters): such a part is left out of an And, an Or or a Not."""
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, PlainText):
            words = [self._word_query(word) for word in _words(query.query_string)]
            return self._combine(words, query.operator, query.boost)
        if isinstance(query, Fuzzy):
            words = [self._word_query(word, fuzzy=True) for word in _words(query.query_string)]
            return self._combine(words, query.operator)
        if isinstance(query, Phrase):
            phrases = []
            for language in self.backend.languages:
                tokens = [token.text for token in text_analyzer(language)(query.query_string, mode="query")]
                if not tokens:
                    continue
                for name, boost in self._field_names(language):
                    if len(tokens) == 1:
                        phrases.append(wq.Term(name, tokens[0], boost=boost))
                    else:
                        phrases.append(wq.Phrase(name, tokens, boost=boost))
            return wq.Or(phrases) if phrases else None
        if isinstance(query, Boost):
            return self._combine([self._build(query.subquery)], "or", query.boost)
        if isinstance(query, (And, Or)):
            operator = "and" if isinstance(query, And) else "or"
            return self._combine([self._build(subquery) for subquery in query.subqueries], operator)
        if isinstance(query, Not):
            excluded = self._build(query.subquery)
            return None if excluded is None else wq.And([wq.Every(), wq.Not(excluded)])
        raise NotImplementedError(f"`{type(query).__name__}` is not supported by the Whoosh search backend.")


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    DEFAULT_OPERATOR = "and"
    TARGET_SEARCH_FIELD_TYPE = AutocompleteField

    def search_field_boosts(self) -> dict[str, float]:
        boosts = super().search_field_boosts()
        return {path: 1.0 for path in boosts}

    def _build(self, query) -> wq.Query:
        if isinstance(query, MatchAll):
            return wq.Every()
        if not isinstance(query, PlainText):
            raise NotImplementedError("Autocomplete takes a plain text query only.")
        # Titles are cut into prefixes of plain words: «8-8» is typed as «8» and «8».
        words = [token.text[:AUTOCOMPLETE_MAX] for token in RegexTokenizer()(query.query_string.lower())]
        per_word = [
            wq.Or([wq.Term(f"ac_{path}", word) for path in self.boosts]) if self.boosts else wq.NullQuery
            for word in words
        ]
        return self._combine(per_word, query.operator or "and")


@cache
def _indexed_descendants(model) -> list:
    from django.apps import apps

    return [other for other in apps.get_models() if issubclass(other, model) and class_is_indexed(other)]


# ---------------------------------------------------------------------------------------------
# Results


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    def _hits(self, limit: int | None, scored: bool = True) -> list[tuple[str, float]]:
        """(pk string, score) of the matching objects of the queryset's model, best first."""
        compiler = self.query_compiler
        if not hasattr(compiler, "_whoosh_query"):
            compiler._whoosh_query = compiler.compile(self.backend)
        return self.backend.run(compiler._whoosh_query, compiler.queryset.model, limit=limit, scored=scored)

    def _to_pk(self, value: str):
        return self.query_compiler.queryset.model._meta.pk.to_python(value)

    def _unfiltered(self) -> bool:
        queryset = self.query_compiler.queryset
        return not queryset.query.where and not queryset.query.low_mark and queryset.query.high_mark is None

    def _visible_pks(self, pks: list) -> set:
        """Which of `pks` the queryset (its filters and permissions) lets through."""
        queryset = self.query_compiler.queryset
        visible = set()
        for start in range(0, len(pks), PK_CHUNK):
            chunk = pks[start : start + PK_CHUNK]
            visible.update(queryset.filter(pk__in=chunk).order_by().values_list("pk", flat=True))
        return visible

    def _hydrate(self, pairs: list[tuple[object, float]]) -> list:
        queryset = self.query_compiler.queryset
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        objects = queryset.in_bulk([pk for pk, _score in pairs]) if pairs else {}
        results = []
        for pk, score in pairs:
            obj = objects.get(pk)
            if obj is None:
                continue
            if self._score_field:
                setattr(obj, self._score_field, score)
            results.append(obj)
        return results

    def _match_all(self) -> bool:
        """A search for everything (an empty search box) is answered by the database alone, so
        that a list with no search in it works even without an index."""
        return isinstance(self.query_compiler.query, MatchAll)

    def _do_search(self):
        compiler = self.query_compiler
        queryset = compiler.queryset
        if self._match_all():
            results = list(self._ordered(queryset)[self.start : self.stop])
            if self._score_field:
                for obj in results:
                    setattr(obj, self._score_field, 0.0)
            return results
        if not compiler.order_by_relevance:
            pks = [self._to_pk(pk) for pk, _score in self._hits(None, scored=False)]
            ordered = self._ordered(self._filter_in(queryset, pks))
            return list(ordered[self.start : self.stop])
        if self._unfiltered():
            hits = self._hits(self.stop)
            pairs = [(self._to_pk(pk), score) for pk, score in hits[self.start : self.stop]]
            return self._hydrate(pairs)
        hits = [(self._to_pk(pk), score) for pk, score in self._hits(None)]
        visible = self._visible_pks([pk for pk, _score in hits])
        pairs = [(pk, score) for pk, score in hits if pk in visible]
        return self._hydrate(pairs[self.start : self.stop])

    def _ordered(self, queryset):
        return queryset if queryset.query.order_by else queryset.order_by("-pk")

    def _filter_in(self, queryset, pks: list):
        if len(pks) <= PK_CHUNK:
            return queryset.filter(pk__in=pks)
        return queryset.filter(pk__in=self._visible_pks(pks))

    def _do_count(self):
        if self._match_all():
            return self.query_compiler.queryset[self.start : self.stop].count()
        if self._unfiltered():
            total = len(self._hits(None, scored=False))
        else:
            pks = [self._to_pk(pk) for pk, _score in self._hits(None, scored=False)]
            total = len(self._visible_pks(pks))
        total = max(total - self.start, 0)
        return min(total, self.stop - self.start) if self.stop is not None else total

    def facet(self, field_name):
        compiler = self.query_compiler
        field = compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f'index.FilterField("{field_name}") to {compiler.queryset.model.__name__}.search_fields.',
                field_name=field_name,
            )
        if self._match_all():
            matching = compiler.queryset
        else:
            pks = [self._to_pk(pk) for pk, _score in self._hits(None, scored=False)]
            matching = self._filter_in(compiler.queryset, pks)
        rows = matching.order_by().values(field_name).annotate(count=Count("pk")).order_by("-count")
        return OrderedDict((row[field_name], row["count"]) for row in rows)


# ---------------------------------------------------------------------------------------------
# Backend


def _prunable(query: wq.Query) -> bool:
    """Whoosh's score bounds hold: no boost above a single term."""
    if type(query) is not wq.Term and query.boost != 1.0:
        return False
    return all(_prunable(child) for child in query.children())


def top_documents(searcher, query: wq.Query, *, limit: int | None, filter=None) -> list[tuple[int, float]]:
    """(docnum, score) of the best `limit` documents. Whoosh's top-k collector skips blocks and
    drops whole subqueries (`Matcher.replace`) by score bounds that leave out boosts above a
    single term (a boosted phrase, fuzzy term, AND or OR: what this backend builds with field
    boosts, Wagtail's `Boost`), so it missed better documents: such queries have every match
    scored. Plain word searches, the common case, are scored by `scoring` instead."""
    if _prunable(query):
        return list(searcher.search(query, limit=limit, filter=filter).items())
    collector = searcher.collector(limit=limit, filter=filter)
    top = getattr(collector, "child", collector)  # under the filter
    if isinstance(top, wcollectors.TopCollector):
        top.usequality = False
        top.replace = 0
    searcher.search_with_collector(query, collector)
    return list(collector.results().items())


def _configured_languages() -> list[str]:
    codes = [code for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", [])]
    codes.append(settings.LANGUAGE_CODE)
    return list(dict.fromkeys(whoosh_language(code) for code in codes))


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    index_class = WhooshIndex
    results_class = WhooshSearchResults
    rebuilder_class = WhooshRebuilder
    #: Scores from different searches of one index can be compared (the public search merges them).
    comparable_scores = True

    def __init__(self, params):
        super().__init__(params)
        path = params.get("PATH") or getattr(settings, "SEARCH_INDEX_DIR", None)
        if not path:
            raise ValueError("The Whoosh search backend needs PATH (the index directory).")
        self.path = Path(path)
        self.languages = [whoosh_language(code) for code in params.get("LANGUAGES", [])] or (
            _configured_languages()
        )
        self.lock_timeout = float(params.get("LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
        # A rebuild of more than PARALLEL_FROM documents indexes in two processes (see
        # WhooshRebuilder) unless REBUILD_PROCESSES is 1 or the machine has one core.
        self.rebuild_processes = int(params.get("REBUILD_PROCESSES", min(2, os.cpu_count() or 1)))
        self.parallel_from = int(params.get("PARALLEL_FROM", DEFAULT_PARALLEL_FROM))
        self.schema = build_schema(self.languages)

    # Documents

    def language_of(self, obj) -> str:
        locale_id = getattr(obj, "locale_id", None)
        if locale_id is not None:
            return whoosh_language(_locale_code(locale_id))
        return whoosh_language(settings.LANGUAGE_CODE)

    def document(self, obj, model=None) -> dict:
        model = model or type(obj)
        language = self.language_of(obj)
        if language not in self.languages:
            language = self.languages[0]
        document: dict[str, object] = {
            "key": document_key(model, obj.pk),
            "models": " ".join(model_labels(model)),
        }
        texts: dict[str, list[str]] = {}
        autocomplete: dict[str, list[str]] = {}
        for field, path, text in iter_field_values(obj, model.get_search_fields()):
            if not text:
                continue
            target = autocomplete if isinstance(field, AutocompleteField) else texts
            target.setdefault(path, []).append(text)
        for path, values in texts.items():
            document[f"t_{language}_{path}"] = "\n".join(values)
        for path, values in autocomplete.items():
            document[f"ac_{path}"] = " ".join(values)
        document["words"] = " ".join(
            {
                word.lower()
                for values in texts.values()
                for value in values
                for word in _PLAIN_WORD.findall(value)
            }
        )
        return document

    # The index on disk

    def _opened(self, open_):
        """`open_()` on the index on disk. Whoosh lists the folder, then reads the newest table of
        contents and the segments it names: a commit or rebuild of another process may replace
        or merge them away in between, so a file that is gone is tried again (the newer one is
        there by then). Anything else, or an index that stays missing, is unavailable."""
        for pause in OPEN_RETRY_PAUSES:
            try:
                if not _has_index(self.path):
                    raise windex.EmptyIndexError(f"no index in {self.path}")
                return open_()
            except (FileNotFoundError, windex.EmptyIndexError) as error:
                failure = error
                time.sleep(pause)
            except Exception as error:
                failure = error
                break
        logger.error(INDEX_UNAVAILABLE, {"path": self.path, "error": failure})
        raise SearchIndexUnavailable(INDEX_UNAVAILABLE % {"path": self.path, "error": failure}) from failure

    def open_index(self):
        return self._opened(lambda: windex.open_dir(str(self.path), indexname=INDEX_NAME))

    def searcher(self):
        """A searcher reused by this thread until a commit or a rebuild changes the index."""
        key = str(self.path)
        stamp = _toc_stamp(self.path)
        entry = _readers.entries.get(key)
        if entry is not None and entry[2] == stamp and stamp:
            return entry[1]
        forget_readers(self.path)

        def open_searcher():
            ix = windex.open_dir(str(self.path), indexname=INDEX_NAME)
            return ix, ix.searcher(weighting=TableBM25F())

        ix, searcher = self._opened(open_searcher)
        _readers.entries[key] = (ix, searcher, stamp)
        return searcher

    def create_empty_index(self) -> None:
        with write_lock(self.path, self.lock_timeout):
            directory = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.new-", dir=self.path.parent))
            windex.create_in(str(directory), self.schema, indexname=INDEX_NAME)
            self._replace(directory)

    def swap_in(self, directory: Path) -> None:
        with write_lock(self.path, self.lock_timeout):
            self._replace(directory)

    def _replace(self, directory: Path) -> None:
        old = None
        if self.path.exists():
            old = self.path.parent / f".{self.path.name}.old-{os.getpid()}-{time.monotonic_ns()}"
            os.rename(self.path, old)
        os.rename(directory, self.path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        forget_readers(self.path)

    def run(self, query: wq.Query, model, *, limit: int | None, scored: bool = True):
        """(pk, score) of the documents of `model` matching `query`, best first."""
        # An empty slice (a page past the end, `[:0]`) asks for no hits; Whoosh refuses limit 0.
        if query is wq.NullQuery or (limit is not None and limit < 1):
            return []
        searcher = self.searcher()
        label = model._meta.label_lower
        model_filter = None
        frequency = searcher.doc_frequency("models", label)
        if not frequency:
            return []
        if frequency != searcher.doc_count():
            model_filter = self._model_documents(searcher, label)
            if not model_filter:  # Whoosh reads an empty filter as no filter at all
                return []
        try:
            words = scoring.plain_words(query) if scored else None
            if words is not None and scoring.supported(searcher, words):
                allowed = None if model_filter is None else self._model_mask(searcher, label, model_filter)
                pairs = scoring.search(searcher, words, limit=limit, allowed=allowed)
            elif scored:
                pairs = top_documents(searcher, query, limit=limit, filter=model_filter)
            else:
                results = searcher.search(query, limit=None, filter=model_filter, scored=False, sortedby=None)
                pairs = [(docnum, 0.0) for docnum in results.docs()]
            column = searcher.__dict__.get("_fia_keys")
            if column is None:  # kept with the (reused) searcher
                column = searcher._fia_keys = searcher.reader().column_reader("key")
            return [(column[docnum].split(":", 1)[1], score) for docnum, score in pairs]
        except SearchIndexUnavailable:
            raise
        except Exception as error:
            if isinstance(error, (NotImplementedError, TypeError, ValueError)):
                raise
            logger.error(INDEX_UNAVAILABLE, {"path": self.path, "error": error})
            forget_readers(self.path)
            raise SearchIndexUnavailable(INDEX_UNAVAILABLE % {"path": self.path, "error": error}) from error

    @staticmethod
    def _model_documents(searcher, label: str) -> set[int]:
        """The document numbers of a model's objects, kept with the (reused) searcher: the filter
        of a search of one model in an index of many, computed once per version of the index."""
        cached = searcher.__dict__.setdefault("_fia_model_documents", {})
        documents = cached.get(label)
        if documents is None:
            documents = cached[label] = set(searcher.docs_for_query(wq.Term("models", label)))
        return documents

    @staticmethod
    def _model_mask(searcher, label: str, documents: set[int]):
        """`_model_documents` as a boolean array by document number, for `scoring.search`."""
        cached = searcher.__dict__.setdefault("_fia_model_masks", {})
        mask = cached.get(label)
        if mask is None:
            mask = cached[label] = np.zeros(searcher.doc_count_all(), dtype=bool)
            mask[np.fromiter(documents, dtype=np.int64, count=len(documents))] = True
        return mask

    # Writing

    def write(self, *, updates: list[dict] = (), deletes: list[str] = ()) -> None:
        """Apply the changes now, or when the surrounding database transaction commits."""
        updates, deletes = list(updates), list(deletes)
        connection = connections[router.db_for_write(models.Model)]
        if connection.in_atomic_block:
            transaction.on_commit(lambda: self._write_logged(updates, deletes), using=connection.alias)
        else:
            self._write_logged(updates, deletes)

    def _write_logged(self, updates, deletes) -> None:
        if not _has_index(self.path):
            # Not built yet (a new installation, or loading content before update_index):
            # say it once, not for every object.
            if str(self.path) not in _warned_missing:
                _warned_missing.add(str(self.path))
                logger.warning(INDEX_NOT_BUILT, {"path": self.path})
            return
        try:
            self.write_now(updates=updates, deletes=deletes)
        except (SearchIndexUnavailable, SearchIndexLocked) as error:
            # The content is saved; only the index is behind. Say so loudly, never fail the save.
            logger.error("Search index not updated: %s", error)

    def write_now(self, *, updates: list[dict] = (), deletes: list[str] = ()) -> None:
        with write_lock(self.path, self.lock_timeout):
            ix = self.open_index()
            writer = FastSegmentWriter(ix, timeout=self.lock_timeout)
            try:
                for key in deletes:
                    writer.delete_by_term("key", key)
                for document in updates:
                    writer.update_document(**document)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    # Spelling and highlighting, used by the public search page

    def suggest(self, query_string: str) -> str | None:
        """The query with each word the index does not know replaced by the closest known word,
        or None when every word is known or nothing better is found."""
        searcher = self.searcher()
        corrector = searcher.corrector("words")
        changed = False
        corrected = []
        for word in _words(query_string.lower()):
            if len(word) < 3 or _NUMBER_REFERENCE.fullmatch(word) or searcher.doc_frequency("words", word):
                corrected.append(word)
                continue
            suggestions = corrector.suggest(word, limit=1, maxdist=2 if len(word) > 5 else 1)
            if suggestions:
                corrected.append(suggestions[0])
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None

    def highlight_terms(self, query_string: str) -> set[str]:
        stems = set()
        for language in self.languages:
            stems.update(token.text for token in text_analyzer(language)(query_string, mode="query"))
        return stems

    def highlight(self, text: str, query_string: str, *, top: int = 2) -> str:
        """Fragments of `text` around the query's words, the words in <mark>, HTML-escaped."""
        from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight

        terms = self.highlight_terms(query_string)
        if not terms or not text:
            return ""
        return highlight(
            text,
            frozenset(terms),
            text_analyzer(self.languages[0]),
            ContextFragmenter(maxchars=220, surround=60),
            HtmlFormatter(tagname="mark", between=" … "),
            top=top,
        )


@cache
def _locale_code(locale_id: int) -> str:
    from wagtail.models import Locale

    try:
        return Locale.objects.get(pk=locale_id).language_code
    except Locale.DoesNotExist:
        return settings.LANGUAGE_CODE


SearchBackend = WhooshSearchBackend
