"""The index's search connection: apsw (a bundled, current SQLite) when installed, the
stdlib sqlite3 connection otherwise. Both must give the same hits, ranks and snippets;
the apsw one must see every write and close with the index."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from vellum.errors import InputError, StoreError
from vellum.models import Entry
from vellum.store import search as fts
from vellum.store.index import Index
from vellum.store.search import Filters, SearchDoc

apsw = pytest.importorskip("apsw")

FILLER = "notes from the workshop about tools and habits"
DOCS = [
    SearchDoc("a.example/2015/kettle.md", "a.example", "2015-03-01", "The kettle descales",
              ("Ada Example",), ("tea",), "", f"A kettle. {FILLER}."),
    SearchDoc("b.example/2019/mugs.md", "b.example", "2019-06-02", "Mugs",
              ("Bob Writer",), ("tea",), "Mugs and a kettle", f"{FILLER}, then the kettle "
              f"boiled. {FILLER}."),
    SearchDoc("b.example/2021/rare.md", "b.example", "2021-01-09", "Saucers",
              ("Bob Writer",), ("pottery",), "", f"{FILLER}; a kettle boiled by one samovar. "
              f"{FILLER}. {FILLER}."),
    SearchDoc("c.example/2023/samovar.md", "c.example", "2023-11-20", "The samovar",
              ("Cy Maker",), ("pottery",), "", f"{FILLER}. The kettle waited. {FILLER}."),
]
QUERIES = [("kettle", Filters()), ('"kettle boiled"', Filters()), ("sam*", Filters()),
           ("workshop habits", Filters()), ("kettle", Filters(host="b.example")),
           ("title:samovar OR pottery", Filters(since="2020"))]


def fill(index: Index, docs: list[SearchDoc]) -> None:
    for doc in docs:
        index.upsert(Entry(path=doc.path, url=f"https://{doc.path}", title=doc.title,
                           date=doc.date), [doc.path], doc)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    opened = Index(tmp_path / "index.db")
    fill(opened, DOCS)
    yield opened
    opened.close()


@pytest.fixture
def stdlib_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fts, "apsw", None)


def results(index: Index) -> list[list[tuple[str, float, str]]]:
    return [[(hit.path, hit.rank, hit.snippet) for hit in index.search(query, where, 10)]
            for query, where in QUERIES]


def test_searches_read_through_apsw_when_installed(index: Index) -> None:
    assert index.search("kettle", Filters(), 10)
    assert isinstance(index._searcher(), apsw.Connection)
    assert index._searcher() is not index._db


def test_without_apsw_the_stdlib_connection_searches(index: Index, stdlib_only: None) -> None:
    assert fts.reader(index.path, 1000) is None
    assert [hit.path for hit in index.search("samovar", Filters(), 10)] == [
        "c.example/2023/samovar.md", "b.example/2021/rare.md"]
    assert index._searcher() is index._db


def test_both_connections_give_the_same_hits_ranks_and_snippets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = Index(tmp_path / "index.db")
    fill(fast, DOCS)
    with_apsw = results(fast)
    fast.close()
    monkeypatch.setattr(fts, "apsw", None)
    plain = Index(tmp_path / "index.db")
    assert results(plain) == with_apsw
    assert all(with_apsw)  # every query found something
    plain.close()


def test_the_search_connection_sees_later_writes_and_removals(index: Index) -> None:
    assert index.search("teapot", Filters(), 10) == []  # the reader is open from here on
    fill(index, [SearchDoc("d.example/2024/teapots.md", "d.example", "2024-08-14", "Teapots",
                           body="A teapot beside the kettle.")])
    assert [hit.path for hit in index.search("teapot", Filters(), 10)] == [
        "d.example/2024/teapots.md"]
    index.delete("d.example/2024/teapots.md")
    assert index.search("teapot", Filters(), 10) == []
    index.rebuild([])
    assert index.search("kettle", Filters(), 10) == []


def test_closing_the_index_closes_the_search_connection(tmp_path: Path) -> None:
    opened = Index(tmp_path / "index.db")
    fill(opened, DOCS)
    opened.search("kettle", Filters(), 10)
    reader = opened._searcher()
    opened.close()
    with pytest.raises(apsw.ConnectionClosedError):
        reader.execute("SELECT 1")


def test_setting_a_damaged_index_aside_drops_the_search_connection(index: Index) -> None:
    index.search("kettle", Filters(), 10)
    old = index._searcher()
    index.set_aside()
    with pytest.raises(apsw.ConnectionClosedError):
        old.execute("SELECT 1")
    assert index.search("kettle", Filters(), 10) == []  # the fresh, empty index


def test_apsw_errors_become_the_sqlite3_ones_the_index_reports() -> None:
    with pytest.raises(sqlite3.DatabaseError, match="malformed") as damaged, \
            fts.sqlite_errors():
        raise apsw.CorruptError("database disk image is malformed")
    assert not isinstance(damaged.value, sqlite3.OperationalError)
    with pytest.raises(sqlite3.OperationalError, match="fts5: syntax"), fts.sqlite_errors():
        raise apsw.SQLError("fts5: syntax error near \"\"")


def test_a_query_fts5_rejects_is_an_input_error_through_apsw(
        index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    # fts_query quotes every word, so only a query past it can reach FTS5 unparsed.
    monkeypatch.setattr(fts, "fts_query", lambda text: text)
    with pytest.raises(InputError, match="not a search query"):
        index.search("kettle AND", Filters(), 10)


def test_an_sql_error_on_the_search_connection_is_a_store_error(index: Index) -> None:
    index.search("kettle", Filters(), 10)
    index._searcher().close()
    index._reader = apsw.Connection(":memory:")  # no docs_fts table there
    with pytest.raises(StoreError, match="cannot search the index.*no such table"):
        index.search("kettle", Filters(), 10)


def test_an_apsw_connection_that_cannot_open_leaves_searches_to_sqlite3(
        index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise apsw.CantOpenError("unable to open database file")

    monkeypatch.setattr(apsw, "Connection", refuse)
    assert [hit.path for hit in index.search("samovar", Filters(), 10)][0] == \
        "c.example/2023/samovar.md"
    assert index._searcher() is index._db
