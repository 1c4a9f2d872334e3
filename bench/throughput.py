"""Extraction + conversion speed: vellum vs trafilatura on the same pages, same run.

    python bench/throughput.py DATASET_DIR [DATASET_DIR...] [--limit N] [--repeat R] [--rounds K]

Each tool runs in its own child process (one core, sequentially), so its peak
memory (max RSS) is its own. Time is the child's CPU time, not the wall clock,
and the tools take turns for several rounds, each keeping its best: other work
on a busy machine (which slows a process sharing its core) skews the ratio less.
Prints pages/s, peak RSS and the ratio vellum/trafilatura.
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

TOOLS = ("vellum", "trafilatura")


def find_pages(folders: list[Path], limit: int | None) -> list[Path]:
    pages: list[Path] = []
    for folder in folders:
        if (folder / "pages").is_dir():
            pages += sorted((folder / "pages").glob("*.html"))
        else:
            pages += sorted(folder.glob("*/source.html"))
    return pages[:limit] if limit else pages


def _vellum(html: str) -> str:
    from vellum.errors import VellumError
    from vellum.pipeline import convert_html

    try:
        return convert_html(html)
    except VellumError:
        return ""


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, output_format="markdown", with_metadata=True) or ""


def worker(tool: str, paths: list[str], repeat: int) -> None:
    """Child process: convert every page ``repeat`` times, print one JSON line of results."""
    run = _vellum if tool == "vellum" else _trafilatura
    htmls = [Path(p).read_bytes().decode("utf-8", errors="replace") for p in paths]
    for html in htmls[:3]:  # warm imports and caches outside the timing
        run(html)
    started = time.process_time()
    chars = 0
    for _ in range(repeat):
        for html in htmls:
            chars += len(run(html))
    seconds = time.process_time() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"tool": tool, "pages": len(htmls) * repeat, "seconds": seconds,
                      "peak_mb": peak_kb / 1024, "chars": chars}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each tool, alternating; the best counts")
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--files", nargs="*", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.files, args.repeat)
        return
    pages = find_pages(args.datasets, args.limit)
    if not pages:
        sys.exit("no pages found (give dataset folders: readability-test-pages, trafilatura-eval)")
    results: dict[str, dict[str, float]] = {}
    for _ in range(args.rounds):  # tools alternate; each keeps its best round
        for tool in TOOLS:
            cmd = [sys.executable, __file__, "--worker", tool, "--repeat", str(args.repeat),
                   "--files", *map(str, pages)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            if tool not in results or result["seconds"] < results[tool]["seconds"]:
                results[tool] = result
    print(f"{len(pages)} pages x {args.repeat}, one process per tool, one core each, "
          f"CPU time, best of {args.rounds} alternating rounds")
    print(f"{'tool':<12} {'pages/s':>9} {'ms/page':>9} {'peak MB':>9}")
    for tool, r in results.items():
        rate = r["pages"] / r["seconds"]
        print(f"{tool:<12} {rate:>9.1f} {1000 / rate:>9.2f} {r['peak_mb']:>9.1f}")
    v, t = results["vellum"], results["trafilatura"]
    ratio = (v["pages"] / v["seconds"]) / (t["pages"] / t["seconds"])
    print(f"speed ratio vellum/trafilatura: {ratio:.2f}x "
          f"(peak memory ratio {v['peak_mb'] / t['peak_mb']:.2f})")


if __name__ == "__main__":
    main()
