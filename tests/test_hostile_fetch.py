"""A hostile web against the fetch layer (issue 13): SSRF, bombs, tarpits, binary bodies,
deep nesting, long Retry-After, oversized local files.

Every attack is served by the loopback server and must fail safely. 127.0.0.1 is the
only address a test can serve from, so tests that need a *public* origin stand the
module's address classifier in for one that calls 127.0.0.1 public; the private and
metadata targets (10.x, 169.254.169.254) are never served: the point is that vellum
refuses them without a connection attempt, which ``connects`` records.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import brotli
import httpcore
import pytest
from typer.testing import CliRunner, Result

from vellum.cli import app
from vellum.errors import BlockedError, HTTPStatusError, OutOfTimeError, TooLargeError
from vellum.fetch import FetchOptions, fetch, netguard
from vellum.fetch.crawl import CrawlOptions, CrawlRequest, crawl_sync
from vellum.fetch.inflate import PIECE, Inflater
from vellum.fetch.netguard import AddressPolicy, address_kind

from .conftest import page_html
from .server import LocalServer, Response
from .sites import wordpress_post

REAL_KIND = address_kind
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
INTRANET = "http://10.1.2.3/admin/"
CRAWL = CrawlOptions(concurrency=4, per_host=2, delay=0.0, retries=0, backoff=0.01)


def run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def md_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if ".vellum" not in p.parts)


def loopback_is_public(ip: str) -> netguard.Kind:
    return "public" if ip == "127.0.0.1" else REAL_KIND(ip)


@pytest.fixture
def public_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 plays a public host: its redirects and links must stay public."""
    monkeypatch.setattr(netguard, "address_kind", loopback_is_public)


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a connection is attempted to (sync and async clients)."""
    seen: list[str] = []
    sync_connect = httpcore.SyncBackend.connect_tcp
    async_connect = httpcore.AnyIOBackend.connect_tcp

    def record(self: object, host: str, port: int, *args: object, **kw: object) -> object:
        seen.append(host)
        return sync_connect(self, host, port, *args, **kw)  # type: ignore[arg-type]

    async def arecord(self: object, host: str, port: int, *args: object, **kw: object) -> object:
        seen.append(host)
        return await async_connect(self, host, port, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", record)
    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", arecord)
    return seen


@pytest.fixture(autouse=True)
def _in_tmp(archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(archive_dir.parent)


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f"<guid>{html.escape(link)}</guid><pubDate>Fri, 17 May 2024 09:30:00 GMT</pubDate>"
        "<description><![CDATA[<p>The feed's own copy of the post, long enough to be archived"
        " if the page could not be fetched, which must never happen here.</p>]]></description>"
        "</item>" for title, link in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
            f"<link>http://127.0.0.1/</link><description>d</description>{entries}"
            "</channel></rss>")


# -- 1. SSRF: the address rules --------------------------------------------------------------


@pytest.mark.parametrize(("ip", "kind"), [
    ("169.254.169.254", "local"), ("fe80::1", "local"), ("100.100.100.200", "local"),
    ("fd00:ec2::254", "local"), ("168.63.129.16", "local"), ("::ffff:169.254.169.254", "local"),
    ("64:ff9b::a9fe:a9fe", "local"), ("224.0.0.1", "local"),
    ("127.0.0.1", "private"), ("::1", "private"), ("10.0.0.5", "private"),
    ("172.16.3.4", "private"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("fd12:3456::1", "private"), ("0.0.0.0", "private"), ("100.64.0.1", "private"),
    ("::ffff:10.0.0.1", "private"), ("2002:0a00:0001::1", "private"),
    ("93.184.216.34", "public"), ("2606:4700::1111", "public"), ("::ffff:8.8.8.8", "public"),
])
def test_address_kinds(ip: str, kind: str) -> None:
    assert address_kind(ip) == kind


def test_reach_follows_who_named_the_url() -> None:
    policy = AddressPolicy()
    reach = policy.reach
    assert reach("user", first=True, same_host=True, came_private=False) == "private"
    assert reach("user", first=False, same_host=True, came_private=False) == "private"
    assert reach("user", first=False, same_host=False, came_private=False) == "public"
    assert reach("user", first=False, same_host=False, came_private=True) == "private"
    assert reach("public", first=True, same_host=True, came_private=False) == "public"
    assert reach("private", first=True, same_host=False, came_private=False) == "private"
    assert policy.refusal("169.254.169.254", "private") is not None
    assert policy.refusal("10.0.0.5", "public") is not None
    assert policy.refusal("10.0.0.5", "private") is None
    assert AddressPolicy(allow_private=True).refusal("169.254.169.254", "public") is None
    assert reach("public", first=True, same_host=False, came_private=False) == "public"


def test_a_user_named_loopback_url_and_its_same_host_redirect_are_fetched(
        server: LocalServer, archive_dir: Path) -> None:
    server.page("/post/", wordpress_post())
    url = server.redirect("/old/", server.url("/post/"))
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    assert len(md_files(archive_dir)) == 1


@pytest.mark.parametrize(("target", "rule"), [
    (METADATA, "link-local or cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/", "link-local or cloud metadata address"),
    (INTRANET, "loopback or private address"),
    ("http://127.0.0.2:8080/", "loopback or private address"),
])
def test_a_redirect_from_a_public_address_never_reaches_inside(
        server: LocalServer, archive_dir: Path, public_loopback: None, connects: list[str],
        target: str, rule: str) -> None:
    url = server.redirect("/go/", target, status=302)
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert url in message
    assert target in message
    assert rule in message
    assert md_files(archive_dir) == []
    assert connects == ["127.0.0.1"]  # the redirect only: nothing tried inside


def test_link_local_is_refused_even_when_the_user_names_it(archive_dir: Path,
                                                           connects: list[str]) -> None:
    result = run("add", METADATA, "--archive", str(archive_dir))
    assert result.exit_code == 1
    assert "--allow-private" in result.stderr
    assert connects == []


def test_the_resolved_address_is_checked_at_connect_time(server: LocalServer,
                                                         public_loopback: None,
                                                         connects: list[str]) -> None:
    """A name is judged by the address it resolves to when the connection is made, and
    only that address is connected to: a rebinding name gains nothing."""
    server.page("/a/", wordpress_post(), host="rebind.test")
    answers = iter([["127.0.0.1"], ["10.9.8.7"]])
    names = {"metadata.test": ["169.254.169.254"], "blog.test": ["127.0.0.1"]}

    def resolve(host: str, port: int) -> list[str]:
        return next(answers) if host == "rebind.test" else names[host]

    options = FetchOptions(policy=AddressPolicy(resolver=resolve))
    page = fetch(f"http://rebind.test:{server.port}/a/", options=options, via="public")
    assert "Tuning SQLite" in page.html
    with pytest.raises(BlockedError, match="10.9.8.7 is a loopback or private address"):
        fetch(f"http://rebind.test:{server.port}/a/", options=options, via="public")
    server.redirect("/r/", "http://metadata.test/latest/", host="blog.test")
    with pytest.raises(BlockedError, match="metadata.test/latest/: 169.254.169.254 is a link"):
        fetch(f"http://blog.test:{server.port}/r/", options=options)
    assert connects == ["127.0.0.1", "127.0.0.1"]


def test_feed_items_pointing_inside_are_refused_and_never_archived(
        server: LocalServer, archive_dir: Path, public_loopback: None,
        connects: list[str]) -> None:
    server.page("/post/", wordpress_post())
    server.route("/feed.xml", Response(body=rss([
        ("Good", server.url("/post/")), ("Keys", METADATA), ("Admin", INTRANET),
        ("Local", "http://[::1]:9/x/")]), content_type="application/rss+xml"))
    follow = run("follow", server.url("/feed.xml"), "--archive", str(archive_dir))
    assert follow.exit_code == 0, follow.stderr
    result = run("refresh", "--archive", str(archive_dir), "--delay", "0", "--workers", "0")
    assert result.exit_code == 1
    assert f"{METADATA}: refused" in result.stderr
    assert "cloud metadata" in result.stderr
    assert f"{INTRANET}: refused" in result.stderr
    assert "private address" in result.stderr
    assert "http://[::1]:9/x/: refused" in result.stderr
    [post] = md_files(archive_dir)
    assert "Tuning SQLite" in post.read_text(encoding="utf-8")  # not the feed's copies
    assert set(connects) == {"127.0.0.1"}


def test_a_public_site_cannot_announce_a_private_feed(server: LocalServer, archive_dir: Path,
                                                     public_loopback: None,
                                                     connects: list[str]) -> None:
    url = server.page("/", '<html><head><link rel="alternate" type="application/rss+xml" '
                      'href="http://169.254.169.254/feed.xml"></head><body>Blog</body></html>')
    result = run("follow", url, "--archive", str(archive_dir))
    assert result.exit_code == 1
    assert "169.254.169.254/feed.xml" in result.stderr
    assert "refused" in result.stderr
    assert not (archive_dir / "vellum.yml").exists()
    assert connects == ["127.0.0.1"]


def test_sitemap_entries_and_robots_redirects_stay_public(
        server: LocalServer, archive_dir: Path, public_loopback: None,
        connects: list[str]) -> None:
    server.redirect("/robots.txt", "http://169.254.169.254/robots.txt")
    server.page("/post/", wordpress_post())
    server.route("/sitemap.xml", Response(body=(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url('/post/')}</loc></url><url><loc>{INTRANET}</loc></url>"
        "</urlset>"), content_type="application/xml"))
    result = run("import", "--from-sitemap", server.url("/sitemap.xml"), "--archive",
                 str(archive_dir), "--delay", "0", "--retries", "0")
    assert result.exit_code == 1
    assert f"{INTRANET}: refused" in result.stderr
    assert len(md_files(archive_dir)) == 1
    assert set(connects) == {"127.0.0.1"}


def test_a_teaser_on_a_public_host_cannot_lead_inside_its_own_site(
        server: LocalServer, archive_dir: Path, public_loopback: None, connects: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Same site by name (teasers and pages are only followed within a site), but the
    continuation's name resolves to a private address: refused at connect time."""
    names = {"blog.test": ["127.0.0.1"], "intranet.blog.test": ["10.0.0.8"]}
    monkeypatch.setattr(netguard, "system_resolve", lambda host, port: names[host])
    inside = f"http://intranet.blog.test:{server.port}/why-we-pinned-every-dependency/"
    teaser = page_html("ghost_tag_excerpt.html").replace(
        'class="read-more" href="/why-we-pinned-every-dependency/"',
        f'class="read-more" href="{inside}"')
    server.page("/tag/tooling/", teaser, host="blog.test")
    url = f"http://blog.test:{server.port}/tag/tooling/"
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"vellum: {url}: a teaser of {inside}, which could not be fetched: refused: "
        "10.0.0.8 is a loopback or private address, which a redirect or a link found on a "
        "public address never reaches")
    assert md_files(archive_dir) == []
    assert connects == ["127.0.0.1"]


