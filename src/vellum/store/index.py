"""The SQLite index of the archive: entries by path and the URL keys that lead to them.

SQL only: no file handling here. The index is a cache of the Markdown files and
their sidecars, so it can be dropped and rebuilt at any time (``Store.reindex``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, fields
from pathlib import Path
from typing import Any

from ..errors import DamagedIndexError, InputError, StoreError
from ..models import Entry
from . import search
from .search import Filters, Hit, SearchDoc

# Bump with a migration in ``_migrate`` whenever the schema changes.
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
COLUMNS = tuple(f.name for f in fields(Entry))
# What SQLite says of a corrupt file (SQLITE_CORRUPT, SQLITE_NOTADB): Python < 3.11 has
# no error code on the exception, only this text.
DAMAGE_MESSAGES = ("malformed", "not a database", "corrupt")
REPAIR_HINT = "run `vellum reindex` to rebuild it from the files"

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    path TEXT PRIMARY KEY,
    url TEXT NOT NULL DEFAULT '',
    canonical_url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'ok',
    profile TEXT NOT NULL DEFAULT 'default'
);
CREATE TABLE IF NOT EXISTS url_keys (
    key TEXT PRIMARY KEY,
    path TEXT NOT NULL REFERENCES entries(path) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS url_keys_path ON url_keys(path);
"""

UPSERT = (
    f"INSERT INTO entries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
    f"ON CONFLICT(path) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "path")
)
SELECT = f"SELECT {', '.join(COLUMNS)} FROM entries"


