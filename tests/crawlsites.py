"""Many small sites on the loopback server, for the crawl engine and `vellum import` tests.

Host names such as ``a.test`` are reached through ``LoopbackTransport``, which
connects every host to 127.0.0.1 (like ``curl --resolve``) and keeps the Host
header, so one ``LocalServer`` answers as many virtual hosts as a test needs.
"""

from __future__ import annotations

import html
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable

import httpx

from vellum.fetch.crawl import CrawlOptions, make_async_client

from .server import LocalServer, Request, Response
from .sites import wordpress_post

TOPICS = (
    ("compilers", "register allocation", "a linear scan over live intervals"),
    ("databases", "write-ahead logging", "sequential appends to a log file"),
    ("gardening", "soil structure", "compost worked into the top layer"),
    ("photography", "exposure stacking", "several frames merged into one"),
    ("cycling", "cadence training", "short intervals at a high pedal rate"),
    ("baking", "sourdough hydration", "a wetter dough left to ferment longer"),
)


class LoopbackTransport(httpx.AsyncBaseTransport):
    """Send every request to 127.0.0.1 on the URL's port, whatever the host name."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=200))
        self.sent: dict[str, list[float]] = defaultdict(list)
        """Send times per host: the client's side of politeness, free of server jitter."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent[request.url.host].append(time.monotonic())
        url = request.url.copy_with(host="127.0.0.1")
        forwarded = httpx.Request(request.method, url, headers=request.headers,
                                  stream=request.stream, extensions=request.extensions)
        return await self.inner.handle_async_request(forwarded)

    async def aclose(self) -> None:
        await self.inner.aclose()


def loopback_client(options: CrawlOptions | None = None,
                    transport: LoopbackTransport | None = None) -> httpx.AsyncClient:
    return make_async_client(options or CrawlOptions(), transport=transport or LoopbackTransport())


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (a host that is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def article(host: str, n: int) -> str:
    """A WordPress-style post with three paragraphs of prose, unique per host and number."""
    topic, subject, method = TOPICS[(n + len(host)) % len(TOPICS)]
    title = f"Notes on {subject} ({host} #{n})"
    body = (
        f"<p>This is note number {n} from {html.escape(host)} about {topic}. It looks at "
        f"{subject} and explains, with a worked example, why {method} changes the outcome "
        "more than most people expect when they first try it.</p>"
        f"<p>The first experiment kept everything else fixed and varied only {subject}. "
        f"After {n + 3} rounds the difference was obvious, and it held up when the same "
        "steps were repeated a week later by someone who had not seen the first results.</p>"
        f"<h2>What changed with {subject}</h2>"
        f"<p>The second experiment replaced the usual approach with {method}. It took "
        "longer to set up, but the results were steadier and easier to explain, which is "
        "the main reason this note recommends it as the default starting point.</p>"
        "<p>Finally, a few caveats: the measurements come from one setup, the sample is "
        "small, and other conditions may well change the picture. Treat the numbers as a "
        "starting point for your own tests rather than as a final answer.</p>"
    )
    return wordpress_post(title, body=body, published=f"2023-{1 + n % 12:02d}-{1 + n % 27:02d}"
                          "T10:00:00+00:00")


class Flaky:
    """A handler that fails the first ``fails`` requests of each path, then serves ``ok``."""

    def __init__(self, ok: Callable[[Request], Response], fails: int, status: int = 500,
                 headers: dict[str, str] | None = None) -> None:
        self.ok = ok
        self.fails = fails
        self.status = status
        self.headers = headers or {}
        self.seen: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        with self._lock:
            self.seen[request.path] += 1
            count = self.seen[request.path]
        if count <= self.fails:
            return Response(status=self.status, body="<html><body>busy</body></html>",
                            headers=self.headers)
        return self.ok(request)


def serve_articles(server: LocalServer, host: str, count: int, *, delay: float = 0.0,
                   prefix: str = "/posts/") -> list[str]:
    """Register ``count`` articles on ``host``; returns their URLs."""
    urls = []
    for n in range(count):
        path = f"{prefix}{n}/"
        server.route(path, Response(body=article(host, n), delay=delay), host=host)
        urls.append(f"http://{host}:{server.port}{path}")
    return urls


def starts_by_host(server: LocalServer) -> dict[str, list[float]]:
    starts: dict[str, list[float]] = defaultdict(list)
    for request in server.log:
        starts[request.host].append(request.started)
    return {host: sorted(times) for host, times in starts.items()}


def min_gap(times: list[float]) -> float:
    return min((b - a for a, b in zip(times, times[1:], strict=False)), default=float("inf"))
