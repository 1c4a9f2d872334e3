"""Extraction quality of vellum next to trafilatura, on datasets given as arguments.

    python bench/quality.py DATASET_DIR [DATASET_DIR...] [--limit N] [--jobs 1] [--worst N]
                            [--half tune|check|all] [--cache DIR]

Two dataset formats are recognised:
- readability-test-pages: one folder per page with source.html, expected.html and
  expected-metadata.json; body text scored by token overlap (precision/recall/F1),
  metadata by normalised comparison.
- trafilatura-eval: pages/*.html + evaldata.json with ``with``/``without`` snippets;
  each kept ``with`` snippet is a true positive, each kept ``without`` one a false
  positive (Markdown markup is stripped from both outputs before matching). The
  title counts as text for both tools (vellum's front matter, trafilatura's
  metadata): the snippets include titles, and vellum never repeats it in the body.

Pages are given to both tools as bytes, as they came off the wire: each tool finds
the page's encoding itself (a BOM, ``<meta charset>``, or a guess).

Image alt text is not counted as body text: neither gold counts it (the readability
expected text is the visible text; trafilatura's default output has no images).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from vellum.errors import NotArticleError, VellumError
from vellum.extract import extract

warnings.filterwarnings("ignore")
READABILITY_URL = "http://fakehost/test/page.html"
TOOLS = ("vellum", "trafilatura")

# A link target: the URL (which may hold balanced parentheses) and an optional title
# (which may hold any parentheses: "Radon (opens a new window)").
_TARGET = r"\(\s*<?(?:[^\s()]|\([^\s()]*\))*>?(?:\s+\"[^\"]*\")?\s*\)"
_MD_PATTERNS = (
    (re.compile(r"!\[([^\]]*)\]" + _TARGET), " "),
    (re.compile(r"\[\^[^\]]+\]:?"), " "),
    (re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]" + _TARGET), r"\1"),  # text may hold [1]
    (re.compile(r"^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+", re.MULTILINE), ""),
    (re.compile(r"^\s*([-*_=]\s*){3,}$|^\s*\|?(\s*:?-+:?\s*\|)+\s*$", re.MULTILINE), " "),
    (re.compile(r"(\*\*|__|~~|`+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))"), ""),
    (re.compile(r"\s*\|\s*"), " "),
)
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SHELTER = 0xE000  # escaped characters wait in the private-use area while markup goes
_SHELTERED_RE = re.compile("[\ue000-\ue07f]")


def plain(markdown: str) -> str:
    """Markdown reduced to its words: formatting must not count in the scores.

    Backslash escapes are undone ("Bauplaner\\*innen" is "Bauplaner*innen"); the
    escaped characters are kept out of the markup patterns' way meanwhile."""
    markdown = _ESCAPE_RE.sub(lambda m: chr(_SHELTER + ord(m.group(1))), markdown)
    for pattern, replacement in _MD_PATTERNS:
        markdown = pattern.sub(replacement, markdown)
    markdown = _SHELTERED_RE.sub(lambda m: chr(ord(m.group()) - _SHELTER), markdown)
    return _SPACE_RE.sub(" ", markdown).strip()


def _renderer() -> Callable[[Any], str] | None:
    try:
        from vellum.convert import render  # type: ignore[attr-defined]
    except ImportError:
        return None

    def run(article: Any) -> str:
        result = render(article)
        return str(getattr(result, "body", result))

    return run


def vellum_text(html: str | bytes, url: str) -> tuple[str, str, dict[str, Any]]:
    """(status, body text, metadata) where status is ok/notarticle/error."""
    try:
        article = extract(html, url)
    except NotArticleError:
        return "notarticle", "", {}
    except VellumError:
        return "error", "", {}
    except Exception as err:  # a crash is a bug to report, not a reason to stop the run
        print(f"vellum crashed on {url}: {err!r}", file=sys.stderr)
        return "error", "", {}
    render = _renderer()
    if render is not None:
        try:
            text = render(article)
        except Exception:  # a broken converter must not hide extraction numbers
            text = BeautifulSoup(article.body_html, "lxml").get_text("\n")
    else:
        text = BeautifulSoup(article.body_html, "lxml").get_text("\n")
    meta = {"title": article.title, "author": "; ".join(article.authors),
            "date": _day(article.published), "description": article.description}
    return "ok", plain(text), meta


_CACHE: Path | None = None  # --cache: the competitor's output is the same every run


