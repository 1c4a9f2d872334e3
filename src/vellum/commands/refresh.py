"""``vellum refresh``: poll the followed feeds and re-fetch every archived post.

Three steps. The feeds are fetched (conditionally) and new posts found; the new
posts and every selected archived post are fetched through the crawl engine, with
the stored ETag/Last-Modified; each changed page is converted in worker processes
and its result applied here, the one process that writes. A 304 costs nothing
more, an unchanged conversion writes nothing, a changed post keeps its previous
version in the history, and the guards keep walls and dead pages from
overwriting good posts. Feed state is saved last, so a run killed midway leaves
the feeds to be read in full again and the next run finishes the job.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .. import frontmatter
from ..convert import Profile
from ..errors import (
    BlockedError,
    ExtractError,
    HTTPStatusError,
    InputError,
    NotArticleError,
    VellumError,
)
from ..feeds import Feed, FeedEntry, parse_feed
from ..fetch.crawl import CrawlOptions, CrawlRequest, CrawlResult, RunTimeLimit
from ..fetch.netguard import Via
from ..models import Entry, Page
from ..pipeline import runner
from ..pipeline.feedfill import feed_page, make_fill
from ..pipeline.feedstate import load_checked, load_state, merged, save_checked, save_state
from ..pipeline.flow import (
    Converted,
    Hooks,
    convert_page,
    kept_over,
    now_utc,
    store_converted,
    stored,
    whole_post,
    with_assets,
)
from ..pipeline.localize import AssetOptions, for_source
from ..pipeline.multipage import via_crawl
from ..pipeline.profiles import load_profiles
from ..pipeline.workers import WorkerPool
from ..store import Store
from ..store.config import SOURCE_FACT, Source, load_sites, load_sources, select
from ..store.writing import writing
from ..urls import url_key
from .dedup import link_new_entry
from .guards import shrink_reason
from .plan import Fetcher, Job, crawl_fetcher, select_entries

Status = Literal["new", "updated", "unchanged", "gone", "suspect", "failed"]
STATUSES: tuple[Status, ...] = ("new", "updated", "unchanged", "gone", "suspect", "failed")
GONE_STATUSES = (404, 410)


@dataclass(frozen=True)
class RefreshOptions:
    sources: tuple[str, ...] = ()
    """Only these followed sources (names or URLs): their feeds and their archived posts."""
    since: dt.datetime | None = None
    """Only archived posts dated on or after this."""
    older_than: dt.timedelta | None = None
    """Only archived posts last checked longer ago than this."""
    limit: int | None = None
    """At most this many archived posts, the longest unchecked first."""
    dry_run: bool = False
    profile: str = "default"
    """Profile of new posts from sources that set none."""
    workers: int | None = None
    """Convert processes (default: one per CPU; 0 converts in this process)."""
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    max_time: dt.timedelta | None = None
    """Stop fetching after this long: what is left is reported (``Change.left``) and
    checked first by the next run; the lock is released as after any run."""
    assets: AssetOptions = field(default_factory=AssetOptions)
    """Offline images: ``enabled`` None keeps each post as it is (copies if it has them,
    or if its source says ``assets: true``)."""


@dataclass(frozen=True)
class Change:
    """What refresh did (or, with ``dry_run``, would do) to one post or feed."""

    url: str
    status: Status
    path: str | None = None
    reason: str | None = None
    http_status: int | None = None
    source: str | None = None
    moved_to: str | None = None
    kind: Literal["post", "feed"] = "post"
    dry_run: bool = False
    left: bool = False
    """Not checked: the run reached ``--max-time`` (a ``failed`` change)."""
    detail: str | None = None
    """The traceback of a bug met on this post (``pipeline.runner``), for ``--verbose``."""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "url": self.url, "status": self.status, "path": self.path,
                "reason": self.reason, "http_status": self.http_status, "source": self.source,
                "moved_to": self.moved_to, "dry_run": self.dry_run, "left": self.left}


def refresh(store: Store, options: RefreshOptions = RefreshOptions(), *,
            fetcher: Fetcher | None = None) -> Iterator[Change]:
    """Refresh the archive in ``store``, yielding one ``Change`` per feed problem or post.

    Holds the archive lock for the whole run (``LockedError`` at once if another run
    has it); a dry run takes no lock and writes nothing.
    """
    if options.max_time is not None:  # counted from here, the lock taken or not
        stop_at = time.monotonic() + options.max_time.total_seconds()
        options = replace(options, crawl=replace(options.crawl, stop_at=stop_at))
    run = Run(store, options, fetcher or crawl_fetcher(options.crawl))
    if options.dry_run:
        yield from run.changes()
        return
    with writing(store):
        yield from run.changes()


class Run:
    """One refresh: its plan, its pending conversions and the feed state to save."""

    def __init__(self, store: Store, options: RefreshOptions, fetcher: Fetcher) -> None:
        self.store, self.options, self.fetch = store, options, fetcher
        self.now = now_utc()
        followed = load_sources(store.root)
        self.sources = select(followed, options.sources)
        self.others = [s for s in followed if s not in self.sources]
        self.sites = load_sites(store.root)
        self.states = {s.feed: load_state(store.root, s.feed) for s in self.sources}
        self.fresh: dict[str, Feed] = {}
        """The feeds fetched in full this run (content included); their state is saved last."""
        self.feed_via: dict[str, Via] = {}
        """What the posts each fresh feed names may reach (``Page.found_on``)."""
        self.failed_feeds: set[str] = set()
        """Feeds with a new post that failed: fetched in full again next run."""
        self.checked = load_checked(store.root)
        self.profiles = load_profiles(store.root)
        self.owners: dict[str, Source] = {}
        """URL key of every post seen in a feed -> its source (the first listed wins)."""
        for source in self.sources:
            self._own(source)

    def changes(self) -> Iterator[Change]:
        """Feeds and archived posts in one polite crawl, then the new posts the feeds named."""
        feeds = [CrawlRequest(s.feed, self.states[s.feed].etag, self.states[s.feed].last_modified,
                              kind="feed", tag=s) for s in self.sources]
        archived = [_request(j) for j in self._archived_jobs()]
        with WorkerPool(self.options.workers) as pool:
            pending: dict[Future[Converted], Job] = {}
            yield from self._crawl([*feeds, *archived], pool, pending)
            new = [_request(j) for j in self._new_jobs()]
            if new:
                yield from self._crawl(new, pool, pending)
            while pending:
                yield from self._harvest(pending, block=True)
        if not self.options.dry_run:
            self._save_states()

    def _crawl(self, requests: list[CrawlRequest], pool: WorkerPool,
               pending: dict[Future[Converted], Job]) -> Iterator[Change]:
        for result in self.fetch(requests):
            tag = result.request.tag
            change = (self._feed(tag, result) if isinstance(tag, Source)
                      else self._safely_fetched(result, pool, pending))
            if change is not None:
                yield change
            yield from self._harvest(pending, block=len(pending) >= pool.capacity)

    # -- feeds ----------------------------------------------------------------------------

    def _feed(self, source: Source, result: CrawlResult) -> Change | None:
        page = result.page
        if page is None:
            return self._feed_failed(source, result.error)
        if page.not_modified:
            return None
        try:
            feed = parse_feed(page.html, page.final_url)
        except InputError as err:
            return self._feed_failed(source, err)
        self.fresh[source.feed] = feed
        self.feed_via[source.feed] = page.found_on
        self.states[source.feed] = merged(
            self.states[source.feed], feed, etag=page.etag, last_modified=page.last_modified,
            checked_at=self.now.isoformat())
        self._own(source)
        return None

    def _feed_failed(self, source: Source, error: VellumError | None) -> Change:
        status = error.status if isinstance(error, HTTPStatusError) else None
        return Change(source.feed, "failed", reason=str(error) if error else "no response",
                      http_status=status, source=source.name, kind="feed",
                      dry_run=self.options.dry_run, left=isinstance(error, RunTimeLimit))

    def _new_jobs(self) -> Iterator[Job]:
        """A job for each post of a freshly fetched feed that is not archived yet."""
        seen: set[str] = set()
        for source in self.sources:
            feed = self.fresh.get(source.feed)
            if feed is None:
                continue
            for entry in feed.entries:
                key = url_key(entry.url)
                if key in seen or not source.wants(entry.categories):
                    continue
                seen.add(key)
                if self.store.find(entry.url) is None:
                    yield Job(entry.url, None, source, None, entry,
                              self._profile(source.profile or self.options.profile),
                              via=self.feed_via[source.feed])

    def _archived_jobs(self) -> Iterator[Job]:
        entries = select_entries(self.store.entries(), self.options, self.sources, self.states,
                                 self.checked, self.now, others=self.others,
                                 recorded=lambda e: self.store.facts(e.path).get(SOURCE_FACT))
        for entry in entries:
            source, _ = self._source_of(entry)
            yield Job(entry.url or entry.canonical_url, entry, source, None, None,
                      self._profile(entry.profile))

    def _profile(self, name: str) -> Profile:
        if name not in self.profiles:
            raise InputError(name, f"unknown profile (choose from {', '.join(self.profiles)})")
        return self.profiles[name]

    def _own(self, source: Source) -> None:
        for key in self.states[source.feed].by_key:
            self.owners.setdefault(key, source)

    def _source_of(self, entry: Entry) -> tuple[Source | None, FeedEntry | None]:
        for url in (entry.url, entry.canonical_url):
            key = url_key(url) if url else ""
            source = self.owners.get(key)
            if source is not None:
                return source, self.states[source.feed].by_key.get(key)
        return None, None

    def _with_fill(self, job: Job) -> Job:
        """``job`` with what its feed knows now (a feed fetched in this run included)."""
        source, feed_entry = job.source, job.feed_entry
        if job.entry is not None:
            source, feed_entry = self._source_of(job.entry)
        if source is None or feed_entry is None:
            return job
        feed = self.states[source.feed].feed
        return replace(job, fill=make_fill(feed, feed_entry, site_url=source.url,
                                           tag=source.tag))

    def _save_states(self) -> None:
        for feed_url in self.fresh:
            state = self.states[feed_url]
            if feed_url in self.failed_feeds:
                state = replace(state, etag=None, last_modified=None)
            save_state(self.store.root, state)
        # Check times only steer --older-than and --limit: runs without them write nothing.
        if self.options.older_than is not None or self.options.limit is not None:
            save_checked(self.store.root, self.checked)

    # -- pages ----------------------------------------------------------------------------

    def _safely_fetched(self, result: CrawlResult, pool: WorkerPool,
                        pending: dict[Future[Converted], Job]) -> Change | None:
        try:
            return self._fetched(result, pool, pending)
        except Exception as err:  # one post fails, the run goes on (``pipeline.runner``)
            return self._error(result.request.tag, err)  # type: ignore[arg-type]

    def _fetched(self, result: CrawlResult, pool: WorkerPool,
                 pending: dict[Future[Converted], Job]) -> Change | None:
        job: Job = result.request.tag  # type: ignore[assignment]
        page = result.page
        if page is None:
            return self._unfetchable(job, result.error, pool, pending)
        if job.entry is not None:
            self.checked[job.entry.path] = self.now.isoformat()
        if page.not_modified and job.entry is not None:
            return self._not_modified(job, job.entry, page)
        job = self._with_fill(job)
        pending[pool.submit(convert_page, page, job.profile, self.now, self.sites,
                            job.fill)] = job
        return None

    def _unfetchable(self, job: Job, error: VellumError | None, pool: WorkerPool,
                     pending: dict[Future[Converted], Job]) -> Change | None:
        status = error.status if isinstance(error, HTTPStatusError) else None
        reason = str(error) if error else "no response"
        if isinstance(error, RunTimeLimit):  # left for the next run, which checks it first
            if job.source is not None and job.entry is None:
                self.failed_feeds.add(job.source.feed)
            return replace(self._change(job, "failed", job.entry.path if job.entry else None,
                                        reason=reason), left=True)
        if job.entry is not None:
            self.checked[job.entry.path] = self.now.isoformat()
            if status in GONE_STATUSES:
                return self._gone(job, job.entry, status)
            return self._change(job, "failed", job.entry.path, reason=reason, http=status)
        fallback = feed_page(job.feed_entry, self.now) if job.feed_entry else None
        if fallback is None or isinstance(error, BlockedError):
            # A refused address is never archived, not even from the feed's copy.
            return self._failed_new(job, reason, status)
        job = replace(self._with_fill(job), fallback_reason=reason, http_status=status)
        pending[pool.submit(convert_page, fallback, job.profile, self.now, self.sites,
                            job.fill)] = job
        return None

    def _harvest(self, pending: dict[Future[Converted], Job], *, block: bool) -> Iterator[Change]:
        if not pending:
            return
        done, _ = wait(list(pending), timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in done:
            job = pending.pop(future)
            try:
                converted = future.result()
            except ExtractError as err:
                yield self._unconvertible(job, err, pending)
                continue
            except Exception as err:  # one odd page (or a dead worker) must not end the run
                yield self._error(job, err)
                continue
            try:
                whole, _, _ = whole_post(converted, via_crawl(self.fetch), self.sites)
                yield self._apply(job, whole)
            except Exception as err:
                # A teaser whose post, or a split post whose page, cannot be had: kept as is.
                yield self._error(job, err)

    def _error(self, job: Job, err: Exception) -> Change:
        """The failed change for ``err`` (``pipeline.runner``'s policy)."""
        return replace(self._change(job, "failed", job.entry.path if job.entry else None,
                                    reason=runner.reason(job.url, err)), detail=runner.detail(err))

    def _unconvertible(self, job: Job, err: ExtractError,
                       pending: dict[Future[Converted], Job]) -> Change:
        if job.entry is not None:
            if isinstance(err, NotArticleError):
                return self._change(job, "suspect", job.entry.path,
                                    reason=f"{err.reason}; archived post kept", http=200)
            return self._change(job, "failed", job.entry.path, reason=str(err))
        if job.fallback_reason is None and job.feed_entry is not None:
            fallback = feed_page(job.feed_entry, self.now)
            if fallback is not None:
                try:  # rare (a page that is no article): convert inline, no pool round trip
                    converted = convert_page(fallback, job.profile, self.now, self.sites,
                                             job.fill)
                except VellumError:
                    return self._failed_new(job, str(err), None)
                return self._apply(replace(job, fallback_reason=str(err)), converted)
        return self._failed_new(job, str(err), job.http_status)

    # -- applying results -----------------------------------------------------------------

    def _apply(self, job: Job, converted: Converted) -> Change:
        if job.entry is None:
            return self._store_new(job, converted)
        entry, page = job.entry, converted.page
        old_text = self.store.read(entry.path)
        converted = kept_over(self.store, entry, converted)
        converted, warnings = with_assets(self.store, converted, entry.path, self._assets(job))
        new_text = converted.document.text
        moved = _moved_to(entry, page)
        if moved:
            converted = replace(converted, page=replace(page, url=moved))
        if frontmatter.content_hash(new_text) == frontmatter.content_hash(old_text):
            self._record_fetch(entry, page, moved)
            return self._change(job, "unchanged", entry.path, http=page.status, moved=moved,
                                reason="; ".join(warnings) or None)
        reason = shrink_reason(old_text, new_text)
        if reason is not None:
            return self._change(job, "suspect", entry.path, reason=reason, http=page.status)
        if not self.options.dry_run:  # store_converted keeps the old version in the history
            store_converted(self.store, converted, existing=entry, aliases=[entry.url],
                            facts=_source_facts(job.source), kept=True)
        return self._change(job, "updated", entry.path, http=page.status, moved=moved,
                            reason="; ".join(warnings) or None)

    def _store_new(self, job: Job, converted: Converted) -> Change:
        why = (f"archived from the feed's copy: {job.fallback_reason}"
               if job.fallback_reason else None)
        page = converted.page
        known = self.store.find(page.url, page.final_url, converted.canonical_url)
        if known is not None:  # the feed links to a post archived under another address
            return self._apply(replace(job, entry=known), converted)
        if self.options.dry_run:
            return self._change(job, "new", None, reason=why, http=page.status)
        # An older copy of the post (ingested text, say) is merged into this web copy.
        hooks = Hooks(assets=self._assets(job), link=link_new_entry,
                      facts=_source_facts(job.source))
        archived = stored(self.store, converted, hooks=hooks)
        why = "; ".join(filter(None, [why, *archived.warnings])) or None
        return self._change(job, "new", archived.entry.path, reason=why,
                            http=job.http_status or page.status)

    def _assets(self, job: Job) -> AssetOptions:
        options = replace(self.options.assets, crawl=self.options.crawl,
                          dry_run=self.options.dry_run, revalidate=True)
        wants = job.source is not None and job.source.assets
        return for_source(options, wants) or options

    def _not_modified(self, job: Job, entry: Entry, page: Page) -> Change:
        moved = _moved_to(entry, page)
        self._record_fetch(entry, page, moved)
        return self._change(job, "unchanged", entry.path, http=304, moved=moved)

    def _record_fetch(self, entry: Entry, page: Page, moved: str | None) -> None:
        """Index a new address or new validators; nothing at all when neither changed."""
        validators = (page.etag, page.last_modified)
        if self.options.dry_run or (not moved and validators == (entry.etag, entry.last_modified)):
            return
        self.store.update(replace(entry, url=moved or entry.url, etag=page.etag,
                                  last_modified=page.last_modified,
                                  fetched_at=page.fetched_stamp),
                          aliases=[entry.url] if moved else [])

    def _gone(self, job: Job, entry: Entry, status: int | None) -> Change:
        if entry.status == "gone":
            return self._change(job, "unchanged", entry.path, reason="still gone", http=status)
        if not self.options.dry_run:
            text = mark_gone(self.store.read(entry.path), self.now)
            self.store.save(replace(entry, status="gone"), text)
        return self._change(job, "gone", entry.path, reason=f"HTTP {status}; post kept",
                            http=status)

    def _failed_new(self, job: Job, reason: str, status: int | None) -> Change:
        if job.source is not None:
            self.failed_feeds.add(job.source.feed)
        return self._change(job, "failed", None, reason=reason, http=status)

    def _change(self, job: Job, status: Status, path: str | None, *, reason: str | None = None,
                http: int | None = None, moved: str | None = None) -> Change:
        return Change(job.url, status, path, reason=reason, http_status=http,
                      source=job.source.name if job.source else None, moved_to=moved,
                      dry_run=self.options.dry_run)


def _source_facts(source: Source | None) -> dict[str, Any]:
    """The side fact naming the followed source a post came from (``refresh --source``)."""
    return {SOURCE_FACT: {"name": source.name, "feed": source.feed}} if source else {}


def _request(job: Job) -> CrawlRequest:
    return CrawlRequest(job.url, job.etag, job.last_modified, tag=job, via=job.via)


def mark_gone(text: str, when: dt.datetime) -> str:
    """The post's file with ``status: gone`` and ``gone_at`` in its front matter."""
    data, body = frontmatter.split(text)
    data = dict(data or {})
    sort_keys = len(data) > 1 and list(data) == sorted(data)  # keep a sorted profile sorted
    data["status"] = "gone"
    data["gone_at"] = when.replace(microsecond=0)
    return frontmatter.join(data, body, sort_keys=sort_keys)


def _moved_to(entry: Entry, page: Page) -> str | None:
    """The post's new address when it answered through permanent redirects only."""
    if page.permanently_moved and url_key(page.final_url) != url_key(entry.url):
        return page.final_url
    return None

