"""A faster Whoosh segment writer: the same segment on disk, a fraction of the Python calls.

Whoosh's own writer handles every posting (one term of one document) half a dozen times in
Python: a Token object per word, a tuple per posting into a pool that sorts them all, a lookup
of the document's field length on disk per posting, a method call per posting into the
postings writer. With 200-400 words per document that is most of an index build. This writer:

- analyses the text fields whose analyzer has a fast path (`FusedLanguageAnalyzer.term_positions`:
  the same tokens, stems, stop words and positions) into term -> positions directly, and every
  other field (autocomplete n-grams, keywords, ids) with Whoosh's own `field.index()`;
- keeps the postings grouped by (field, term) as they come (document numbers only grow, so each
  list is already sorted) with the document's field length, so only the distinct terms are
  sorted and no length is read back from disk;
- writes each term's postings in blocks of the codec's size straight into the postings writer's
  buffers, with the same block statistics `W3PostingsWriter.add_posting` keeps.

It is a `SegmentWriter` in every other respect (deletions, merges on commit, the lock), and it
is what every write of the backend uses: a rebuild and a single update alike.

`SegmentWorker` runs a second one in a child process during a rebuild, on a segment of its own in
the same new index, so that a large rebuild uses two cores (see `WhooshRebuilder`).
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import traceback
from array import array
from collections import Counter
from functools import partial
from itertools import chain
from multiprocessing.connection import wait
from operator import itemgetter, sub

from whoosh.analysis import (
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    SpaceSeparatedTokenizer,
)
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.util.text import utf8encode
from whoosh.writing.segment_writer import SegmentWriter

_EMPTY = b""


def _mini_ids(self):
    # W3PostingsWriter._mini_ids with the deltas computed in C: the same tuple.
    ids = self._ids
    if self._byteids:
        return tuple(ids)
    return tuple(map(sub, ids, chain((0,), ids)))


W3PostingsWriter._mini_ids = _mini_ids


def _edge_ngram_sizes(analyzer) -> tuple[int, int] | None:
    """(min, max) when `analyzer` is `NgramWordAnalyzer(min, max, at="start")` with Whoosh's
    default tokenizer; None otherwise."""
    items = getattr(analyzer, "items", None)
    if type(analyzer) is not CompositeAnalyzer or len(items) != 3:
        return None
    tokenizer, lowercase, ngrams = items
    if (
        type(tokenizer) is RegexTokenizer
        and tokenizer.expression.pattern == _DEFAULT_TOKENIZER
        and not tokenizer.gaps
        and type(lowercase) is LowercaseFilter
        and type(ngrams) is NgramFilter
        and ngrams.at == -1
    ):
        return ngrams.min, ngrams.max
    return None


_DEFAULT_TOKENIZER = RegexTokenizer().expression.pattern
# The same matches as the default tokenizer's expression, without its capturing group.
_DEFAULT_WORD = re.compile(_DEFAULT_TOKENIZER.replace("(\\.?", "(?:\\.?"), re.UNICODE)


def _edge_ngrams(minsize: int, maxsize: int, value: str) -> Counter:
    """Edge n-gram -> count, as `NgramWordAnalyzer(minsize, maxsize, at="start")` indexes."""
    counts: Counter = Counter()
    for word in _DEFAULT_WORD.findall(value):
        word = word.lower()
        if len(word) < minsize:
            continue
        counts.update(word[:size] for size in range(minsize, min(maxsize, len(word)) + 1))
    return counts


class GroupedPostingPool:
    """Postings grouped by field and term, each term's postings one flat list
    ``[docnum, weight, encoded value, docnum, ...]`` in the order they came (about 24 bytes a
    posting). Terms are keyed by their text (the analyzers' own strings, whose hash Python
    keeps) or, from Whoosh's analysis and from merged segments, by their UTF-8 bytes. Field
    lengths are not kept: the segment's length column has them when the postings are written."""

    def __init__(self):
        self.fields: dict[str, dict[str | bytes, list]] = {}
        self.fieldnames: set[str] = set()
        self.merged = False

    def field_terms(self, fieldname: str) -> dict:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item) -> None:
        """Whoosh's pool interface: one (field, term bytes, docnum, weight, value) posting; used
        when a commit merges older segments into the new one."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.merged = True
        terms = self.field_terms(fieldname)
        postings = terms.get(tbytes)
        if postings is None:
            terms[tbytes] = [docnum, weight, vbytes]
        else:
            postings += (docnum, weight, vbytes)

    def sorted_terms(self):
        """((field, term bytes), flat postings sorted by document number), sorted by field and
        term."""
        for fieldname in sorted(self.fields):
            by_bytes: dict[bytes, list] = {}
            for term, postings in self.fields[fieldname].items():
                tbytes = utf8encode(term)[0] if isinstance(term, str) else term
                by_bytes[tbytes] = by_bytes[tbytes] + postings if tbytes in by_bytes else postings
            for tbytes in sorted(by_bytes):
                postings = by_bytes[tbytes]
                if self.merged:
                    docnums = postings[0::3]
                    if any(docnums[i] > docnums[i + 1] for i in range(len(docnums) - 1)):
                        triples = zip(docnums, postings[1::3], postings[2::3], strict=True)
                        triples = sorted(triples, key=_first)
                        postings = [value for triple in triples for value in triple]
                yield (fieldname, tbytes), postings

    def iter_postings(self):
        for (fieldname, tbytes), postings in self.sorted_terms():
            for index in range(0, len(postings), 3):
                yield fieldname, tbytes, postings[index], postings[index + 1], postings[index + 2]

    def cleanup(self) -> None:
        self.fields = {}


def _first(triple: tuple) -> int:
    return triple[0]


class FastSegmentWriter(SegmentWriter):
    """`SegmentWriter` with grouped postings, direct analysis and block-wise posting writes."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool.cleanup()  # Whoosh's sorting pool, unused: nothing was added to it
        self.pool = GroupedPostingPool()
        self._fast_fields: dict[str, object] = {}
        self._single_positions: dict[int, bytes] = {}
        self._frequencies: dict[int, bytes] = {0: b""}
        self._weights: dict[float, dict[int, float]] = {}

    def _fast_path(self, fieldname: str, field):
        """("positions", text -> positions) or ("frequency", text -> frequency) for a field the
        writer can analyse itself with the same result as `field.index()`, else None."""
        try:
            return self._fast_fields[fieldname]
        except KeyError:
            pass
        analyzer = getattr(field, "analyzer", None)
        fast = None
        plain = field.format is not None and field.format.field_boost == 1.0
        plain = plain and not field.vector and not field.separate_spelling()
        if plain and type(field.format) is Positions and hasattr(analyzer, "term_positions"):
            fast = ("positions", analyzer.term_positions)
        elif (
            plain
            and type(field.format) is Frequency
            and type(analyzer) is RegexTokenizer
            and analyzer.expression.pattern == SpaceSeparatedTokenizer().expression.pattern
            and not analyzer.gaps
        ):
            # KEYWORD(lowercase=False): words between spaces, tabs and line ends.
            findall = analyzer.expression.findall
            fast = ("frequency", lambda value: Counter(findall(value)))
        elif plain and type(field.format) is Frequency and _edge_ngram_sizes(analyzer):
            fast = ("frequency", partial(_edge_ngrams, *_edge_ngram_sizes(analyzer)))
        self._fast_fields[fieldname] = fast
        return fast

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        single_positions = self._single_positions

        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    scorable = field.scorable
                    fast = self._fast_path(fieldname, field) if isinstance(value, str) else None
                    if fast is not None and fast[0] == "positions" and scorable:
                        # The common case, in one loop: each term's posting goes straight into
                        # the pool (the length is known before: the number of words kept).
                        found, length = fast[1](value)
                        if found:
                            terms = pool.field_terms(fieldname)
                            weight_of = self._weights.get(fieldboost)
                            if weight_of is None:
                                weight_of = self._weights[fieldboost] = {}
                            for text, positions in found.items():
                                freq = len(positions)
                                if freq == 1:
                                    position = positions[0]
                                    vbytes = single_positions.get(position)
                                    if vbytes is None:
                                        vbytes = single_positions[position] = Positions.encode(
                                            None, positions
                                        )
                                else:
                                    vbytes = Positions.encode(None, positions)
                                weight = weight_of.get(freq)
                                if weight is None:
                                    weight = weight_of[freq] = freq * fieldboost
                                postings = terms.get(text)
                                if postings is None:
                                    terms[text] = [docnum, weight, vbytes]
                                else:
                                    postings += (docnum, weight, vbytes)
                    else:
                        length = self._add_field_postings(fieldname, field, value, fast, docnum, fieldboost)

                if field.separate_spelling():
                    # Not used by this project's schema; kept as Whoosh does it.
                    spellfield = field.spelling_fieldname(fieldname)
                    for word in field.spellable_words(value):
                        pool.add((spellfield, utf8encode(word)[0], 0, 1, None))

                vformat = field.vector
                if vformat:
                    vitems = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)

                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except ValueError:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_field_postings(self, fieldname, field, value, fast, docnum, fieldboost) -> int:
        """Postings of one field of one document by Whoosh's `field.index()` or the keyword fast
        path; returns the field's length (0 when it is not scorable)."""
        length = 0
        if fast is None or fast[0] == "positions":
            items = []
            for tbytes, freq, weight, vbytes in field.index(value):
                items.append((tbytes, weight * fieldboost, vbytes))
                length += freq
        else:
            counts = fast[1](value)
            length = sum(counts.values())
            frequencies = self._frequencies  # the encoded frequency of 1, 2, ...
            for freq in range(len(frequencies), max(counts.values(), default=0) + 1):
                frequencies[freq] = pack_uint(freq)
            items = [(text, freq * fieldboost, frequencies[freq]) for text, freq in counts.items()]
        if not field.scorable:
            length = 0
        if items:
            terms = self.pool.field_terms(fieldname)
            for term, weight, vbytes in items:
                postings = terms.get(term)
                if postings is None:
                    terms[term] = [docnum, weight, vbytes]
                else:
                    postings += (docnum, weight, vbytes)
        return length

    def commit_beside(self, other_segment) -> None:
        """Commit this writer's new segment together with another writer's, without merging
        either: this segment is written first, then `other_segment()` is called (it may wait for
        a `SegmentWorker` that writes its own meanwhile) and both go into one table of contents,
        after the index's existing segments."""
        self._check_state()
        segments = list(self.segments)
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        other = other_segment()
        if other is not None:
            segments.append(other)
        self._commit_toc(segments)
        self._finish()

    def _add_batch(self, docs):
        for fields in docs:
            self.add_document(**fields)

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            write_grouped_postings(self.fieldwriter, self.schema, lengths, self.pool.sorted_terms())
            self.fieldwriter.close()
        finally:
            if lengths is not None:
                lengths.close()


