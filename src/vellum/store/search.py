"""Full-text search over the archive: an SQLite FTS5 table beside the index's entries.

SQL and front matter reading only. The table is a cache like the rest of the index:
``Store.save`` keeps it in step with each file written and ``Store.reindex`` refills
it from the files, so a Markdown file edited by hand is searchable after a reindex.

``docs`` holds what the filters and ``list`` need (host, date, authors, tags), one
row per post; ``docs_fts`` the searched text, sharing ``docs``' rowid. Ranking is
FTS5's bm25 with the title weighted above authors and tags, those above the
description, and the description above the body.

Every query is ranked so, even one whose words are all in most posts. FTS5 clamps
the IDF of a phrase found in more than half the rows to 1e-6 rather than letting it
go negative: the scores shrink to ~1e-6 but still differ by weighted frequency and
length (15,812 distinct scores over the bench's 20,000 matches of its top word), so
ordering such queries newest first instead would be a different ranking, not a
shortcut (it shared none of the bench's top 20). That ranking is what a broad query
pays for: bm25 reads every match's instances (~40 ms of CPU for a word in all
20,000 bench posts), and for a phrase it also matches the phrase a second time over
the whole table to count it (~25 ms, beside ~30 ms for the match itself).

Searches read through ``apsw``, a dependency: it bundles a current SQLite whose FTS5
ranks the same posts with the same scores and snippets for 15-25% less CPU than the
3.40 of Debian 12's Python (bench/search.py prints both). Where it cannot be imported,
the stdlib ``sqlite3`` connection serves searches too. Writes always go through
``sqlite3``; see ``reader`` for why two SQLite copies may share the file.

Measured on the bench and left out (same hits each time): ``ORDER BY rank`` with the
rank configured (slower: FTS5 then ranks in an inner query of its own); PRAGMA
cache_size and mmap_size on the reading connection, and a 16 kB FTS5 pgsz (no change
beyond noise: a query reads each doclist page once); bm25 rewritten as an apsw
Python function that counts a phrase's posts from its own calls instead of the
second pass (exact, but its per-row Python costs more than the pass it saves). FTS5
has no cheaper exact way: bm25 takes a phrase's count from nowhere but that pass.
Except for a query that is one phrase, whose count is the number of rows it matches:
``ranking`` scores those in one pass with a leaner Python function, the post's length
read from ``docs.tokens`` rather than asked of FTS5 row by row (-17% on the bench's
phrase; every query else, and every search without apsw, ranks with bm25).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .. import frontmatter
from ..errors import InputError
from ..rules.store import QUERY_TOKEN
from ..urls import host_dir
from . import ranking


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# None when it cannot be imported: the stdlib sqlite3 serves searches. Typed Any so
# the module type-checks the same with and without it installed.
apsw: Any = _optional("apsw")

# FTS5's count of a post's tokens (its docsize row, summed), kept for ``ranking``.
TOKENS_COLUMN = "tokens INTEGER NOT NULL DEFAULT -1"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    {TOKENS_COLUMN}
);
CREATE INDEX IF NOT EXISTS docs_host ON docs(host);
CREATE INDEX IF NOT EXISTS docs_date ON docs(date);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
    title, authors, tags, description, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""
# bm25 weights, in the column order of docs_fts.
WEIGHTS = (10.0, 5.0, 5.0, 3.0, 1.0)
FTS_COLUMNS = ("title", "authors", "tags", "description", "body")
# Front matter keys, per profile, that feed each searched field.
AUTHOR_KEYS = ("authors", "author")
TAG_KEYS = ("tags", "categories", "category")
DESCRIPTION_KEYS = ("description", "summary", "excerpt")
# Snippet markers: control characters no Markdown text contains; the CLI styles them.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_TOKENS = 16
# A list value is stored one per line between newlines, so a filter can match it whole.
SEP = "\n"
OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True)
class SearchDoc:
    """The searchable view of one archived file."""

    path: str
    host: str = ""
    date: str = ""
    title: str = ""
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    description: str = ""
    body: str = ""


@dataclass(frozen=True)
class Filters:
    """Restrictions shared by ``search`` and ``list``; empty means no restriction."""

    host: str = ""
    tag: str = ""
    author: str = ""
    since: str = ""
    until: str = ""


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Hit:
    """One post found: the ``docs`` row, plus the rank and snippet of a text search."""

    path: str
    host: str
    date: str
    title: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    description: str
    rank: float = 0.0
    snippet: str = ""


# -- documents ----------------------------------------------------------------------------


def document(path: str, text: str, url: str = "", date: str = "") -> SearchDoc:
    """The searchable fields of the file at ``path`` holding ``text``."""
    data, body = frontmatter.split(text)
    meta = data or {}
    return SearchDoc(
        path=path,
        host=_host(url, path),
        date=_text(meta.get("date")) or date,
        title=_text(meta.get("title")),
        authors=_names(meta, AUTHOR_KEYS),
        tags=_names(meta, TAG_KEYS),
        description=next((_text(meta.get(k)) for k in DESCRIPTION_KEYS if meta.get(k)), ""),
        body=body,
    )


def _host(url: str, path: str) -> str:
    if url:
        try:
            return host_dir(url)
        except ValueError:
            pass
    parts = PurePosixPath(path).parts
    return parts[0] if len(parts) > 1 else ""


def _text(value: Any) -> str:
    if isinstance(value, dict):  # mkdocs ``date: {created: ...}``
        value = value.get("created") or next(iter(value.values()), None)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (list, dict)):
        return ""
    return str(value).strip()


def _names(meta: dict[str, Any], keys: Sequence[str]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for key in keys:
        value = meta.get(key)
        values = value if isinstance(value, list) else [value]
        for item in values:
            name = _text(item)
            if name and "\n" not in name:
                names[name] = None
    return tuple(names)


# -- writing (inside the caller's transaction) --------------------------------------------


def setup(db: sqlite3.Connection) -> bool:
    """Create the search tables if missing; True when they were (an older index)."""
    known = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'docs_fts'").fetchone()
    db.executescript(SCHEMA)
    if "tokens" not in {row[1] for row in db.execute("PRAGMA table_info(docs)")}:
        # Rows written before it say -1 (not known): ranking asks FTS5 for those.
        db.execute(f"ALTER TABLE docs ADD COLUMN {TOKENS_COLUMN}")
    return known is None


def put(db: sqlite3.Connection, doc: SearchDoc) -> None:
    """Insert or replace the search rows of ``doc.path``."""
    remove(db, doc.path)
    cursor = db.execute(
        "INSERT INTO docs (path, host, date, title, authors, tags, description) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (doc.path, doc.host, doc.date, doc.title, _joined(doc.authors), _joined(doc.tags),
         doc.description))
    db.execute("INSERT INTO docs_fts (rowid, title, authors, tags, description, body) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               (cursor.lastrowid, doc.title, " ; ".join(doc.authors), " ; ".join(doc.tags),
                doc.description, doc.body))
    sizes = db.execute("SELECT sz FROM docs_fts_docsize WHERE id = ?",
                       (cursor.lastrowid,)).fetchone()
    if sizes is not None:
        db.execute("UPDATE docs SET tokens = ? WHERE id = ?",
                   (sum(varints(sizes[0], len(FTS_COLUMNS))), cursor.lastrowid))


def varints(data: bytes, count: int) -> list[int]:
    """The first ``count`` SQLite varints of ``data``: how FTS5's docsize table holds a
    row's token count per column."""
    values: list[int] = []
    value, used = 0, 0
    for byte in data:
        used += 1
        if used == 9:  # the ninth byte of a varint carries 8 bits
            value, byte = (value << 8) | byte, 0
        else:
            value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            values.append(value)
            if len(values) == count:
                break
            value, used = 0, 0
    return values


