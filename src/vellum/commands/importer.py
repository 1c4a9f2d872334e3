"""``vellum import``: archive a list of URLs, fast and politely, resumable.

Downloads run in the crawl engine (its own thread and event loop); extraction and
conversion run in a process pool sized to the cores; only this process writes to
the archive, one post at a time. Every input URL gets exactly one ``Outcome``,
then an ``ImportSummary`` comes last.

Stopping: SIGINT/SIGTERM (when running in the main thread) or ``stop.set()``
end the run between two writes; what is in flight is dropped, never half
written, and the summary still comes. Re-running the same list skips what was
archived, so an interrupted import simply continues.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import queue
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

from ..errors import HTTPStatusError, InputError
from ..feeds import (
    ListedURL,
    detect_input,
    parse_csv,
    parse_feed,
    parse_opml,
    parse_sitemap,
    parse_url_list,
)
from ..fetch.crawl import CrawlOptions, CrawlRequest, CrawlResult, CrawlThread, crawl_sync
from ..fetch.netguard import Via
from ..models import Entry, Outcome
from ..pipeline.flow import Converted, Hooks, archive_converted, convert_page
from ..pipeline.localize import AssetOptions
from ..pipeline.multipage import via_crawl
from ..pipeline.profiles import resolve as resolve_profile
from ..pipeline.runner import failed
from ..pipeline.workers import start_pool
from ..store import Store, atomic_write
from ..store.config import load_sites
from ..store.paths import FAILED_DIR
from ..store.writing import writing
from ..urls import check_url, url_key
from .dedup import link_new_entry

# Fetched pages waiting for (or in) conversion, per worker: bounds memory on big lists.
PAGES_PER_WORKER = 8
# Sitemap indexes may nest; deeper than this is a loop or a trap.
MAX_SITEMAP_DEPTH = 3
POLL = 0.1
DEFAULTS = CrawlOptions()


@dataclass(frozen=True)
class ImportSummary:
    total: int = 0
    written: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    failed_file: str | None = None
    """The URL list of the failures, ready to be imported again."""

    def as_dict(self) -> dict[str, Any]:
        return {"summary": True, "total": self.total, "written": self.written,
                "updated": self.updated, "unchanged": self.unchanged, "skipped": self.skipped,
                "failed": self.failed, "seconds": round(self.seconds, 3),
                "interrupted": self.interrupted, "failed_file": self.failed_file}


# -- inputs ---------------------------------------------------------------------------------


def read_listing(data: bytes | str, *, options: CrawlOptions = DEFAULTS,
                 client: httpx.AsyncClient | None = None) -> list[ListedURL]:
    """The URLs of an input file: a URL list, a CSV, a sitemap, a feed or an OPML file.

    Sitemap indexes and OPML feeds are fetched (politely) to reach the post URLs.
    """
    kind = detect_input(data)
    if kind == "csv":
        return parse_csv(data)
    if kind == "list":
        return parse_url_list(data.decode("utf-8", "replace") if isinstance(data, bytes) else data)
    if kind == "feed":
        return _checked(e.url for e in parse_feed(data).entries)
    if kind == "sitemap":
        return _from_sitemap(data, options, client, depth=0, via="user")
    return _fetch_listings(parse_opml(data), "feed", options, client, via="user")


def fetch_listing(url: str, kind: str, *, options: CrawlOptions = DEFAULTS,
                  client: httpx.AsyncClient | None = None) -> list[ListedURL]:
    """The URLs of the sitemap or feed at ``url`` (``kind`` is "sitemap" or "feed")."""
    listed = _fetch_listings([check_url(url)], kind, options, client)
    errors = [item.error for item in listed if item.url is None]
    if errors and len(errors) == len(listed):
        raise InputError(url, errors[0] or "nothing listed")
    return listed


def _from_sitemap(data: bytes | str, options: CrawlOptions, client: httpx.AsyncClient | None,
                  depth: int, via: Via) -> list[ListedURL]:
    """The URLs of a sitemap (``via``: who named them), nested sitemaps fetched."""
    sitemap = parse_sitemap(data)
    listed = _checked(sitemap.urls, via)
    if sitemap.sitemaps and depth < MAX_SITEMAP_DEPTH:
        listed += _fetch_listings(sitemap.sitemaps, "sitemap", options, client, depth + 1, via)
    return listed


def _fetch_listings(urls: Iterable[str], kind: str, options: CrawlOptions,
                    client: httpx.AsyncClient | None, depth: int = 0,
                    via: Via = "user") -> list[ListedURL]:
    requests = [CrawlRequest(u, kind="feed", via=via) for u in urls]
    listed: list[ListedURL] = []
    for result in crawl_sync(requests, options, client=client):
        source, page = result.request.url, result.page
        if page is None:
            listed.append(ListedURL(0, None, str(result.error)))
            continue
        try:
            if kind == "sitemap" or detect_input(page.html) == "sitemap":
                listed += _from_sitemap(page.html, options, client, depth, page.found_on)
            else:
                entries = parse_feed(page.html, source).entries
                listed += _checked((e.url for e in entries), page.found_on)
        except InputError as err:
            listed.append(ListedURL(0, None, f"{source}: {err.reason}"))
    return listed


def _checked(urls: Iterable[str], via: Via = "user") -> list[ListedURL]:
    listed = []
    for url in urls:
        try:
            listed.append(ListedURL(0, check_url(url), via=via))
        except InputError as err:
            listed.append(ListedURL(0, None, str(err)))
    return listed


# -- the run --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    url: str
    existing: Entry | None
    via: Via = "user"


@dataclass
class _Counts:
    statuses: dict[str, int] = field(default_factory=dict)
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> Outcome:
        self.statuses[outcome.status] = self.statuses.get(outcome.status, 0) + 1
        if outcome.status == "failed":
            self.failures.append(outcome)
        return outcome


def import_urls(
    urls: Iterable[str | ListedURL],
    store: Store,
    *,
    options: CrawlOptions = DEFAULTS,
    profile: str = "default",
    force: bool = False,
    client: httpx.AsyncClient | None = None,
    workers: int | None = None,
    stop: threading.Event | None = None,
    assets: AssetOptions | None = None,
) -> Iterator[Outcome | ImportSummary]:
    """Archive every URL into ``store``: one ``Outcome`` each, then an ``ImportSummary``.

    Already archived URLs are skipped unless ``force``; a URL listed twice (by
    ``url_key``) is archived once. Holds the archive lock (``LockedError``). A plain
    string is a URL the user named; a ``ListedURL`` says who named it (``via``).
    With ``assets`` the posts' images are copied too, with the import's crawl options.
    """
    started = time.monotonic()
    stop = stop or threading.Event()
    counts = _Counts()
    with writing(store):
        with _stop_on_signals(stop):
            todo: list[_Item] = []
            for outcome in _plan(urls, store, force, todo):
                yield counts.add(outcome)
            run = _Run(store, options, profile, client, workers, stop)
            run.assets = replace(assets, crawl=options) if assets is not None else None
            for outcome in run.outcomes(todo):
                yield counts.add(outcome)
        failed_file = _write_failures(store.root, counts.failures)
    yield _summary(counts, time.monotonic() - started, stop.is_set(), failed_file)


def _plan(urls: Iterable[str | ListedURL], store: Store, force: bool,
          todo: list[_Item]) -> Iterator[Outcome]:
    """Outcomes decided without fetching; the rest is appended to ``todo``."""
    seen: dict[str, str] = {}
    for listed in urls:
        raw, via = ((listed.url or "", listed.via) if isinstance(listed, ListedURL)
                    else (listed, "user"))
        try:
            url = check_url(raw)
        except InputError as err:
            yield Outcome(raw, "failed", error=str(err))
            continue
        key = url_key(url)
        if key in seen:
            yield Outcome(url, "skipped", error=f"duplicate of {seen[key]}")
            continue
        seen[key] = url
        existing = store.find(url)
        if existing is not None and not force:
            yield Outcome(url, "skipped", existing.path)
        else:
            todo.append(_Item(url, existing, via))


class _Run:
    """One pass over the URLs to fetch: crawl thread → process pool → store."""

    def __init__(self, store: Store, options: CrawlOptions, profile: str,
                 client: httpx.AsyncClient | None, workers: int | None,
                 stop: threading.Event) -> None:
        self.store = store
        self.options = options
        self.profile = resolve_profile(store.root, profile)
        self.sites = load_sites(store.root)
        self.client = client
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.stop = stop
        self.events: queue.Queue[tuple[CrawlResult, Future[Converted] | None]] = queue.Queue()
        self.room = threading.Semaphore(self.workers * PAGES_PER_WORKER)
        self.pool: ProcessPoolExecutor | None = None
        self.assets: AssetOptions | None = None

    def outcomes(self, items: list[_Item]) -> Iterator[Outcome]:
        if not items:
            return
        requests = [CrawlRequest(item.url, tag=item, via=item.via) for item in items]
        pool = start_pool(self.workers, own_interrupts=True)
        crawler = CrawlThread(requests, self.options, self._fetched, client=self.client)
        self.pool = pool
        try:
            crawler.start()
            remaining = len(items)
            while remaining and not self.stop.is_set():
                try:
                    result, future = self.events.get(timeout=POLL)
                except queue.Empty:
                    if crawler.finished.is_set() and crawler.error is not None:
                        raise crawler.error from None
                    continue
                outcome = self._converted(result, future) if future else self._failed(result)
                if outcome is not None:
                    remaining -= 1
                    yield outcome
        finally:
            crawler.stop()
            crawler.join()
            pool.shutdown(wait=True, cancel_futures=True)

    async def _fetched(self, result: CrawlResult) -> None:
        """On the crawl's loop: hand a page to the pool once there is room for it."""
        while not self.room.acquire(blocking=False):
            await asyncio.sleep(0.005)
        if result.page is None:
            self.room.release()
            self.events.put((result, None))
            return
        assert self.pool is not None
        try:
            future = self.pool.submit(convert_page, result.page, self.profile, None, self.sites)
        except Exception as err:  # a broken pool: this page fails, the crawl goes on
            future = Future()
            future.set_exception(err)
        future.add_done_callback(lambda f: self.events.put((result, f)))

    def _failed(self, result: CrawlResult) -> Outcome:
        error = result.error
        status = error.status if isinstance(error, HTTPStatusError) else None
        return Outcome(result.request.url, "failed", error=str(error), http_status=status,
                       seconds=result.seconds)

    def _converted(self, result: CrawlResult, future: Future[Converted]) -> Outcome | None:
        self.room.release()
        item: _Item = result.request.tag  # type: ignore[assignment]
        page = result.page
        status = page.status if page else None
        if future.cancelled():
            return None
        try:
            archived = archive_converted(self.store, future.result(), existing=item.existing,
                                         sites=self.sites, hooks=self.hooks)
        except Exception as err:  # a VellumError, a dead worker or a bug: this URL only
            return failed(item.url, err, http_status=status, seconds=result.seconds)
        return Outcome(item.url, archived.status, archived.entry.path, http_status=status,
                       seconds=result.seconds, warnings=archived.warnings)

    @property
    def hooks(self) -> Hooks:
        """The full post of a teaser, every page of a split post: fetched here, one at a
        time (rare enough not to need the pool), through a crawl of their own."""
        fetch_more = via_crawl(lambda requests: crawl_sync(requests, self.options))
        return Hooks(fetch_more=fetch_more, assets=self.assets, link=link_new_entry)


