"""``<archive>/.vellum/dedup.db``: fingerprints, ingested sources and the fingerprint
index, a rebuildable cache.

The fingerprint index maps a sample of each archive entry's shingles, its title
and its URL to the entry, so that ``vellum add``, ``import`` and ``refresh`` find
the archived copies of a new post with a few indexed look-ups, not by reading
every entry.

Kept apart from the store's index so that dedup owns its schema. Losing the
file costs one full recomputation: the fingerprints come from the files, and the
ingested sources are recorded in each entry's front matter too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from types import TracebackType

from ..dedup import ALGORITHM, Fingerprint
from ..errors import StoreError
from ..store.paths import DEDUP_DB as DB_NAME
from ..urls import url_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS signatures (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS sources (hash TEXT PRIMARY KEY, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, title TEXT NOT NULL,
                                    url TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_by_title ON entries (title) WHERE title != '';
CREATE INDEX IF NOT EXISTS entries_by_url ON entries (url) WHERE url != '';
CREATE TABLE IF NOT EXISTS shingles (shingle INTEGER NOT NULL, path TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS shingles_by_value ON shingles (shingle);
CREATE INDEX IF NOT EXISTS shingles_by_path ON shingles (path);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# The fingerprint index keeps one shingle value in SAMPLE (all of a short post's): enough
# for a copy to share some with the post it copies, small enough for 100,000 entries.
SAMPLE = 16
SHORT = 64
MAX_CANDIDATES = 20


class DedupDB:
    def __init__(self, root: Path) -> None:
        path = Path(root) / DB_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=10)
            self._db.executescript(SCHEMA)
        except sqlite3.Error as err:
            raise StoreError(str(path), f"cannot open the dedup database ({err})") from err

    @property
    def empty_sources(self) -> bool:
        return self._db.execute("SELECT 1 FROM sources LIMIT 1").fetchone() is None

    def source(self, digest: str) -> str | None:
        row = self._db.execute("SELECT path FROM sources WHERE hash = ?", (digest,)).fetchone()
        return str(row[0]) if row else None

    def add_source(self, digest: str, path: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?)", (digest, path))

    def rebuild_sources(self, items: Iterable[tuple[str, str]]) -> None:
        with self._db:
            self._db.execute("DELETE FROM sources")
            self._db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?)", items)

    def move_source(self, old: str, new: str) -> None:
        with self._db:
            self._db.execute("UPDATE sources SET path = ? WHERE path = ?", (new, old))

    @property
    def index_built(self) -> bool:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'index'").fetchone()
        return row is not None and row[0] == ALGORITHM

    def rebuild_index(self, items: Iterable[tuple[str, Fingerprint]]) -> None:
        """Replace the fingerprint index with ``items`` (archive path, fingerprint)."""
        with self._db:
            self._db.execute("DELETE FROM entries")
            self._db.execute("DELETE FROM shingles")
            for path, fp in items:
                self._insert(path, fp)
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('index', ?)", (ALGORITHM,))

    def index_entry(self, path: str, fp: Fingerprint) -> None:
        with self._db:
            self._delete(path)
            self._insert(path, fp)

    def unindex(self, path: str) -> None:
        with self._db:
            self._delete(path)

    def candidates(self, fp: Fingerprint) -> list[str]:
        """Indexed entries that share the title, the URL or sampled shingles with ``fp``,
        most shared shingles first."""
        found = dict.fromkeys(self.namesakes(fp), 1 << 30)
        sample = _sample(fp)
        for start in range(0, len(sample), 500):
            chunk = sample[start:start + 500]
            rows = self._db.execute(
                "SELECT path, COUNT(*) FROM shingles WHERE shingle IN "  # noqa: S608
                f"({','.join('?' * len(chunk))}) GROUP BY path", chunk)
            for path, count in rows:
                found[str(path)] = found.get(str(path), 0) + int(count)
        ranked = sorted(found, key=lambda p: -found[p])
        return ranked[:MAX_CANDIDATES]

    def namesakes(self, fp: Fingerprint) -> set[str]:
        """Indexed entries with ``fp``'s title or URL."""
        found: set[str] = set()
        for column, value in (("title", fp.title_key), ("url", url_key(fp.url) if fp.url
                                                          else "")):
            if value:
                found.update(str(path) for (path,) in self._db.execute(
                    f"SELECT path FROM entries WHERE {column} = ?", (value,)))  # noqa: S608
        return found

    def _insert(self, path: str, fp: Fingerprint) -> None:
        self._db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                         (path, fp.title_key, url_key(fp.url) if fp.url else ""))
        self._db.executemany("INSERT INTO shingles VALUES (?, ?)",
                             ((h, path) for h in _sample(fp)))

    def _delete(self, path: str) -> None:
        self._db.execute("DELETE FROM entries WHERE path = ?", (path,))
        self._db.execute("DELETE FROM shingles WHERE path = ?", (path,))

    def signatures(self) -> SignatureCache:
        return SignatureCache(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> DedupDB:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class SignatureCache(MutableMapping[str, bytes]):
    """Fingerprints by ``signature_key``; ``prune`` drops those no longer looked up."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._used: set[str] = set()
        self._pending: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> bytes:
        if key in self._pending:
            return self._pending[key]
        row = self._db.execute("SELECT value FROM signatures WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        self._used.add(key)
        return bytes(row[0])

    def __contains__(self, key: object) -> bool:
        try:
            self[str(key)]
        except KeyError:
            return False
        return True

    def __setitem__(self, key: str, value: bytes) -> None:
        self._used.add(key)
        self._pending[key] = value

    def __delitem__(self, key: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM signatures WHERE key = ?", (key,))
        self._pending.pop(key, None)

    def __iter__(self) -> Iterator[str]:
        for (key,) in self._db.execute("SELECT key FROM signatures"):
            yield str(key)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM signatures").fetchone()[0])

    @property
    def computed(self) -> int:
        """Fingerprints computed (not found) since this cache was opened."""
        return len(self._pending)

    def flush(self, *, prune: bool = False) -> None:
        """Write what was computed; with ``prune``, forget what this run did not use."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?)",
                                 self._pending.items())
            if prune:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                self._db.execute("DELETE FROM used")
                self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)",
                                     ((k,) for k in self._used))
                self._db.execute("DELETE FROM signatures WHERE key NOT IN (SELECT key FROM used)")
        self._pending.clear()


def _sample(fp: Fingerprint) -> list[int]:
    shingles = fp.shingles()
    if len(shingles) > SHORT:
        shingles = shingles[shingles % SAMPLE == 0]
    return [int(h) for h in shingles]
