"""The backend's fast index writer and analyzer path write the same index as Whoosh's own
writer and analyzer chain: the same terms, postings, positions, term statistics and lengths."""

import random

import pytest
from whoosh import index as windex
from whoosh.analysis import LanguageAnalyzer

from knowledge.search.backend import INDEX_NAME, FusedLanguageAnalyzer, build_schema
from knowledge.search.writer import FastSegmentWriter

NORWEGIAN = [
    "Arbeidsmarkedsbedriftene i kommunene har ansvaret for oppfølgingen av deltakerne.",
    "Eierstyring: kommunen eier 51 % av aksjene i bedriften, og styret skal være uavhengig.",
    "VTA-plassene ble fordelt etter forskrift om arbeidsrettede tiltak (2015), kap. 13.",
    "Det er ikke noe i veien for at de som var der, kan være med på å gjøre det igjen.",
    "Fylkeskommunens tilskudd til kvalifisering av ungdom: 1.2 mill. kr i 2020 og 2021.",
    "Æ ø å Æøå på norsk; NAV-kontoret og A/S Bedrift.no, e-post post@example.no.",
]
ENGLISH = [
    "The employers were working on the sheltered employment schemes in the municipalities.",
    "It is what it is: a report on findings, recommendations and the law's requirements.",
]


@pytest.mark.parametrize(("language", "texts"), [("no", NORWEGIAN), ("en", ENGLISH)])
def test_term_positions_are_what_the_analyzer_yields(language, texts):
    """The same stems as Whoosh's LanguageAnalyzer (tokenizer, lower case, stop words and words
    under two letters, Snowball). Positions count the words kept, as the backend's analyzer
    always has (a phrase matches across a stop word: "sprokk og flimmer")."""
    reference = LanguageAnalyzer(language)
    fused = FusedLanguageAnalyzer(language)
    for text in [*texts, " ".join(texts), ""]:
        stems = [token.text for token in reference(text)]
        assert [token.text for token in fused(text)] == stems
        expected: dict[str, list[int]] = {}
        for position, stem in enumerate(stems):
            expected.setdefault(stem, []).append(position)
        assert fused.term_positions(text) == (expected, len(stems))
        assert [(t.text, t.pos) for t in fused(text, positions=True)] == [
            (stem, position) for position, stem in enumerate(stems)
        ]


def _documents(count: int) -> list[dict]:
    rng = random.Random(5)
    words = " ".join(NORWEGIAN + ENGLISH).split()
    documents = []
    for number in range(count):
        body = " ".join(rng.choices(words, k=rng.randint(5, 300)))
        title = " ".join(rng.choices(words, k=rng.randint(1, 6)))
        document = {
            "key": f"app.model:{number}",
            "models": "app.model wagtailcore.page" if number % 3 else "app.other",
            "t_no_title": title,
            "t_no_body": body,
            "ac_title": title,
            "words": " ".join(sorted({word.lower() for word in body.split()})),
        }
        if number % 4 == 0:
            document["t_en_body"] = " ".join(rng.choices(ENGLISH, k=2))
        if number % 7 == 0:
            del document["t_no_body"]
        documents.append(document)
    return documents


def _dump(path) -> dict:
    ix = windex.open_dir(str(path), indexname=INDEX_NAME)
    with ix.reader() as reader:
        content = {"doc_count": reader.doc_count_all(), "stored": list(reader.all_stored_fields())}
        for fieldname, tbytes in reader.all_terms():
            info = reader.term_info(fieldname, tbytes)
            matcher = reader.postings(fieldname, tbytes)
            content[(fieldname, tbytes)] = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
                list(matcher.all_items()),  # (docnum, encoded value: frequency, positions)
            )
        for fieldname in ix.schema.scorable_names():
            content[("length", fieldname)] = [
                reader.doc_field_length(docnum, fieldname) for docnum in range(reader.doc_count_all())
            ] + [reader.field_length(fieldname), reader.max_field_length(fieldname)]
    return content


@pytest.mark.parametrize("commits", [1, 3])
def test_the_fast_writer_writes_what_whoosh_writes(tmp_path, commits):
    """One rebuild, and several commits with updates, deletions and a merge."""
    schema = build_schema(["no", "en"])
    documents = _documents(400)
    dumps = []
    for name, writer_for in (("whoosh", lambda ix: ix.writer()), ("fast", FastSegmentWriter)):
        path = tmp_path / name
        path.mkdir()
        ix = windex.create_in(str(path), schema, indexname=INDEX_NAME)
        per_commit = len(documents) // commits
        for commit in range(commits):
            writer = writer_for(ix)
            for document in documents[commit * per_commit : (commit + 1) * per_commit]:
                writer.update_document(**document)
            if commit:
                writer.delete_by_term("key", f"app.model:{commit}")
                writer.update_document(**documents[commit * 2])
            writer.commit(optimize=commit == commits - 1)
        dumps.append(_dump(path))
    whoosh, fast = dumps
    assert whoosh.keys() == fast.keys()
    for key in whoosh:
        assert whoosh[key] == fast[key], key


def test_block_ids_are_delta_encoded_as_whoosh_does():
    from array import array

    from whoosh.codec.whoosh3 import W3PostingsWriter
    from whoosh.util.numlists import delta_encode

    writer = W3PostingsWriter(None, blocklimit=128)
    for ids in ([], [0], [3, 4, 9, 200, 70000], list(range(5, 5000, 7))):
        writer._ids = array("I", ids)
        assert writer._mini_ids() == tuple(delta_encode(ids))


def test_a_phrase_matches_a_word_whatever_its_position(tmp_path):
    """whoosh-ng 5.4 misread a positions value ending in the byte of "." (a gap of 46 words) as
    its legacy pickled format, and the phrase search failed."""
    from whoosh import query as wq
    from whoosh.formats import Positions

    for positions in ([46], [3, 49], [0, 46, 92], [127, 128, 20000], []):
        assert Positions().decode_positions(Positions().encode(positions)) == positions
    schema = build_schema(["no"])
    ix = windex.create_in(str(tmp_path), schema, indexname=INDEX_NAME)
    writer = FastSegmentWriter(ix)
    filler = " ".join(f"fyllord{number}" for number in range(46))
    writer.add_document(key="a:1", models="a", t_no_body=f"{filler} trollmann knute")
    writer.commit()
    with ix.searcher() as searcher:
        found = searcher.search(wq.Phrase("t_no_body", ["trollmann", "knut"]))
        assert [hit["key"] for hit in found] == ["a:1"]