# -- 2. decompression bombs -----------------------------------------------------------------


@pytest.fixture(scope="module")
def brotli_bomb() -> bytes:
    return brotli.compress(bytes(100_000_000), quality=5)  # 152 bytes -> 100 MB


def bomb_route(server: LocalServer, path: str, data: bytes, coding: str) -> str:
    server.route(path, Response(body=data, headers={"Content-Encoding": coding}))
    return server.url(path)


@pytest.mark.parametrize("client", ["add", "crawl"])
@pytest.mark.parametrize("coding", ["br", "gzip", "deflate"])
def test_a_compression_bomb_stops_at_the_cap_with_bounded_memory(
        server: LocalServer, brotli_bomb: bytes, coding: str, client: str) -> None:
    data = {"br": brotli_bomb, "gzip": gzip.compress(bytes(16_000_000), 9),
            "deflate": zlib.compress(bytes(16_000_000), 9)}[coding]
    assert len(data) < 16_500
    url = bomb_route(server, f"/{coding}/", data, coding)
    cap = 1_000_000
    options = FetchOptions(max_bytes=cap)
    tracemalloc.start()
    try:
        if client == "add":
            with pytest.raises(TooLargeError, match="once decompressed"):
                fetch(url, options=options)
        else:
            crawl = CrawlOptions(delay=0.0, retries=0, respect_robots=False, fetch=options)
            [result] = list(crawl_sync([CrawlRequest(url)], crawl))
            assert isinstance(result.error, TooLargeError)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * cap + 1_000_000  # the body up to the cap, one piece, the client


