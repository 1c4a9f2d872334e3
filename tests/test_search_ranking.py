"""Ranking of broad queries: a word in most posts is still ranked by FTS5's bm25.

FTS5 clamps the IDF of a phrase found in more than half the rows to 1e-6 instead of
letting it go negative. The clamp scales the scores down; it does not flatten them:
bm25 still orders the posts by weighted term frequency and length, so a query made
only of such words is not "unranked" and is not re-sorted by date. These tests hold
that on the real FTS5 (an in-memory index built with the store's own schema).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from vellum.store import search as fts
from vellum.store.search import MARK_END, MARK_START, Filters, SearchDoc

FILLER = "notes from the workshop about tools and habits"
DOCS = [
    # The oldest post names the kettle in its title; the others only mention it once.
    SearchDoc("a.example/2015/kettle.md", "a.example", "2015-03-01", "The kettle descales",
              ("Ada Example",), ("tea",), "", f"A kettle. {FILLER}."),
    SearchDoc("b.example/2019/mugs.md", "b.example", "2019-06-02", "Mugs",
              ("Bob Writer",), ("tea",), "", f"{FILLER}, then the kettle boiled. {FILLER}."),
    SearchDoc("b.example/2021/rare.md", "b.example", "2021-01-09", "Saucers",
              ("Bob Writer",), ("pottery",), "",
              f"{FILLER}; a kettle and one samovar. {FILLER}. {FILLER}."),
    SearchDoc("c.example/2023/samovar.md", "c.example", "2023-11-20", "The samovar",
              ("Cy Maker",), ("pottery",), "", f"{FILLER}. The kettle waited. {FILLER}."),
    SearchDoc("c.example/2024/teapots.md", "c.example", "2024-08-14", "Teapots",
              ("Cy Maker",), ("tea",), "", f"{FILLER}. {FILLER} and a kettle. {FILLER}."),
]
BY_PATH = {doc.path: doc for doc in DOCS}
WEIGHTS = ", ".join(str(w) for w in fts.WEIGHTS)


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    fts.setup(connection)
    for doc in DOCS:
        fts.put(connection, doc)
    yield connection
    connection.close()


def bm25_order(db: sqlite3.Connection, match: str) -> list[tuple[str, float]]:
    return db.execute(
        f"SELECT d.path, bm25(docs_fts, {WEIGHTS}) AS score FROM docs_fts "
        "JOIN docs d ON d.id = docs_fts.rowid WHERE docs_fts MATCH ? ORDER BY score",
        (match,)).fetchall()


def paths(hits: list[fts.Hit]) -> list[str]:
    return [hit.path for hit in hits]


def test_fts5_clamps_a_common_words_idf_but_its_scores_still_differ(
        db: sqlite3.Connection) -> None:
    ranked = bm25_order(db, '"kettle"')  # in every post: IDF clamped to 1e-6
    scores = [score for _, score in ranked]
    assert len(ranked) == len(DOCS)
    assert all(-1e-5 < score < 0 for score in scores)
    assert len(set(scores)) > 1  # not flat: weighted frequency and length still count
    assert ranked[0][0] == "a.example/2015/kettle.md"  # the title match, oldest post
    rare = bm25_order(db, '"samovar"')  # in 2 of 5 posts: an unclamped IDF
    assert all(score < -0.1 for _, score in rare)


def test_a_word_in_every_post_is_ranked_by_bm25_not_by_date(db: sqlite3.Connection) -> None:
    hits = fts.search(db, "kettle", Filters(), 10)
    assert paths(hits) == [path for path, _ in bm25_order(db, '"kettle"')]
    newest_first = sorted(DOCS, key=lambda doc: doc.date, reverse=True)
    assert paths(hits) != [doc.path for doc in newest_first]
    assert hits[0].path == "a.example/2015/kettle.md"
    assert all(hit.rank < 0 for hit in hits)


def test_two_common_words_and_a_rare_one_keep_bm25_order(db: sqlite3.Connection) -> None:
    for query, match in (("kettle the", '"kettle" "the"'), ("samovar", '"samovar"')):
        assert paths(fts.search(db, query, Filters(), 10)) == [
            path for path, _ in bm25_order(db, match)]
    # the title match outranks the body match, whatever their dates
    assert paths(fts.search(db, "samovar", Filters(), 10))[0] == "c.example/2023/samovar.md"


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(host="b.example"), {"b.example/2019/mugs.md", "b.example/2021/rare.md"}),
    (Filters(tag="pottery"), {"b.example/2021/rare.md", "c.example/2023/samovar.md"}),
    (Filters(author="cy"), {"c.example/2023/samovar.md", "c.example/2024/teapots.md"}),
    (Filters(since="2023"), {"c.example/2023/samovar.md", "c.example/2024/teapots.md"}),
    (Filters(until="2019"), {"a.example/2015/kettle.md", "b.example/2019/mugs.md"}),
])
def test_filters_restrict_a_common_word_query(db: sqlite3.Connection, filters: Filters,
                                              expected: set[str]) -> None:
    hits = fts.search(db, "kettle", filters, 10)
    assert set(paths(hits)) == expected
    unfiltered = paths(fts.search(db, "kettle", Filters(), 10))
    assert paths(hits) == [path for path in unfiltered if path in expected]  # same order


def test_common_word_snippets_highlight_the_match(db: sqlite3.Connection) -> None:
    hits = fts.search(db, "kettle", Filters(), 2)
    assert len(hits) == 2
    for hit in hits:
        assert f"{MARK_START}kettle{MARK_END}" in hit.snippet.lower()
    [phrase] = fts.search(db, '"kettle boiled"', Filters(), 10)
    assert f"{MARK_START}kettle boiled{MARK_END}" in phrase.snippet  # one span per phrase
    assert phrase.path == "b.example/2019/mugs.md"
    assert BY_PATH[phrase.path].title == phrase.title