def write_grouped_postings(fieldwriter, schema, lengths, grouped) -> None:
    """Write ((field, term bytes), flat postings) groups, sorted, through a W3 field writer,
    block by block, as `FieldWriter.add_postings` would posting by posting: with each posting
    the document's field length as the segment's length column (`lengths`) gives it."""
    lastfield = None
    table = None
    for (fieldname, tbytes), postings in grouped:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfield = fieldname
            table = _length_table(lengths, fieldname)
        docnums, weights, values = postings[0::3], postings[1::3], postings[2::3]
        field_lengths = itemgetter(*docnums)(table) if len(docnums) > 1 else (table[docnums[0]],)
        fieldwriter.start_term(tbytes)
        postwriter = fieldwriter._postwriter
        if type(postwriter) is W3PostingsWriter and not postwriter._byteids:
            _add_postings_blockwise(postwriter, docnums, weights, values, field_lengths)
        else:
            for docnum, weight, value, length in zip(docnums, weights, values, field_lengths, strict=True):
                fieldwriter.add(docnum, weight, value if value is not None else _EMPTY, length)
        fieldwriter.finish_term()
    if lastfield is not None:
        fieldwriter.finish_field()


def _length_table(lengths, fieldname: str) -> list:
    """Field length of every document of the new segment, by document number, as Whoosh's
    `doc_field_length` gives it (None for none); zeros when the codec keeps no lengths."""
    if lengths is None:
        return _Zeros()
    count = lengths.doc_count_all()
    if getattr(lengths, "_fia_patched", False):
        if count:
            lengths.doc_field_length(0, fieldname, 0)  # loads the table
        table = getattr(lengths, "_fia_lengths", {}).get(fieldname)
        if table is False:
            return [0] * count
        if table is not None:
            return table + [None] * (count - len(table))
    return [lengths.doc_field_length(docnum, fieldname) for docnum in range(count)]


