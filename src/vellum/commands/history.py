"""``vellum history``: the versions of an archived post and what changed between them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import InputError
from ..models import Entry
from ..store import Store, history


@dataclass(frozen=True)
class PostVersion:
    path: str
    """Relative to the archive root."""
    archived_at: dt.datetime | None
    current: bool = False


def post_versions(store: Store, which: str) -> tuple[Entry, list[PostVersion]]:
    """The entry for ``which`` (a URL or an archive path) and its versions, oldest first."""
    entry = store.find(which) if "://" in which else store.get(which)
    if entry is None:
        raise InputError(which, "not in the archive")
    kept = [PostVersion(v.path, v.archived_at) for v in history.versions(store.root, entry.path)]
    return entry, [*kept, PostVersion(entry.path, _parse(entry.fetched_at), current=True)]


def version_diffs(store: Store, listed: list[PostVersion]) -> list[str]:
    """A unified diff for each change, oldest first ('' entries are left out)."""
    texts = [_read(store, v) for v in listed]
    diffs = []
    for i in range(1, len(listed)):
        text = history.diff(texts[i - 1], texts[i], _label(listed[i - 1]), _label(listed[i]))
        if text:
            diffs.append(text)
    return diffs


def _read(store: Store, version: PostVersion) -> str:
    if version.current:
        return store.read(version.path)
    return history.read_version(store.root, version.path)


def _label(version: PostVersion) -> str:
    when = version.archived_at.strftime("%Y-%m-%d %H:%M:%S") if version.archived_at else "?"
    return f"{version.path}\t{when}"


def _parse(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
