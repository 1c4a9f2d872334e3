"""Groups of documents that are the same post: boilerplate, candidates, verification, linkage.

1. Fingerprint every document (``signatures``), from ``signatures_cache`` when
   the same raw text was seen before, in worker processes when asked. Each
   document's shingles are streamed to disk as postings (``shingle, document``)
   in partitions by the shingle's top bits, by whichever process made them
   (``postings``): memory holds only each document's metadata and one batch or
   one partition of postings, and workers send back metadata only.
2. Boilerplate: each partition is sorted on its own (in parallel when a pool is
   given), which gives every shingle's exact document frequency; a shingle found
   in more than
   ``BOILERPLATE_DF`` documents is page chrome, a sidebar, a bio or a template,
   not evidence. The rest give each document's evidence count.
3. Candidates: the evidence shingles found in two to ``BOILERPLATE_DF``
   documents give every pair of documents that shares any, with the exact
   number shared (so no pair needs its shingle sets read again); plus pairs
   sharing a title, a URL or content.
4. ``match`` verifies each candidate exactly on the evidence shingles.
5. Grouping, complete linkage: verified matches are taken strongest first, and
   two groups join only if *every* pair across them is at least ``compatible``
   (containment >= 0.35 over evidence shingles, titles not in conflict). A
   document that matches two different posts (an anthology page, a part 2
   quoting part 1) can therefore join at most one of them: the two posts do not
   agree with each other, so no chain of matches ever merges them.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, MutableMapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..rules.dedup import ISO_DATE, ORDINAL_SUFFIX
from .match import COMPATIBLE_CONTAINMENT, REASONS, PairScore, judge, judge_all
from .normalize import FORMAT_RANK
from .postings import PARTITIONS, Spill, check_documents, count_partitions, merge_counts
from .signatures import Fingerprint, fingerprint, signature_key

BUCKET_CAP = 16
EXCERPT_SIZE = 0.7
PARALLEL_MIN = 2_000
COUNT_TASKS = 4  # partitions counted in this many tasks when a pool is given
NOTHING = Fingerprint("text", "", "", "", 0, "", "", "", False, False, "", False, b"")
"""What stands for a document that could not be read: no shingles, no keys."""


@dataclass(frozen=True)
class Evidence:
    """Why one member belongs to its group: its match with the canonical member."""

    member: str
    reason: str
    containment: float

    def as_dict(self) -> dict[str, object]:
        return {"path": self.member, "reason": self.reason, "containment": self.containment}


@dataclass(frozen=True)
class DuplicateGroup:
    """Documents that are one post; ``canonical`` is the richest of them."""

    members: tuple[str, ...]
    canonical: str
    score: float
    """The weakest verified containment that holds the group together."""
    reason: str
    """The reason of that weakest link (one of ``match.REASONS``)."""
    evidence: tuple[Evidence, ...] = ()
    """For each other member, how it compares with the canonical one."""

    def as_dict(self) -> dict[str, object]:
        return {"members": list(self.members), "canonical": self.canonical,
                "score": self.score, "reason": self.reason,
                "evidence": [e.as_dict() for e in self.evidence]}


def find_groups(
    docs: Iterable[tuple[str, str]],
    *,
    signatures_cache: MutableMapping[str, bytes] | None = None,
    workers: int = 1,
) -> list[DuplicateGroup]:
    """Groups of the same post among ``(id, raw text)`` pairs, largest first."""
    return group_fingerprints(fingerprint_all(docs, signatures_cache, workers))


def fingerprint_all(
    docs: Iterable[tuple[str, str]],
    cache: MutableMapping[str, bytes] | None = None,
    workers: int = 1,
) -> list[tuple[str, Fingerprint]]:
    """Fingerprints of ``docs``, reusing and filling ``cache`` (key -> ``to_bytes``)."""
    ids: list[str] = []
    found: list[Fingerprint | None] = []
    todo: list[tuple[int, str, str]] = []
    for doc_id, text in docs:
        key = signature_key(text) if cache is not None else ""
        cached = Fingerprint.from_bytes(cache[key]) if cache is not None and key in cache \
            else None
        if cached is None:
            todo.append((len(ids), key, text))
        ids.append(doc_id)
        found.append(cached)
    texts = [text for _, _, text in todo]
    if workers > 1 and len(texts) >= PARALLEL_MIN:
        with ProcessPoolExecutor(workers) as pool:
            computed: Iterable[Fingerprint] = list(pool.map(fingerprint, texts, chunksize=64))
    else:
        computed = map(fingerprint, texts)
    for (index, key, _), result in zip(todo, computed, strict=True):
        found[index] = result
        if cache is not None:
            cache[key] = result.to_bytes()
    return [(doc_id, fp) for doc_id, fp in zip(ids, found, strict=True) if fp is not None]


def group_fingerprints(items: Iterable[tuple[str, Fingerprint]], *,
                       eligible: Callable[[str], bool] | None = None) -> list[DuplicateGroup]:
    """The duplicate groups among fingerprinted documents, consumed as a stream.

    ``eligible`` says which documents may be a group's canonical member before any
    other (the archive's own entries, not outside files); by default all may."""
    with Corpus(eligible) as corpus:
        for doc_id, fp in items:
            corpus.add(doc_id, fp)
        return corpus.groups()


class Corpus:
    """The documents of one run: metadata in memory, shingles spilled to disk."""

    def __init__(self, eligible: Callable[[str], bool] | None = None) -> None:
        self.eligible = eligible or (lambda _: True)
        self.ids: list[str] = []
        self.fps: list[Fingerprint] = []
        self._folder = tempfile.TemporaryDirectory(prefix="vellum-dedup-")
        self.folder = Path(self._folder.name)
        """Where the postings are spilled, by this process and by workers (``reserve``)."""
        self.spill = Spill(self.folder, "main")
        self.sizes = np.zeros(0, dtype=np.int64)
        """Evidence shingles of each document."""
        self.pairs = np.empty(0, dtype=np.uint64)
        """``first << 32 | second`` of every pair sharing evidence shingles, sorted."""
        self.shared = np.empty(0, dtype=np.int32)
        """How many evidence shingles each of ``pairs`` shares."""

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.spill.close()
        self._folder.cleanup()

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, doc_id: str, fp: Fingerprint) -> None:
        """Take in a document; its shingles are spilled by this process."""
        check_documents(len(self.ids) + 1)
        self.spill.add(len(self.ids), fp.shingles())
        self.ids.append(doc_id)
        self.fps.append(replace(fp, shingle_bytes=b"") if fp.shingle_bytes else fp)

    def reserve(self, count: int) -> int:
        """Number ``count`` documents whose postings another process writes to ``folder``
        (``postings.spill_here``) under these numbers, and return the first. Until
        ``place`` names one it matches nothing, as a file that could not be read."""
        first = len(self.ids)
        check_documents(first + count)
        self.ids += [""] * count
        self.fps += [NOTHING] * count
        return first

    def place(self, index: int, doc_id: str, fp: Fingerprint) -> None:
        """Name the reserved document ``index``."""
        self.ids[index] = doc_id
        self.fps[index] = fp

    def groups(self, pool: Executor | None = None) -> list[DuplicateGroup]:
        """The groups of the documents taken in; ``pool`` counts postings in parallel."""
        if len(self.fps) < 2:
            return []
        self._count(pool)
        # Every object made from here on lives until the groups are returned: a cycle
        # collection would only rescan the corpus's metadata (~1 s at 10^5 documents).
        collecting = gc.isenabled()
        gc.disable()
        try:
            verified = self._candidates()
            verified.update(self._bucket_matches(verified))
            return self._link(verified)
        finally:
            if collecting:
                gc.enable()

    def _count(self, pool: Executor | None = None) -> None:
        """Exact document frequencies and shared-evidence counts (``postings``), the
        partitions counted in ``pool``'s workers when there is one."""
        self.spill.flush()
        self.spill.close()  # (its files are deleted as they are counted)
        documents = len(self.fps)
        if pool is None:
            tasks = [(self.folder, range(PARTITIONS), documents)]
            results = list(map(count_partitions, tasks))
        else:  # interleaved, so that each task gets as many large partitions
            tasks = [(self.folder, range(i, PARTITIONS, COUNT_TASKS), documents)
                     for i in range(COUNT_TASKS)]
            results = list(pool.map(count_partitions, tasks))
        self.sizes = sum((sizes for sizes, _, _ in results), np.zeros(documents, np.int64))
        self.pairs, self.shared = merge_counts([pairs for _, pairs, _ in results],
                                               [shared for _, _, shared in results])

    def _candidates(self) -> dict[tuple[int, int], PairScore]:
        """Verified scores of the pairs that share enough evidence shingles to be
        compatible (``match.COMPATIBLE_CONTAINMENT``): the counts are exact."""
        if not self.pairs.size:
            return {}
        first = (self.pairs >> np.uint64(32)).astype(np.int64)
        second = (self.pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
        smaller = np.maximum(np.minimum(self.sizes[first], self.sizes[second]), 1)
        worth = self.shared >= COMPATIBLE_CONTAINMENT * smaller
        first, second = first[worth], second[worth]
        scores = judge_all(self.fps, first, second, self.shared[worth], self.sizes[first],
                           self.sizes[second])
        pairs = zip(first.tolist(), second.tolist(), strict=True)
        return dict(zip(pairs, scores, strict=True))

    def _bucket_matches(self, known: dict[tuple[int, int], PairScore]
                        ) -> dict[tuple[int, int], PairScore]:
        """Pairs sharing content, a URL or a title, verified."""
        keyers: list[Callable[[Fingerprint], str]] = [
            lambda fp: fp.text_hash if fp.words else "",
            lambda fp: fp.url,
            lambda fp: fp.title_key,
        ]
        found: dict[tuple[int, int], PairScore] = {}
        for keyer in keyers:
            buckets: defaultdict[str, list[int]] = defaultdict(list)
            for index, fp in enumerate(self.fps):
                key = keyer(fp)
                if key:
                    buckets[key].append(index)
            for members in buckets.values():
                if 1 < len(members) <= BUCKET_CAP:
                    for pair in itertools.combinations(members, 2):
                        if pair not in known and pair not in found:
                            found[pair] = self.compare(*pair)
        return found

    def compare(self, i: int, j: int) -> PairScore:
        """The verdict on any pair: a pair absent from ``pairs`` shares no evidence."""
        if i > j:
            i, j = j, i
        key = np.uint64(i << 32 | j)
        at = int(np.searchsorted(self.pairs, key))
        count = int(self.shared[at]) if at < self.pairs.size and self.pairs[at] == key else 0
        return judge(self.fps[i], self.fps[j], count, int(self.sizes[i]), int(self.sizes[j]))

    def _link(self, verified: dict[tuple[int, int], PairScore]) -> list[DuplicateGroup]:
        linker = _Linker(self.compare, verified)
        edges = sorted(((s, pair) for pair, s in verified.items() if s.reason),
                       key=lambda e: (REASONS.index(e[0].reason or ""), -e[0].score, e[1]))
        for score, (i, j) in edges:
            linker.join(i, j, score)
        groups = [self._group(members, linker.weakest[root], linker.score)
                  for root, members in linker.components().items()]
        return sorted(groups, key=lambda g: (-len(g.members), g.canonical))

    def _group(self, members: list[int], weakest: PairScore,
               score: Callable[[int, int], PairScore]) -> DuplicateGroup:
        longest = max(self.fps[m].words for m in members)
        ranked = sorted(members, key=lambda m: (self.eligible(self.ids[m]),
                                                _richness(self.fps[m], longest)), reverse=True)
        evidence = tuple(_evidence(self.ids[m], score(ranked[0], m)) for m in ranked[1:])
        canonical = self.ids[ranked[0]]
        others = sorted(self.ids[m] for m in ranked[1:])
        return DuplicateGroup((canonical, *others), canonical, weakest.score,
                              weakest.reason or "", tuple(sorted(evidence,
                                                                 key=lambda e: e.member)))


def _evidence(member: str, score: PairScore) -> Evidence:
    return Evidence(member, score.reason or "same group", round(score.containment, 4))


class _Linker:
    """Union-find whose unions are refused unless every cross pair is compatible."""

    def __init__(self, compare_pair: Callable[[int, int], PairScore],
                 verified: dict[tuple[int, int], PairScore]) -> None:
        self.compare_pair, self.verified = compare_pair, verified
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.weakest: dict[int, PairScore] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while i != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def join(self, i: int, j: int, score: PairScore) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        left, right = self.members.get(a, [a]), self.members.get(b, [b])
        if not all(self.score(x, y).compatible for x in left for y in right):
            return
        if len(left) < len(right):
            a, b, left, right = b, a, right, left
        self.parent[b] = a
        self.members[a] = left + right
        self.members.pop(b, None)
        candidates = [s for s in (score, self.weakest.get(a), self.weakest.pop(b, None)) if s]
        self.weakest[a] = min(candidates, key=lambda s: s.score)

    def score(self, x: int, y: int) -> PairScore:
        key = (x, y) if x < y else (y, x)
        if key not in self.verified:
            self.verified[key] = self.compare_pair(*key)
        return self.verified[key]

    def components(self) -> dict[int, list[int]]:
        return {root: members for root, members in self.members.items() if len(members) > 1}


def _richness(fp: Fingerprint, longest: int) -> tuple[bool, int, bool, str, int]:
    """The copy a person would keep: one archived from the web over one brought in
    from elsewhere, Markdown with front matter over poorer formats, the full post over
    an excerpt, the newest edit over older ones, then the longest text."""
    full = fp.words >= EXCERPT_SIZE * longest and not fp.excerpt_mark
    return (not fp.copied, FORMAT_RANK.get(fp.format, 0), full,
            date_key(fp.edited or fp.date), fp.words)


DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d/%m/%Y")


@lru_cache(maxsize=65_536)
def date_key(value: str) -> str:
    """A sortable ``YYYY-MM-DD HH:MM`` for the date forms posts carry, else ``""``."""
    if not value.strip():
        return ""
    match = ISO_DATE.search(value)
    if match:
        year, month, day, hour, minute = match.groups()
        return f"{year}-{month}-{day} {hour or '00'}:{minute or '00'}"
    cleaned = ORDINAL_SUFFIX.sub(r"\1", value.strip())
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    return ""