def _summary(counts: _Counts, seconds: float, interrupted: bool,
             failed_file: str | None) -> ImportSummary:
    s = counts.statuses
    return ImportSummary(
        total=sum(s.values()), written=s.get("written", 0), updated=s.get("updated", 0),
        unchanged=s.get("unchanged", 0), skipped=s.get("skipped", 0), failed=s.get("failed", 0),
        seconds=seconds, interrupted=interrupted, failed_file=failed_file,
    )


def _write_failures(root: Path, failures: list[Outcome]) -> str | None:
    """A URL list of the failures, with each reason as a comment, to import again."""
    if not failures:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    path = root / FAILED_DIR / f"failed-{now.strftime('%Y%m%dT%H%M%S.%fZ')}.txt"
    lines = [f"# vellum import: {len(failures)} failed, {now.isoformat(timespec='seconds')}"]
    for outcome in failures:
        reason = (outcome.error or "failed").replace("\n", " ")
        lines += [f"# {reason}", outcome.url]
    atomic_write(path, "\n".join(lines) + "\n")
    return str(path)


# -- processes and signals ------------------------------------------------------------------


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT/SIGTERM set ``stop`` (a second one interrupts at once); main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [signal.SIGINT, signal.SIGTERM]
    previous = {sig: signal.getsignal(sig) for sig in wanted}

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    for sig in wanted:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