def test_a_brotli_bomb_fails_add_and_import_with_one_line(server: LocalServer,
                                                          archive_dir: Path,
                                                          brotli_bomb: bytes) -> None:
    url = bomb_route(server, "/bomb/", brotli_bomb, "br")
    bomb_route(server, "/robots.txt", brotli_bomb, "br")
    added = run("add", url, "--archive", str(archive_dir))
    assert added.exit_code == 1
    assert "larger than 20,000,000 bytes once decompressed" in added.stderr
    imported = run("import", "-", "--archive", str(archive_dir), "--delay", "0",
                   stdin=f"{url}\n".encode())
    assert imported.exit_code == 1
    assert "once decompressed" in imported.stderr
    assert md_files(archive_dir) == []


def test_a_gzip_body_is_still_read(server: LocalServer) -> None:
    url = server.page("/zipped/", wordpress_post(), gzip=True)
    assert "Tuning SQLite" in fetch(url).html


@pytest.mark.parametrize(("header", "encode"), [
    ("gzip", lambda d: gzip.compress(d[:5000]) + gzip.compress(d[5000:])),  # two members
    ("deflate", zlib.compress),
    ("deflate", lambda d: zlib.compress(d)[2:-4]),  # raw deflate, as some servers send
    ("br", brotli.compress),
    ("gzip, br", lambda d: brotli.compress(gzip.compress(d))),
    ("identity", lambda d: d),
])
def test_every_accepted_coding_decodes_in_pieces(header: str, encode: Callable[[bytes], bytes],
                                                 ) -> None:
    data = wordpress_post().encode() * 20
    encoded = encode(data)
    inflater = Inflater(header)
    pieces = [p for i in range(0, len(encoded), 1000) for p in inflater.feed(encoded[i:i + 1000])]
    assert b"".join(pieces) == data
    assert max(len(p) for p in pieces) <= PIECE