def remove(db: sqlite3.Connection, path: str) -> None:
    row = db.execute("SELECT id FROM docs WHERE path = ?", (path,)).fetchone()
    if row is not None:
        db.execute("DELETE FROM docs_fts WHERE rowid = ?", (row[0],))
        db.execute("DELETE FROM docs WHERE id = ?", (row[0],))


def clear(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM docs_fts")
    db.execute("DELETE FROM docs")


def optimize(db: sqlite3.Connection) -> None:
    """Merge the full-text index into one segment (after a rebuild).

    A rebuild writes tens of thousands of small segments; each query then merges a
    term's pieces from all of them, and each snippet seeks in all of them. On the
    20,000-post bench one merge costs ~2-3 s (5% of the rebuild) and halves queries
    that match thousands of posts. Later writes add small segments FTS5 merges itself.
    """
    db.execute("INSERT INTO docs_fts (docs_fts) VALUES ('optimize')")


def _joined(names: Iterable[str]) -> str:
    items = list(names)
    return f"{SEP}{SEP.join(items)}{SEP}" if items else ""


# -- reading ------------------------------------------------------------------------------


def reader(path: Path, busy_timeout_ms: int) -> Any | None:
    """A read-only apsw connection on the index at ``path``; None without apsw.

    SQLite warns that two copies of the library in one process must not hold the
    same file in overlapping transactions (POSIX locks are per process, so neither
    copy sees the other's) nor close it while the other holds locks. The index keeps
    both rules: every statement on either connection runs whole under its lock (no
    transaction spans two calls), and it closes this one just before its own.
    """
    if apsw is None:
        return None
    try:
        db = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READONLY)
        db.set_busy_timeout(busy_timeout_ms)
    except apsw.Error:
        return None  # the stdlib connection serves, and reports what is wrong
    return db


