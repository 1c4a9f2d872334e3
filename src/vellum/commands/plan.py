"""What a refresh fetches: the jobs, the choice of archived posts, the fetcher seam."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..convert import Profile
from ..feeds import FeedEntry
from ..fetch.crawl import CrawlOptions, CrawlRequest, CrawlResult, crawl_sync
from ..fetch.netguard import Via
from ..models import Entry
from ..pipeline.feedfill import Fill
from ..pipeline.feedstate import FeedState
from ..store.config import Source

if TYPE_CHECKING:
    from .refresh import RefreshOptions

Fetcher = Callable[[Sequence[CrawlRequest]], Iterator[CrawlResult]]


@dataclass(frozen=True)
class Job:
    """One page to fetch: a new post from a feed (``entry`` None) or an archived one."""

    url: str
    entry: Entry | None
    source: Source | None
    fill: Fill | None
    feed_entry: FeedEntry | None
    """The feed's item, content included: the fallback when the page fails."""
    profile: Profile
    fallback_reason: str | None = None
    """Set when the post is being made from the feed's copy: why the page was not used."""
    http_status: int | None = None
    via: Via = "user"
    """``user`` for archived posts and followed feeds; a feed's new post was found on the
    feed, served from a private or a public address (``fetch.netguard``)."""

    @property
    def conditional(self) -> bool:
        """Ask "changed since?" only when a 304 would leave the file as it should be."""
        return self.entry is not None and self.entry.status != "gone"

    @property
    def etag(self) -> str | None:
        return self.entry.etag if self.entry and self.conditional else None

    @property
    def last_modified(self) -> str | None:
        return self.entry.last_modified if self.entry and self.conditional else None


def crawl_fetcher(options: CrawlOptions) -> Fetcher:
    return lambda requests: crawl_sync(requests, options)


def select_entries(entries: Iterable[Entry], options: RefreshOptions, sources: list[Source],
                   states: dict[str, FeedState], checked: dict[str, str],
                   now: dt.datetime, *, recorded: Callable[[Entry], object] = lambda e: None,
                   others: Sequence[Source] = ()) -> list[Entry]:
    """The archived posts this run re-fetches, the longest unchecked first.

    With ``--source``, a post belongs to the source it was recorded from
    (``recorded(entry)``); a post without a record to the feed that listed it, else
    to the source whose site it is on, unless another followed source (``others``)
    shares that host.
    """
    chosen = [e for e in entries if e.url or e.canonical_url]
    if options.sources:
        chosen = [e for e in chosen if _belongs(e, sources, states, recorded(e), others)]
    if options.since is not None:
        since = _aware(options.since)
        chosen = [e for e in chosen if (d := _parse(e.date)) is not None and d >= since]
    last = {e.path: _parse(checked.get(e.path, "")) or _parse(e.fetched_at) for e in chosen}
    if options.older_than is not None:
        cutoff = now - options.older_than
        chosen = [e for e in chosen if (t := last[e.path]) is None or t <= cutoff]
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    chosen.sort(key=lambda e: (last[e.path] or oldest, e.path))
    return chosen[: options.limit] if options.limit is not None else chosen


def _belongs(entry: Entry, sources: list[Source], states: dict[str, FeedState], fact: object,
             others: Sequence[Source]) -> bool:
    if fact:
        return any(s.recorded(fact) for s in sources)
    urls = [u for u in (entry.url, entry.canonical_url) if u]
    if any(states[s.feed].entry(u) is not None for s in sources for u in urls):
        return True
    shared = {_host(u) for s in others for u in (s.feed, s.url) if u}
    hosts = {_host(u) for s in sources for u in (s.feed, s.url) if u} - shared
    return any(_host(u) in hosts for u in urls)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _parse(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _aware(parsed)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
