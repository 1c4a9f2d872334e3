"""Benchmark of ``vellum dedup`` beside an exact-hash baseline and a containment method.

    python bench/dedup.py DEV_CORPUS [-n 2000] [--seed 1] [--workers 2] [--scale-dir DIR]

1. The labelled dev corpus (``../../shared/datasets/dedup-dev``): each method
   runs in its own process over ``DEV_CORPUS/docs`` and is scored with the
   corpus's own ``score.py`` over all documents and over two halves split by a
   hash of the post id (half "tuning" is the one thresholds were tuned on,
   half "checking" the other), with recall by how the documents were made.
2. A generated corpus of ``-n`` documents (0 skips it) written to disk once
   (``--scale-dir``, default a folder under the temporary directory): blog posts
   in the forms an archive meets (aggregator front matter over HTML, Markdown
   under three front-matter styles, raw text from three kinds of HTML-to-text
   output inside Blogger/Jekyll/MkDocs/WordPress chrome with a per-blog
   sidebar, pilcrows, smart quotes, mojibake, feed excerpts, edited and older
   versions), plus a few malformed files: an impossible date in the front
   matter, broken YAML, a binary file, a file over the size limit. Same
   methods, same scorer; wall time, CPU time and peak memory.

The methods:

- ``vellum``: the real command, ``vellum dedup --archive EMPTY --include DOCS --json``
  run in-process in a child, with ``--workers`` worker processes.
- ``exact``: a hash of the lowercase word tokens (front matter dropped).
- ``containment``: a re-implementation of the published approach: words of the
  text (front matter, tags and mojibake repaired away), word 5-shingles,
  shingles in more than 10 documents removed, 128-permutation MinHash and LSH
  (64 bands of 2 rows, a ~0.1 Jaccard threshold) for candidates, each pair
  verified by containment |A∩B|/min(|A|,|B|) >= 0.5, union-find.

Peak memory is ``ru_maxrss`` of the child (the main process) and of its largest
worker (``RUSAGE_CHILDREN``): the workers run beside the main process, so the
whole run peaks below main + workers x largest worker.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
import zlib
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve()
FACTORS = ("chrome", "edits", "excerpt", "kind:markdown", "kind:native", "kind:old_version",
           "kind:text", "mkdocs_isms", "mojibake", "pilcrows", "smart_quotes",
           "tool:bs4_blocks", "tool:bs4_newline", "tool:html2text_md", "tool:html2text_plain",
           "tool:inscriptis")
METHODS = ("vellum", "exact", "containment")


# ---------------------------------------------------------------- the methods


def _files(docs: Path) -> list[Path]:
    return sorted(p for p in docs.iterdir() if p.is_file())


def _read_text(path: Path) -> str | None:
    if path.stat().st_size > 20 * 1024 * 1024:
        return None
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
TAG = re.compile(r"<[^>]+>|\]\([^)\s]*\)|https?://\S+")  # tags, link targets, URLs
TOKEN = re.compile(r"\w+")


def _tokens(text: str, *, repair: bool) -> list[str]:
    text = FRONT_MATTER.sub(" ", text)
    text = TAG.sub(" ", text)
    if repair:
        import ftfy

        text = ftfy.fix_text(text)
    return TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def exact(docs: Path) -> list[list[str]]:
    """Exact hash of the normalised tokens."""
    buckets: defaultdict[str, list[str]] = defaultdict(list)
    for path in _files(docs):
        text = _read_text(path)
        tokens = _tokens(text, repair=False) if text else []
        if tokens:
            digest = hashlib.blake2b(" ".join(tokens).encode(), digest_size=16).hexdigest()
            buckets[digest].append(path.name)
    return [members for members in buckets.values() if len(members) > 1]


def containment(docs: Path, *, k: int = 5, max_df: int = 10, bands: int = 64, rows: int = 2,
                tau: float = 0.5) -> list[list[str]]:
    """The containment method (module docstring), kept plain: every set in memory."""
    import numpy as np

    names: list[str] = []
    sets: list[np.ndarray] = []
    for path in _files(docs):
        text = _read_text(path)
        if text is None:
            continue
        tokens = _tokens(text, repair=True)
        grams = {zlib.crc32(" ".join(tokens[i:i + k]).encode())  # stable across runs
                 for i in range(max(len(tokens) - k + 1, 1))} if tokens else set()
        names.append(path.name)
        sets.append(np.array(sorted(grams), dtype=np.uint32))
    values, counts = np.unique(np.concatenate(sets), return_counts=True)
    common = values[counts > max_df]
    sets = [s[~np.isin(s, common, assume_unique=True)] for s in sets]
    rng = np.random.default_rng(1)
    prime = np.uint64((1 << 61) - 1)
    a = rng.integers(1, 1 << 31, bands * rows, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, bands * rows, dtype=np.uint64)
    buckets: defaultdict[tuple[int, bytes], list[int]] = defaultdict(list)
    for index, shingles in enumerate(sets):
        if not shingles.size:
            continue
        wide = shingles.astype(np.uint64)
        signature = ((wide[:, None] * a[None, :] + b[None, :]) % prime).min(axis=0)
        for band in range(bands):
            buckets[(band, signature[band * rows:(band + 1) * rows].tobytes())].append(index)
    parent = list(range(len(sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pair = (members[x], members[y])
                if pair in checked:
                    continue
                checked.add(pair)
                first, second = sets[pair[0]], sets[pair[1]]
                shared = np.intersect1d(first, second, assume_unique=True).size
                if shared / max(min(first.size, second.size), 1) >= tau:
                    parent[find(pair[0])] = find(pair[1])
    groups: defaultdict[int, list[str]] = defaultdict(list)
    for index, name in enumerate(names):
        groups[find(index)].append(name)
    return [members for members in groups.values() if len(members) > 1]


def vellum(docs: Path, workers: int) -> list[list[str]]:
    """The real ``vellum dedup`` command, run in this process."""
    import runpy

    with tempfile.TemporaryDirectory() as archive, tempfile.TemporaryFile("w+") as out:
        argv = sys.argv
        sys.argv = ["vellum", "dedup", "--archive", archive, "--include", str(docs), "--json",
                    "--workers", str(workers)]
        saved = os.dup(1)
        os.dup2(out.fileno(), 1)
        try:
            runpy.run_module("vellum", run_name="__main__", alter_sys=True)
        except SystemExit:
            pass
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            sys.argv = argv
        out.seek(0)
        groups = [json.loads(line) for line in out if line.startswith("{")]
    return [[Path(m).name for m in g["members"]] for g in groups if len(g["members"]) > 1]


# ---------------------------------------------------------------- running and scoring


def child(method: str, docs: Path, out: Path, workers: int) -> None:
    """Run one method and write its clusters, time and memory to ``out``."""
    started, cpu = time.perf_counter(), _cpu()
    if method == "vellum":
        clusters = vellum(docs, workers)
    elif method == "exact":
        clusters = exact(docs)
    else:
        clusters = containment(docs)
    result = {
        "clusters": clusters, "seconds": time.perf_counter() - started, "cpu": _cpu() - cpu,
        "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def _cpu() -> float:
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(method: str, docs: Path, workers: int) -> dict[str, Any]:
    """``child`` in a fresh interpreter; adds the wall time of the whole process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(BENCH), "--child", method, str(docs), str(out),
             "--workers", str(workers)], stderr=subprocess.PIPE, text=True, check=False)
        wall = time.perf_counter() - started
        if not out.exists():
            raise SystemExit(f"{method} failed:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wall"] = wall
    result["stderr"] = done.stderr
    return result