# apsw errors as the sqlite3 ones the index turns into messages: a damaged file is a
# DatabaseError (its text names the damage), anything else an OperationalError.
APSW_DAMAGE = ("CorruptError", "NotADBError")


@contextlib.contextmanager
def sqlite_errors() -> Iterator[None]:
    """Raise an apsw error met inside as its sqlite3 counterpart."""
    if apsw is None:
        yield
        return
    try:
        yield
    except apsw.Error as err:
        kind = sqlite3.DatabaseError if type(err).__name__ in APSW_DAMAGE else \
            sqlite3.OperationalError
        raise kind(str(err)) from err


def fts_query(text: str) -> str:
    """``text`` as an FTS5 query: words and "phrases" as given, ``word*`` as a prefix,
    AND/OR/NOT kept, ``title:word`` searching one field; anything else quoted, so no
    user input is an FTS5 syntax error."""
    parts: list[str] = []
    for token in QUERY_TOKEN.findall(text):
        if token in OPERATORS:
            parts.append(token)
            continue
        column = ""
        name, colon, rest = token.partition(":")
        if colon and name.lower() in FTS_COLUMNS and rest:
            column, token = f"{name.lower()} : ", rest
        prefix = token.endswith("*") and not token.startswith('"')
        words = token.strip('"').rstrip("*") if not token.startswith('"') else token.strip('"')
        if not words.strip():
            continue
        parts.append(f'{column}"{words.replace(chr(34), chr(34) * 2)}"{"*" if prefix else ""}')
    while parts and parts[-1] in OPERATORS:
        parts.pop()
    while parts and parts[0] in ("AND", "OR"):
        parts.pop(0)
    if not parts:
        raise InputError(text, "nothing to search for")
    return " ".join(parts)


