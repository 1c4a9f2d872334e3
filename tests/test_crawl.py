"""fetch.crawl and fetch.robots: many pages at once, politely, against the loopback server."""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time

import pytest

from vellum.errors import ContentTypeError, FetchError, HTTPStatusError
from vellum.fetch.crawl import (
    CrawlOptions,
    CrawlRequest,
    CrawlResult,
    backoff_delay,
    crawl_sync,
    origin,
    retry_after,
)
from vellum.fetch.robots import parse_robots

from .crawlsites import (
    Flaky,
    LoopbackTransport,
    closed_port,
    loopback_client,
    min_gap,
    serve_articles,
)
from .server import LocalServer, Request, Response

# The server stamps a request when it has read the headers; allow for that jitter.
TOLERANCE = 0.01
FAST = CrawlOptions(concurrency=8, per_host=2, delay=0.05, retries=3, backoff=0.05,
                    max_backoff=2.0)


def run(server: LocalServer, urls: list[str], options: CrawlOptions = FAST,
        kind: str = "html", transport: LoopbackTransport | None = None) -> dict[str, CrawlResult]:
    requests = [CrawlRequest(u, kind=kind) for u in urls]  # type: ignore[arg-type]
    client = loopback_client(options, transport)
    return {r.request.url: r for r in crawl_sync(requests, options, client=client)}


def sent_gap(transport: LoopbackTransport, host: str) -> float:
    """The shortest gap between two request starts on ``host``, as the client sent them.

    (The server's own stamps are taken by threads that a loaded machine may run late.)
    """
    return min_gap(sorted(transport.sent[host]))


# -- robots.txt -----------------------------------------------------------------------------


ROBOTS = """
# comment
User-agent: Googlebot
Disallow: /

User-agent: *
Disallow: /private/
Allow: /private/open-*.html$
Disallow: /*?replytocom=
Crawl-delay: 2.5

User-agent: vellum
User-agent: OtherBot
Disallow: /drafts/
"""


def test_robots_group_for_our_agent_wins_over_star() -> None:
    mine = parse_robots(ROBOTS, "vellum/0.1 (+https://pypi.org/project/vellum/)")
    assert not mine.allowed("https://x.example/drafts/one")
    assert mine.allowed("https://x.example/private/secret")
    assert mine.crawl_delay is None


def test_robots_longest_match_wildcards_and_anchor() -> None:
    star = parse_robots(ROBOTS, "somebot/2.0")
    assert not star.allowed("https://x.example/private/secret.html")
    assert star.allowed("https://x.example/private/open-day.html")
    assert not star.allowed("https://x.example/private/open-day.html?x=1")
    assert not star.allowed("https://x.example/post/?replytocom=12")
    assert star.allowed("https://x.example/post/?page=2")
    assert star.allowed("https://x.example/robots.txt")
    assert star.crawl_delay == 2.5
    escaped = parse_robots("User-agent: *\nDisallow: /%7Ejoe/", "a")
    assert not escaped.allowed("http://h/~joe/x")
    assert parse_robots("", "a").allowed("http://h/anything")


# -- helpers --------------------------------------------------------------------------------


