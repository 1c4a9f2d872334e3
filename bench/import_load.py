"""Batch import under load: N generated posts over H local hosts with per-request latency.

Prints pages/s, the ratio to the politeness limit (the fastest rate the per-host
limits allow) and peak memory. Each host is its own server on 127.0.0.1 (its own
port), so the real resolver and client are used, as in `vellum import`.

    python bench/import_load.py --pages 2000 --hosts 20 --latency 0.05
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.crawlsites import article  # noqa: E402
from tests.server import LocalServer, Response  # noqa: E402

from vellum.commands.importer import ImportSummary, import_urls  # noqa: E402
from vellum.fetch.crawl import CrawlOptions, CrawlRequest, crawl_sync  # noqa: E402
from vellum.models import Outcome  # noqa: E402
from vellum.store import Store  # noqa: E402


def politeness_limit(options: CrawlOptions, hosts: int, latency: float) -> float:
    """Pages/s when every host runs at its limit: min(per_host/latency, 1/delay) each."""
    per_host = min(options.per_host / latency if latency else float("inf"),
                   1 / options.delay if options.delay else float("inf"))
    overall = options.concurrency / latency if latency else float("inf")
    return min(per_host * hosts, overall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--fetch-only", action="store_true",
                        help="Measure the crawl engine alone (no conversion, no writes).")
    args = parser.parse_args()
    options = CrawlOptions(concurrency=args.concurrency, per_host=args.per_host,
                           delay=args.delay)
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        servers = [stack.enter_context(LocalServer()) for _ in range(args.hosts)]
        urls = []
        for n in range(args.pages):
            server = servers[n % args.hosts]
            path = f"/{n // args.hosts}/"
            server.route(path, Response(body=article(f"host{n % args.hosts}", n),
                                        delay=args.latency))
            urls.append(server.url(path))
        started = time.monotonic()
        if args.fetch_only:
            fetched = list(crawl_sync([CrawlRequest(u) for u in urls], options))
            archived, failures = sum(1 for r in fetched if r.page), [
                str(r.error) for r in fetched if r.error]
        else:
            with Store(Path(tmp) / "archive") as store:
                results = list(import_urls(urls, store, options=options))
            summary = results[-1]
            assert isinstance(summary, ImportSummary)
            archived = summary.written + summary.updated + summary.unchanged
            failures = [o.error or "" for o in results
                        if isinstance(o, Outcome) and o.status == "failed"]
        seconds = time.monotonic() - started
    rate = archived / seconds
    limit = politeness_limit(options, args.hosts, args.latency)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.pages} pages over {args.hosts} hosts, latency {args.latency * 1000:.0f} ms, "
          f"per_host {args.per_host}, delay {args.delay} s, concurrency {args.concurrency}")
    print(f"{'fetched' if args.fetch_only else 'archived'} {archived}, failed "
          f"{len(failures)} in {seconds:.1f} s")
    for failure in failures[:5]:
        print(f"  failed: {failure}")
    print(f"vellum {'crawl ' if args.fetch_only else 'import'}   {rate:8.1f} pages/s")
    print(f"politeness cap  {limit:8.1f} pages/s")
    print(f"ratio           {rate / limit:8.2f}")
    print(f"peak memory     {own:8.1f} MiB main process, {workers:.1f} MiB largest worker")


if __name__ == "__main__":
    main()
