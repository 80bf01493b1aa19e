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
"""

from __future__ import annotations

from array import array
from itertools import islice

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.formats import Positions
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.util.text import utf8encode
from whoosh.writing.segment_writer import SegmentWriter

_EMPTY = b""


class GroupedPostingPool:
    """Postings grouped by (field name, term bytes): parallel lists of document numbers,
    weights, encoded values and field lengths (None: read it from the segment at flush)."""

    def __init__(self):
        self.terms: dict[tuple[str, bytes], tuple[list, list, list, list]] = {}
        self.fieldnames: set[str] = set()

    def add(self, item) -> None:
        """Whoosh's pool interface: one (field, term, docnum, weight, value) posting; used when
        a commit merges older segments into the new one."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.fieldnames.add(fieldname)
        lists = self.terms.get((fieldname, tbytes))
        if lists is None:
            lists = self.terms[(fieldname, tbytes)] = ([], [], [], [])
        lists[0].append(docnum)
        lists[1].append(weight)
        lists[2].append(vbytes)
        lists[3].append(None)

    def sorted_terms(self):
        for key in sorted(self.terms):
            docnums, weights, values, lengths = self.terms[key]
            if any(docnums[i] > docnums[i + 1] for i in range(len(docnums) - 1)):
                order = sorted(range(len(docnums)), key=docnums.__getitem__)
                docnums = [docnums[i] for i in order]
                weights = [weights[i] for i in order]
                values = [values[i] for i in order]
                lengths = [lengths[i] for i in order]
            yield key, docnums, weights, values, lengths

    def iter_postings(self):
        for (fieldname, tbytes), docnums, weights, values, _lengths in self.sorted_terms():
            for docnum, weight, value in zip(docnums, weights, values, strict=True):
                yield fieldname, tbytes, docnum, weight, value

    def cleanup(self) -> None:
        self.terms = {}


class FastSegmentWriter(SegmentWriter):
    """`SegmentWriter` with grouped postings, direct analysis and block-wise posting writes."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool.cleanup()  # Whoosh's sorting pool, unused: nothing was added to it
        self.pool = GroupedPostingPool()
        self._fast_fields: dict[str, object] = {}
        self._single_positions: dict[int, bytes] = {}

    def _fast_analyzer(self, fieldname: str, field):
        """The analyzer's `term_positions` when the field can take the direct path, else None."""
        try:
            return self._fast_fields[fieldname]
        except KeyError:
            pass
        analyzer = getattr(field, "analyzer", None)
        fast = None
        if (
            type(field.format) is Positions
            and field.format.field_boost == 1.0
            and hasattr(analyzer, "term_positions")
            and field.scorable
            and not field.vector
            and not field.separate_spelling()
        ):
            fast = analyzer.term_positions
        self._fast_fields[fieldname] = fast
        return fast

    def _encode_positions(self, positions: list[int]) -> bytes:
        if len(positions) == 1:
            position = positions[0]
            encoded = self._single_positions.get(position)
            if encoded is None:
                encoded = self._single_positions[position] = Positions.encode(None, positions)
            return encoded
        return Positions.encode(None, positions)

    def add_document(self, **fields):
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        terms = self.pool.terms
        seen_fields = self.pool.fieldnames

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
                    fast = self._fast_analyzer(fieldname, field) if isinstance(value, str) else None
                    if fast is not None:
                        items = []
                        encode = self._encode_positions
                        for text, positions in fast(value).items():
                            freq = len(positions)
                            items.append((utf8encode(text)[0], freq, float(freq), encode(positions)))
                    else:
                        items = field.index(value)
                    scorable = field.scorable
                    postings = []
                    for tbytes, freq, weight, vbytes in items:
                        if scorable:
                            length += freq
                        postings.append((tbytes, weight * fieldboost, vbytes))
                    if postings:
                        seen_fields.add(fieldname)
                    # What Whoosh's writer reads back from the length column: the length
                    # as stored, in one byte.
                    field_length = byte_to_length(length_to_byte(length)) if scorable and length else 0
                    for tbytes, weight, vbytes in postings:
                        key = (fieldname, tbytes)
                        lists = terms.get(key)
                        if lists is None:
                            lists = terms[key] = ([], [], [], [])
                        lists[0].append(docnum)
                        lists[1].append(weight)
                        lists[2].append(vbytes)
                        lists[3].append(field_length)

                if field.separate_spelling():
                    # Not used by this project's schema; kept as Whoosh does it.
                    spellfield = field.spelling_fieldname(fieldname)
                    for word in field.spellable_words(value):
                        self.pool.add((spellfield, utf8encode(word)[0], 0, 1, None))

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
    """Write (key, docnums, weights, values, lengths) groups sorted by key through a W3
    field writer, block by block, as `FieldWriter.add_postings` would posting by posting."""
    lastfield = None
    for (fieldname, tbytes), docnums, weights, values, field_lengths in grouped:
        if fieldname != lastfield:
            if lastfield is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfield = fieldname
        if None in field_lengths:
            if lengths is None:
                field_lengths = [0] * len(docnums)
            else:
                field_lengths = [
                    length if length is not None else (lengths.doc_field_length(docnum, fieldname) or 0)
                    for docnum, length in zip(docnums, field_lengths, strict=True)
                ]
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
        block_lengths = [length for length in islice(lengths, start, end) if length]
        postwriter._ids = array("I", docnums[start:end])
        postwriter._weights = array("f", block_weights)
        postwriter._values = [value for value in islice(values, start, end) if value]
        postwriter._minlength = min(block_lengths) if block_lengths else None
        postwriter._maxlength = max(block_lengths) if block_lengths else 0
        postwriter._maxweight = max(0, max(block_weights))