def trafilatura_text(html: str | bytes, url: str, with_meta: bool
                     ) -> tuple[str, str, dict[str, Any]]:
    """(status, body text, metadata) of trafilatura; the cache keeps its raw Markdown."""
    if _CACHE is None:
        status, markdown, meta = _trafilatura_run(html, url, with_meta)
        return status, plain(markdown), meta
    import hashlib

    import trafilatura

    page = html if isinstance(html, bytes) else html.encode()
    key = hashlib.sha1(f"{trafilatura.__version__} {with_meta} {url}\n".encode() + page
                       ).hexdigest()
    path = _CACHE / f"{key}.raw.json"
    if path.exists():
        status, markdown, meta = json.loads(path.read_text(encoding="utf-8"))
    else:
        status, markdown, meta = _trafilatura_run(html, url, with_meta)
        path.write_text(json.dumps([status, markdown, meta]), encoding="utf-8")
    return status, plain(markdown), meta


def _trafilatura_run(html: str | bytes, url: str, with_meta: bool
                     ) -> tuple[str, str, dict[str, Any]]:
    import trafilatura

    try:
        text = trafilatura.extract(html, url=url, output_format="markdown",
                                   include_comments=False) or ""
        meta: dict[str, Any] = {}
        if with_meta:
            doc = trafilatura.extract_metadata(html, default_url=url)
            if doc is not None:
                meta = {"title": doc.title or "", "author": doc.author or "",
                        "date": (doc.date or "")[:10], "description": doc.description or ""}
    except Exception:
        return "error", "", {}
    return ("ok" if text else "notarticle"), text, meta


def _day(value: dt.date | None) -> str:
    return value.isoformat()[:10] if value else ""


@dataclass
class PageResult:
    name: str
    status: dict[str, str] = field(default_factory=dict)
    scores: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    meta_ok: dict[str, dict[str, bool]] = field(default_factory=dict)


# -- readability-test-pages ------------------------------------------------------------

def _tokens(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD_RE.findall(text))


def _prf(got: Counter[str], want: Counter[str]) -> tuple[float, float, float]:
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _norm(text: str) -> str:
    return " ".join(_WORD_RE.findall((text or "").lower()))


