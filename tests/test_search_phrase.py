"""A query that is one phrase is ranked in one pass (store/ranking.py, through apsw):
the same rows, scores (to the bit) and order as FTS5's bm25, which the stdlib sqlite3
connection and every other query still use."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from vellum.store import ranking
from vellum.store import search as fts
from vellum.store.index import Index
from vellum.store.search import Filters, SearchDoc

from .test_search_reader import fill

apsw = pytest.importorskip("apsw")

WORDS = ("tea", "kettle", "boiled", "the", "water", "cup", "pot", "leaf", "green", "black",
         "steep", "minutes", "cold", "brew", "milk", "sugar", "lemon", "smoke", "oolong",
         "jasmine", "rinse", "strain", "taste", "aroma", "bitter", "sweet", "warm", "cool")


def corpus(count: int = 240, seed: int = 5) -> list[SearchDoc]:
    """Posts whose words repeat as in prose (a few in most posts, most in a few), also
    in titles, tags and descriptions so that weighted columns count."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    docs = []
    for n in range(count):
        body = " ".join(rng.choices(WORDS, weights, k=rng.randint(5, 160)))
        docs.append(SearchDoc(
            f"h{n % 4}.example/p{n}.md", f"h{n % 4}.example", f"20{10 + n % 15}-01-01",
            " ".join(rng.choices(WORDS[:8], k=4)), (f"Author {n % 7}",),
            tuple(rng.sample(WORDS[:12], 2)), " ".join(rng.choices(WORDS, weights, k=8)),
            body))
    return docs


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    opened = Index(tmp_path / "index.db")
    fill(opened, corpus())
    yield opened
    opened.close()


def phrases() -> list[str]:
    rng = random.Random(9)
    found = ['"the kettle"', '"tea tea"', '"kettle boiled the"', '"jasmine aroma"']
    found += [f'"{rng.choice(WORDS[:10])} {rng.choice(WORDS)}"' for _ in range(30)]
    return found


def test_one_pass_ranks_every_phrase_as_bm25_does(index: Index) -> None:
    index.search("tea", Filters(), 1)  # opens the apsw connection
    db = index._searcher()
    ranked_here = 0
    for query in phrases():
        match = fts.fts_query(query)
        assert ranking.usable(db, match, fts.WEIGHTS)
        for limit in (1, 3, 20, 1000):
            mine = ranking.rank_phrase(db, match, limit, fts.WEIGHTS)
            if mine is None:
                continue  # a tie at the cut: bm25 decides
            ranked_here += 1
            assert mine == fts._ranked(db, match, [], [], limit), (query, limit)
    assert ranked_here > 100  # the one pass answered nearly all of them


def test_phrase_searches_give_the_same_hits_through_both_connections(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = [(q, Filters()) for q in phrases()[:12]]
    queries += [('title:"the kettle"', Filters()), ('"the kettle"', Filters(host="h1.example")),
                ('"the kettle" tea', Filters())]
    fast = Index(tmp_path / "index.db")
    fill(fast, corpus())
    with_apsw = [fast.search(q, where, 10) for q, where in queries]
    fast.close()
    monkeypatch.setattr(fts, "apsw", None)
    plain = Index(tmp_path / "index.db")
    assert [plain.search(q, where, 10) for q, where in queries] == with_apsw
    assert sum(1 for hits in with_apsw if hits) >= 12
    plain.close()


def test_posts_indexed_before_the_token_count_rank_the_same(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    old = Index(path)
    fill(old, corpus(60))
    old.close()
    db = sqlite3.connect(path)  # as an index written before docs.tokens existed
    db.execute("ALTER TABLE docs DROP COLUMN tokens")
    db.commit()
    db.close()
    index = Index(path)
    index.search("tea", Filters(), 1)
    reader = index._searcher()
    assert {row[0] for row in index._db.execute("SELECT tokens FROM docs")} == {-1}
    answered = 0
    for query in phrases()[:10]:
        match = fts.fts_query(query)
        mine = ranking.rank_phrase(reader, match, 5, fts.WEIGHTS)
        if mine is not None:
            answered += 1
            assert mine == fts._ranked(reader, match, [], [], 5), query
    assert answered >= 8
    index.close()


def test_a_tie_at_the_cut_is_left_to_bm25(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.db")
    same = [SearchDoc(f"a.example/{n}.md", "a.example", body="the kettle boiled over")
            for n in range(3)]
    fill(index, same)
    index.search("kettle", Filters(), 1)
    match = fts.fts_query('"kettle boiled"')
    assert ranking.rank_phrase(index._searcher(), match, 1, fts.WEIGHTS) is None
    assert [hit.path for hit in index.search('"kettle boiled"', Filters(), 2)] == [
        "a.example/0.md", "a.example/1.md"]  # equal scores: the older row first
    index.close()


def test_only_a_lone_phrase_of_several_words_through_apsw_takes_the_one_pass(
        index: Index) -> None:
    index.search("tea", Filters(), 1)
    reader = index._searcher()
    assert ranking.usable(reader, '"the kettle"', fts.WEIGHTS)
    assert ranking.usable(reader, '"say ""hi"" there"', fts.WEIGHTS)
    for match in ('"kettle"', '"the kettle" "tea"', 'title : "the kettle"', '"the kettle"*',
                  '"the kettle" OR "tea"'):
        assert not ranking.usable(reader, match, fts.WEIGHTS), match
    assert not ranking.usable(reader, '"the kettle"', (10.0, 5.0, 5.0, 3.0, 0.5))
    assert not ranking.usable(index._db, '"the kettle"', fts.WEIGHTS)


def test_varints_read_as_sqlite_writes_them() -> None:
    assert fts.varints(bytes([5, 0x81, 0x00, 0x7F]), 3) == [5, 128, 127]
    assert fts.varints(bytes([0x82, 0x80, 0x01, 9]), 1) == [(2 << 14) | 1]
    assert fts.varints(bytes([0xFF] * 8 + [0xAB]), 1) == [(2 ** 56 - 1) << 8 | 0xAB]
    assert fts.varints(bytes([1, 2, 3]), 2) == [1, 2]


def test_each_post_keeps_the_token_count_fts5_holds(index: Index) -> None:
    sizes = dict(index._db.execute("SELECT id, sz FROM docs_fts_docsize").fetchall())
    for rowid, tokens in index._db.execute("SELECT id, tokens FROM docs"):
        assert tokens == sum(fts.varints(sizes[rowid], 5)) > 0
