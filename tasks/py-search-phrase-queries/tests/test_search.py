import json

import pytest

from minisearch import InvertedIndex, QuerySyntaxError, Searcher

DOCS = {
    "fox-1": {"title": "The quick brown fox", "body": "A quick brown fox jumps over the lazy dog."},
    "fox-2": {"title": "Brown foxes are quick", "body": "The fox is quick and brown."},
    "art-1": {"title": "State of the art search", "body": "We build state-of-the-art engines."},
    "art-2": {"title": "State art", "body": "The art of the state."},
    "dogs": {"title": "Lazy dogs", "body": "Dogs that are lazy sleep all day."},
    "split": {"title": "It ends with brown", "body": "fox starts the body"},
    "cafe": {"title": "Café opening hours", "body": "Our cafés open at nine."},
}


@pytest.fixture
def searcher():
    index = InvertedIndex()
    for doc_id, fields in DOCS.items():
        index.add(doc_id, fields)
    return Searcher(index)


def ids(hits):
    return sorted(hit.doc_id for hit in hits)


def test_phrase_requires_order_and_adjacency(searcher):
    assert ids(searcher.search('"quick brown fox"')) == ["fox-1"]
    assert ids(searcher.search('"brown quick"')) == []
    assert ids(searcher.search('"lazy dog"')) == ["dogs", "fox-1"]
    assert ids(searcher.search('"dog lazy"')) == []


def test_phrase_terms_are_analysed_like_documents(searcher):
    assert ids(searcher.search('"Brown Foxes"')) == ["fox-1", "fox-2"]
    assert ids(searcher.search('"cafe opening"')) == ["cafe"]
    assert ids(searcher.search('"lazy dogs"')) == ["dogs", "fox-1"]


def test_stopwords_keep_their_place_in_phrases(searcher):
    assert ids(searcher.search('"state of the art"')) == ["art-1"]
    assert ids(searcher.search('"art of the state"')) == ["art-2"]
    assert ids(searcher.search('"state art"')) == ["art-2"]


def test_phrase_must_be_inside_one_field(searcher):
    assert ids(searcher.search('"brown fox"')) == ["fox-1", "fox-2"]
    assert "split" in ids(searcher.search("brown fox"))


def test_phrases_combine_with_the_rest_of_the_language(searcher):
    assert ids(searcher.search('"jumps over" OR "state art"')) == ["art-2", "fox-1"]
    assert ids(searcher.search('quick -"quick brown fox"')) == ["fox-2"]
    assert ids(searcher.search('brown -"brown fox"')) == ["split"]
    assert ids(searcher.search('state "art search"')) == ["art-1"]
    assert ids(searcher.search('dog OR "state of the art" lazy')) == ["dogs", "fox-1"]


def test_phrase_results_are_ranked(searcher):
    hits = searcher.search('"quick brown"')
    assert [hit.doc_id for hit in hits] == ["fox-1"]
    assert hits[0].score > 0
    both = searcher.search('"brown fox"')
    assert [hit.score for hit in both] == sorted((hit.score for hit in both), reverse=True)
    assert both[0].score >= both[1].score > 0


def test_unbalanced_quotes_are_rejected(searcher):
    with pytest.raises(QuerySyntaxError):
        searcher.search('"quick brown')
    with pytest.raises(QuerySyntaxError):
        searcher.search('fox -"lazy')


def test_removed_and_replaced_documents_leave_no_phrase_behind(searcher):
    searcher.index.remove("fox-1")
    assert ids(searcher.search('"quick brown fox"')) == []
    searcher.index.add("fox-2", {"title": "A quick brown fox", "body": "rewritten"})
    assert ids(searcher.search('"quick brown fox"')) == ["fox-2"]
    assert ids(searcher.search('"fox is quick"')) == []


def test_saved_index_keeps_phrase_support(searcher):
    data = json.loads(json.dumps(searcher.index.to_dict()))
    reloaded = Searcher(InvertedIndex.from_dict(data))
    assert ids(reloaded.search('"quick brown fox"')) == ["fox-1"]
    assert ids(reloaded.search('"state of the art"')) == ["art-1"]
    assert reloaded.search("quick") == searcher.search("quick")


def test_indexes_saved_by_the_current_release_still_load():
    version_1 = {
        "version": 1,
        "boosts": {"title": 3.0, "body": 1.0},
        "documents": {
            "d1": {"title": "Quick brown fox", "body": "jumps"},
            "d2": {"title": "Brown quick fox", "body": "sleeps"},
        },
        "lengths": {"d1": {"title": 3, "body": 1}, "d2": {"title": 3, "body": 1}},
        "postings": {
            "quick": {"d1": {"title": 1}, "d2": {"title": 1}},
            "brown": {"d1": {"title": 1}, "d2": {"title": 1}},
            "fox": {"d1": {"title": 1}, "d2": {"title": 1}},
            "jump": {"d1": {"body": 1}},
            "sleep": {"d2": {"body": 1}},
        },
    }
    index = InvertedIndex.from_dict(version_1)
    assert index.boosts == {"title": 3.0, "body": 1.0}
    searcher = Searcher(index)
    assert ids(searcher.search("fox")) == ["d1", "d2"]
    assert ids(searcher.search('"quick brown"')) == ["d1"]
    assert ids(searcher.search("sleeps")) == ["d2"]


def test_word_queries_keep_working(searcher):
    assert ids(searcher.search("quick brown")) == ["fox-1", "fox-2"]
    assert ids(searcher.search("lazy OR art sleep")) == ["dogs"]
    assert ids(searcher.search("brown -jumps")) == ["fox-2", "split"]
    assert ids(searcher.search("the of")) == []
    assert ids(searcher.search("cafes")) == ["cafe"]
    hits = searcher.search("state")
    assert [h.doc_id for h in hits] == ["art-2", "art-1"]
    with pytest.raises(QuerySyntaxError):
        searcher.search("OR fox")
    with pytest.raises(QuerySyntaxError):
        searcher.search("fox -")


def test_round_trip_and_ranking_of_word_queries(searcher):
    reloaded = Searcher(InvertedIndex.from_dict(json.loads(json.dumps(searcher.index.to_dict()))))
    for query in ("fox", "quick OR lazy", "state -search", "dogs"):
        assert reloaded.search(query) == searcher.search(query)
    assert len(searcher.search("fox", limit=1)) == 1
