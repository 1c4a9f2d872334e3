"""`vellum import` end to end: hundreds of pages over many virtual hosts on the loopback server."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vellum.cli import app
from vellum.commands.importer import ImportSummary, import_urls, read_listing
from vellum.fetch.crawl import CrawlOptions
from vellum.models import Outcome
from vellum.store import Store

from .crawlsites import (
    Flaky,
    LoopbackTransport,
    article,
    closed_port,
    loopback_client,
    min_gap,
    serve_articles,
    starts_by_host,
)
from .server import LocalServer, Response

# Gaps are checked on the send times the client transport records: the server's threads,
# sharing a busy machine with the conversions, may stamp a request tens of ms late.
TOLERANCE = 0.01
OPTIONS = CrawlOptions(concurrency=16, per_host=2, delay=0.05, retries=3, backoff=0.05,
                       max_backoff=2.0, host_failure_limit=6)


def run_import(urls: list[str], root: Path, options: CrawlOptions = OPTIONS,
               transport: LoopbackTransport | None = None,
               **kwargs: object) -> tuple[list[Outcome], ImportSummary]:
    client = loopback_client(options, transport)
    with Store(root) as store:
        items = list(import_urls(urls, store, options=options, client=client,
                                 workers=2, **kwargs))  # type: ignore[arg-type]
    summary = items[-1]
    assert isinstance(summary, ImportSummary)
    outcomes = [o for o in items[:-1] if isinstance(o, Outcome)]
    assert len(outcomes) == len(items) - 1
    return outcomes, summary


def markdown_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in root.rglob("*.md") if ".vellum" not in p.parts}


def original_url(text: str) -> str:
    match = re.search(r"^original_url: (.+)$", text, re.MULTILINE)
    assert match, text[:300]
    return match.group(1).strip("'\"")


def test_import_hundreds_of_pages_across_hosts(server: LocalServer, archive_dir: Path) -> None:
    port = server.port
    plain = [u for h in ("a", "b", "c", "d") for u in serve_articles(server, f"{h}.test", 45)]
    slow = serve_articles(server, "slow.test", 20, delay=0.05)
    # 429 with Retry-After on every first request of a page
    limited = serve_articles(server, "busy.test", 3)
    for n, _url in enumerate(limited):
        page = Response(body=article("busy.test", n))
        server.route(f"/posts/{n}/", Flaky(lambda r, p=page: p, fails=1, status=429,
                                           headers={"Retry-After": "1"}), host="busy.test")
    # 500s that recover after two tries
    flaky_urls = serve_articles(server, "flaky.test", 6)
    for n in range(6):
        page = Response(body=article("flaky.test", n))
        server.route(f"/posts/{n}/", Flaky(lambda r, p=page: p, fails=2), host="flaky.test")
    # robots.txt: a disallowed folder and a crawl delay
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.1\n",
                 host="polite.test")
    polite = serve_articles(server, "polite.test", 8)
    blocked = serve_articles(server, "polite.test", 3, prefix="/private/")
    # redirects: moved posts on another host, one of them also listed under its new address
    for n in range(5):
        server.redirect(f"/old/{n}/", plain[n], host="moved.test")
    moved = [f"http://moved.test:{port}/old/{n}/" for n in range(5)]
    down_port = closed_port()
    down = [f"http://down.test:{down_port}/p/{n}/" for n in range(6)]
    duplicates = [plain[0] + "?utm_source=newsletter", plain[1].replace("/posts/1/", "/posts/1")]
    urls = plain + slow + limited + flaky_urls + polite + blocked + moved + down + duplicates

    transport = LoopbackTransport()
    outcomes, summary = run_import(urls, archive_dir, transport=transport)

    by_url = {o.url: o for o in outcomes}
    assert len(outcomes) == len(urls) == summary.total
    archivable = plain + slow + limited + flaky_urls + polite
    firsts = set(plain[:5])  # also reached through moved.test: whichever comes first writes
    assert [u for u in archivable if u not in firsts and by_url[u].status != "written"] == []
    for old, new in zip(moved, plain[:5], strict=True):
        assert sorted([by_url[old].status, by_url[new].status]) == ["unchanged", "written"]
        assert by_url[old].path == by_url[new].path
    assert {by_url[u].status for u in duplicates} == {"skipped"}
    assert all("blocked by robots.txt" in (by_url[u].error or "") for u in blocked)
    assert all(by_url[u].status == "failed" for u in down)
    assert (summary.written, summary.unchanged, summary.failed, summary.skipped) == (
        len(archivable), 5, 9, 2)

    files = markdown_files(archive_dir)
    assert len(files) == len(archivable)
    assert Counter(original_url(t) for t in files.values()) == Counter(archivable)

    # politeness as the client sent it and as the server saw it
    starts = starts_by_host(server)
    assert set(transport.sent) == set(starts) | {"down.test"}
    for host, times in transport.sent.items():
        # The crawler spaces request starts on its own clock; while the writer and the
        # worker pool hold the GIL, one send can lag its start and land next to the
        # following one. test_crawl checks the spacing strictly with the crawl alone.
        gaps = [b - a for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
        assert sum(gap < OPTIONS.delay - TOLERANCE for gap in gaps) <= 1, host
    for host in starts:
        assert server.max_active[host] <= OPTIONS.per_host, host
    assert min_gap(sorted(transport.sent["polite.test"])) >= 0.1 - TOLERANCE
    assert not [r for r in server.log if r.path.startswith("/private/")]
    # retries as specified: one per 429 (after Retry-After), two per recovering 500
    for n in range(3):
        tries = [r.started for r in server.log
                 if r.host == "busy.test" and r.path == f"/posts/{n}/"]
        assert len(tries) == 2
        assert tries[1] - tries[0] >= 1.0 - TOLERANCE
    assert Counter(r.path for r in server.log if r.host == "flaky.test"
                   and r.path != "/robots.txt") == {f"/posts/{n}/": 3 for n in range(6)}

    # the failures file lists exactly the failed URLs, and is itself importable
    assert summary.failed_file is not None
    failed_list = Path(summary.failed_file).read_text(encoding="utf-8")
    listed = read_listing(failed_list.encode())
    assert sorted(item.url for item in listed if item.url) == sorted(blocked + down)

    # resumable: a second run skips everything already archived and fetches nothing new
    seen = len(server.log)
    again, summary2 = run_import(archivable, archive_dir)
    assert {o.status for o in again} == {"skipped"}
    assert len(server.log) == seen
    assert summary2.skipped == len(archivable)


def test_a_page_that_is_not_an_article_fails_alone(server: LocalServer,
                                                   archive_dir: Path) -> None:
    urls = serve_articles(server, "m.test", 4)
    server.route("/index/", "<html><body><nav><a href='/a'>A</a></nav></body></html>",
                 host="m.test")
    index = f"http://m.test:{server.port}/index/"
    outcomes, summary = run_import([index, *urls], archive_dir)
    by_url = {o.url: o for o in outcomes}
    assert by_url[index].status == "failed"
    assert by_url[index].error is not None
    assert by_url[index].error.startswith(index)
    assert summary.written == 4


def test_force_refetches_and_reports_unchanged(server: LocalServer, archive_dir: Path) -> None:
    urls = serve_articles(server, "f.test", 3)
    run_import(urls, archive_dir)
    outcomes, summary = run_import(urls, archive_dir, force=True)
    assert {o.status for o in outcomes} == {"unchanged"}
    assert summary.unchanged == 3


def test_stop_midway_then_resume_gives_the_same_archive(server: LocalServer,
                                                        tmp_path: Path) -> None:
    urls = [u for h in ("p", "q") for u in serve_articles(server, f"{h}.test", 15, delay=0.02)]
    whole, _ = run_import(urls, tmp_path / "whole")
    assert {o.status for o in whole} == {"written"}

    stop = threading.Event()
    root = tmp_path / "stopped"
    with Store(root) as store:
        items = import_urls(urls, store, options=OPTIONS, client=loopback_client(OPTIONS),
                            workers=2, stop=stop)
        done = []
        for item in items:
            if isinstance(item, Outcome):
                done.append(item)
                if len(done) == 7:
                    stop.set()
            else:
                summary = item
    assert summary.interrupted
    assert 7 <= len(done) < len(urls)
    assert len(markdown_files(root)) == len([o for o in done if o.status == "written"])
    rest, _ = run_import(urls, root)
    assert Counter(o.status for o in rest) == {"skipped": len(done),
                                               "written": len(urls) - len(done)}
    assert same_archive(tmp_path / "whole", root)


def same_archive(one: Path, two: Path) -> bool:
    """Equal files, ignoring when each was archived."""
    def normal(text: str) -> str:
        return re.sub(r"^archived_at: .*$", "", text, flags=re.MULTILINE)

    a, b = markdown_files(one), markdown_files(two)
    return a.keys() == b.keys() and all(normal(a[k]) == normal(b[k]) for k in a)


# -- the command ----------------------------------------------------------------------------


def cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_cli_json_lines_invalid_lines_and_exit_codes(server: LocalServer,
                                                     archive_dir: Path) -> None:
    good = [server.page(f"/post/{n}/", article("127.0.0.1", n)) for n in range(3)]
    missing = server.url("/gone/")
    listing = "\n".join(["# my bookmarks", good[0], "not a url", good[1], "", good[2],
                         "ftp://x.example/", missing, good[0]]) + "\n"
    code, out, err = cli("import", "-", "--delay", "0", "--retries", "0", "--json",
                         "--archive", str(archive_dir), stdin=listing)
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert [r.get("line") for r in records if r.get("status") == "invalid"] == [3, 7]
    per_url = [r for r in records if "url" in r]
    assert Counter(r["status"] for r in per_url) == {"written": 3, "failed": 1, "skipped": 1}
    assert next(r for r in per_url if r["status"] == "failed")["http_status"] == 404
    assert set(per_url[0]) == {"url", "status", "path", "error", "http_status", "seconds"}
    assert records[-1]["summary"] is True
    assert records[-1]["written"] == 3
    assert "stdin:3: not a url" in err
    assert "stdin:7: ftp://x.example/" in err
    assert "retry the failures with: vellum import" in err

    code, out, err = cli("import", "-", "--delay", "0", "--archive", str(archive_dir),
                         stdin="\n".join(good))
    assert code == 0
    assert out == ""
    assert "3 skipped" in err


def test_cli_unusable_input(tmp_path: Path) -> None:
    assert cli("import", str(tmp_path / "nope.txt"))[0] == 2
    assert "no such file" in cli("import", str(tmp_path / "nope.txt"))[2]
    assert cli("import")[0] == 2
    (tmp_path / "empty.txt").write_text("# nothing\n")
    assert cli("import", str(tmp_path / "empty.txt"), "--archive", str(tmp_path / "a"))[0] == 2


def test_cli_from_sitemap_and_feed(server: LocalServer, archive_dir: Path) -> None:
    posts = [server.page(f"/s/{n}/", article("127.0.0.1", n + 10)) for n in range(3)]
    child = "".join(f"<url><loc>{u}</loc></url>" for u in posts[:2])
    server.route("/post-sitemap.xml", Response(
        body=f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"{child}</urlset>", content_type="application/xml"))
    server.route("/sitemap.xml", Response(
        body='<?xml version="1.0"?><sitemapindex><sitemap><loc>'
             f'{server.url("/post-sitemap.xml")}</loc></sitemap></sitemapindex>',
        content_type="application/xml"))
    server.route("/feed/", Response(
        body=f'<rss version="2.0"><channel><title>T</title><item><link>{posts[2]}</link>'
             "</item></channel></rss>", content_type="application/rss+xml"))
    code, _, err = cli("import", "--from-sitemap", server.url("/sitemap.xml"), "--from-feed",
                       server.url("/feed/"), "--delay", "0", "--archive", str(archive_dir))
    assert code == 0, err
    assert sorted(original_url(t) for t in markdown_files(archive_dir).values()) == sorted(posts)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_killed_midway_then_rerun(tmp_path: Path, sig: signal.Signals) -> None:
    servers = [LocalServer().__enter__() for _ in range(3)]
    try:
        urls = [s.page(f"/p/{n}/", article(f"h{i}", n), delay=0.03)
                for i, s in enumerate(servers) for n in range(15)]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls) + "\n")
        command = [sys.executable, "-m", "vellum", "import", str(listing), "--delay", "0.05"]
        whole = subprocess.run([*command, "--archive", str(tmp_path / "whole")],
                               capture_output=True, text=True, timeout=120)
        assert whole.returncode == 0, whole.stderr

        root = tmp_path / "killed"
        proc = subprocess.Popen([*command, "--archive", str(root)], stderr=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while len(markdown_files(root)) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "interrupted" in err
        assert 5 <= len(markdown_files(root)) < len(urls)
        assert not [p for p in root.rglob("*.tmp")]

        rerun = subprocess.run([*command, "--archive", str(root)], capture_output=True,
                               text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert same_archive(tmp_path / "whole", root)
        with Store(root) as store:
            assert len(list(store.entries())) == len(urls)
    finally:
        for s in servers:
            s.__exit__(None, None, None)
