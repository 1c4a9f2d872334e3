"""``vellum dedup``: find the archive entries (and outside files) that are the same post.

Fingerprints live in ``.vellum/dedup.db`` keyed by the hash of each file's text,
so a re-run only fingerprints what changed. ``apply`` merges each group inside
the archive: the canonical entry (the richest, chosen by ``dedup.find_groups``)
gains the metadata keys it lacks from the others and an ``aliases:`` list of
their URLs and paths; the others move to ``.vellum/duplicates/`` with a
``duplicate_of:`` pointer, never deleted. Outside files are only compared.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .. import frontmatter
from ..dedup import DuplicateGroup, find_groups
from ..dedup.normalize import fold
from ..errors import InputError, StoreError, VellumError
from ..store import Store, atomic_write
from ..store.lock import ArchiveLock
from .dedupdb import DedupDB
from .ingest import FROM_KEY, SOURCE_KEY, _decode, _read, source_files

DUPLICATES_DIR = PurePosixPath(".vellum") / "duplicates"
URL_KEYS = ("original_url", "canonical_url", "url", "link")
# Keys that describe one file, not the post: never copied onto the canonical entry.
OWN_KEYS = frozenset({FROM_KEY, SOURCE_KEY, "aliases", "duplicate_of"})


@dataclass(frozen=True)
class Merge:
    canonical: str
    moved: tuple[tuple[str, str], ...]
    """(old path, new path under ``.vellum/duplicates``) of each merged entry."""


@dataclass(frozen=True)
class DedupResult:
    groups: list[DuplicateGroup]
    merges: list[Merge] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) of what could not be read or merged."""
    documents: int = 0
    computed: int = 0
    """Fingerprints computed this run (the rest came from the database)."""


def dedup(store: Store, include: Iterable[str | os.PathLike[str]] = (), *,
          apply: bool = False, workers: int = 1) -> DedupResult:
    """Group the archive's entries and the ``include`` files; merge groups if ``apply``."""
    include = list(include)
    for path in include:
        if not Path(path).expanduser().exists():
            raise InputError(str(path), "no such file or folder")
    if not apply:
        return _find(store, include, workers)
    with ArchiveLock(store.root):
        result = _find(store, include, workers)
        merges, failed = [], list(result.failed)
        for group in result.groups:
            try:
                merge = merge_group(store, group)
            except VellumError as err:
                failed.append((group.canonical, str(err)))
                continue
            if merge is not None:
                merges.append(merge)
        if merges:
            store.reindex()
        return replace(result, merges=merges, failed=failed)


def _find(store: Store, include: list[str | os.PathLike[str]], workers: int) -> DedupResult:
    failed: list[tuple[str, str]] = []
    docs = list(_documents(store, include, failed))
    with DedupDB(store.root) as db:
        cache = db.signatures()
        groups = find_groups(docs, signatures_cache=cache, workers=workers)
        computed = cache.computed
        cache.flush(prune=True)
    return DedupResult(groups, failed=failed, documents=len(docs), computed=computed)


def _documents(store: Store, include: list[str | os.PathLike[str]],
               failed: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for entry in store.entries():
        try:
            yield entry.path, store.read(entry.path)
        except StoreError as err:
            failed.append((entry.path, str(err)))
    for path in source_files(include, skip=store.root):
        try:
            data = _read(path)
        except InputError as err:
            failed.append((str(path), str(err)))
            continue
        if b"\0" not in data[:8192]:
            yield str(path), _decode(data)


def link_new_entry(store: Store, rel: str) -> Merge | None:
    """Merge the entry just written at ``rel`` with the archived copies of the same post.

    What ``vellum add`` calls: a post fetched from the web that was already in the
    archive as raw text (or any other form) absorbs it, ``rel`` staying canonical.
    Only entries sharing its title or URL are read and compared. Never raises: the
    post is archived either way, and ``vellum dedup --apply`` can link them later.
    """
    try:
        merge = _link(store, rel)
    except VellumError:
        return None
    if merge is not None:
        store.reindex()
    return merge


def _link(store: Store, rel: str) -> Merge | None:
    entry = store.get(rel)
    if entry is None:
        return None
    title, urls = fold(entry.title), {u for u in (entry.url, entry.canonical_url) if u}
    candidates = [e.path for e in store.entries() if e.path != rel and (
        (title and fold(e.title) == title) or urls & {e.url, e.canonical_url})]
    if not candidates:
        return None
    docs = [(path, store.read(path)) for path in (rel, *candidates)]
    for group in find_groups(docs):
        if rel in group.members:
            return merge_group(store, group, canonical=rel)
    return None


def merge_group(store: Store, group: DuplicateGroup, *, canonical: str | None = None
                ) -> Merge | None:
    """Merge the archive members of ``group`` into one; None if fewer than two are.

    The group's canonical member stays (``canonical`` overrides the choice)."""
    archived = [m for m in group.members if _archived(store, m)]
    if len(archived) < 2:
        return None
    if canonical in archived:
        archived.remove(canonical)
        archived.insert(0, canonical)
    canonical, others = archived[0], archived[1:]
    entry = store.get(canonical)
    assert entry is not None
    data, body = _split(store.read(canonical))
    aliases = [a for a in data.get("aliases", []) if isinstance(a, str)] \
        if isinstance(data.get("aliases"), list) else []
    moved: list[tuple[str, str]] = []
    for other in others:
        other_data, _ = _split(store.read(other))
        for key, value in other_data.items():
            if key not in data and key not in OWN_KEYS:
                data[key] = value
        aliases += [*_urls(store, other, other_data), other]
    data["aliases"] = list(dict.fromkeys(a for a in aliases if a and a != canonical))
    store.save(entry, frontmatter.join(data, body), aliases=data["aliases"])
    with DedupDB(store.root) as db:
        for other in others:
            target = _move_aside(store, other, canonical)
            db.move_source(other, target)
            moved.append((other, target))
    return Merge(canonical, tuple(moved))


def _archived(store: Store, rel: str) -> bool:
    try:
        return store.get(rel) is not None
    except StoreError:  # an outside file's own path
        return False


def _urls(store: Store, rel: str, data: dict[str, Any]) -> list[str]:
    entry = store.get(rel)
    found = [entry.url, entry.canonical_url] if entry else []
    found += [str(data[k]) for k in URL_KEYS if isinstance(data.get(k), str)]
    return [u for u in dict.fromkeys(found) if u]


def _move_aside(store: Store, rel: str, canonical: str) -> str:
    """Move ``rel`` under ``.vellum/duplicates`` with a pointer to ``canonical``."""
    data, body = _split(store.read(rel))
    data["duplicate_of"] = canonical
    target = (DUPLICATES_DIR / rel).as_posix()
    source, destination = store.resolve(rel), store.resolve(target)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(destination, frontmatter.join(data, body))
        source.unlink()
    except OSError as err:
        raise StoreError(rel, f"cannot move to {target} ({err.strerror or err})") from err
    return target


def _split(text: str) -> tuple[dict[str, Any], str]:
    data, body = frontmatter.split(text)
    return dict(data or {}), body
