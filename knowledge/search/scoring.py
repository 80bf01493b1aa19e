"""Plain word searches scored a posting list at a time, with NumPy.

Whoosh scores a search one matching document at a time through a tree of matcher objects: for
three common words over three fields that is a dozen Python calls per document, and common words
match most of a library. A plain word search - what the query compiler makes of `PlainText`:
an AND or OR of words, each an OR of one term per search field - needs none of that: this module
reads each term's postings a block at a time into arrays, computes BM25F for all of them at once
(the same formula, statistics and length tables as `TableBM25F`), and keeps the best `limit` by
a partial sort. Every other query (phrases, fuzzy, NOT, autocomplete, boosts inside) goes
through Whoosh as before.

The results are Whoosh's: the same documents, best first and ties by document number, with the
same scores but for the order in which a document's term scores are added (the last bit of a
float; two documents that close may swap places). Tests compare the two on several segments with
deletions.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25F
from whoosh.util.numlists import delta_decode

#: (operator, [[(field, text, boost) for each search field] for each word], boost of the whole)
PlainWords = tuple[str, list[list[tuple[str, str, float]]], float]


def plain_words(query: wq.Query) -> PlainWords | None:
    """The parts of a plain word search, or None for any other query."""
    terms = _word_terms(query)
    if terms is not None:
        return "or", [terms], 1.0
    if type(query) not in (wq.And, wq.Or) or not query.subqueries:
        return None
    if type(query) is wq.Or and (query.minmatch or query.scale):
        return None
    words = []
    for subquery in query.subqueries:
        terms = _word_terms(subquery)
        if terms is None or subquery.boost != 1.0:
            return None
        words.append(terms)
    # Whoosh leaves out the boost of a compound query of one subquery.
    boost = query.boost if len(query.subqueries) > 1 else 1.0
    return ("and" if type(query) is wq.And else "or"), words, boost


def _word_terms(query) -> list[tuple[str, str, float]] | None:
    if type(query) is wq.Term:
        return [(query.fieldname, query.text, query.boost)]
    if type(query) is not wq.Or or query.minmatch or query.scale or not query.subqueries:
        return None
    if len(query.subqueries) > 1 and query.boost != 1.0:
        return None
    if not all(type(term) is wq.Term and isinstance(term.text, str) for term in query.subqueries):
        return None
    return [(term.fieldname, term.text, term.boost) for term in query.subqueries]


def supported(searcher, parts: PlainWords) -> bool:
    """Scored by this module: BM25F on every field (no other weighting, no unscored field)."""
    weighting = searcher.weighting
    if not isinstance(weighting, BM25F):
        return False
    schema = searcher.schema
    return all(
        fieldname in schema and schema[fieldname].scorable for terms in parts[1] for fieldname, _, _ in terms
    )


def search(searcher, parts: PlainWords, *, limit: int | None, allowed: np.ndarray | None = None):
    """(docnum, score) of the matching documents, best first (ties by document number), at most
    `limit`; only documents where `allowed` (a boolean array by document number) is true."""
    operator, words, boost = parts
    total = searcher.doc_count_all()
    leaves = searcher.leaf_searchers()
    scores = np.zeros(total)
    matched = np.ones(total, dtype=bool) if operator == "and" else np.zeros(total, dtype=bool)
    for terms in words:
        present = np.zeros(total, dtype=bool)
        for fieldname, text, term_boost in terms:
            _add_term(searcher, leaves, fieldname, text, term_boost, scores, present)
        if operator == "and":
            matched &= present
        else:
            matched |= present
    for leaf, offset in leaves:
        deleted = leaf.reader().deleted_docs_set if hasattr(leaf.reader(), "deleted_docs_set") else None
        if deleted:
            matched[offset + np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
    if allowed is not None:
        matched &= allowed
    docnums = np.flatnonzero(matched)
    found = scores[docnums]
    if boost != 1.0:
        found = found * boost
    if limit is not None and limit < len(docnums):
        # Everything that scores at least the limit-th best, then the exact order of those.
        threshold = np.partition(found, len(found) - limit)[len(found) - limit]
        keep = found >= threshold
        docnums, found = docnums[keep], found[keep]
    order = np.lexsort((docnums, -found))
    if limit is not None:
        order = order[:limit]
    return list(zip(docnums[order].tolist(), found[order].tolist(), strict=True))


def _add_term(searcher, leaves, fieldname, text, term_boost, scores, present) -> None:
    """Add one term's BM25F score to every document that has it, in every segment."""
    weighting = searcher.weighting
    statistics = None
    for leaf, offset in leaves:
        postings = _postings(leaf.reader(), fieldname, text)
        if postings is None:
            continue
        ids, tf = postings
        if statistics is None:
            # As BM25FScorer: idf and average length over the whole index.
            idf = searcher.idf(fieldname, text)
            avgfl = searcher.avg_field_length(fieldname) or 1
            statistics = idf, avgfl, weighting._field_B.get(fieldname, weighting.B), weighting.K1
        idf, avgfl, B, K1 = statistics
        fl = _lengths(leaf.reader(), fieldname)[ids]
        term_scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        if term_boost != 1.0:
            term_scores = term_scores * term_boost
        ids = ids + offset
        scores[ids] += term_scores  # a term has a document once: no repeated indices
        present[ids] = True


def _postings(reader, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(document numbers, weights) of a term in one segment, deletions included (the caller
    drops deleted documents); None if the segment does not have the term."""
    if (fieldname, text) not in reader:
        return None
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if type(matcher) is W3LeafMatcher and not matcher._byteids:
        return _block_postings(matcher)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _block_postings(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """A block at a time: each block's delta-coded ids and its weights (float32, a constant or
    1.0 for all), as W3LeafMatcher decodes them."""
    id_blocks, weight_blocks = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids, weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        if isinstance(ids, (tuple, list)):
            id_blocks.append(np.cumsum(np.asarray(ids, dtype=np.int64)))
        else:
            id_blocks.append(np.fromiter(delta_decode(ids), dtype=np.int64, count=count))
        if weights is None:
            weight_blocks.append(np.ones(count))
        elif isinstance(weights, float):
            weight_blocks.append(np.full(count, weights))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float32).astype(np.float64))
        matcher._next_block()
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _lengths(reader, fieldname: str) -> np.ndarray:
    """The field's length of every document of the segment as BM25F reads it (the per-document
    reader's length table), kept with the reader."""
    perdoc = reader._perdoc
    cached = perdoc.__dict__.setdefault("_fia_length_arrays", {})
    lengths = cached.get(fieldname)
    if lengths is None:
        count = reader.doc_count_all()
        values = [perdoc.doc_field_length(docnum, fieldname) or 0 for docnum in range(count)]
        lengths = cached[fieldname] = np.array(values, dtype=np.float64)
    return lengths
