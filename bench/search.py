"""Full-text search on a generated archive: index build time, query latency, and the
cost of indexing on writes and on `import`, beside `grep -ril` and ripgrep.

Generates N posts (front matter + a body drawn from a Zipf-distributed vocabulary,
so some words are in nearly every post and most in a few), then measures:

- index build: `vellum reindex` over the folder, with and without the search table;
- query latency p50/p95 of `Store.search` for rare, common, multi-word, phrase,
  prefix and filtered queries (the best 20 with snippets, as `vellum search` shows),
  wall clock and CPU time (the CPU figure holds on a machine shared with other work),
  and the CPU time of two stages: finding the matches, and that plus ranking them;
  once through the stdlib sqlite3 and, when apsw is installed, once through it (the
  connection vellum searches with then; same index, same hits);
- a query that is one phrase is ranked, through apsw, in one pass by
  src/vellum/store/ranking.py (bm25's scores, without FTS5's second pass over the
  phrase); its `ranked` column times that, the `bm25` line below the table times FTS5's
  bm25 on the same phrase;
- every query is ranked by bm25, even one made of words found in most posts (FTS5
  clamps such a word's IDF to 1e-6, which scales the scores down but still orders the
  posts by weighted frequency and length; see src/vellum/store/search.py);
- the same single words with `grep -ril` and `rg -il` over the same folder, and the
  CPU time of a whole `vellum search` process (most of it is importing vellum);
- indexing overhead: `Store.save` of every post with and without the search table,
  and a real `import` of --import-pages posts from a local server, with and without.

    python bench/search.py --posts 20000 --import-pages 300
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.crawlsites import article  # noqa: E402
from tests.server import LocalServer, Response  # noqa: E402

from vellum import frontmatter  # noqa: E402
from vellum.commands.importer import import_urls  # noqa: E402
from vellum.fetch.crawl import CrawlOptions  # noqa: E402
from vellum.models import Entry  # noqa: E402
from vellum.store import Store, ranking  # noqa: E402
from vellum.store import search as fts  # noqa: E402
from vellum.store.search import Filters  # noqa: E402

VOCABULARY = 30_000
WORDS_PER_POST = (250, 1500)
HOSTS = 40
REPEAT = 20


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        words["".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))] = None
    return list(words)


def generate(root: Path, posts: int, seed: int = 7) -> list[tuple[Entry, str]]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf
    made = []
    for n in range(posts):
        host = f"blog{n % HOSTS}.example"
        year = 2015 + n % 10
        body_words = rng.choices(words, weights, k=rng.randint(*WORDS_PER_POST))
        paragraphs = [" ".join(body_words[i:i + 80]) + "." for i in range(0, len(body_words), 80)]
        title = " ".join(rng.choices(words[:3000], k=5)).capitalize()
        data = {"title": title, "date": f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "authors": [f"Author {n % 300}"], "tags": rng.sample(words[50:250], 3),
                "description": " ".join(rng.choices(words, weights, k=20)),
                "original_url": f"https://{host}/{year}/post-{n}/"}
        text = frontmatter.join(data, "\n\n".join(paragraphs))
        rel = f"{host}/{year}/post-{n}.md"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
        made.append((Entry(path=rel, url=data["original_url"], title=title,
                           date=data["date"]), text))
    return made


@contextmanager
def without_search() -> Iterator[None]:
    """The index as it was before search: no rows in the search tables."""
    original = fts.put
    fts.put = lambda db, doc: None  # type: ignore[assignment]
    try:
        yield
    finally:
        fts.put = original


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queries(root: Path) -> dict[str, tuple[str, Filters]]:
    """Queries built from the generated vocabulary: by frequency rank."""
    words = vocabulary(random.Random(7))
    return {
        "top word": (words[0], Filters()),
        "frequent word": (words[300], Filters()),
        "rare word": (words[20_000], Filters()),
        "two words": (f"{words[5]} {words[800]}", Filters()),
        "phrase": (f'"{words[0]} {words[1]}"', Filters()),
        "prefix": (words[40][:3] + "*", Filters()),
        "filtered": (words[300], Filters(host="blog3.example", since="2018")),
    }


def sql_cpu(db: sqlite3.Connection, sql: str, match: str) -> float:
    """CPU p50 (ms) of 5 runs of ``sql`` with ``match``."""
    return cpu_p50(lambda: db.execute(sql, (match,)).fetchall())


def cpu_p50(work: Callable[[], object]) -> float:
    """CPU p50 (ms) of 5 runs of ``work``."""
    times = []
    for _ in range(5):
        started = time.process_time()
        work()
        times.append((time.process_time() - started) * 1000)
    return percentile(times, 50)


@contextmanager
def stdlib_search(store: Store) -> Iterator[None]:
    """Searches through the stdlib sqlite3 connection, as without apsw installed."""
    original = fts.apsw
    fts.apsw = None
    store._index._close_reader()  # bench only: the next search opens its connection anew
    try:
        yield
    finally:
        fts.apsw = original
        store._index._close_reader()


def bench_queries(store: Store, cases: dict[str, tuple[str, Filters]]) -> list[float]:
    """Wall p50/p95 and CPU p50/p95 of each query, and for an unfiltered one the CPU p50
    of finding its matches (rowids only) and of ranking them (the same plus bm25 over
    every match, best 20): what is left of the query's time is snippets and rows."""
    every = []
    print(f"{'query':<14}{'matches':>8}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'cpu p95':>9}"
          f"{'match':>8}{'ranked':>8}  (CPU ms)")
    store.search("warm", Filters(), 1)  # opens the search connection
    db = store._index._searcher()  # bench only: the match count and the stages are no API
    weights = ", ".join(str(w) for w in fts.WEIGHTS)
    notes: list[str] = []
    for name, (query, where) in cases.items():
        match = fts.fts_query(query)
        hits = db.execute("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?",
                          (match,)).fetchone()[0]
        times, cpu = [], []
        for _ in range(REPEAT):
            started = time.process_time()
            times.append(timed(lambda q=query, w=where: store.search(q, w, 20)) * 1000)
            cpu.append((time.process_time() - started) * 1000)
        every += times
        stages = "       -       -"
        if where == Filters():
            found = sql_cpu(db, "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?", match)
            bm25 = sql_cpu(db, f"SELECT rowid, bm25(docs_fts, {weights}) AS s FROM "
                           "docs_fts WHERE docs_fts MATCH ? ORDER BY s LIMIT 20", match)
            ranked = bm25
            if ranking.usable(db, match, fts.WEIGHTS):
                ranked = cpu_p50(lambda m=match: ranking.rank_phrase(db, m, 20, fts.WEIGHTS))
                notes.append(f"{name}: ranked in one pass {ranked:.1f} ms, by FTS5's bm25 "
                             f"{bm25:.1f} ms (CPU p50)")
            stages = f"{found:>8.1f}{ranked:>8.1f}"
        print(f"{name:<14}{hits:>8}{percentile(times, 50):>9.1f}{percentile(times, 95):>9.1f}"
              f"{percentile(cpu, 50):>9.1f}{percentile(cpu, 95):>9.1f}{stages}")
    for note in notes:
        print(f"  {note}")
    return every


