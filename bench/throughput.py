"""Extraction + conversion speed: vellum vs trafilatura on the same pages, same run.

    python bench/throughput.py SHARED_DATASETS_DIR [--groups blog,news] [--limit N]
                               [--repeat R] [--rounds K] [--no-census] [--base SRC_DIR]

Page groups: ``blog`` = the round-trip posts (``roundtrip/*/manifest.json``, each
post's ``local_url`` as its URL), ``news`` = ``trafilatura-eval``, ``readability`` =
``readability-test-pages``. A dataset folder itself may be given instead of the
shared folder. Each tool runs each group in its own child process (one core,
sequentially), so its peak memory (max RSS) is its own. Time is the child's CPU
time, not the wall clock, and the tools take turns for several rounds, each keeping
its best: other work on a busy machine skews the ratio less. Prints pages/s, peak
RSS and the ratios vellum/trafilatura per group. ``--base SRC_DIR`` adds another
vellum (its ``src`` folder, e.g. an export of main) as the tool ``base``, measured in
the same rounds: a change's before and after, side by side.

The census (one more vellum run, not timed) counts per page the HTML parses and the
whole-tree walks: traversals that start at the page, its body, the article box or
convert's body, whether vellum's own (``soup.span``), bs4's (find_all without a limit,
get_text, descendants, decode) or markdownify's (one per ``convert_soup``). A search
that may stop early (``find``, ``first``, a length check) counts when it went through
the whole tree without stopping.
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from snapshot import READABILITY_URL, readability_jobs, roundtrip_jobs, trafilatura_jobs

TOOLS = ("vellum", "trafilatura")
GROUPS = {"blog": ("roundtrip", roundtrip_jobs), "news": ("trafilatura-eval", trafilatura_jobs),
          "readability": ("readability-test-pages", readability_jobs)}
Pages = list[tuple[str, str]]  # (html path, url)


def find_pages(folder: Path, group: str, limit: int | None) -> Pages:
    name, jobs = GROUPS[group]
    root = folder / name if (folder / name).is_dir() else folder
    try:
        pages = [(path, url) for _, _, path, url in jobs(root)]
    except (FileNotFoundError, KeyError, json.JSONDecodeError):
        return []
    return pages[:limit] if limit else pages


def _vellum(html: str, url: str) -> str:
    from vellum.errors import VellumError
    from vellum.pipeline import convert_html

    try:
        return convert_html(html, url)
    except VellumError:
        return ""


def _trafilatura(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, output_format="markdown",
                               with_metadata=True) or ""


def _read(pages: Pages) -> list[tuple[str, str]]:
    return [(Path(p).read_bytes().decode("utf-8", errors="replace"),
             "" if u == READABILITY_URL else u) for p, u in pages]


def worker(tool: str, pages: Pages, repeat: int) -> None:
    """Child process: convert every page ``repeat`` times, print one JSON line of results."""
    run = _vellum if tool == "vellum" else _trafilatura
    inputs = _read(pages)
    for html, url in inputs[:3]:  # warm imports and caches outside the timing
        run(html, url)
    started = time.process_time()
    chars = 0
    for _ in range(repeat):
        for html, url in inputs:
            chars += len(run(html, url))
    seconds = time.process_time() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"tool": tool, "pages": len(inputs) * repeat, "seconds": seconds,
                      "peak_mb": peak_kb / 1024, "chars": chars}))


def _counted(method: Callable[..., Any], full: Callable[..., bool]) -> Callable[..., Any]:
    from vellum.soup import CENSUS

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if full(*args, **kwargs):
            CENSUS.walk(self)
        return method(self, *args, **kwargs)
    return wrapper


def census(pages: Pages) -> None:
    """Child process: parses and whole-tree walks per page (see the module docstring)."""
    from bs4 import Tag
    from markdownify import MarkdownConverter

    from vellum.soup import CENSUS

    always: Callable[..., bool] = lambda *a, **k: True  # noqa: E731
    Tag.find_all = _counted(Tag.find_all, lambda *a, limit=None, **k: not limit)  # type: ignore
    find = Tag.find

    def find_whole(self: Any, *args: Any, **kwargs: Any) -> Any:
        found = find(self, *args, **kwargs)
        if found is None:  # it went through the whole tree
            CENSUS.walk(self)
        return found
    Tag.find = find_whole  # type: ignore[method-assign]
    for name in ("get_text", "decode", "select"):
        setattr(Tag, name, _counted(getattr(Tag, name), always))
    descendants: Any = Tag.__dict__["descendants"]

    def walk_descendants(self: Any) -> Any:
        if "bs4" not in sys._getframe(1).f_code.co_filename:  # bs4's searches count above
            CENSUS.walk(self)
        return descendants.fget(self)
    Tag.descendants = property(walk_descendants)  # type: ignore[method-assign,assignment]
    convert = MarkdownConverter.convert_soup

    def convert_soup(self: Any, soup: Any) -> Any:
        CENSUS.walks += 1
        return convert(self, soup)
    MarkdownConverter.convert_soup = convert_soup  # type: ignore[method-assign]
    most = {"parses": 0, "walks": 0}
    CENSUS.on = True
    for html, url in _read(pages):
        before = CENSUS.parses, CENSUS.walks
        CENSUS.roots.clear()
        _vellum(html, url)
        most["parses"] = max(most["parses"], CENSUS.parses - before[0])
        most["walks"] = max(most["walks"], CENSUS.walks - before[1])
    print(json.dumps({"pages": len(pages), "parses": CENSUS.parses, "walks": CENSUS.walks,
                      "most_parses": most["parses"], "most_walks": most["walks"]}))


def _child(args: list[str], pages: Pages, src: str | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, *args, "--files", json.dumps(pages)]
    env = {**os.environ, "PYTHONPATH": src} if src else None
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def measure(groups: dict[str, Pages], rounds: int, repeat: int,
            base: str | None) -> Iterator[tuple[str, dict]]:
    best: dict[tuple[str, str], dict[str, Any]] = {}
    tools = [*TOOLS, "base"] if base else list(TOOLS)
    for _ in range(rounds):  # tools alternate; each keeps its best round
        for group, pages in groups.items():
            for tool in tools:
                worker = "vellum" if tool == "base" else tool
                result = _child(["--worker", worker, "--repeat", str(repeat)], pages,
                                base if tool == "base" else None)
                key = (group, tool)
                if key not in best or result["seconds"] < best[key]["seconds"]:
                    best[key] = result
    for group in groups:
        yield group, {tool: best[(group, tool)] for tool in tools}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", type=Path)
    parser.add_argument("--groups", default="blog,news")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each tool, alternating; the best counts")
    parser.add_argument("--no-census", action="store_true")
    parser.add_argument("--base", help="another vellum's src folder, measured as 'base'")
    parser.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    parser.add_argument("--census", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--files", default="[]", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker or args.census:
        pages = [tuple(p) for p in json.loads(args.files)]
        census(pages) if args.census else worker(args.worker, pages, args.repeat)
        return
    groups: dict[str, Pages] = {}
    for group in args.groups.split(","):
        found = [p for folder in args.datasets for p in find_pages(folder, group, args.limit)]
        if found:
            groups[group] = found
    if not groups:
        sys.exit("no pages found (give the shared datasets folder or dataset folders)")
    print(f"one process per tool and group, one core each, CPU time, best of {args.rounds} "
          f"alternating rounds, x{args.repeat}")
    print(f"{'group':<12} {'tool':<12} {'pages':>6} {'pages/s':>9} {'ms/page':>9} "
          f"{'peak MB':>9}")
    for group, results in measure(groups, args.rounds, args.repeat, args.base):
        for tool, r in results.items():
            rate = r["pages"] / r["seconds"]
            print(f"{group:<12} {tool:<12} {r['pages']:>6} {rate:>9.1f} {1000 / rate:>9.2f} "
                  f"{r['peak_mb']:>9.1f}")
        v, t = results["vellum"], results["trafilatura"]
        ratio = (v["pages"] / v["seconds"]) / (t["pages"] / t["seconds"])
        print(f"{group:<12} speed ratio vellum/trafilatura {ratio:.2f}x, "
              f"peak memory ratio {v['peak_mb'] / t['peak_mb']:.2f}")
        if "base" in results:
            b = results["base"]
            then = (b["pages"] / b["seconds"]) / (t["pages"] / t["seconds"])
            print(f"{group:<12} base/trafilatura {then:.2f}x (peak memory ratio "
                  f"{b['peak_mb'] / t['peak_mb']:.2f}); vellum/base {ratio / then:.2f}x")
    if args.no_census:
        return
    for group, pages in groups.items():
        c = _child(["--census"], pages)
        n = c["pages"]
        print(f"{group:<12} vellum per page: {c['parses'] / n:.2f} parses (most "
              f"{c['most_parses']}), {c['walks'] / n:.1f} whole-tree walks (most "
              f"{c['most_walks']})")


if __name__ == "__main__":
    main()
