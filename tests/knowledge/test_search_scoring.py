"""Plain word searches scored with NumPy (`knowledge.search.scoring`) give what Whoosh's own
matchers give: the same documents in the same order with the same scores, on an index of
several segments with deletions, with and without a filter and a limit."""

import numpy as np
import pytest
from whoosh import index as windex
from whoosh import query as wq

from knowledge.search import scoring
from knowledge.search.backend import INDEX_NAME, TableBM25F, build_schema, text_analyzer, top_documents
from knowledge.search.writer import FastSegmentWriter

from .test_search_writer import _documents

FIELDS = [("t_no_title", 2.0), ("t_no_body", 1.0), ("t_en_body", 0.5)]
WORDS = ["arbeidsmarkedsbedriftene", "kommunen", "tilskudd", "ungdom", "eierstyring", "NAV", "employers"]


def _word(word: str) -> wq.Query:
    stem = next(iter(text_analyzer("no")(word, mode="query"))).text
    return wq.Or([wq.Term(field, stem, boost=boost) for field, boost in FIELDS])


QUERIES = [
    _word("kommunen"),
    wq.And([_word("kommunen"), _word("tilskudd")]),
    wq.And([_word("arbeidsmarkedsbedriftene"), _word("ungdom"), _word("eierstyring")]),
    wq.Or([_word("NAV"), _word("employers")]),
    wq.And([_word("kommunen"), _word("tilskudd")], boost=3.0),
    wq.And([_word("kommunen")], boost=3.0),  # Whoosh leaves out the boost of a single subquery
    wq.And([_word("kommunen"), _word("finnesikke")]),
    wq.Term("t_no_body", "kommun", boost=1.5),
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    path = tmp_path_factory.mktemp("scoring")
    ix = windex.create_in(str(path), build_schema(["no", "en"]), indexname=INDEX_NAME)
    documents = _documents(600)
    for part in range(3):  # three segments, then deletions in two of them
        writer = FastSegmentWriter(ix)
        for document in documents[part * 200 : (part + 1) * 200]:
            writer.add_document(**document)
        writer.commit(merge=False)
    writer = FastSegmentWriter(ix)
    for number in (1, 2, 3, 250, 260, 599):
        writer.delete_by_term("key", f"app.model:{number}")
    writer.commit(merge=False)
    with ix.searcher(weighting=TableBM25F()) as searcher:
        assert len(searcher.leaf_searchers()) == 3
        yield searcher


def _ranked(pairs) -> list[tuple[float, int]]:
    rounded = ((round(score, 9), docnum) for docnum, score in pairs)
    return sorted(rounded, key=lambda pair: (-pair[0], pair[1]))


@pytest.mark.parametrize("query", QUERIES, ids=repr)
@pytest.mark.parametrize("limit", [None, 1, 10, 57])
@pytest.mark.parametrize("filtered", [False, True])
def test_the_same_results_as_whoosh(searcher, query, limit, filtered):
    allowed = filter_set = None
    if filtered:
        filter_set = set(searcher.docs_for_query(wq.Term("models", "app.other")))
        allowed = np.zeros(searcher.doc_count_all(), dtype=bool)
        allowed[list(filter_set)] = True
    parts = scoring.plain_words(query)
    assert parts is not None and scoring.supported(searcher, parts)
    # Whoosh's full ranking, cut at the limit: its own top-k collector loses better documents
    # under a boosted AND (it leaves the boost out of its pruning bounds).
    ranking = list(searcher.search(query, limit=None, filter=filter_set).items())
    expected = ranking[:limit] if limit is not None else ranking
    found = scoring.search(searcher, parts, limit=limit, allowed=allowed)
    # Whoosh adds a document's term scores in the order of its matcher tree, this module field
    # by field: the last bit may differ, and two documents that far apart may swap places.
    assert _ranked(found) == _ranked(expected)
    assert [score for _, score in found] == pytest.approx([score for _, score in expected], rel=1e-12)
    if query is not QUERIES[6]:
        assert found


@pytest.mark.parametrize(
    "query",
    [
        wq.Phrase("t_no_body", ["kommun", "tilskud"]),
        wq.And([_word("kommunen"), wq.Not(_word("tilskudd"))]),
        wq.Or([wq.FuzzyTerm("t_no_body", "kommun")]),
        wq.And([_word("kommunen"), wq.Or([_word("tilskudd")], boost=2.0)]),
        wq.Or([_word("kommunen"), _word("tilskudd")], scale=0.5),
        wq.Term("words", "kommunen"),
    ],
    ids=repr,
)
def test_other_queries_are_left_to_whoosh(searcher, query):
    parts = scoring.plain_words(query)
    assert parts is None or not scoring.supported(searcher, parts)


def _fuzzy(stem: str) -> wq.Query:
    return wq.Or(
        [wq.FuzzyTerm(field, stem, boost=boost, maxdist=1, prefixlength=1) for field, boost in FIELDS]
    )


def _phrase(*stems: str) -> wq.Query:
    return wq.Or([wq.Phrase(field, list(stems), boost=boost) for field, boost in FIELDS])


@pytest.mark.parametrize(
    "query",
    [
        # as the backend builds them: field boosts on phrases and fuzzy terms
        wq.Or([_phrase("kommun", "eier"), _fuzzy("eierstyring")]),
        wq.And([_fuzzy("kommun"), _fuzzy("tilskudd")]),
        wq.And([_phrase("kommun", "eier"), _word("ungdom")]),
        # a boosted AND or OR (Wagtail's Boost, a boosted PlainText)
        wq.And([wq.Phrase("t_no_body", ["kommun", "eier"]), _word("kommunen")], boost=3.0),
        wq.Or(
            [
                wq.And([_word("kommunen"), _word("tilskudd")], boost=3.0),
                wq.FuzzyTerm("t_no_title", "eierstyr"),
            ]
        ),
        wq.And(
            [_word("kommunen"), wq.Or([_word("tilskudd"), wq.FuzzyTerm("t_no_body", "ungdom")], boost=2.0)]
        ),
        wq.And([_word("kommunen"), wq.Not(_word("tilskudd"))]),
    ],
    ids=repr,
)
@pytest.mark.parametrize("limit", [1, 3, 10])
@pytest.mark.parametrize("filtered", [False, True])
def test_the_queries_left_to_whoosh_find_the_best_documents(searcher, query, limit, filtered):
    """The backend's ranking of other queries is Whoosh's full ranking cut at the limit, also where
    Whoosh's pruning collector would miss better documents (boosts above a single term)."""
    only = set(searcher.docs_for_query(wq.Term("models", "app.other"))) if filtered else None
    ranking = list(searcher.search(query, limit=None, filter=only).items())
    found = top_documents(searcher, query, limit=limit, filter=only)
    assert _ranked(found) == _ranked(ranking[:limit])
    assert found