def summary(every: list[float]) -> None:
    print(f"all vellum queries: p50 {percentile(every, 50):.1f} ms, "
          f"p95 {percentile(every, 95):.1f} ms, "
          f"mean {statistics.mean(every):.1f} ms (best 20 with snippets)")


def bench_grep(root: Path, cases: dict[str, tuple[str, Filters]]) -> None:
    tools = [("grep -ril", ["grep", "-ril"]), ("rg -il", ["rg", "-il"])]
    words = [(n, q) for n, (q, _) in cases.items() if " " not in q and not q.endswith("*")
             and not q.startswith('"')]
    for label, command in tools:
        if shutil.which(command[0]) is None:
            print(f"{label}: not installed, skipped")
            continue
        times = []
        for _, word in words:
            for _ in range(3):
                times.append(timed(lambda w=word, c=command: subprocess.run(
                    [*c, w, str(root)], capture_output=True, check=False)) * 1000)
        print(f"{label:<14} single words: p50 {percentile(times, 50):.0f} ms, "
              f"p95 {percentile(times, 95):.0f} ms (file names only, no ranking or snippet)")


def bench_cli(root: Path, word: str) -> None:
    """`vellum search` as a user runs it, one process per query (imports, the index
    opened, one query, the output), beside a process that only imports vellum's CLI."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    def child_cpu(args: list[str]) -> float:
        before = os.times()
        subprocess.run([sys.executable, *args], capture_output=True, check=False, env=env)
        after = os.times()
        return (after.children_user + after.children_system
                - before.children_user - before.children_system) * 1000

    search = [child_cpu(["-m", "vellum", "search", word, "-a", str(root)]) for _ in range(3)]
    imports = [child_cpu(["-c", "import vellum.cli"]) for _ in range(3)]
    print(f"`vellum search {word}` in a new process: CPU p50 {percentile(search, 50):.0f} ms; "
          f"a process that only imports vellum.cli: {percentile(imports, 50):.0f} ms")


def bench_saves(made: list[tuple[Entry, str]], tmp: Path) -> None:
    sample = made[: min(len(made), 1000)]
    results = {}
    for label, context in (("without search", without_search), ("with search", _nothing)):
        root = tmp / f"saves-{label.replace(' ', '-')}"
        with context(), Store(root) as store:
            results[label] = timed(lambda s=store: [s.save(e, t) for e, t in sample])
    base, full = results["without search"], results["with search"]
    print(f"Store.save x{len(sample)}: {base:.2f} s without search, {full:.2f} s with "
          f"(+{(full / base - 1) * 100:.1f}%)")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def bench_import(pages: int, tmp: Path, rounds: int) -> None:
    if pages <= 0:
        return
    options = CrawlOptions(concurrency=16, per_host=4, delay=0.0, retries=0,
                           respect_robots=False)
    with LocalServer() as server:
        urls = []
        for n in range(pages):
            server.route(f"/{n}/", Response(body=article("bench", n)))
            urls.append(server.url(f"/{n}/"))
        results: dict[str, list[float]] = {"without": [], "with": []}
        for round_ in range(rounds):  # alternated, so a busy spell hits both
            for label, context in (("without", without_search), ("with", _nothing)):
                root = tmp / f"import-{label}-{round_}"
                with context(), Store(root) as store:
                    results[label].append(timed(lambda s=store: list(
                        import_urls(urls, s, options=options, workers=1))))
    base, full = min(results["without"]), min(results["with"])
    print(f"import of {pages} local pages (best of {rounds}): {base:.2f} s without search, "
          f"{full:.2f} s with (+{(full / base - 1) * 100:.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20_000,
                        help="posts to generate (default 20000)")
    parser.add_argument("--import-pages", type=int, default=300,
                        help="pages to import from a local server; 0 skips that timing")
    parser.add_argument("--import-rounds", type=int, default=3,
                        help="imports with and without search, alternated (default 3)")
    args = parser.parse_args()
    print(f"SQLite {sqlite3.sqlite_version} (FTS5 speed differs between versions), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        root = tmp / "archive"
        started = time.perf_counter()
        made = generate(root, args.posts)
        size = sum(len(t.encode()) for _, t in made) / 1e6
        print(f"generated {args.posts} posts ({size:.0f} MB of Markdown) in "
              f"{time.perf_counter() - started:.1f} s")
        with without_search(), Store(root) as store:
            base = timed(store.reindex)
        with Store(root) as store:
            full = timed(store.reindex)
            db = root / ".vellum" / "index.db"
            print(f"index build (reindex): {full:.1f} s with search, {base:.1f} s without "
                  f"(index.db {db.stat().st_size / 1e6:.0f} MB)")
            cases = queries(root)
            print(f"searching through the stdlib sqlite3 (SQLite {sqlite3.sqlite_version}):")
            with stdlib_search(store):
                summary(bench_queries(store, cases))
            if fts.apsw is not None:
                print(f"searching through apsw (SQLite {fts.apsw.sqlite_lib_version()}), "
                      "as vellum does when it is installed:")
                summary(bench_queries(store, cases))
        bench_grep(root, cases)
        bench_cli(root, cases["top word"][0])
        bench_saves(made, tmp)
        bench_import(args.import_pages, tmp, args.import_rounds)


if __name__ == "__main__":
    main()
