"""Snapshot vellum's Markdown for every page of the datasets, and compare two snapshots.

    python bench/snapshot.py SHARED_DATASETS_DIR OUT_DIR [--jobs 2]
    python bench/snapshot.py --compare OLD_DIR NEW_DIR [--show 20]

A restructuring of extract/convert must leave the output unchanged except where it
means to change it: take a snapshot before, one after, and read every difference.
Each page becomes ``OUT_DIR/<dataset>/<key>.md`` (the whole file, front matter and
body) or ``<key>.err`` (the error class and message). ``--compare`` lists the pages
whose output changed, with a unified diff of the first ``--show`` of them.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

READABILITY_URL = "http://fakehost/test/page.html"  # as in bench/quality.py
Job = tuple[str, str, str, str]  # dataset, key, html path, url


def roundtrip_jobs(root: Path) -> Iterator[Job]:
    for manifest in sorted(root.glob("*/manifest.json")):
        site = manifest.parent
        for post in json.loads(manifest.read_text(encoding="utf-8"))["posts"]:
            path = site / "site" / post["html_file"]
            if not path.exists():
                path = site / post["html_file"]
            key = f"{site.name}-{hashlib.sha1(post['url'].encode()).hexdigest()[:12]}"
            yield "roundtrip", key, str(path), post["local_url"]


def readability_jobs(root: Path) -> Iterator[Job]:
    for folder in sorted(p for p in root.iterdir() if (p / "source.html").exists()):
        yield "readability-test-pages", folder.name, str(folder / "source.html"), READABILITY_URL


def trafilatura_jobs(root: Path) -> Iterator[Job]:
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    for url, entry in sorted(data.items()):
        path = root / "pages" / entry["file"]
        if path.exists():
            yield "trafilatura-eval", Path(entry["file"]).stem, str(path), url


def all_jobs(shared: Path) -> list[Job]:
    return [*roundtrip_jobs(shared / "roundtrip"),
            *readability_jobs(shared / "readability-test-pages"),
            *trafilatura_jobs(shared / "trafilatura-eval")]


def run(job: Job, out: str) -> str:
    from vellum.errors import VellumError
    from vellum.pipeline.flow import convert_html

    dataset, key, path, url = job
    folder = Path(out) / dataset
    folder.mkdir(parents=True, exist_ok=True)
    try:
        text, suffix = convert_html(Path(path).read_bytes(), url), ".md"
    except VellumError as err:
        text, suffix = f"{type(err).__name__}: {err}\n", ".err"
    (folder / f"{key}{suffix}").write_text(text, encoding="utf-8")
    return f"{dataset}/{key}{suffix}"


def snapshot(shared: Path, out: Path, jobs: int) -> None:
    work = all_jobs(shared)
    with ProcessPoolExecutor(jobs) as pool:
        done = list(pool.map(run, work, [str(out)] * len(work), chunksize=8))
    print(f"{len(done)} pages written under {out}")


def _outputs(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root).with_suffix("")): p
            for p in root.rglob("*") if p.suffix in (".md", ".err")}


def compare(old: Path, new: Path, show: int) -> int:
    before, after = _outputs(old), _outputs(new)
    changed = sorted(k for k in before.keys() & after.keys()
                     if before[k].read_bytes() != after[k].read_bytes()
                     or before[k].suffix != after[k].suffix)
    gone, added = sorted(before.keys() - after.keys()), sorted(after.keys() - before.keys())
    print(f"{len(before)} pages before, {len(after)} after: {len(changed)} changed, "
          f"{len(gone)} missing, {len(added)} new")
    for key in changed[:show]:
        a = before[key].read_text(encoding="utf-8").splitlines(keepends=True)
        b = after[key].read_text(encoding="utf-8").splitlines(keepends=True)
        sys.stdout.writelines(difflib.unified_diff(a, b, f"old/{key}", f"new/{key}", n=1))
    for key in changed[show:]:
        print(f"changed: {key}")
    for key in gone:
        print(f"missing: {key}")
    return 1 if changed or gone or added else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs=2, type=Path)
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.paths, args.show)
    snapshot(*args.paths, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