def _author_ok(got: str, want: str) -> bool:
    got_words, want_words = set(_norm(got).split()), set(_norm(want).split())
    want_words -= {"by", "and", "von", "the"}
    if not got_words or not want_words:
        return False
    return len(got_words & want_words) >= max(1, min(len(got_words), len(want_words)) // 2)


def readability_page(folder: str) -> PageResult:
    path = Path(folder)
    html = (path / "source.html").read_bytes()
    want = _tokens(BeautifulSoup((path / "expected.html").read_text(encoding="utf-8"),
                                 "lxml").get_text(" "))
    expected = json.loads((path / "expected-metadata.json").read_text(encoding="utf-8"))
    result = PageResult(path.name)
    for tool in TOOLS:
        status, text, meta = (vellum_text(html, READABILITY_URL) if tool == "vellum"
                              else trafilatura_text(html, READABILITY_URL, True))
        result.status[tool] = status
        result.scores[tool] = _prf(_tokens(text), want)
        result.meta_ok[tool] = _meta_checks(meta, expected)
    return result


_TITLE_SEP_RE = re.compile(r"\s+[|\-–—·•:»_]\s*|\s*_|\s+\[")


def _title_variants(title: str) -> set[str]:
    """The expected title with and without a site-name part (vellum drops it on purpose)."""
    parts = _TITLE_SEP_RE.split(title)
    variants = {_norm(title)}
    if len(parts) > 1:
        variants.add(_norm(title[: list(_TITLE_SEP_RE.finditer(title))[-1].start()]))
        variants.add(_norm(_TITLE_SEP_RE.split(title, maxsplit=1)[1]))
    return variants


def _meta_checks(meta: dict[str, Any], expected: dict[str, Any]) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    if expected.get("title"):
        checks["title"] = _norm(meta.get("title", "")) in _title_variants(expected["title"])
    if expected.get("byline"):
        checks["author"] = _author_ok(meta.get("author", ""), expected["byline"])
    if expected.get("publishedTime"):
        checks["date"] = meta.get("date", "") == str(expected["publishedTime"])[:10]
    if expected.get("excerpt"):
        checks["description"] = _norm(meta.get("description", "")) == _norm(expected["excerpt"])
    return checks


# -- trafilatura-eval -------------------------------------------------------------------

def _snippet_in(snippet: str, text: str) -> bool:
    return plain(snippet) in text


def trafilatura_eval_page(item: tuple[str, str, dict[str, Any]]) -> PageResult:
    folder, url, entry = item
    html = (Path(folder) / "pages" / entry["file"]).read_bytes()
    result = PageResult(entry["file"])
    for tool in TOOLS:
        status, text, meta = (vellum_text(html, url) if tool == "vellum"
                              else trafilatura_text(html, url, True))
        # This gold counts the title as text; vellum keeps it in the front matter.
        text = f"{plain(meta.get('title', ''))} {text}"
        counts: Counter[str] = Counter()
        for snippet in entry.get("with", []):
            counts["tp" if _snippet_in(snippet, text) else "fn"] += 1
        for snippet in entry.get("without", []):
            counts["fp" if _snippet_in(snippet, text) else "tn"] += 1
        result.status[tool] = status
        result.counts[tool] = counts
    return result


# -- driver -----------------------------------------------------------------------------

def _jobs(dataset: Path, limit: int | None) -> tuple[str, list[Any]]:
    if (dataset / "evaldata.json").exists():
        data = json.loads((dataset / "evaldata.json").read_text(encoding="utf-8"))
        items = [(str(dataset), url, entry) for url, entry in data.items()
                 if (dataset / "pages" / entry["file"]).exists()]
        return "trafilatura-eval", items[:limit]
    folders = sorted(str(p) for p in dataset.iterdir() if (p / "source.html").exists())
    if not folders:
        sys.exit(f"{dataset}: no known dataset format")
    return "readability", folders[:limit]


def half_of(key: str) -> str:
    """The page's half (as in roundtrip.py): parity of the SHA-1 of its URL, or of its
    folder name where the dataset gives no URL."""
    import hashlib

    return "tune" if int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 2 == 0 \
        else "check"


def _in_half(kind: str, item: Any, half: str) -> bool:
    if half == "all":
        return True
    key = Path(item).name if kind == "readability" else item[1]
    return half_of(key) == half


def _run(kind: str, items: list[Any], jobs: int) -> Iterator[PageResult]:
    worker: Callable[[Any], PageResult] = (readability_page if kind == "readability"
                                           else trafilatura_eval_page)
    if jobs <= 1:
        yield from map(worker, items)
        return
    with ProcessPoolExecutor(jobs) as pool:
        yield from pool.map(worker, items, chunksize=4)


def _report(kind: str, results: list[PageResult], worst: int) -> None:
    print(f"{'tool':<12} {'prec':>6} {'recall':>6} {'F1':>6} {'acc':>6}   "
          f"{'title':>6} {'author':>6} {'date':>6} {'descr':>6}   errors notarticle")
    for tool in TOOLS:
        p, r, f1, acc = _totals(kind, results, tool)
        meta = _meta_rates(results, tool)
        statuses = Counter(res.status.get(tool, "") for res in results)
        print(f"{tool:<12} {p:6.3f} {r:6.3f} {f1:6.3f} {acc:6.3f}   "
              + " ".join(f"{meta.get(k, float('nan')):6.3f}"
                         for k in ("title", "author", "date", "description"))
              + f"   {statuses['error']:6d} {statuses['notarticle']:10d}")
    if worst:
        print(f"\nworst {worst} pages for vellum (vellum F1 - trafilatura F1):")
        for name, delta in _worst(kind, results, worst):
            print(f"  {delta:+.3f}  {name}")


def _totals(kind: str, results: list[PageResult], tool: str) -> tuple[float, ...]:
    if kind == "readability":
        scores = [res.scores[tool] for res in results]
        n = len(scores) or 1
        p, r, f1 = (sum(s[i] for s in scores) / n for i in range(3))
        return p, r, f1, sum(1 for s in scores if s[2] >= 0.9) / n
    total: Counter[str] = Counter()
    for res in results:
        total.update(res.counts[tool])
    tp, fp, fn, tn = total["tp"], total["fp"], total["fn"], total["tn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, (tp + tn) / (sum(total.values()) or 1)


def _meta_rates(results: list[PageResult], tool: str) -> dict[str, float]:
    tally: dict[str, list[bool]] = {}
    for res in results:
        for key, ok in res.meta_ok.get(tool, {}).items():
            tally.setdefault(key, []).append(ok)
    return {k: sum(v) / len(v) for k, v in tally.items()}


def _page_f1(kind: str, res: PageResult, tool: str) -> float:
    if kind == "readability":
        return res.scores[tool][2]
    return _totals("trafilatura-eval", [res], tool)[2]


def _worst(kind: str, results: list[PageResult], count: int) -> list[tuple[str, float]]:
    deltas = [(res.name, _page_f1(kind, res, "vellum") - _page_f1(kind, res, "trafilatura"))
              for res in results]
    return sorted(deltas, key=lambda d: d[1])[:count]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--worst", type=int, default=0)
    parser.add_argument("--half", choices=("tune", "check", "all"), default="all",
                        help="only the tuning or the checking half (see bench/README.md)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder keeping trafilatura's output between runs")
    args = parser.parse_args(argv)
    if args.cache is not None:
        global _CACHE
        args.cache.mkdir(parents=True, exist_ok=True)
        _CACHE = args.cache
    for dataset in args.datasets:
        kind, items = _jobs(dataset, args.limit)
        items = [item for item in items if _in_half(kind, item, args.half)]
        start = time.perf_counter()
        results = list(_run(kind, items, args.jobs))
        print(f"\n{dataset} ({kind}, {args.half} half, {len(results)} pages, "
              f"{time.perf_counter() - start:.1f} s)")
        _report(kind, results, args.worst)


if __name__ == "__main__":
    main()