def test_retry_after_seconds_and_http_date() -> None:
    now = dt.datetime(2024, 5, 17, 9, 30, tzinfo=dt.timezone.utc)
    later = email.utils.format_datetime(now + dt.timedelta(seconds=90), usegmt=True)
    assert retry_after("120") == 120.0
    assert retry_after(later, now) == 90.0
    assert retry_after("Fri, 17 May 2024 09:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    options = CrawlOptions(backoff=1.0, max_backoff=5.0)
    for failures, low, high in ((1, 0.5, 1.0), (2, 1.0, 2.0), (3, 2.0, 4.0), (9, 2.5, 5.0)):
        waits = [backoff_delay(failures, options) for _ in range(50)]
        assert low <= min(waits)
        assert max(waits) <= high
        assert len(set(waits)) > 1


def test_origin_is_the_politeness_unit() -> None:
    assert origin("https://Blog.Example.com/a") == "https://blog.example.com:443"
    assert origin("http://a.test:8080/x?y") == "http://a.test:8080"


# -- the engine on the loopback server ------------------------------------------------------


def test_politeness_per_host_limit_and_delay(server: LocalServer) -> None:
    urls = (serve_articles(server, "a.test", 12)
            + serve_articles(server, "b.test", 12, delay=0.08)
            + serve_articles(server, "c.test", 12, delay=0.02))
    transport = LoopbackTransport()
    results = run(server, urls, transport=transport)
    assert sorted(results) == sorted(urls)
    assert all(r.page is not None and r.page.status == 200 for r in results.values())
    assert all(r.attempts == 1 for r in results.values())
    for host in ("a.test", "b.test", "c.test"):
        assert server.max_active[host] <= FAST.per_host
        assert sent_gap(transport, host) >= FAST.delay - TOLERANCE
        # robots.txt was asked for once, before any page
        robots = server.requests_for("/robots.txt")
        assert sum(1 for r in robots if r.host == host) == 1
    assert max(server.max_active.values()) == 2  # the limit was reached, not just respected


def test_global_limit(server: LocalServer) -> None:
    options = CrawlOptions(concurrency=3, per_host=2, delay=0.0, retries=0)
    urls = [u for h in "defgh" for u in serve_articles(server, f"{h}.test", 4, delay=0.05)]
    active = {"now": 0, "max": 0}
    lock = threading.Lock()
    original = server._serve

    def counting(h: object, head: bool) -> None:
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        try:
            original(h, head)  # type: ignore[arg-type]
        finally:
            with lock:
                active["now"] -= 1

    server._serve = counting  # type: ignore[method-assign]
    results = run(server, urls, options)
    assert all(r.page for r in results.values())
    assert active["max"] <= 3


def test_429_retry_after_is_honoured_for_the_whole_host(server: LocalServer) -> None:
    ok = serve_articles(server, "r.test", 2)
    page = Response(body="<html><body><p>x</p></body></html>")
    server.route("/busy/", Flaky(lambda r: page, fails=1, status=429,
                                 headers={"Retry-After": "1"}), host="r.test")
    busy = f"http://r.test:{server.port}/busy/"
    results = run(server, [busy, *ok], CrawlOptions(per_host=1, delay=0.0, backoff=0.01))
    assert results[busy].page is not None
    assert results[busy].attempts == 2
    tries = [r.started for r in server.requests_for("/busy/")]
    assert len(tries) == 2
    assert tries[1] - tries[0] >= 1.0 - TOLERANCE


def test_500s_are_retried_with_growing_backoff_then_recover(server: LocalServer) -> None:
    flaky = Flaky(lambda r: Response(body="<html><body><p>back</p></body></html>"), fails=3)
    server.route("/wobbly/", flaky, host="w.test")
    url = f"http://w.test:{server.port}/wobbly/"
    options = CrawlOptions(delay=0.0, retries=3, backoff=0.1, max_backoff=5.0)
    result = run(server, [url], options)[url]
    assert result.page is not None
    assert result.attempts == 4
    tries = [r.started for r in server.requests_for("/wobbly/")]
    gaps = [b - a for a, b in zip(tries, tries[1:], strict=False)]
    assert gaps[0] >= 0.05 - TOLERANCE
    assert gaps[1] >= 0.1 - TOLERANCE
    assert gaps[2] >= 0.2 - TOLERANCE


def test_retries_run_out_on_a_persistent_error(server: LocalServer) -> None:
    server.route("/broken/", Response(status=503, body="down"), host="x.test")
    url = f"http://x.test:{server.port}/broken/"
    result = run(server, [url], CrawlOptions(delay=0.0, retries=2, backoff=0.01))[url]
    assert isinstance(result.error, HTTPStatusError)
    assert result.error.status == 503
    assert result.attempts == 3
    assert len(server.requests_for("/broken/")) == 3


def test_client_errors_are_not_retried(server: LocalServer) -> None:
    server.route("/feed.xml", Response(body="<rss/>", content_type="application/rss+xml"))
    missing = f"http://n.test:{server.port}/missing/"
    feed = f"http://n.test:{server.port}/feed.xml"
    results = run(server, [missing, feed], CrawlOptions(delay=0.0, backoff=0.01))
    assert isinstance(results[missing].error, HTTPStatusError)
    assert results[missing].attempts == 1
    assert len(server.requests_for("/missing/")) == 1
    assert isinstance(results[feed].error, ContentTypeError)
    as_feed = run(server, [feed], CrawlOptions(delay=0.0), kind="feed")[feed]
    assert as_feed.page is not None
    assert as_feed.page.html == "<rss/>"


def test_a_host_that_is_down_is_given_up_as_a_whole(server: LocalServer) -> None:
    port = closed_port()
    down = [f"http://down.test:{port}/p/{n}/" for n in range(20)]
    alive = serve_articles(server, "up.test", 3)
    options = CrawlOptions(delay=0.0, retries=3, backoff=0.01, host_failure_limit=4)
    started = time.monotonic()
    results = run(server, [*down, *alive], options)
    assert time.monotonic() - started < 5
    assert all(results[u].page for u in alive)
    errors = [results[u].error for u in down]
    assert all(isinstance(e, FetchError) for e in errors)
    assert all("connection refused" in str(e) or "unreachable" in str(e) for e in errors)
    # robots.txt found the host down: no page was tried, none retried URL by URL
    assert sum(results[u].attempts for u in down) == 0


def test_robots_disallow_and_crawl_delay(server: LocalServer) -> None:
    server.route("/robots.txt", Response(
        body="User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n",
        content_type="text/plain"), host="slow.test")
    allowed = serve_articles(server, "slow.test", 4)
    blocked = serve_articles(server, "slow.test", 2, prefix="/private/")
    transport = LoopbackTransport()
    results = run(server, [*allowed, *blocked], transport=transport)
    assert all(results[u].page for u in allowed)
    for url in blocked:
        assert "blocked by robots.txt" in str(results[url].error)
    assert not [r for r in server.log if r.path.startswith("/private/")]
    assert sent_gap(transport, "slow.test") >= 0.2 - TOLERANCE
    ignoring = run(server, blocked, CrawlOptions(delay=0.0, respect_robots=False))
    assert all(r.page for r in ignoring.values())


def test_robots_server_error_means_disallow_all(server: LocalServer) -> None:
    server.route("/robots.txt", Response(status=500, body="oops"), host="e.test")
    urls = serve_articles(server, "e.test", 2)
    results = run(server, urls, CrawlOptions(delay=0.0, retries=1, backoff=0.01))
    assert all("blocked by robots.txt" in str(r.error) for r in results.values())


def test_redirect_hops_are_scheduled_on_their_own_hosts(server: LocalServer) -> None:
    target = serve_articles(server, "new.test", 1)[0]
    server.redirect("/old/", target, host="old.test")
    server.redirect("/moved/", "/posts/0/", status=302, host="new.test")
    server.route("/robots.txt", "User-agent: *\nDisallow: /nope/\n", host="new.test")
    server.redirect("/sneaky/", f"http://new.test:{server.port}/nope/", host="old.test")
    old = f"http://old.test:{server.port}/old/"
    moved = f"http://new.test:{server.port}/moved/"
    sneaky = f"http://old.test:{server.port}/sneaky/"
    transport = LoopbackTransport()
    results = run(server, [old, moved, sneaky], transport=transport)
    page = results[old].page
    assert page is not None
    assert page.final_url == target
    assert page.url == old
    assert page.redirects == ((301, target),)
    assert results[moved].page is not None
    assert results[moved].page.redirects == ((302, target),)
    assert "blocked by robots.txt" in str(results[sneaky].error)
    assert sent_gap(transport, "new.test") >= FAST.delay - TOLERANCE


def test_conditional_requests_and_tags(server: LocalServer) -> None:
    def etagged(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(body="<html><body><p>v1</p></body></html>", headers={"ETag": '"v1"'})

    server.route("/e/", etagged, host="c.test")
    url = f"http://c.test:{server.port}/e/"
    request = CrawlRequest(url, etag='"v1"', tag={"row": 7})
    result = next(iter(crawl_sync([request], FAST, client=loopback_client())))
    assert result.request.tag == {"row": 7}
    assert result.page is not None
    assert result.page.not_modified
    assert result.page.etag == '"v1"'


def test_invalid_urls_come_back_as_errors() -> None:
    results = list(crawl_sync([CrawlRequest("ftp://x.example/"), CrawlRequest("nope")]))
    assert [type(r.error).__name__ for r in results] == ["InputError", "InputError"]


def test_closing_early_cancels_the_rest(server: LocalServer) -> None:
    urls = serve_articles(server, "slow.test", 30, delay=0.05)
    results = crawl_sync([CrawlRequest(u) for u in urls], FAST, client=loopback_client())
    first = next(results)
    results.close()
    assert first.page is not None
    count = len(server.log)
    time.sleep(0.3)
    assert len(server.log) <= count + FAST.per_host  # in flight at most, nothing new


@pytest.mark.parametrize("retries", [0, 2])
def test_retry_count_is_exact(server: LocalServer, retries: int) -> None:
    server.route("/always/", Response(status=502), host="z.test")
    url = f"http://z.test:{server.port}/always/"
    result = run(server, [url], CrawlOptions(delay=0.0, retries=retries, backoff=0.01))[url]
    assert result.attempts == retries + 1
    assert len(server.requests_for("/always/")) == retries + 1