def scorer(score_py: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dedup_score", score_py)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def halves(corpus: Path) -> dict[str, set[str]]:
    """Documents of the tuning and the checking half, split by a hash of the post id."""
    labels: dict[str, str] = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    split: dict[str, set[str]] = {"tuning": set(), "checking": set()}
    for name, post in labels.items():
        half = hashlib.blake2b(post.encode()).digest()[0] & 1
        split["tuning" if half == 0 else "checking"].add(name)
    return split


def report(title: str, corpus: Path, score_py: Path, results: dict[str, dict[str, Any]],
           n_docs: int, *, split: bool) -> None:
    """The tables for ``results``, scored with ``score_py`` against ``corpus``'s labels."""
    score = scorer(score_py).score
    print(f"\n## {title}: {n_docs} documents; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| method | part | P | R | F1 | false merges (same author / other) | wall s | "
          "CPU s | docs/s (wall) | peak MB main / worker |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    parts: dict[str, set[str] | None] = {"all": None}
    if split:
        parts.update(halves(corpus))
    scored = {}
    for method, result in results.items():
        for part, only in parts.items():
            r = score(corpus, result["clusters"], only=only)
            scored[(method, part)] = r
            timing = (f"{result['wall']:.2f} | {result['cpu']:.2f} | "
                      f"{n_docs / result['wall']:.0f} | "
                      f"{result['main_mb']:.0f} / {result['worker_mb']:.0f}"
                      if part == "all" else "| | |")
            print(f"| {method} | {part} | {r['precision']:.4f} | {r['recall']:.4f} | "
                  f"{r['f1']:.4f} | {r['fp_same_author']} / {r['fp_other_author']} | {timing} |")
    print("\nrecall by how the documents were made (all documents):\n")
    print("| factor (pairs) | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    factors = scored[(next(iter(results)), "all")]["recall_by_factor"]
    for factor in sorted(factors):
        cells = [f"{scored[(m, 'all')]['recall_by_factor'][factor]['recall']:.3f}"
                 for m in results]
        print(f"| {factor} ({factors[factor]['pairs']}) | " + " | ".join(cells) + " |")
    cores = os.cpu_count() or 1
    print("\nidle-machine projection (CPU s / cores; the machine may be shared): " + ", ".join(
        f"{m} {r['cpu'] / cores:.1f} s" for m, r in results.items()))
    v, c = results.get("vellum"), results.get("containment")
    if v and c:
        print(f"\nvellum / containment: wall {v['wall'] / c['wall']:.2f}x, "
              f"CPU {v['cpu'] / c['cpu']:.2f}x")
    if v and v["stderr"].strip():
        lines = v["stderr"].strip().splitlines()
        print("\nvellum stderr (malformed files reported, then the summary):\n")
        for line in lines[-12:]:
            print(f"    {line}")


# ---------------------------------------------------------------- the generated corpus


SYLLABLES = ("ba", "co", "de", "fi", "gu", "ha", "jo", "ka", "li", "mo", "nu", "pe", "qui",
             "ra", "so", "tu", "ve", "wi", "xo", "ya", "ze", "an", "er", "in", "on", "ur",
             "st", "tr", "pl", "gr")
FUNCTION_WORDS = ("the", "of", "and", "to", "a", "in", "is", "that", "it", "for", "was", "on",
                  "with", "as", "I", "but", "at", "this", "my", "we", "be", "by", "not", "or")
ACCENTED = ("café", "naïve", "résumé", "déjà", "señor", "über", "façade", "Zürich")
PLATFORMS = ("blogger", "jekyll", "mkdocs", "wordpress")
TOOLS = ("bs4_newline", "bs4_blocks", "html2text_plain", "html2text_md", "inscriptis")


class Generator:
    """Blog posts of many authors, written to disk in the forms of the dev corpus."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        vocab = sorted({"".join(self.rng.choice(SYLLABLES)
                                for _ in range(self.rng.randint(1, 4))) for _ in range(30_000)})
        self.rng.shuffle(vocab)
        self.vocab = list(FUNCTION_WORDS) * 40 + vocab[:3000] * 3 + vocab

    def sentence(self, topic: list[str]) -> str:
        rng = self.rng
        words = rng.choices(self.vocab, k=rng.randint(6, 24))
        for i in range(0, len(words), 4):
            if rng.random() < 0.3:
                words[i] = rng.choice(topic)
        if rng.random() < 0.1:
            words[rng.randrange(len(words))] = rng.choice(ACCENTED)
        if rng.random() < 0.15:
            words[-1] = f'"{words[-1]}" it\'s'
        return " ".join(words).capitalize() + rng.choice("....?!")

    def author(self, index: int) -> dict[str, Any]:
        topic = self.rng.choices(self.vocab[-20_000:], k=80)
        name = f"{self.rng.choice(topic).title()} {self.rng.choice(topic).title()}"
        return {"name": name, "site": f"https://blog{index}.example.org", "topic": topic,
                "platform": self.rng.choice(PLATFORMS), "posts": [],
                "stock": [self.sentence(topic) for _ in range(30)],
                "bio": " ".join(self.sentence(topic) for _ in range(4))}

    def post(self, author: dict[str, Any], pid: int) -> dict[str, Any]:
        rng = self.rng
        title = " ".join(rng.choices(author["topic"], k=rng.randint(3, 8))).title()
        n_words = int(min(6000, max(40, rng.lognormvariate(7.3, 0.7))))
        paragraphs: list[str] = []
        words = 0
        while words < n_words:
            sentences = [rng.choice(author["stock"]) if rng.random() < 0.05
                         else self.sentence(author["topic"]) for _ in range(rng.randint(1, 5))]
            paragraphs.append(" ".join(sentences))
            words += sum(len(s.split()) for s in sentences)
        date = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        post = {"pid": f"p{pid}", "title": title, "date": date, "paragraphs": paragraphs,
                "url": f"{author['site']}/{date[:4]}/{'-'.join(title.lower().split()[:6])}/",
                "author": author}
        author["posts"].append(title)
        return post

    def write(self, folder: Path, n: int) -> None:
        docs = folder / "docs"
        docs.mkdir(parents=True)
        authors = [self.author(i) for i in range(max(4, n // 300))]
        labels: dict[str, str] = {}
        manifest: dict[str, dict[str, Any]] = {}
        pid = 0
        while len(labels) < n - 5:
            author = self.rng.choice(authors)
            post = self.post(author, pid)
            pid += 1
            copies = self.rng.choice((1, 1, 1, 2, 2, 3, 3, 4, 5, 6))
            for _ in range(min(copies, n - 5 - len(labels))):
                text, info = self.form(post)
                name = hashlib.blake2b(f"{pid}-{len(labels)}".encode(),
                                       digest_size=8).hexdigest()
                name += ".txt" if info["kind"] == "text" else ".md"
                (docs / name).write_text(text, encoding="utf-8")
                labels[name] = post["pid"]
                manifest[name] = {**info, "pid": post["pid"], "author": author["site"]}
        for name, data in self.malformed():
            (docs / name).write_bytes(data)
            # The readable ones share one body: they are copies of one post.
            labels[name] = "malformed/body" if name in ("bad-date.md", "broken-yaml.md",
                                                        "latin1.txt") else f"malformed/{name}"
            manifest[name] = {"pid": labels[name], "author": "malformed", "kind": "malformed"}
        (folder / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    def malformed(self) -> list[tuple[str, bytes]]:
        body = " ".join(self.sentence(["alpha"]) for _ in range(40))
        return [
            ("bad-date.md", f"---\ntitle: A bad date\ndate: '2015-50-01 00:00:00'\n"
                            f"created: 2015-50-01 00:00:00\n---\n\n{body}\n".encode()),
            ("broken-yaml.md", f"---\ntitle: [unclosed\n  : : nonsense\n---\n\n{body}\n".encode()),
            ("binary.md", bytes(self.rng.randrange(256) for _ in range(50_000)) + b"\0" * 64),
            ("huge.txt", (body + "\n").encode() * (21 * 1024 * 1024 // len(body) + 1)),
            ("latin1.txt", f"Caf\xe9 notes\n\n{body}\n".encode("latin-1", "replace")),
        ]

    def form(self, post: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        paragraphs = list(post["paragraphs"])
        info: dict[str, Any] = {}
        roll = rng.random()
        kind = "native" if roll < 0.15 else "markdown" if roll < 0.4 else \
            "old_version" if roll < 0.43 else "text"
        info["kind"] = kind
        if kind == "old_version":
            paragraphs = paragraphs[:max(1, len(paragraphs) * 3 // 4)]
        if kind in ("markdown", "text") and rng.random() < 0.15:
            paragraphs = self.edit(post, paragraphs)
            info["edits"] = ["rewrite", "update_note"]
        excerpt = kind in ("markdown", "text") and rng.random() < 0.15
        if excerpt:
            words = " ".join(paragraphs).split()
            keep = max(12, int(len(words) * rng.uniform(0.2, 0.4)))
            paragraphs = [" ".join(words[:keep]) + "…", "Read more »"]
            info["excerpt"] = True
        if rng.random() < 0.3:
            paragraphs = [p.replace("'", "\u2019").replace(' "', " \u201c")
                          .replace('" ', "\u201d ") for p in paragraphs]
            info["smart_quotes"] = True
        if kind in ("native", "old_version"):
            text = self.aggregator(post, paragraphs)
        elif kind == "markdown":
            text = self.markdown(post, paragraphs)
        else:
            info["tool"] = rng.choice(TOOLS)
            info["chrome"] = rng.choice(("plain", post["author"]["platform"]))
            info["pilcrows"] = rng.random() < 0.3
            text = self.page_text(post, paragraphs, info)
        if kind in ("markdown", "text") and rng.random() < 0.2:
            codec = rng.choice(("cp1252", "mac_roman"))
            text = "".join(ch.encode("utf-8").decode(codec, errors="replace")
                           if ord(ch) > 127 and rng.random() < 0.5 else ch for ch in text)
            info["mojibake"] = codec
        return text, info

    def edit(self, post: dict[str, Any], paragraphs: list[str]) -> list[str]:
        rng = self.rng
        out = []
        for paragraph in paragraphs:
            sentences = re.split(r"(?<=[.?!]) ", paragraph)
            for i in range(len(sentences)):
                if rng.random() < 0.15:
                    sentences[i] = self.sentence(post["author"]["topic"])
            out.append(" ".join(sentences))
        if len(out) > 3 and rng.random() < 0.5:
            out.pop(rng.randrange(1, len(out)))
        return [f"Update: {self.sentence(post['author']['topic'])}", *out]

    def aggregator(self, post: dict[str, Any], paragraphs: list[str]) -> str:
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        return (f"---\nauthor: {post['author']['name']}\ndate: '{post['date']} 09:30:00'\n"
                f"layout: post\noriginal_url: {post['url']}?utm_source=rss\n"
                f"title: \"{post['title']}\"\n---\n\n{body}\n")

    def markdown(self, post: dict[str, Any], paragraphs: list[str]) -> str:
        style = self.rng.choice(("mkdocs", "aggregator", "archive"))
        head = {"mkdocs": f"date:\n  created: {post['date']}\nauthors:\n  - someone\n",
                "aggregator": f"date: '{post['date']} 09:30:00'\noriginal_url: {post['url']}\n",
                "archive": f"url: {post['url']}\nfetched_at: '2025-01-01T00:00:00Z'\n"}[style]
        body = []
        for i, paragraph in enumerate(paragraphs):
            if i and i % 4 == 0:
                body.append(f"## {' '.join(paragraph.split()[:4]).title()}")
            body.append(paragraph)
        return f"---\ntitle: \"{post['title']}\"\n{head}---\n\n" + "\n\n".join(body) + "\n"

    def page_text(self, post: dict[str, Any], paragraphs: list[str], info: dict[str, Any]
                  ) -> str:
        author, rng = post["author"], self.rng
        mark = "\u00b6" if info["pilcrows"] else ""
        lines = [f"# {post['title']}{mark}" if info["tool"] == "html2text_md"
                 else f"{post['title']}{mark}"]
        for paragraph in paragraphs:
            if info["tool"].startswith("html2text"):
                lines.extend(_wrap(paragraph, 78))
            elif info["tool"] == "bs4_newline":
                lines.extend(re.split(r"(?<=[,;]) ", paragraph))
            else:
                lines.append(paragraph)
            lines.append("")
        if info["chrome"] == "plain":
            return "\n".join(lines) + "\n"
        others = rng.sample(author["posts"], min(5, len(author["posts"])))
        chrome = {
            "blogger": ([author["name"], "", post["date"]],
                        [f"Posted by {author['name']} at 10:21 AM", "3 comments:",
                         "Email This BlogThis! Share to Twitter Share to Facebook",
                         "Labels: notes, ideas", "Newer Post", "Older Post", "Home"]),
            "jekyll": ([f"{author['name']}About Archive Tags", f"Posted on: {post['date']}"],
                       ["Tags: notes, ideas", "Related posts", *others[:3],
                        f"\u00a9 2024 {author['name']}. Powered by Jekyll."]),
            "mkdocs": (["Skip to content", author["name"], "Blog / Archive / 2024", post["date"],
                        "5 min read"], ["Previous", others[0] if others else "", "Back to top",
                                        "Made with Material for MkDocs"]),
            "wordpress": ([author["name"], "Menu Home About Contact",
                           f"Posted on {post['date']} by {author['name']}"],
                          ["Share this:", "Twitter", "Facebook", "Like this:", "Loading...",
                           "Related", *others[:3], "Leave a Reply"]),
        }[info["chrome"]]
        sidebar = ["About Me", author["bio"], "Popular Posts", *others] \
            if rng.random() < 0.6 else []
        return "\n".join([*chrome[0], "", *lines, *chrome[1], "", *sidebar]) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def scale_corpus(n: int, seed: int, folder: Path | None) -> Path:
    folder = folder or Path(tempfile.gettempdir()) / f"vellum-dedup-scale-{n}-{seed}"
    if not (folder / "labels.json").exists():
        started = time.perf_counter()
        if folder.exists():
            raise SystemExit(f"{folder} exists but is incomplete: remove it")
        Generator(seed).write(folder, n)
        size = sum(p.stat().st_size for p in (folder / "docs").iterdir())
        print(f"generated {n} documents ({size / 1e9:.2f} GB) in {folder} in "
              f"{time.perf_counter() - started:.0f}s", file=sys.stderr)
    return folder


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?",
                        help="the dev corpus folder (with docs/, labels.json, score.py)")
    parser.add_argument("-n", type=int, default=2000, help="generated documents (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 2))
    parser.add_argument("--scale-dir", type=Path)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--child", nargs=3, metavar=("METHOD", "DOCS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]), args.workers)
        return
    methods = [m for m in args.methods.split(",") if m]
    if args.corpus:
        docs = args.corpus / "docs"
        results = {m: run(m, docs, args.workers) for m in methods}
        report("dev corpus", args.corpus, args.corpus / "score.py", results,
               len(_files(docs)), split=True)
    if args.n:
        folder = scale_corpus(args.n, args.seed, args.scale_dir)
        results = {m: run(m, folder / "docs", args.workers) for m in methods}
        if args.corpus:
            report(f"generated corpus (seed {args.seed})", folder, args.corpus / "score.py",
                   results, len(_files(folder / "docs")), split=False)
        else:
            for m, r in results.items():
                print(f"{m}: {r['wall']:.1f}s wall, {r['cpu']:.1f}s CPU, "
                      f"{r['main_mb']:.0f}/{r['worker_mb']:.0f} MB")


if __name__ == "__main__":
    main()