# -- 5. tarpits -----------------------------------------------------------------------------


def trickle(seconds: int = 60) -> Response:
    """A server sending one byte every 0.2 s: each read is quick, the whole never ends."""
    return Response(body=(b"<" if i == 0 else b"p" for i in range(seconds * 5)),
                    chunk_delay=0.2)


def test_a_trickling_response_meets_its_deadline(server: LocalServer) -> None:
    server.route("/slow/", trickle())
    with pytest.raises(OutOfTimeError, match=r"gave up after 0.6 s.*--timeout"):
        fetch(server.url("/slow/"), options=FetchOptions(deadline=0.6))
    options = CrawlOptions(delay=0.0, retries=2, respect_robots=False,
                           fetch=FetchOptions(deadline=0.6))
    [result] = list(crawl_sync([CrawlRequest(server.url("/slow/"))], options))
    assert isinstance(result.error, OutOfTimeError)
    assert result.attempts == 1  # a tarpit is not retried


def test_add_and_import_take_a_timeout_option(server: LocalServer, archive_dir: Path) -> None:
    server.route("/slow/", trickle())
    good = server.page("/post/", wordpress_post())
    added = run("add", server.url("/slow/"), "--timeout", "0.5", "--archive", str(archive_dir))
    assert added.exit_code == 1
    assert "gave up after 0.5 s" in added.stderr
    imported = run("import", "-", "--timeout", "0.5", "--delay", "0", "--archive",
                   str(archive_dir), stdin=f"{server.url('/slow/')}\n{good}\n".encode())
    assert imported.exit_code == 1
    assert "gave up after 0.5 s" in imported.stderr
    assert len(md_files(archive_dir)) == 1


def test_refresh_max_time_stops_cleanly_and_releases_the_lock(
        server: LocalServer, archive_dir: Path) -> None:
    server.page("/fast/", wordpress_post("A quick post"))
    server.route("/slow/", trickle())
    server.route("/feed.xml", Response(body=rss([("Slow", server.url("/slow/")),
                                                  ("Fast", server.url("/fast/"))]),
                                       content_type="application/rss+xml"))
    assert run("follow", server.url("/feed.xml"), "--archive", str(archive_dir)).exit_code == 0
    result = run("refresh", "--archive", str(archive_dir), "--max-time", "1s", "--delay", "0",
                 "--workers", "0", "--json")
    assert result.exit_code == 1
    assert "--max-time" in result.stdout
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[-1]["left"] == 1
    left = [r for r in records[:-1] if r.get("left")]
    assert [r["url"] for r in left] == [server.url("/slow/")]
    assert len(md_files(archive_dir)) == 1  # the fast post, not the feed's copy of the slow one
    server.route("/slow/", Response(body=wordpress_post("The slow post, at last")))
    again = run("refresh", "--archive", str(archive_dir), "--delay", "0", "--workers", "0")
    assert again.exit_code == 0, again.stderr  # the lock was released; the feed is read again
    assert len(md_files(archive_dir)) == 2


