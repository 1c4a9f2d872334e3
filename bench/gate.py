"""CI quality gate: vellum alone on the shared datasets, failing below set floors.

    python bench/gate.py [SHARED_DATASETS_DIR]      (default: ../shared/datasets)

Runs in well under two minutes: every post of the round-trip dataset (scored by its
own score.py, per site) and a fixed sample of the two extraction datasets (body-text
F1 as bench/quality.py computes it). Exit 0 when every score is at or above its
floor (at or below, for chrome lines), 1 when one dropped, listing each; 0 with a
message when the datasets are not there (a clone without ../shared beside it).

The floors sit a little under the numbers measured when they were set (see the
commit that changed them): a real regression, such as code blocks losing their
whitespace again, falls far below them; noise from an unrelated change does not.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import roundtrip  # noqa: E402  (a sibling script, not a package)

# Round trip: {site: {metric: floor}}; "chrome_lines" is a ceiling.
ROUNDTRIP_FLOORS: dict[str, dict[str, float]] = {
    "papermod": {"text_f1": 0.99, "head": 0.98, "link": 0.98, "code": 0.98, "list": 0.98,
                 "img": 0.98, "chrome_lines": 0.2},
    "jekyll": {"text_f1": 0.99, "head": 0.98, "link": 0.98, "code": 0.98, "list": 0.98,
               "img": 0.98, "chrome_lines": 0.2},
    "docusaurus": {"text_f1": 0.99, "head": 0.98, "link": 0.98, "code": 0.975, "list": 0.97,
                   "img": 0.97, "chrome_lines": 0.2},
    "pelican": {"text_f1": 0.99, "head": 0.97, "link": 0.98, "code": 0.98, "list": 0.98,
                "img": 0.98, "chrome_lines": 0.2},
    "hexo": {"text_f1": 0.99, "head": 0.98, "link": 0.98, "code": 0.98, "list": 0.98,
             "img": 0.98, "chrome_lines": 0.2},
    "eessi": {"text_f1": 0.99, "head": 0.98, "link": 0.98, "code": 0.98, "list": 0.98,
              "img": 0.98, "fn": 0.95, "chrome_lines": 0.2},
}
# Extraction datasets: body-text F1 of the sample (every STRIDE-th page).
EXTRACTION_FLOORS = {"readability-test-pages": 0.94, "trafilatura-eval": 0.935}
STRIDE = {"readability-test-pages": 2, "trafilatura-eval": 6}
CEILINGS = frozenset({"chrome_lines"})


def roundtrip_scores(dataset: Path) -> dict[str, dict[str, Any]]:
    scorer = roundtrip.load_scorer(dataset)
    manifest, root = scorer.load_manifest(str(dataset))
    posts = manifest["posts"]
    with tempfile.TemporaryDirectory(prefix="vellum-gate-") as tmp:
        roundtrip.convert_posts(posts, dataset, "vellum", Path(tmp))
        rows = roundtrip.score_posts(scorer, manifest, root, posts, Path(tmp))
    sites = list(manifest["sites"])
    return roundtrip.summaries(scorer, sites, rows, {p["key"]: "all" for p in posts})["all"]


def extraction_f1(dataset: Path, stride: int) -> float:
    """Body-text F1 of vellum on every ``stride``-th page, as bench/quality.py scores it."""
    import quality

    kind, items = quality._jobs(dataset, None)
    sample = items[::stride]
    if kind == "readability":
        scores = []
        for folder in sample:
            path = Path(folder)
            want = quality._tokens(quality.BeautifulSoup(
                (path / "expected.html").read_text(encoding="utf-8"), "lxml").get_text(" "))
            _, text, _ = quality.vellum_text((path / "source.html").read_bytes(),
                                             quality.READABILITY_URL)
            scores.append(quality._prf(quality._tokens(text), want)[2])
        return sum(scores) / max(len(scores), 1)
    tp = fp = fn = 0
    for folder, url, entry in sample:
        html = (Path(folder) / "pages" / entry["file"]).read_bytes()
        _, text, meta = quality.vellum_text(html, url)
        text = f"{quality.plain(meta.get('title', ''))} {text}"
        tp += sum(quality._snippet_in(s, text) for s in entry.get("with", []))
        fn += sum(not quality._snippet_in(s, text) for s in entry.get("with", []))
        fp += sum(quality._snippet_in(s, text) for s in entry.get("without", []))
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def check(name: str, metric: str, value: float | None, floor: float) -> str | None:
    if value is None:
        return None
    ceiling = metric in CEILINGS
    failed = value > floor if ceiling else value < floor
    sign = "<=" if ceiling else ">="
    print(f"  {name:<24} {metric:<13} {value:7.3f}  (needs {sign} {floor})"
          + ("  FAIL" if failed else ""))
    return f"{name} {metric} {value:.3f}, needs {sign} {floor}" if failed else None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "datasets"
    if not (shared / "roundtrip" / "score.py").is_file():
        print(f"quality gate skipped: no datasets at {shared} (expected ../shared/datasets "
              "beside the clone)")
        return 0
    start = time.perf_counter()
    failures: list[str] = []
    print("quality gate: round trip (all posts)")
    for site, summary in roundtrip_scores(shared / "roundtrip").items():
        for metric, floor in ROUNDTRIP_FLOORS.get(site, {}).items():
            failures.append(check(f"roundtrip/{site}", metric, summary.get(metric), floor) or "")
    print("quality gate: extraction datasets (sample)")
    for name, floor in EXTRACTION_FLOORS.items():
        if (shared / name).is_dir():
            f1 = extraction_f1(shared / name, STRIDE[name])
            failures.append(check(name, "text_f1", f1, floor) or "")
    failures = [f for f in failures if f]
    took = time.perf_counter() - start
    if failures:
        print(f"quality gate FAILED ({took:.0f} s): " + "; ".join(failures))
        return 1
    print(f"quality gate passed ({took:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
