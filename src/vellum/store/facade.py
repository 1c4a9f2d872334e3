"""``Store``: the archive folder as the other stages see it (files + index, kept in step)."""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from .. import frontmatter
from ..errors import DamagedIndexError, StoreError
from ..models import Entry
from ..urls import host_dir, url_key
from . import assets, files, upkeep
from .index import Index
from .paths import INDEX_FILE, META_KIND, RAW_KIND, STATE_DIR
from .search import NO_FILTERS, Filters, Hit, SearchDoc, document

RAW_SUFFIX = ".html.gz"
META_SUFFIX = ".json"


@dataclass(frozen=True)
class Removed:
    """What ``Store.remove`` deleted, relative to the archive root."""

    path: str
    side: tuple[str, ...]
    """Raw HTML, sidecar, image map, history folder."""
    assets: tuple[str, ...]
    """Images no other post showed."""


class Store:
    """An archive rooted at ``root``: Markdown files are the truth, the index their cache.

    One process at a time; its threads may share one ``Store``.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).expanduser().absolute()
        self._lock = threading.RLock()
        self._reserved: set[str] = set()
        """Paths handed out by ``new_path`` and not saved yet."""
        state = self.root / STATE_DIR
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(str(self.root), "the archive folder is a file")
        try:
            state.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(str(self.root), f"cannot create the archive ({err})") from err
        if not (os.access(self.root, os.W_OK) and os.access(state, os.W_OK)):
            raise StoreError(str(self.root), "the archive folder is not writable")
        self._index = Index(self.root / INDEX_FILE)
        if self._index.created and next(files.markdown_files(self.root), None):
            self.reindex()  # the index was deleted or damaged: the files still know

    # -- paths ----------------------------------------------------------------------------

    def resolve(self, rel: str) -> Path:
        """The absolute path of ``rel``; ``StoreError`` if it would leave the archive."""
        return files.resolve(self.root, rel)

    def new_path(self, url: str, slug: str, year: int | None) -> str:
        """A free relative path ``host/YYYY/slug.md`` for a post (``-2``, ``-3``... if taken)."""
        host, slug = host_dir(url), files.clean_slug(slug)
        with self._lock:
            for n in itertools.count(1):
                rel = files.md_rel(host, year, slug, n)
                if not self._taken(rel):
                    self._reserved.add(rel)
                    return rel
        raise AssertionError("unreachable")  # pragma: no cover

    def free_path(self, rel: str) -> str:
        """``rel`` (a profile's file name for a post), or ``rel`` with ``-2``, ``-3``...
        when taken; ``StoreError`` if it is no Markdown path inside the archive."""
        norm, _ = self._md(files.portable(rel))
        stem = norm.removesuffix(files.MD_SUFFIX)
        with self._lock:
            for n in itertools.count(1):
                candidate = f"{stem}-{n}{files.MD_SUFFIX}" if n > 1 else norm
                if not self._taken(candidate):
                    self._reserved.add(candidate)
                    return candidate
        raise AssertionError("unreachable")  # pragma: no cover

    def _taken(self, rel: str) -> bool:
        lowered = rel.lower()
        return (any(r.lower() == lowered for r in self._reserved)
                or self._index.has_path(rel) or self.resolve(rel).exists())

    def _md(self, rel: str) -> tuple[str, Path]:
        """``rel`` normalised and checked as the path of a post's Markdown file."""
        path = self.resolve(rel)
        norm = PurePosixPath(rel).as_posix()
        if not norm.endswith(files.MD_SUFFIX) or any(p.startswith(".") for p in norm.split("/")):
            raise StoreError(rel, "not the path of a Markdown file in the archive")
        return norm, path

    def _state(self, kind: str, rel: str, suffix: str) -> Path:
        return files.state_path(self.root, kind, rel, suffix)

    # -- lookups --------------------------------------------------------------------------

    def find(self, *urls: str) -> Entry | None:
        """The entry that any of ``urls`` belongs to (earlier URLs win)."""
        return self._index.find(_keys(urls))

    def get(self, rel: str) -> Entry | None:
        return self._index.get(self._md(rel)[0])

    def entries(self) -> Iterator[Entry]:
        """Every entry, ordered by path (a snapshot: saving while iterating is fine)."""
        return iter(self._index.entries())

    def read(self, rel: str) -> str:
        norm, path = self._md(rel)
        return files.read_text(path, norm)

    def has_raw_html(self, rel: str) -> bool:
        norm, _ = self._md(rel)
        return self._state(RAW_KIND, norm, RAW_SUFFIX).is_file()

    def raw_html(self, rel: str) -> str | None:
        norm, _ = self._md(rel)
        return files.read_raw(self._state(RAW_KIND, norm, RAW_SUFFIX), norm)

    # -- writing --------------------------------------------------------------------------

    def save(self, entry: Entry, text: str, *, raw_html: str | None = None,
             aliases: Iterable[str] = (), facts: Mapping[str, Any] | None = None,
             canonical_hint: str | None = None) -> Entry:
        """Write the post's file, raw HTML and sidecar, and index it under all its URLs.

        The Markdown file is only rewritten when its text changed. The stored entry's
        ``content_hash`` is always that of ``text``, so a reindex gives the same entry.
        ``facts`` update the post's side facts (see ``facts``); the others are kept.
        ``canonical_hint`` (a canonical link to another site, not followed) goes into
        the sidecar; ``None`` keeps the one recorded before, ``""`` clears it.
        """
        norm, path = self._md(entry.path)
        stored = replace(entry, path=norm, content_hash=frontmatter.content_hash(text))
        with self._lock:
            files.write_if_changed(path, text)
            if raw_html is not None:
                files.write_raw(self._state(RAW_KIND, norm, RAW_SUFFIX), raw_html)
            self._record(stored, aliases, facts, canonical_hint,
                         document(norm, text, stored.canonical_url or stored.url, stored.date))
            self._reserved.discard(norm)
        return stored

    def update(self, entry: Entry, *, aliases: Iterable[str] = (),
               facts: Mapping[str, Any] | None = None) -> None:
        """Record new metadata (validators, fetch time, more URLs...) for an archived post;
        the Markdown file is not touched."""
        norm, path = self._md(entry.path)
        if not path.is_file():
            raise StoreError(norm, "no such file in the archive")
        with self._lock:
            self._record(replace(entry, path=norm), aliases, facts)

    def facts(self, rel: str) -> dict[str, Any]:
        """What the archive knows of the post at ``rel`` beyond its page (which feed and
        source it came from, which keys its conversion wrote...): kept in its sidecar,
        so that ``rebuild`` and ``refresh`` can reproduce what the page alone cannot."""
        norm, _ = self._md(rel)
        return files.sidecar_facts(files.read_sidecar(self._state(META_KIND, norm,
                                                                  META_SUFFIX)))

    def add_aliases(self, rel: str, aliases: Iterable[str]) -> None:
        """Remember more URLs (redirect hops, old addresses) that lead to the post at ``rel``."""
        entry = self.get(rel)
        if entry is None:
            raise StoreError(rel, "not in the archive index")
        with self._lock:
            self._record(entry, aliases)

    def _record(self, entry: Entry, aliases: Iterable[str],
                facts: Mapping[str, Any] | None = None, canonical_hint: str | None = None,
                doc: SearchDoc | None = None) -> None:
        """Sidecar, then index: the sidecar is what a reindex will read back."""
        meta = self._state(META_KIND, entry.path, META_SUFFIX)
        sidecar = files.read_sidecar(meta)
        known = files.sidecar_aliases(sidecar)
        own = {entry.url, entry.canonical_url, ""}
        merged = [a for a in dict.fromkeys([*known, *aliases]) if a not in own]
        kept = {**files.sidecar_facts(sidecar), **(facts or {})}
        hint = files.sidecar_hint(sidecar) if canonical_hint is None else canonical_hint
        files.write_if_changed(meta, files.sidecar_json(entry, merged, kept, hint),
                               sync_folder=False)
        self._index.upsert(entry, _keys([entry.url, entry.canonical_url, *merged]), doc)

    def search(self, query: str, filters: Filters = NO_FILTERS,
               limit: int = 20) -> list[Hit]:
        """The posts best matching ``query`` (FTS5 syntax made safe: see ``search``)."""
        return self._index.search(query, filters, limit)

    def listing(self, filters: Filters = NO_FILTERS, sort: str = "date",
                limit: int | None = None) -> list[Hit]:
        return self._index.listing(filters, sort, limit)

    def remove(self, rel: str) -> Removed:
        """Delete the post at ``rel`` with its side data, index rows and the images no
        other post shows."""
        norm, path = self._md(rel)
        with self._lock:
            if self._index.get(norm) is None and not path.is_file():
                raise StoreError(norm, "not in the archive")
            own = {a.path for a in assets.read_map(self.root, norm)}
            side = upkeep.owned(self.root, norm)
            if path.exists():
                upkeep.delete(self.root, [norm])
            upkeep.delete(self.root, side)
            self._index.delete(norm)
            unused = sorted(own - assets.referenced(self.root))
            for blob in unused:
                assets.delete_blob(self.root, blob)
        return Removed(norm, tuple(side), tuple(unused))

    def orphans(self) -> list[str]:
        """Side data and images left by posts that are gone (relative paths)."""
        return upkeep.orphans(self.root)

    def prune(self, rels: Iterable[str]) -> None:
        rels = list(rels)
        with self._lock:
            upkeep.delete(self.root, [r for r in rels if not r.startswith(assets.ASSETS_DIR)])
            for rel in rels:
                if rel.startswith(f"{assets.ASSETS_DIR}/"):
                    assets.delete_blob(self.root, rel)

    def reindex(self) -> int:
        """Rebuild the index from the Markdown files and their sidecars; returns the count.

        A damaged index (SQLite's check fails, or the rebuild meets a corrupt page) is
        moved aside as ``index.db.corrupt-<stamp>`` and built anew.
        """
        with self._lock:
            if not self._index.healthy():
                self._index.set_aside()
            try:
                return self._index.rebuild(self._scan())
            except DamagedIndexError:
                self._index.set_aside()
                return self._index.rebuild(self._scan())

    def _scan(self) -> Iterator[tuple[Entry, list[str], SearchDoc]]:
        for rel in files.markdown_files(self.root):
            try:
                text = self.resolve(rel).read_text(encoding="utf-8", errors="replace")
            except OSError as err:
                raise StoreError(rel, f"cannot read ({err})") from err
            sidecar = files.read_sidecar(self._state(META_KIND, rel, META_SUFFIX))
            entry = files.entry_from_file(rel, text, sidecar)
            doc = document(rel, text, entry.canonical_url or entry.url, entry.date)
            yield entry, _keys([entry.url, entry.canonical_url,
                                *files.sidecar_aliases(sidecar)]), doc

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        self._index.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _keys(urls: Iterable[str]) -> list[str]:
    """The identity keys of ``urls``; blanks and unparseable URLs have none."""
    keys: list[str] = []
    for url in urls:
        if url and url.strip():
            with contextlib.suppress(ValueError):  # e.g. a port out of range
                keys.append(url_key(url))
    return list(dict.fromkeys(keys))
