"""What refresh remembers of each followed feed: ``<archive>/.vellum/feeds/<feed>.json``.

The feed's validators (so an unchanged feed costs a 304), its title, subtitle and
link, and every entry ever seen in it minus the content: feeds only list their
last posts, but the author, categories and dates a feed gave an archived post must
keep filling its front matter on every later refresh, or the post would change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..feeds import Feed, FeedEntry
from ..store.files import atomic_write
from ..store.paths import CHECKED_FILE, FEEDS_DIR
from ..urls import host_dir, url_key

ENTRY_FIELDS = ("url", "title", "authors", "categories", "published", "updated", "id")


@dataclass(frozen=True)
class FeedState:
    feed: Feed
    """The feed as last seen, with every entry ever seen (without their content)."""
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str = ""
    by_key: dict[str, FeedEntry] = field(default_factory=dict, compare=False)

    def entry(self, url: str) -> FeedEntry | None:
        return self.by_key.get(url_key(url))


def state_file(root: Path, feed_url: str) -> Path:
    digest = hashlib.sha1(url_key(feed_url).encode("utf-8")).hexdigest()[:12]
    return Path(root) / FEEDS_DIR / f"{host_dir(feed_url)}-{digest}.json"


def load_state(root: Path, feed_url: str) -> FeedState:
    """The remembered state of ``feed_url`` (an empty one when never fetched or unreadable)."""
    try:
        data = json.loads(state_file(root, feed_url).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _state(Feed(url=feed_url))
    if not isinstance(data, dict):
        return _state(Feed(url=feed_url))
    entries = tuple(_entry(e) for e in data.get("entries") or [] if isinstance(e, dict))
    feed = Feed(url=feed_url, title=_str(data.get("title")), subtitle=_str(data.get("subtitle")),
                link=_str(data.get("link")), authors=_strs(data.get("authors")),
                entries=tuple(e for e in entries if e.url))
    return _state(feed, etag=_str(data.get("etag")) or None,
                  last_modified=_str(data.get("last_modified")) or None,
                  checked_at=_str(data.get("checked_at")))


def save_state(root: Path, state: FeedState) -> None:
    feed = state.feed
    data = {
        "feed": feed.url, "etag": state.etag, "last_modified": state.last_modified,
        "checked_at": state.checked_at, "title": feed.title, "subtitle": feed.subtitle,
        "link": feed.link, "authors": list(feed.authors),
        "entries": [_entry_dict(e) for e in feed.entries],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    atomic_write(state_file(root, feed.url), text)


def merged(state: FeedState, fresh: Feed, *, etag: str | None, last_modified: str | None,
           checked_at: str) -> FeedState:
    """``state`` updated with a freshly fetched feed: its entries first, older ones kept."""
    fresh_entries = [replace(e, content_html="", summary="") for e in fresh.entries]
    keys = {url_key(e.url) for e in fresh_entries}
    kept = [e for e in state.feed.entries if url_key(e.url) not in keys]
    feed = replace(fresh, url=state.feed.url, entries=(*fresh_entries, *kept))
    return _state(feed, etag=etag, last_modified=last_modified, checked_at=checked_at)


def _state(feed: Feed, **kwargs: Any) -> FeedState:
    by_key: dict[str, FeedEntry] = {}
    for entry in feed.entries:
        by_key.setdefault(url_key(entry.url), entry)
    return FeedState(feed, by_key=by_key, **kwargs)


def _entry_dict(entry: FeedEntry) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ENTRY_FIELDS:
        value = getattr(entry, name)
        if isinstance(value, dt.datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        if value:
            data[name] = value
    return data


def _entry(data: dict[str, Any]) -> FeedEntry:
    return FeedEntry(url=_str(data.get("url")), title=_str(data.get("title")),
                     authors=_strs(data.get("authors")), categories=_strs(data.get("categories")),
                     published=_date(data.get("published")), updated=_date(data.get("updated")),
                     id=_str(data.get("id")))


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _strs(value: object) -> tuple[str, ...]:
    items: Iterable[object] = value if isinstance(value, list) else ()
    return tuple(v for v in items if isinstance(v, str) and v)


def _date(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None




def load_checked(root: Path) -> dict[str, str]:
    """When each archived post was last checked by refresh (path -> ISO time).

    Kept apart from the posts' sidecars so that a 304 writes nothing per post: the
    whole map is written once at the end of a run.
    """
    try:
        data = json.loads((Path(root) / CHECKED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def save_checked(root: Path, checked: dict[str, str]) -> None:
    text = json.dumps(checked, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    atomic_write(Path(root) / CHECKED_FILE, text)