def _where(filters: Filters) -> tuple[list[str], list[str]]:
    clauses: list[str] = []
    params: list[str] = []
    if filters.host:
        clauses.append("(d.host = ? OR d.host LIKE ?)")
        params += [filters.host, f"%.{filters.host}"]
    if filters.tag:
        clauses.append("lower(d.tags) LIKE ?")
        params.append(f"%{SEP}{filters.tag.lower()}{SEP}%")
    if filters.author:
        clauses.append("lower(d.authors) LIKE ?")
        params.append(f"%{filters.author.lower()}%")
    if filters.since:
        clauses.append("d.date != '' AND d.date >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("d.date != '' AND substr(d.date, 1, ?) <= ?")
        params += [str(len(filters.until)), filters.until]
    return clauses, params


DOC_COLUMNS = "d.path, d.host, d.date, d.title, d.authors, d.tags, d.description"


def search(db: sqlite3.Connection, query: str, filters: Filters, limit: int) -> list[Hit]:
    """The best ``limit`` posts for ``query`` (bm25), each with a highlighted snippet.

    Two steps: rank (cheap) over every match, then build snippets (dear) for the
    ``limit`` kept only; the snippet comes from the body when the body matches.
    """
    clauses, params = _where(filters)
    match = fts_query(query)
    ranked = None
    if not clauses and ranking.usable(db, match, WEIGHTS):
        ranked = ranking.rank_phrase(db, match, limit, WEIGHTS)
    if ranked is None:
        ranked = _ranked(db, match, clauses, params, limit)
    ids = [rowid for rowid, _ in ranked]
    rows = {row[7]: row[:7] for row in db.execute(
        f"SELECT {DOC_COLUMNS}, d.id FROM docs d WHERE d.id IN ({', '.join('?' * len(ids))})",
        ids).fetchall()} if ids else {}
    snippets = _snippets(db, match, ids)
    return [_hit(rows[rowid], rank=score, snippet=snippets.get(rowid, ""))
            for rowid, score in ranked if rowid in rows]


def _ranked(db: sqlite3.Connection, match: str, clauses: list[str], params: list[str],
            limit: int) -> list[tuple[int, float]]:
    """(rowid, bm25 score) of the best ``limit`` matches, rowid first among equal scores."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    # Unfiltered: ranked on the FTS table alone (no join per match), the kept rows read
    # after. Filtered: joined, which measured faster than a rowid IN (subquery).
    join = "JOIN docs d ON d.id = docs_fts.rowid " if clauses else ""
    where = "".join(f" AND {c}" for c in clauses)
    return [(rowid, score) for rowid, score in db.execute(
        f"SELECT docs_fts.rowid, bm25(docs_fts, {weights}) AS score FROM docs_fts {join}"
        f"WHERE docs_fts MATCH ?{where} ORDER BY score, docs_fts.rowid LIMIT ?",
        [match, *params, limit]).fetchall()]


def _snippets(db: sqlite3.Connection, match: str, ids: list[int]) -> dict[int, str]:
    """Snippets from the body; from the best other field for posts matched elsewhere only."""
    found = _snippet_rows(db, match, ids, FTS_COLUMNS.index("body"))
    elsewhere = [rowid for rowid in ids if MARK_START not in found.get(rowid, "")]
    found.update(_snippet_rows(db, match, elsewhere, -1))
    return found


def _snippet_rows(db: sqlite3.Connection, match: str, ids: list[int],
                  column: int) -> dict[int, str]:
    if not ids:
        return {}
    marks = f"'{MARK_START}', '{MARK_END}', '…', {SNIPPET_TOKENS}"
    # "rowid IN" seeks the match once per id; a prefix term re-merges the doclists of
    # every word it covers at each seek, so there one pass over the matches (+rowid:
    # filtered, not sought) measured faster. A phrase is the other way round.
    key = "+rowid" if "*" in match else "rowid"
    rows = db.execute(
        f"SELECT rowid, snippet(docs_fts, {column}, {marks}) FROM docs_fts "
        f"WHERE docs_fts MATCH ? AND {key} IN ({', '.join('?' * len(ids))})",
        [match, *ids]).fetchall()
    return dict(rows)


SORTS = {"date": "d.date DESC, d.path", "title": "lower(d.title), d.path",
         "host": "d.host, d.date DESC, d.path", "path": "d.path"}


def listing(db: sqlite3.Connection, filters: Filters, sort: str = "date",
            limit: int | None = None) -> list[Hit]:
    """Every post passing ``filters``, in ``sort`` order."""
    clauses, params = _where(filters)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT {DOC_COLUMNS} FROM docs d{where} ORDER BY {SORTS[sort]}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_hit(row) for row in db.execute(sql, params).fetchall()]


def _hit(row: Sequence[Any], *, rank: float = 0.0, snippet: str = "") -> Hit:
    path, host, date, title, authors, tags, description = row
    return Hit(path, host, date, title, _split(authors), _split(tags), description,
               rank=rank, snippet=" ".join(snippet.split()))


def _split(joined: str) -> tuple[str, ...]:
    return tuple(part for part in joined.split(SEP) if part)