# -- 11. binary bodies ----------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.mark.parametrize(("body", "what"), [
    (PNG, "a PNG image"),
    (b"<html><body>" + b"\x00" * 40 + b"</body></html>", "NUL bytes"),
    (os.urandom(4096).replace(b"\x00", b"\x01"), "binary data"),
])
def test_a_binary_body_is_refused_as_not_text(server: LocalServer, archive_dir: Path,
                                              body: bytes, what: str) -> None:
    server.route("/img/", Response(body=body, content_type="text/html"))
    url = server.url("/img/")
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 1
    assert "not text" in result.stderr
    assert what in result.stderr
    assert md_files(archive_dir) == []


def test_convert_refuses_random_bytes_on_stdin() -> None:
    result = run("convert", "-", stdin=os.urandom(2048))
    assert result.exit_code == 1
    assert result.stderr.startswith("vellum: -: not text")


def test_utf16_pages_are_text() -> None:
    from vellum.decode import binary_kind
    page = "<html><body><p>Grüße aus Köln</p></body></html>"
    assert binary_kind(page.encode("utf-16")) is None
    assert binary_kind(page.encode("utf-16-le"), "text/html; charset=utf-16le") is None
    assert binary_kind(page.encode("utf-16-le")) is None


# -- 12. libxml2's depth limit --------------------------------------------------------------


def nested(depth: int) -> str:
    lead = "<p>" + "A paragraph before the nest, to make an article of it. " * 8 + "</p>"
    return ("<!DOCTYPE html><html><head><title>Deep</title></head><body><article><h1>Deep</h1>"
            f"{lead}{'<div>' * depth}<p>The deepest words.</p>{'</div>' * depth}"
            "<p>The closing words after the nest.</p></article></body></html>")


def test_a_page_nested_past_libxml2s_limit_is_read_whole(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(nested(300), encoding="utf-8")
    result = run("convert", str(page))
    assert result.exit_code == 0, result.stderr
    assert "The deepest words." in result.stdout
    assert "The closing words after the nest." in result.stdout


def test_a_page_too_deep_to_convert_is_refused_not_cut(server: LocalServer,
                                                       archive_dir: Path) -> None:
    url = server.page("/deep/", nested(1500))  # markdownify recurses once per level
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 1
    assert "damaged: nested too deeply" in result.stderr
    assert md_files(archive_dir) == []


# -- 15. Retry-After beyond the cap ---------------------------------------------------------


@pytest.mark.parametrize("after", ["3600", "Fri, 01 Jan 2100 00:00:00 GMT"])
def test_a_retry_after_beyond_ten_minutes_gives_the_url_up(server: LocalServer,
                                                           after: str) -> None:
    server.route("/busy/", Response(status=503, headers={"Retry-After": after}))
    options = CrawlOptions(delay=0.0, retries=3, respect_robots=False)
    [result] = list(crawl_sync([CrawlRequest(server.url("/busy/"))], options))
    assert isinstance(result.error, HTTPStatusError)
    assert "given up for this run" in str(result.error)
    assert "Retry-After" in str(result.error)
    assert len(server.requests_for("/busy/")) == 1  # no retry 60 s later, nor three


# -- 16. convert keeps the size cap ---------------------------------------------------------


def test_convert_of_a_local_file_keeps_the_size_cap(tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_text(wordpress_post(), encoding="utf-8")
    size = page.stat().st_size
    refused = run("convert", str(page), "--max-size", "1KB")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        f"vellum: {page}: page larger than 1,000 bytes; --max-size lifts the cap")
    assert run("convert", str(page), "--max-size", str(size)).exit_code == 0
    assert run("convert", str(page), "--max-size", "0").exit_code == 0
    assert run("convert", "-", "--max-size", "1KB", stdin=page.read_bytes()).exit_code == 1
    assert run("convert", str(page), "--max-size", "lots").exit_code == 2


def test_the_default_cap_is_the_fetch_cap(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    with page.open("wb") as handle:
        handle.write(b"<html><body><p>")
        handle.truncate(FetchOptions.max_bytes + 10)
    result = run("convert", str(page))
    assert result.exit_code == 1
    assert "larger than 20,000,000 bytes" in result.stderr