class _Zeros:
    def __getitem__(self, index):
        return 0


def _add_postings_blockwise(postwriter: W3PostingsWriter, docnums, weights, values, lengths) -> None:
    """What `W3PostingsWriter.add_posting` does for each posting, a block at a time: a full block
    is written when the next posting arrives; the last (partial or full) block is left buffered
    for `finish_postings`, which decides between inline and on-disk storage."""
    limit = postwriter._blocklimit
    total = len(docnums)
    for start in range(0, total, limit):
        if start:
            postwriter._write_block()
        end = min(start + limit, total)
        block_weights = weights[start:end]
        block_lengths = [length for length in lengths[start:end] if length]
        postwriter._ids = array("I", docnums[start:end])
        postwriter._weights = array("f", block_weights)
        postwriter._values = [value for value in values[start:end] if value]
        postwriter._minlength = min(block_lengths) if block_lengths else None
        postwriter._maxlength = max(block_lengths) if block_lengths else 0
        postwriter._maxweight = max(0, max(block_weights))


class SegmentWorkerFailed(RuntimeError):
    """The child process of a rebuild stopped or failed; the rebuild is abandoned."""


class SegmentWorker:
    """A child process that indexes the documents it is offered into a segment of its own in the
    same (new, unpublished) index, with a `FastSegmentWriter` that takes no lock: the parent holds
    the index and commits both segments in one table of contents.

    It shares the work by how busy it is: `offer()` hands over a batch only while fewer than
    `backlog` batches wait for it, and otherwise the caller indexes the batch itself. Documents
    travel pickled through a pipe; nothing of the parent's (the database connection included) is
    used in the child, which leaves with `os._exit` as `multiprocessing` forks it."""

    def __init__(self, storage, indexname: str, *, backlog: int = 2):
        context = multiprocessing.get_context("fork")
        self._jobs = context.Queue(maxsize=backlog)
        self._results, results = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_segment_worker,
            args=(storage, indexname, self._jobs, results),
            name="whoosh-segment-worker",
            daemon=True,
        )
        self._process.start()
        results.close()
        self.documents = 0

    @staticmethod
    def available() -> bool:
        return "fork" in multiprocessing.get_all_start_methods()

    def offer(self, documents: list[dict]) -> bool:
        """True if the worker took `documents`; False if it has enough waiting already."""
        if not self._process.is_alive():
            return False
        try:
            self._jobs.put_nowait(documents)
        except queue.Full:
            return False
        self.documents += len(documents)
        return True

    def close(self) -> None:
        """No more documents: the worker writes its segment now (see `segment()`, which also
        reports a worker that has already stopped)."""
        while self._process.is_alive():
            try:
                self._jobs.put(None, timeout=0.5)
                return
            except queue.Full:
                continue

    def segment(self):
        """Wait for the worker's segment (None if it was given no documents). Raises
        `SegmentWorkerFailed` if the worker failed or died."""
        try:
            wait([self._results, self._process.sentinel])
            try:
                outcome, value = self._results.recv() if self._results.poll() else (None, None)
            except EOFError:  # it died without a word
                outcome = None
            if outcome is None:
                self._process.join(timeout=5)
                raise SegmentWorkerFailed(f"the index worker stopped (exit code {self._process.exitcode})")
            if outcome != "ok":
                raise SegmentWorkerFailed(f"the index worker failed:\n{value}")
            return value
        finally:
            self.stop(grace=30)

    def stop(self, *, grace: float = 0) -> None:
        """End the child process (after `grace` seconds if it is still working) and release the
        pipes."""
        if grace and self._process.is_alive():
            self._process.join(timeout=grace)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._jobs.close()
        self._jobs.cancel_join_thread()
        self._results.close()


def _segment_worker(storage, indexname, jobs, results) -> None:
    """The child process: index every batch until None, then write the segment and send it."""
    try:
        writer = FastSegmentWriter(storage.open_index(indexname), _lk=False)
        try:
            while (documents := jobs.get()) is not None:
                for fields in documents:
                    writer.add_document(**fields)
            if writer._added:
                segment = writer._finalize_segment()
                writer._finish()
            else:
                segment = None
                writer.cancel()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        results.send(("ok", segment))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        results.send(("error", traceback.format_exc()))
    finally:
        results.close()
