"""Fetch many pages at once, politely.

One shared ``httpx.AsyncClient`` (connection reuse, HTTP/2 where offered) under a
global concurrency limit; per host (scheme, name and port) at most ``per_host``
requests at a time and at least ``delay`` seconds between request starts (raised
to the host's robots.txt ``Crawl-delay``). Connection errors, timeouts, 429 and
5xx are retried with exponential backoff and jitter, honouring ``Retry-After``;
the wait pauses the whole host, and a host failing ``host_failure_limit`` times
in a row is given up as a whole instead of URL by URL. Each redirect hop is a
request of its own, scheduled on the host it points to.

The response rules (redirects, size cap, content types, charset, error
messages) are the single-page client's: see ``client.py``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import gzip
import io
import math
import queue
import random
import sys
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import aclosing, suppress
from dataclasses import dataclass, field
from typing import Literal, TypeVar
from urllib.parse import urlsplit

import httpx

from .. import defaults
from ..decode import HTML_TYPES, media_type
from ..errors import (
    FetchError,
    HTTPStatusError,
    InputError,
    OutOfTimeError,
    TooLargeError,
    VellumError,
)
from ..models import Page
from ..urls import check_url
from .client import (
    IMAGE_TYPES,
    REDIRECT_STATUSES,
    Deadline,
    FetchOptions,
    add_decoded,
    binary_page,
    blocked,
    body_page,
    check_length,
    check_reach,
    conditional_headers,
    failure_reason,
    head_page,
    inflater_for,
    next_hop,
)
from .cookies import load_cookies
from .inflate import DecodeFailed
from .netguard import (
    REACH_EXTENSION,
    AddressRefused,
    AsyncGuardedTransport,
    Reach,
    Via,
    proxy_mounts,
    same_host,
)
from .robots import ALLOW_ALL, DISALLOW_ALL, MAX_ROBOTS_BYTES, Robots, parse_robots

# What a "feed" request accepts besides HTML: feeds, sitemaps (plain or gzip), JSON Feed.
FEED_TYPES = HTML_TYPES + (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json", "application/json", "text/plain",
    "application/gzip", "application/x-gzip",
)
GZIP_TYPES = ("application/gzip", "application/x-gzip")
MAX_ROBOTS_REDIRECTS = 5
# How many finished results may wait for the consumer before fetching pauses.
RESULT_BUFFER = 4


@dataclass(frozen=True)
class CrawlOptions:
    concurrency: int = defaults.CONCURRENCY
    """Requests in flight at once, over all hosts."""
    per_host: int = defaults.PER_HOST
    """Requests in flight at once on one host."""
    delay: float = defaults.DELAY
    """Minimum seconds between two request starts on one host."""
    retries: int = defaults.RETRIES
    """Extra attempts after a connection error, a timeout, 429 or 5xx."""
    backoff: float = 1.0
    """Base of the exponential backoff (seconds); the wait doubles per failure, with jitter."""
    max_backoff: float = 60.0
    """Longest wait before a retry, also the wait after a Retry-After up to ``max_retry_after``."""
    max_retry_after: float = 600.0
    """A Retry-After longer than this gives the URL up for the run (the server's wish)."""
    stop_at: float | None = None
    """``time.monotonic()`` after which nothing starts and what is in flight is given up
    (``refresh --max-time``); such results carry a ``RunTimeLimit`` error."""
    respect_robots: bool = True
    host_failure_limit: int = 5
    """Consecutive failures after which the rest of a host's URLs are given up."""
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass(frozen=True)
class CrawlRequest:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    kind: Literal["html", "feed", "image"] = "html"
    """``feed`` also accepts XML, RSS, Atom, JSON and gzip bodies (feeds, sitemaps);
    ``image`` only image types, the body kept as bytes in ``Page.data``."""
    tag: object = None
    """The caller's data, handed back untouched in the result."""
    via: Via = "user"
    """Who named the URL: the user, or the kind of address (``Page.found_on``) of the page
    it was found in. A link found on a public address never reaches a private one."""


@dataclass(frozen=True)
class CrawlResult:
    request: CrawlRequest
    page: Page | None
    """The page (``status == 304`` when not modified), or None on error."""
    error: VellumError | None
    attempts: int
    """Requests sent for it, retries included and redirect hops not counted (0: never sent)."""
    seconds: float


def make_async_client(
    options: CrawlOptions = CrawlOptions(), *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The shared client: HTTP/2 when the server offers it, enough idle connections to reuse."""
    keep = max(64, options.concurrency * options.per_host)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=keep)
    return httpx.AsyncClient(
        http2=True, headers=options.fetch.headers, timeout=options.fetch.timeout,
        follow_redirects=False, limits=limits, cookies=load_cookies(options.fetch.cookies),
        transport=transport or AsyncGuardedTransport(options.fetch.policy, http2=True,
                                                      limits=limits),
        mounts=None if transport else proxy_mounts(httpx.AsyncHTTPTransport, http2=True,
                                                   limits=limits),
    )


class RunTimeLimit(OutOfTimeError):
    """Not fetched, or given up: the run reached ``CrawlOptions.stop_at``."""


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())


def backoff_delay(failures: int, options: CrawlOptions, rng: random.Random | None = None) -> float:
    """Wait after the ``failures``-th failure in a row: exponential, capped, "equal jitter"."""
    ceiling = min(options.max_backoff, options.backoff * 2 ** max(0, failures - 1))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def origin(url: str) -> str:
    """The politeness unit: scheme, host name and port (robots.txt is per origin too)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"


# -- the engine -----------------------------------------------------------------------------


@dataclass(eq=False)
class _Job:
    request: CrawlRequest
    url: str
    hops: list[tuple[int, str]] = field(default_factory=list)
    failures: int = 0
    tries: int = 0
    started: float | None = None
    came_private: bool = False
    """The last hop was served from a non-public address."""


@dataclass(eq=False)
class _Host:
    key: str
    delay: float
    queue: deque[_Job] = field(default_factory=deque)
    workers: int = 0
    last_start: float = -math.inf
    not_before: float = 0.0
    failures: int = 0
    down: str | None = None
    robots: Robots | None = None
    robots_ready: asyncio.Event | None = None


class _Retry(Exception):
    """A failed attempt worth another try (connection error, timeout, 429, 5xx)."""

    def __init__(self, error: FetchError, wait: float | None, host_fault: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait
        self.host_fault = host_fault


@dataclass(frozen=True)
class _Hop:
    status: int
    target: str
    private: bool


class _Engine:
    def __init__(self, options: CrawlOptions, client: httpx.AsyncClient) -> None:
        self.options = options
        self.client = client
        self.hosts: dict[str, _Host] = {}
        self.slots = asyncio.Semaphore(max(1, options.concurrency))
        self.results: asyncio.Queue[CrawlResult] = asyncio.Queue(
            max(16, RESULT_BUFFER * options.concurrency))
        self.tasks: set[asyncio.Task[None]] = set()
        self.rng = random.Random()

    def submit(self, job: _Job, *, front: bool = False) -> None:
        host = self._host(job.url)
        if front:
            host.queue.appendleft(job)
        else:
            host.queue.append(job)
        while host.workers < max(1, self.options.per_host) and host.workers < len(host.queue):
            host.workers += 1
            task = asyncio.get_running_loop().create_task(self._work(host))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    def _host(self, url: str) -> _Host:
        key = origin(url)
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = _Host(key, max(0.0, self.options.delay))
        return host

    async def _work(self, host: _Host) -> None:
        try:
            while host.queue:
                job = host.queue.popleft()
                try:
                    await self._handle(host, job)
                except VellumError as err:
                    await self._finish(job, error=err)
                except Exception as err:  # a bug must surface as a result, never hang the crawl
                    failure = FetchError(job.request.url, f"internal error ({err!r})")
                    failure.__cause__ = err
                    await self._finish(job, error=failure)
        finally:
            host.workers -= 1

    async def _handle(self, host: _Host, job: _Job) -> None:
        self._check_run_time(job)
        reach = self._reach(job, job.url, first=not job.hops, came_private=job.came_private)
        # An IP address the request may not reach is refused before even its robots.txt.
        check_reach(job.request.url, job.url, self.options.fetch.policy.check_literal(
            job.url, reach))
        if self.options.respect_robots:
            await self._load_robots(host, job)
        if host.down:
            raise FetchError(job.request.url, host.down)
        robots = host.robots or ALLOW_ALL
        if not robots.allowed(job.url):
            where = "" if job.url == job.request.url else f" ({job.url})"
            raise FetchError(job.request.url, f"blocked by robots.txt{where}")
        await self._turn(host, job)
        if job.started is None:
            job.started = time.monotonic()
        job.tries += 1
        try:
            outcome = await self._attempt(job)
        except _Retry as retry:
            self._retry_or_fail(host, job, retry)
            return
        except VellumError:
            host.failures = 0  # the host answered: it is alive
            raise
        finally:
            self.slots.release()
        host.failures = 0
        if isinstance(outcome, _Hop):
            self._follow(job, outcome)
        else:
            await self._finish(job, page=outcome)

    def _follow(self, job: _Job, hop: _Hop) -> None:
        job.tries -= 1  # a hop is not an attempt: the next URL's request is
        job.hops.append((hop.status, hop.target))
        job.came_private = hop.private
        limit = self.options.fetch.max_redirects
        if len(job.hops) > limit:
            raise FetchError(job.request.url, f"too many redirects (more than {limit})")
        job.url = hop.target
        self.submit(job, front=True)

    def _retry_or_fail(self, host: _Host, job: _Job, retry: _Retry) -> None:
        job.failures += 1
        if retry.host_fault:
            host.failures += 1
            if host.failures >= self.options.host_failure_limit:
                host.down = (f"not fetched: {host.key} failed {host.failures} times in a row "
                             f"(last: {retry.error.reason})")
                raise retry.error
        if job.failures > self.options.retries:
            raise retry.error
        wait = retry.wait if retry.wait is not None else backoff_delay(job.failures, self.options,
                                                                        self.rng)
        wait = min(wait, self.options.max_backoff)
        host.not_before = max(host.not_before, time.monotonic() + wait)
        host.queue.appendleft(job)

    async def _finish(self, job: _Job, *, page: Page | None = None,
                      error: VellumError | None = None) -> None:
        seconds = time.monotonic() - job.started if job.started is not None else 0.0
        await self.results.put(CrawlResult(job.request, page, error, job.tries, seconds))

    def _check_run_time(self, job: _Job, wait: float = 0.0) -> None:
        stop_at = self.options.stop_at
        if stop_at is not None and time.monotonic() + wait >= stop_at:
            raise RunTimeLimit(job.request.url, "not fetched: the run's time limit "
                                                "(--max-time) was reached")

    def _seconds_left(self, job: _Job) -> float:
        """The deadline of one response: its own, or what is left of the run's."""
        seconds = self.options.fetch.deadline
        if self.options.stop_at is not None:
            seconds = min(seconds, self.options.stop_at - time.monotonic())
        return seconds

    async def _turn(self, host: _Host, job: _Job) -> None:
        """Wait until ``host`` may see a new request and a global slot is free; take both."""
        while True:
            wait = max(host.last_start + host.delay, host.not_before) - time.monotonic()
            if wait > 0:
                self._check_run_time(job, wait)
                await asyncio.sleep(wait)
                continue
            await self.slots.acquire()
            # Another request on this host may have started while we waited for the slot.
            if max(host.last_start + host.delay, host.not_before) > time.monotonic():
                self.slots.release()
                continue
            host.last_start = time.monotonic()
            return

    def _reach(self, job: _Job, url: str, *, first: bool, came_private: bool) -> Reach:
        return self.options.fetch.policy.reach(
            job.request.via, first=first, same_host=same_host(job.request.url, url),
            came_private=came_private)

    async def _attempt(self, job: _Job) -> Page | _Hop:
        request, policy = job.request, self.options.fetch.policy
        reach = self._reach(job, job.url, first=not job.hops, came_private=job.came_private)
        check_reach(request.url, job.url, policy.check_literal(job.url, reach))
        seconds = self._seconds_left(job)
        clock = Deadline(request.url, seconds)
        try:
            return await _within(self._exchange(job, reach, clock), seconds)
        except asyncio.TimeoutError:
            raise self._overdue(job, clock) or clock.error() from None
        except AddressRefused as err:
            raise blocked(request.url, job.url, err.reason) from None

    def _overdue(self, job: _Job, clock: Deadline) -> OutOfTimeError | None:
        """The error of a request cut short by its deadline or the run's, if it was."""
        stop_at = self.options.stop_at
        if stop_at is not None and time.monotonic() >= stop_at:
            return RunTimeLimit(job.request.url, "given up: the run's time limit "
                                                 "(--max-time) was reached")
        return clock.error() if clock.left() <= 0 else None

    async def _exchange(self, job: _Job, reach: Reach, clock: Deadline) -> Page | _Hop:
        request = job.request
        sent = conditional_headers(request.etag, request.last_modified)
        fetch = self.options.fetch
        hops = tuple(job.hops)
        try:
            async with self.client.stream(
                "GET", job.url, headers={**fetch.headers, **sent}, follow_redirects=False,
                timeout=fetch.timeout_within(clock.left()), extensions={REACH_EXTENSION: reach},
            ) as response:
                private = fetch.policy.served_privately(response)
                if response.status_code in REDIRECT_STATUSES:
                    return _Hop(response.status_code, next_hop(request.url, response), private)
                feed = request.kind == "feed"
                types = {"feed": FEED_TYPES, "image": IMAGE_TYPES}.get(request.kind, HTML_TYPES)
                try:
                    early = head_page(request.url, response, hops, sent, types,
                                      private=private)
                except HTTPStatusError as err:
                    if err.status == 429 or err.status >= 500:
                        raise self._retry_for(err, response) from err
                    raise
                if early is not None:
                    return early
                check_length(request.url, response, fetch.max_bytes)
                body = await _read_capped(request.url, response, fetch.max_bytes)
                if request.kind == "image":  # kept as bytes: sniffed by fetch.images
                    return binary_page(request.url, response, hops, body, private=private)
                if media_type(response.headers.get("Content-Type")) in GZIP_TYPES:
                    body = _gunzip(request.url, body, fetch.max_bytes)
                return body_page(request.url, response, hops, body, sniff_html=not feed,
                                 private=private)
        except httpx.InvalidURL as err:
            raise FetchError(request.url, f"invalid URL {job.url!r} ({err})") from err
        except httpx.HTTPError as err:
            overdue = self._overdue(job, clock)
            if overdue is not None:  # the read timeout was cut to the deadline: not retried
                raise overdue from err
            error = FetchError(request.url, failure_reason(err, fetch))
            raise _Retry(error, None, host_fault=True) from err

    def _retry_for(self, err: HTTPStatusError, response: httpx.Response) -> Exception:
        """A retry after 429/5xx, or the end of the URL when Retry-After is beyond the cap."""
        wait = retry_after(response.headers.get("Retry-After"))
        cap = self.options.max_retry_after
        if wait is not None and wait > cap:
            return HTTPStatusError(err.subject, err.status, (
                f"{err.reason}; given up for this run: the server asks to retry after "
                f"{_span(wait)} (Retry-After), longer than the {_span(cap)} vellum waits"))
        return _Retry(err, wait, host_fault=err.status >= 500)

    # -- robots.txt -----------------------------------------------------------------------

    async def _load_robots(self, host: _Host, job: _Job) -> None:
        """Fetch the host's robots.txt once; concurrent workers wait for the first one."""
        if host.robots is not None:
            return
        if host.robots_ready is not None:
            await host.robots_ready.wait()
            return
        host.robots_ready = asyncio.Event()
        try:
            host.robots = await self._fetch_robots(host, job)
            if host.robots.crawl_delay:
                host.delay = max(host.delay, host.robots.crawl_delay)
        finally:
            host.robots = host.robots or ALLOW_ALL
            host.robots_ready.set()

    async def _fetch_robots(self, host: _Host, job: _Job) -> Robots:
        url = f"{host.key}/robots.txt"
        failures = 0
        while True:
            await self._turn(host, job)
            try:
                seconds = self._seconds_left(job)
                return await _within(self._robots_attempt(url, job), seconds)
            except asyncio.TimeoutError:
                return ALLOW_ALL  # a tarpit's robots.txt: its pages meet the same deadline
            except _Retry as retry:
                failures += 1
                if retry.host_fault:
                    host.failures += 1
                if (failures > self.options.retries or retry.wait is not None and
                        retry.wait > self.options.max_retry_after or
                        host.failures >= self.options.host_failure_limit):
                    return self._robots_unreachable(host, retry)
                wait = retry.wait if retry.wait is not None else backoff_delay(
                    failures, self.options, self.rng)
                host.not_before = time.monotonic() + min(wait, self.options.max_backoff)
            finally:
                self.slots.release()

    def _robots_unreachable(self, host: _Host, retry: _Retry) -> Robots:
        if isinstance(retry.error, HTTPStatusError):
            # RFC 9309 2.3.1.4: a server error on robots.txt means "disallow everything".
            return DISALLOW_ALL
        host.down = f"not fetched: {host.key} is unreachable ({retry.error.reason})"
        return ALLOW_ALL

    async def _robots_attempt(self, url: str, job: _Job) -> Robots:
        fetch = self.options.fetch
        current, first, private = url, not job.hops, job.came_private
        try:
            for _ in range(MAX_ROBOTS_REDIRECTS + 1):
                reach = self._reach(job, current, first=first, came_private=private)
                if fetch.policy.check_literal(current, reach):
                    return ALLOW_ALL  # not fetched; the pages themselves meet the same rule
                async with self.client.stream("GET", current, headers=fetch.headers,
                                              timeout=fetch.timeout,
                                              extensions={REACH_EXTENSION: reach}) as response:
                    status = response.status_code
                    private, first = fetch.policy.served_privately(response), False
                    if status in REDIRECT_STATUSES:
                        current = next_hop(url, response)
                        continue
                    if status == 429 or status >= 500:
                        wait = retry_after(response.headers.get("Retry-After"))
                        raise _Retry(HTTPStatusError(url, status), wait, host_fault=status >= 500)
                    if status >= 400:
                        return ALLOW_ALL  # RFC 9309: robots.txt "unavailable", crawl freely
                    body = await _read_prefix(response, MAX_ROBOTS_BYTES)
                    return parse_robots(body.decode("utf-8", errors="replace"), fetch.user_agent)
        except (httpx.InvalidURL, AddressRefused, FetchError):
            return ALLOW_ALL
        except httpx.HTTPError as err:
            raise _Retry(FetchError(url, failure_reason(err, fetch)), None, True) from err
        return ALLOW_ALL  # a redirect loop: treated as unavailable


T = TypeVar("T")

if sys.version_info >= (3, 11):
    async def _within(work: Awaitable[T], seconds: float) -> T:
        """``work`` cancelled after ``seconds`` (``TimeoutError``), in the same task: the
        request goes out as soon as its turn comes, which the politeness gaps rely on."""
        async with asyncio.timeout(max(0.0, seconds)):
            return await work
else:
    async def _within(work: Awaitable[T], seconds: float) -> T:
        return await asyncio.wait_for(work, max(0.0, seconds))


def _span(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds:g} s"


async def _read_capped(url: str, response: httpx.Response, limit: int) -> bytes:
    body = bytearray()
    inflater = inflater_for(response)
    async for chunk in _raw(response):
        add_decoded(url, inflater, chunk, body, limit)
    return bytes(body)


async def _raw(response: httpx.Response) -> AsyncIterator[bytes]:
    if response.is_stream_consumed:  # read already (a mock transport's body)
        yield response.content
        return
    async for chunk in response.aiter_raw():
        yield chunk


async def _read_prefix(response: httpx.Response, limit: int) -> bytes:
    """At most ``limit`` decoded bytes of the body (an undecodable rest is left out)."""
    body = bytearray()
    inflater = inflater_for(response)
    with suppress(DecodeFailed):
        async for chunk in _raw(response):
            for piece in inflater.feed(chunk):
                body += piece
                if len(body) >= limit:
                    return bytes(body[:limit])
    return bytes(body)


def _gunzip(url: str, body: bytes, limit: int) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body  # already decoded by Content-Encoding
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError) as err:
        raise FetchError(url, f"broken gzip body ({err})") from err
    if len(data) > limit:
        raise TooLargeError(url, limit, decoded=True)
    return data


# -- entry points ---------------------------------------------------------------------------


async def crawl(
    requests: Iterable[CrawlRequest],
    options: CrawlOptions = CrawlOptions(),
    *,
    client: httpx.AsyncClient | None = None,
) -> AsyncGenerator[CrawlResult, None]:
    """Fetch every request, yielding one result each as they complete (in no fixed order).

    A failure never stops the others. Headers and timeouts come from ``options``
    even when ``client`` is passed in; a passed client is left open.
    """
    http = client or make_async_client(options)
    engine = _Engine(options, http)
    invalid: list[CrawlResult] = []
    pending = 0
    try:
        for request in requests:
            try:
                url = check_url(request.url)
            except InputError as err:
                invalid.append(CrawlResult(request, None, err, 0, 0.0))
                continue
            engine.submit(_Job(request, url))
            pending += 1
        for result in invalid:
            yield result
        while pending:
            result = await engine.results.get()
            pending -= 1
            yield result
    finally:
        await engine.close()
        if client is None:
            await http.aclose()


Sink = Callable[[CrawlResult], Awaitable[None]]


class CrawlThread:
    """Runs ``crawl`` on its own event loop in a background thread, handing results to ``sink``.

    ``sink`` runs on that loop; it may wait (``await``) to slow fetching down.
    ``stop()`` cancels what is in flight; ``finished`` is set once nothing more
    will reach the sink, and ``error`` holds what stopped it early, if anything.
    """

    def __init__(self, requests: Iterable[CrawlRequest], options: CrawlOptions, sink: Sink,
                 *, client: httpx.AsyncClient | None = None) -> None:
        self.requests = requests
        self.options = options
        self.sink = sink
        self.client = client
        self.finished = threading.Event()
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vellum-crawl", daemon=True)

    def start(self) -> CrawlThread:
        self._thread.start()
        self._ready.wait()
        return self

    def stop(self) -> None:
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not self.finished.is_set():
            with suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(task.cancel)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as err:  # handed over to the consumer's thread
            self.error = self.error or err
        finally:
            self._ready.set()
            self.finished.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._ready.set()
        try:
            async with aclosing(crawl(self.requests, self.options, client=self.client)) as results:
                async for result in results:
                    await self.sink(result)
        except asyncio.CancelledError:
            pass
        except Exception as err:
            self.error = err


async def put_when_room(out: queue.Queue[CrawlResult], item: CrawlResult) -> None:
    """Put ``item`` into a bounded thread queue without blocking the event loop."""
    while True:
        try:
            out.put_nowait(item)
            return
        except queue.Full:
            await asyncio.sleep(0.005)


def crawl_sync(
    requests: Iterable[CrawlRequest],
    options: CrawlOptions = CrawlOptions(),
    *,
    client: httpx.AsyncClient | None = None,
) -> Iterator[CrawlResult]:
    """``crawl`` for synchronous code: results are yielded as they arrive.

    The crawl runs in a background thread; closing the iterator (or leaving the
    loop over it early) cancels whatever is still in flight.
    """
    out: queue.Queue[CrawlResult] = queue.Queue(max(16, RESULT_BUFFER * options.concurrency))
    runner = CrawlThread(requests, options, lambda r: put_when_room(out, r), client=client)
    runner.start()
    try:
        while True:
            try:
                yield out.get(timeout=0.1)
            except queue.Empty:
                if runner.finished.is_set() and out.empty():
                    break
        if runner.error is not None:
            raise runner.error
    finally:
        runner.stop()
        runner.join()
