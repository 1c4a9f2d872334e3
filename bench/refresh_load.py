"""A full `vellum refresh` of a big archive where nothing changed: time, requests, memory.

    python bench/refresh_load.py [--posts 5000] [--hosts 50] [--delay 0.5] [--skip-baseline]

Builds an archive of POSTS posts spread over HOSTS local sites (one HTTP server per
port on 127.0.0.1, each port a host to the crawl engine), each site with a
followed feed, then runs `vellum refresh` in a child process. Every server answers
conditional requests with 304, so the refresh should cost one request per post and
feed (plus robots.txt) and no full response.

Prints the seconds and requests of the run, its ratio to the politeness limit
(the time the per-host delay alone imposes: (requests per host - 1) x delay), and
the child's peak memory (max RSS). Side by side, the naive way a cron script
re-fetches a mirror: every URL fetched unconditionally, one request at a time per
host with the same delay (a thread per host), in its own child process.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

PAGE = """<!DOCTYPE html><html><head><title>{title}</title>
<meta property="article:published_time" content="2024-05-17T09:30:00+00:00"></head>
<body><main><article><h1>{title}</h1>{body}</article></main></body></html>"""
PARAGRAPH = ("<p>Paragraph {i}: the measurements were repeated on a laptop and a small "
             "server, and the numbers moved for reasons this paragraph explains.</p>")


class Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.full = 0
        self.not_modified = 0
        self.bytes = 0

    def add(self, status: int, size: int) -> None:
        with self.lock:
            self.requests += 1
            self.full += status == 200
            self.not_modified += status == 304
            self.bytes += size


def page_body(path: str) -> bytes:
    body = "".join(PARAGRAPH.format(i=i) for i in range(12))
    return PAGE.format(title=f"Post {path.strip('/')}", body=body).encode("utf-8")


def feed_body(port: int, per_host: int) -> bytes:
    items = "".join(f"<item><title>Post {j}</title><link>http://127.0.0.1:{port}/post-{j}/"
                    f"</link><category>Bench</category></item>" for j in range(per_host))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site {port}</title>'
            f"<link>http://127.0.0.1:{port}/</link>{items}</channel></rss>").encode()


def serve(counts: Counts, per_host: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            port = self.server.server_address[1]
            if self.path == "/robots.txt":
                return self._send(404, b"", "text/plain")
            if self.path == "/feed.xml":
                return self._send(200, feed_body(port, per_host), "application/rss+xml")
            return self._send(200, page_body(self.path), "text/html; charset=utf-8")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            counts.add(status, len(body))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_archive(root: Path, ports: list[int], per_host: int) -> list[str]:
    """An archive as a previous refresh left it: posts, validators, sources, feed state."""
    import dataclasses

    from vellum import frontmatter
    from vellum.feeds import parse_feed
    from vellum.models import Entry
    from vellum.pipeline.feedstate import load_state, merged, save_state
    from vellum.store import Store
    from vellum.store.config import Source, save_sources

    urls = []
    # Set-up only: durability does not matter here, and fsync would take minutes.
    with mock.patch("os.fsync"), Store(root) as store:
        for port in ports:
            for j in range(per_host):
                url = f"http://127.0.0.1:{port}/post-{j}/"
                body = page_body(f"/post-{j}/")
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                text = frontmatter.join({"title": f"Post {port}-{j}", "original_url": url},
                                        f"Paragraph of post {j} on port {port}.\n")
                path = store.new_path(url, f"post-{port}-{j}", 2024)
                store.save(Entry(path=path, url=url, canonical_url=url, title=f"Post {j}",
                                 etag=etag, fetched_at="2024-06-01T00:00:00+00:00"), text)
                urls.append(url)
    sources = []
    for port in ports:
        feed_url = f"http://127.0.0.1:{port}/feed.xml"
        data = feed_body(port, per_host)
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        state = merged(load_state(root, feed_url), parse_feed(data, feed_url), etag=etag,
                       last_modified=None, checked_at="2024-06-01T00:00:00+00:00")
        save_state(root, dataclasses.replace(state))
        sources.append(Source(f"site-{port}", feed_url))
    save_sources(root, sources)
    return urls


def child(command: list[str]) -> tuple[float, int, str]:
    """Run ``command``; its wall time, its own peak RSS (kB, Linux) and its stdout."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            print(f"exit {proc.returncode}: {err.read()[-2000:]}", file=sys.stderr)
        return seconds, usage.ru_maxrss, out.read()


def baseline_worker(urls_file: str, delay: float) -> None:
    """The naive re-fetch: every URL unconditionally, one at a time per host, same delay."""
    import httpx

    by_host: dict[str, list[str]] = {}
    for url in json.loads(Path(urls_file).read_text()):
        by_host.setdefault(url.split("/")[2], []).append(url)

    def fetch_host(urls: list[str]) -> None:
        with httpx.Client() as client:
            for i, url in enumerate(urls):
                if i:
                    time.sleep(delay)
                client.get(url)

    threads = [threading.Thread(target=fetch_host, args=(u,)) for u in by_host.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def report(name: str, seconds: float, counts: Counts, peak_kb: int, limit: float) -> None:
    ratio = seconds / limit if limit else float("nan")
    print(f"{name:<9} {seconds:8.1f} s  {counts.requests:6d} requests  {counts.full:6d} full  "
          f"{counts.not_modified:6d} x 304  {counts.bytes / 1e6:7.2f} MB sent  "
          f"{ratio:5.2f} x politeness limit  peak {peak_kb / 1024:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--baseline-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_worker:
        baseline_worker(args.baseline_worker[0], float(args.baseline_worker[1]))
        return
    per_host = args.posts // args.hosts
    counts = Counts()
    servers = [serve(counts, per_host) for _ in range(args.hosts)]
    ports = [s.server_address[1] for s in servers]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        started = time.perf_counter()
        urls = build_archive(root, ports, per_host)
        print(f"archive: {len(urls)} posts over {args.hosts} hosts, {args.hosts} followed "
              f"feeds (built in {time.perf_counter() - started:.1f} s); delay {args.delay} s")
        before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
        env_python = [sys.executable, "-m", "vellum"]
        seconds, peak, out = child([*env_python, "refresh", "--archive", str(root), "--delay",
                                    str(args.delay), "--json"])
        summary = json.loads(out.splitlines()[-1])["summary"]
        changed = [p for p, m in before.items() if p.exists() and p.stat().st_mtime_ns != m]
        # Per host: robots.txt, the feed and its posts, at least `delay` apart.
        limit = (per_host + 2 - 1) * args.delay
        print(f"politeness limit: {limit:.1f} s ({per_host + 2} requests per host, "
              f"{args.delay} s apart)")
        report("vellum", seconds, counts, peak, limit)
        print(f"          summary {summary}; files rewritten: {len(changed)}")
        if not args.skip_baseline:
            vellum_counts = counts.__dict__.copy()
            for key in ("requests", "full", "not_modified", "bytes"):
                setattr(counts, key, 0)
            urls_file = Path(tmp) / "urls.json"
            urls_file.write_text(json.dumps(urls))
            seconds_b, peak_b, _ = child([sys.executable, __file__, "--baseline-worker",
                                          str(urls_file), str(args.delay)])
            report("naive", seconds_b, counts, peak_b, (per_host - 1) * args.delay)
            print(f"vellum / naive: {seconds / seconds_b:.2f} x time, "
                  f"{vellum_counts['bytes'] / max(1, counts.bytes):.3f} x bytes sent")
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
