"""Reading the archive back: ``search``, ``list``, ``export``; and ``remove``, its undoing.

Search and list answer from the index; export reads every file, since the files
are the archive (a hand edit not yet reindexed is exported as it is on disk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import frontmatter
from ..errors import InputError, StoreError
from ..store import Store
from ..store.facade import Removed
from ..store.search import NO_FILTERS, Filters, Hit
from ..store.writing import writing
from ..urls import host_dir

SORTS = ("date", "title", "host")
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m", "%Y")


def filters(*, host: str = "", tag: str = "", author: str = "", since: str = "",
            until: str = "") -> Filters:
    """The filters of ``search`` and ``list``, checked; ``InputError`` names a bad one."""
    return Filters(host=_host(host), tag=tag.strip(), author=author.strip(),
                   since=_date("--since", since), until=_date("--until", until))


def _host(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    return host_dir(value if "://" in value else f"http://{value}")


def _date(option: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    for fmt in DATE_FORMATS:
        try:
            dt.datetime.strptime(value, fmt)
            return value
        except ValueError:
            continue
    raise InputError(value, f"{option} wants a date: YYYY-MM-DD, YYYY-MM or YYYY")


def search(store: Store, query: str, where: Filters = NO_FILTERS, limit: int = 20) -> list[Hit]:
    """The posts best matching ``query``, best first."""
    if limit < 1:
        raise InputError(str(limit), "--limit must be at least 1")
    return store.search(query, where, limit)


def listing(store: Store, where: Filters = NO_FILTERS, sort: str = "date",
            limit: int | None = None) -> list[Hit]:
    if sort not in SORTS:
        raise InputError(sort, f"unknown sort (choose from {', '.join(SORTS)})")
    return store.listing(where, sort, limit)


def hit_record(hit: Hit) -> dict[str, Any]:
    """A search or list result as a JSON-ready dict."""
    record: dict[str, Any] = {"path": hit.path, "title": hit.title, "date": hit.date,
                              "host": hit.host, "authors": list(hit.authors),
                              "tags": list(hit.tags), "description": hit.description}
    if hit.snippet:
        # Significant digits, not decimal places: a common word's scores are ~1e-6.
        record["rank"] = float(f"{hit.rank:.4g}")
        record["snippet"] = hit.snippet
    return record


# -- export -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """One archived post: where it is, its front matter and its body."""

    path: str
    front_matter: dict[str, Any]
    body: str

    def as_dict(self, *, body: bool = True) -> dict[str, Any]:
        record: dict[str, Any] = {"path": self.path}
        record.update({k: frontmatter.plain(v) for k, v in self.front_matter.items()
                       if k != "path"})
        if body:
            record["body"] = self.body
        return record


def export(store: Store, where: Filters = NO_FILTERS) -> Iterator[Exported]:
    """Every post passing ``where``, read from its file, in path order."""
    for hit in sorted(store.listing(where, "date"), key=lambda h: h.path):
        try:
            data, body = frontmatter.split(store.read(hit.path))
        except StoreError:
            continue  # deleted since the last index update: nothing to export
        yield Exported(hit.path, data or {}, body)


def csv_columns(records: Iterable[dict[str, Any]]) -> list[str]:
    """Every key of ``records``, in order of first appearance (``path`` first)."""
    seen: dict[str, None] = {"path": None}
    for record in records:
        seen.update(dict.fromkeys(record))
    return list(seen)


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(csv_cell(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {csv_cell(v)}" for k, v in value.items())
    return str(value)


# -- remove -------------------------------------------------------------------------------


def resolve_targets(store: Store, targets: Iterable[str], cwd: Path | None = None) -> list[str]:
    """The archive paths of ``targets`` (URLs or file paths); ``InputError`` for one not
    in the archive."""
    found: list[str] = []
    for target in targets:
        rel = _target(store, target, cwd or Path.cwd())
        if rel not in found:
            found.append(rel)
    return found


def _target(store: Store, target: str, cwd: Path) -> str:
    if "://" in target:
        entry = store.find(target)
        if entry is None:
            raise InputError(target, "no archived post has this URL")
        return entry.path
    for base in (cwd, store.root):
        full = (base / target).absolute()
        if full.is_relative_to(store.root):
            rel = full.relative_to(store.root).as_posix()
            try:
                if store.get(rel) is not None or full.is_file():
                    return rel
            except StoreError:
                continue  # not a Markdown file of the archive
    raise InputError(target, "not a post of the archive")


def remove(store: Store, paths: Iterable[str]) -> Iterator[Removed]:
    """Delete each post with its side data; holds the archive lock."""
    with writing(store):
        for rel in paths:
            yield store.remove(rel)


def orphans(store: Store, *, prune: bool = False) -> list[str]:
    """Side data and images left behind by posts that are gone; removed with ``prune``."""
    with writing(store):
        found = store.orphans()
        if prune:
            store.prune(found)
        return found
