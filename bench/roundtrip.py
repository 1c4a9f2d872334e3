"""Round trip on real blog themes: vellum next to trafilatura, scored by the dataset's scorer.

    python bench/roundtrip.py DATASET_DIR [--site S ...] [--half tune|check|all]
                              [--tools vellum,trafilatura] [--out DIR] [--json FILE]

DATASET_DIR is ``shared/datasets/roundtrip``: one folder per site with a
``manifest.json``, plus ``score.py`` and ``rtlib.py``. Every post's served HTML is
converted by each tool (the post's ``local_url`` given as its URL, so relative links
resolve as online), written as ``OUT/<tool>/<key>.md`` (YAML front matter + body, the
layout score.py reads), and both outputs are scored by that same ``score.py`` in this
run. The table shows each site (and ALL) for each tool, on the tuning half, the
checking half and all posts; then CPU seconds per page of each tool.

Halves: a post belongs to the tuning half when the SHA-1 of its production URL is
even, else to the checking half (see bench/README.md for the discipline).

trafilatura runs as the issue specifies: ``extract(html, url, output_format="markdown",
include_links/images/tables=True, with_metadata=True)``; its own front matter is kept.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

warnings.filterwarnings("ignore")
TOOLS = ("vellum", "trafilatura")
HALVES = ("tune", "check", "all")
# (score key, column head, format): the columns the "Done when" names.
COLUMNS = (
    ("text_f1", "txtF1", ".3f"), ("text_p", "txtP", ".3f"), ("text_r", "txtR", ".3f"),
    ("head", "head", ".3f"), ("link", "link", ".3f"), ("code", "code", ".3f"),
    ("list", "list", ".3f"), ("img", "img", ".3f"), ("fn", "fn", ".3f"),
    ("chrome_lines", "chrome", ".1f"), ("absent_lines", "absent", ".1f"),
    ("pilcrows", "¶", ".1f"), ("backrefs", "↩", ".1f"), ("annotations", "(n)!", ".1f"),
    ("title_ok", "title", ".3f"), ("date_ok", "date", ".3f"), ("authors_ok", "auth", ".3f"),
    ("tags_f1", "tags", ".3f"), ("desc_ok", "desc", ".3f"),
)


def half_of(url: str) -> str:
    """The post's half, stable across runs and machines: parity of the URL's SHA-1."""
    return "tune" if int(hashlib.sha1(url.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "check"


def load_scorer(dataset: Path) -> ModuleType:
    """The dataset's own score.py (it imports rtlib from its folder)."""
    path = dataset / "score.py"
    if not path.is_file():
        sys.exit(f"{dataset}: no score.py (is this the roundtrip dataset?)")
    spec = importlib.util.spec_from_file_location("roundtrip_score", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vellum_markdown(html: bytes, url: str) -> str:
    from vellum.pipeline.flow import convert_html

    return convert_html(html, url)


def trafilatura_markdown(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, output_format="markdown", include_links=True,
                               include_images=True, include_tables=True,
                               with_metadata=True) or ""


CONVERTERS: dict[str, Callable[[bytes, str], str]] = {
    "vellum": vellum_markdown, "trafilatura": trafilatura_markdown}


def convert_posts(posts: Iterable[dict[str, Any]], dataset: Path, tool: str,
                  out_dir: Path) -> tuple[float, int]:
    """Write ``out_dir/<key>.md`` for every post; (CPU seconds spent converting, failures).

    A post the tool cannot convert gets no file: the scorer counts it as missing."""
    convert = CONVERTERS[tool]
    out_dir.mkdir(parents=True, exist_ok=True)
    cpu, failures = 0.0, 0
    for post in posts:
        html = (dataset / post["site"] / post["html_file"]).read_bytes()
        start = time.process_time()
        try:
            text = convert(html, post["local_url"])
        except Exception as err:  # a crash is a finding to report, not a reason to stop
            print(f"{tool} failed on {post['key']}: {err!r}", file=sys.stderr)
            text = ""
        cpu += time.process_time() - start
        if text:
            (out_dir / f"{post['key']}.md").write_text(text, encoding="utf-8")
        else:
            failures += 1
    return cpu, failures


def score_posts(scorer: ModuleType, manifest: dict[str, Any], root: str,
                posts: list[dict[str, Any]], out_dir: Path) -> list[dict[str, Any]]:
    ctxs = {name: scorer.SiteCtx(manifest, name, root) for name in manifest["sites"]}
    cache: dict[str, Any] = {}
    return [scorer.score_post(post, scorer.find_output(post, str(out_dir), None),
                              ctxs[post["site"]], cache) for post in posts]


def summaries(scorer: ModuleType, sites: list[str], rows: list[dict[str, Any]],
              halves: dict[str, str]) -> dict[str, dict[str, dict[str, Any]]]:
    """{half: {site or ALL: summary}} with the scorer's own averaging."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for half in HALVES:
        chosen = [r for r in rows if half == "all" or halves[r["key"]] == half]
        per_site = {site: scorer.summarize([r for r in chosen if r["site"] == site])
                    for site in sites if any(r["site"] == site for r in chosen)}
        if chosen:
            per_site["ALL"] = scorer.summarize(chosen)
        out[half] = per_site
    return out


def _cell(value: Any, fmt: str) -> str:
    return f"{'-':>6}" if value is None else f"{format(value, fmt):>6}"


def table(results: dict[str, dict[str, dict[str, dict[str, Any]]]], half: str) -> str:
    """One row per site and tool, the tools of a site next to each other."""
    head = f"{'site':<10} {'tool':<6} {'n':>4} {'miss':>4} " + " ".join(
        f"{h:>6}" for _, h, _ in COLUMNS)
    lines = [f"== {half} half" if half != "all" else "== all posts", head]
    sites = list(next(iter(results.values()))[half])
    for site in sites:
        for tool, by_half in results.items():
            s = by_half[half].get(site)
            if s is None:
                continue
            lines.append(f"{site:<10} {tool[:6]:<6} {s['n']:>4} {s['missing']:>4} "
                         + " ".join(_cell(s.get(k), fmt) for k, _, fmt in COLUMNS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--site", action="append", help="only this site (repeatable)")
    parser.add_argument("--half", choices=HALVES, default="all",
                        help="convert and show only this half (default: all, both halves shown)")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--out", type=Path, help="keep the outputs here (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="write summaries and per-post rows here")
    args = parser.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    if unknown := set(tools) - set(CONVERTERS):
        parser.error(f"unknown tool(s): {', '.join(sorted(unknown))}")

    scorer = load_scorer(args.dataset)
    manifest, root = scorer.load_manifest(str(args.dataset))
    sites = [s for s in manifest["sites"] if not args.site or s in args.site]
    halves = {p["key"]: half_of(p["url"]) for p in manifest["posts"]}
    posts = [p for p in manifest["posts"] if p["site"] in sites
             and args.half in ("all", halves[p["key"]])]

    with tempfile.TemporaryDirectory(prefix="vellum-roundtrip-") as tmp:
        base = args.out or Path(tmp)
        results, rows, speed = {}, {}, {}
        for tool in tools:
            cpu, failed = convert_posts(posts, args.dataset, tool, base / tool)
            speed[tool] = (cpu / max(len(posts), 1), failed)
            rows[tool] = score_posts(scorer, manifest, root, posts, base / tool)
            results[tool] = summaries(scorer, sites, rows[tool], halves)

    for half in (HALVES if args.half == "all" else (args.half,)):
        print(table(results, half) + "\n")
    for tool, (per_page, failed) in speed.items():
        print(f"{tool:<12} {per_page * 1000:7.1f} ms CPU per page ({len(posts)} pages,"
              f" {failed} without output)")
    if args.json:
        args.json.write_text(json.dumps(
            {"summary": results, "cpu_per_page": {t: s[0] for t, s in speed.items()},
             "halves": halves, "posts": rows}, indent=1, ensure_ascii=False, default=str),
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