class Index:
    """One connection shared by the threads of one process, serialised by a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.created = False
        """True when this open created the schema (an empty or a new database)."""
        self._lock = threading.RLock()
        self._db = self._open()
        # Searches' connection (apsw when installed, else _db), opened by the first one.
        self._reader: Any = None
        try:
            self._setup()
        except sqlite3.DatabaseError as err:
            self._db.close()
            if isinstance(err, sqlite3.OperationalError) and not _is_damage(err):
                raise StoreError(str(path), f"cannot open the index ({err})") from err
            # Not a database / malformed: it is only a cache of the files, start afresh.
            self._move_aside()
            self._db = self._open()
            self._setup()
        except StoreError:
            self._db.close()
            raise

    def _open(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(str(self.path), f"cannot open the index ({err})") from err

    def _move_aside(self) -> None:
        """Rename the damaged database (and its WAL files) to ``index.db.corrupt-<stamp>``:
        kept for a post-mortem, out of the way of the fresh one."""
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            try:
                if source.exists():
                    os.replace(source, f"{self.path}.corrupt-{stamp}{suffix}")
            except OSError as err:
                raise StoreError(str(self.path), f"cannot move the damaged index aside ({err})") \
                    from err

    def healthy(self) -> bool:
        """True when SQLite's own check finds every page of the index sound."""
        try:
            with self._lock:
                rows = self._db.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError:
            return False
        return [tuple(row) for row in rows] == [("ok",)]

    def set_aside(self) -> None:
        """Replace a damaged index by an empty one (the old file moved aside)."""
        with self._lock:
            self._close_reader()
            self._db.close()
            self._move_aside()
            self._db = self._open()
            self._setup()

    def _setup(self) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        # The index is rebuilt from the files at will: a commit lost to a power cut
        # costs nothing, so WAL's NORMAL level (no fsync per commit) is enough.
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.execute("PRAGMA foreign_keys = ON")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(str(self.path), f"index schema {version} is newer than this "
                             f"vellum ({SCHEMA_VERSION}); upgrade vellum")
        if version == 0:
            self._db.executescript(SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.created = True
        if search.setup(self._db):
            self.created = True  # an index from before search: the files fill it

    # -- writing --------------------------------------------------------------------------

    def upsert(self, entry: Entry, keys: Iterable[str], doc: SearchDoc | None = None) -> None:
        """Insert or update ``entry`` and point every key in ``keys`` at it; with ``doc``,
        its searchable text too."""
        with self._transaction() as db:
            self._upsert(db, entry, keys)
            if doc is not None:
                search.put(db, doc)

    def rebuild(self, items: Iterable[tuple[Entry, Sequence[str], SearchDoc]]) -> int:
        """Replace the whole index with ``items`` in one transaction; returns the count."""
        count = 0
        with self._transaction() as db:
            db.execute("DELETE FROM url_keys")
            db.execute("DELETE FROM entries")
            search.clear(db)
            for entry, keys, doc in items:
                self._upsert(db, entry, keys)
                search.put(db, doc)
                count += 1
            search.optimize(db)
        return count

    def delete(self, path: str) -> None:
        """Forget the entry at ``path``: its row, URL keys and searchable text."""
        with self._transaction() as db:
            db.execute("DELETE FROM url_keys WHERE path = ?", (path,))
            db.execute("DELETE FROM entries WHERE path = ?", (path,))
            search.remove(db, path)

    def _upsert(self, db: sqlite3.Connection, entry: Entry, keys: Iterable[str]) -> None:
        db.execute(UPSERT, astuple(entry))
        self._add_keys(db, entry.path, keys)

    @staticmethod
    def _add_keys(db: sqlite3.Connection, path: str, keys: Iterable[str]) -> None:
        # A key moves to the latest post that claims it.
        db.executemany("INSERT OR REPLACE INTO url_keys (key, path) VALUES (?, ?)",
                       [(key, path) for key in dict.fromkeys(keys) if key])

    # -- reading --------------------------------------------------------------------------

    def find(self, keys: Sequence[str]) -> Entry | None:
        """The entry of the first key in ``keys`` that is known."""
        for key in keys:
            rows = self._query(
                f"{SELECT} WHERE path = (SELECT path FROM url_keys WHERE key = ?)", (key,))
            if rows:
                return Entry(*rows[0])
        return None

    def get(self, path: str) -> Entry | None:
        rows = self._query(f"{SELECT} WHERE path = ?", (path,))
        return Entry(*rows[0]) if rows else None

    def has_path(self, path: str) -> bool:
        """True when ``path`` is taken, ignoring case (case-insensitive file systems)."""
        return bool(self._query("SELECT 1 FROM entries WHERE lower(path) = lower(?)", (path,)))

    def entries(self) -> list[Entry]:
        return [Entry(*row) for row in self._query(f"{SELECT} ORDER BY path")]

    def search(self, query: str, filters: Filters, limit: int) -> list[Hit]:
        try:
            with self._lock, search.sqlite_errors():
                return search.search(self._searcher(), query, filters, limit)
        except sqlite3.OperationalError as err:
            if "fts5" in str(err).lower() or "syntax" in str(err).lower():
                raise InputError(query, f"not a search query vellum understands ({err})") \
                    from err
            _raise_damage(self.path, err)
            raise StoreError(str(self.path), f"cannot search the index ({err})") from err
        except sqlite3.Error as err:
            _raise_damage(self.path, err)
            raise StoreError(str(self.path), f"cannot search the index ({err})") from err

    def listing(self, filters: Filters, sort: str, limit: int | None = None) -> list[Hit]:
        try:
            with self._lock:
                return search.listing(self._db, filters, sort, limit)
        except sqlite3.Error as err:
            _raise_damage(self.path, err)
            raise StoreError(str(self.path), f"cannot read the index ({err})") from err

    # -- plumbing -------------------------------------------------------------------------

    def _searcher(self) -> Any:
        if self._reader is None:
            self._reader = search.reader(self.path, BUSY_TIMEOUT_MS) or self._db
        return self._reader

    def _close_reader(self) -> None:
        # Before _db: see search.reader on two SQLite copies sharing the file.
        if self._reader is not None and self._reader is not self._db:
            self._reader.close()
        self._reader = None

    def close(self) -> None:
        with self._lock:
            self._close_reader()
            self._db.close()

    def _query(self, sql: str, params: Sequence[str] = ()) -> list[Any]:
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            _raise_damage(self.path, err)
            raise StoreError(str(self.path), f"cannot read the index ({err})") from err

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` under the lock; all or nothing."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as err:
                _raise_damage(self.path, err)
                raise StoreError(str(self.path), f"cannot write the index ({err})") from err


def _is_damage(err: sqlite3.Error) -> bool:
    return isinstance(err, sqlite3.DatabaseError) and any(
        text in str(err).lower() for text in DAMAGE_MESSAGES)


def _raise_damage(path: Path, err: sqlite3.Error) -> None:
    if _is_damage(err):
        raise DamagedIndexError(str(path), f"the index is damaged ({err}); {REPAIR_HINT}") \
            from err
