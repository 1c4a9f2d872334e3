"""Groups of documents that are the same post: boilerplate, candidates, verification, linkage.

1. Fingerprint every document (``signatures``), from ``signatures_cache`` when
   the same raw text was seen before, in worker processes when asked. The
   shingle sets are streamed to a temporary file as they come: memory holds
   only each document's metadata and a fixed-size frequency table.
2. Boilerplate: a shingle found in more than ``BOILERPLATE_DF`` documents is
   page chrome, a sidebar, a bio or a template, not evidence (counted exactly
   in small corpora, else in a 2**26-slot table indexed by the hash, so memory
   does not grow with the corpus; a collision can only make a shingle look
   commoner than it is, which costs a little recall, never precision).
3. Candidates: pairs sharing evidence shingles, from a postings list of every
   evidence shingle (or of a fixed value sample of them when the corpus is too
   large to post them all: a shingle sampled in one document is sampled in
   every document that has it), plus pairs sharing a title, a URL or content.
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
import itertools
import os
import re
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, MutableMapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from .match import COMPATIBLE_CONTAINMENT, REASONS, PairScore, judge
from .normalize import FORMAT_RANK
from .signatures import Fingerprint, fingerprint, signature_key

BOILERPLATE_DF = 10
COUNTER_BITS = 26
POSTING_BUDGET = 8_000_000
SLICE = 1_000_000  # postings read at once when counting shared shingles
BUCKET_CAP = 16
CANDIDATE_CONTAINMENT = 0.25
EXCERPT_SIZE = 0.7
PARALLEL_MIN = 2_000
DOC_BITS = 24  # up to 16 million documents per run
DOC_MASK = (1 << DOC_BITS) - 1
DOC_SHIFT = np.uint64(DOC_BITS)


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
    with _Corpus(eligible) as corpus:
        for doc_id, fp in items:
            corpus.add(doc_id, fp)
        return corpus.groups()


class _Spill:
    """uint32 arrays in a temporary file, read back one at a time."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        self._offsets = array("Q")
        self._sizes = array("Q")
        self._end = 0

    def add(self, data: bytes) -> None:
        self._file.write(data)
        self._offsets.append(self._end)
        self._sizes.append(len(data))
        self._end += len(data)

    def seal(self) -> None:
        self._file.flush()

    def get(self, index: int) -> np.ndarray:
        size = self._sizes[index]
        data = os.pread(self._file.fileno(), size, self._offsets[index]) if size else b""
        return np.frombuffer(data, dtype=np.uint32)

    def close(self) -> None:
        self._file.close()


class _DocFrequency:
    """In how many documents each shingle occurs.

    Counted exactly while the corpus is small (the shingles are kept and sorted
    once); past ``EXACT_LIMIT`` shingles, in a fixed table of ``2**COUNTER_BITS``
    counters indexed by the hash, whose memory does not grow with the corpus.
    """

    SHIFT = 32 - COUNTER_BITS
    EXACT_LIMIT = 8_000_000

    def __init__(self) -> None:
        self.table: np.ndarray | None = None
        self._batch: list[np.ndarray] = []
        self._batched = 0
        self._values = np.empty(0, dtype=np.uint32)
        self._counts = np.empty(0, dtype=np.int64)

    def add(self, shingles: np.ndarray) -> None:
        self._batch.append(shingles)
        self._batched += len(shingles)
        if self._batched > self.EXACT_LIMIT:
            self._to_table()

    def _to_table(self) -> None:
        if self.table is None:
            self.table = np.zeros(1 << COUNTER_BITS, dtype=np.uint16)
        slots, counts = np.unique(np.concatenate(self._batch) >> self.SHIFT,
                                  return_counts=True)
        total = self.table[slots].astype(np.uint32) + counts.astype(np.uint32)
        self.table[slots] = np.minimum(total, 0xFFFF)  # saturate, never wrap
        self._batch, self._batched = [], 0

    def flush(self) -> None:
        if self.table is not None:
            if self._batch:
                self._to_table()
        elif self._batch:
            self._values, self._counts = np.unique(np.concatenate(self._batch),
                                                   return_counts=True)
            self._batch, self._batched = [], 0

    def of(self, shingles: np.ndarray) -> np.ndarray:
        if self.table is not None:
            return self.table[shingles >> self.SHIFT]
        if not self._values.size:
            return np.zeros(len(shingles), dtype=np.int64)
        at = np.minimum(np.searchsorted(self._values, shingles), self._values.size - 1)
        return np.where(self._values[at] == shingles, self._counts[at], 0)


class _Corpus:
    """The documents of one run: metadata in memory, shingles spilled to disk."""

    def __init__(self, eligible: Callable[[str], bool] | None = None) -> None:
        self.eligible = eligible or (lambda _: True)
        self.ids: list[str] = []
        self.fps: list[Fingerprint] = []
        self.raw = _Spill()
        self.df = _DocFrequency()
        self.evidence_sizes = array("Q")
        self.kept: _Spill | None = None

    def __enter__(self) -> _Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()
        if self.kept is not None:
            self.kept.close()

    def add(self, doc_id: str, fp: Fingerprint) -> None:
        shingles = fp.shingles()
        self.ids.append(doc_id)
        self.fps.append(replace(fp, shingle_bytes=b""))
        self.raw.add(fp.shingle_bytes)
        self.df.add(shingles)

    def evidence(self, shingles: np.ndarray) -> np.ndarray:
        """The shingles that are evidence: those found in few documents."""
        return shingles[self.df.of(shingles) <= BOILERPLATE_DF]

    def groups(self) -> list[DuplicateGroup]:
        self.raw.seal()
        self.df.flush()
        if len(self.fps) < 2:
            return []
        packed, rate = self._postings()
        verified = self._candidates(packed, rate)
        verified.update(self._bucket_matches(verified))
        return self._link(verified)

    def _postings(self) -> tuple[np.ndarray, int]:
        """Sorted ``shingle << DOC_BITS | doc`` for the (sampled) evidence shingles.

        Evidence shingles go to a second spill file as they are found; the postings
        sample one shingle value in ``rate`` so that they fit ``POSTING_BUDGET``."""
        self.kept = _Spill()
        for i in range(len(self.fps)):
            kept = self.evidence(self.raw.get(i))
            self.kept.add(kept.tobytes())
            self.evidence_sizes.append(len(kept))
        self.kept.seal()
        total = sum(self.evidence_sizes)
        rate = 1
        while total // rate > POSTING_BUDGET:
            rate *= 2
        chunks: list[np.ndarray] = []
        for i in range(len(self.fps)):
            kept = self.kept.get(i)
            sample = kept[(kept & np.uint32(rate - 1)) == 0] if rate > 1 else kept
            chunks.append(sample.astype(np.uint64) << np.uint64(DOC_BITS) | np.uint64(i))
        packed = np.sort(np.concatenate(chunks)) if chunks else np.empty(0, np.uint64)
        return packed, rate

    def _candidates(self, packed: np.ndarray, rate: int) -> dict[tuple[int, int], PairScore]:
        """Verified scores of the pairs that share (sampled) evidence shingles."""
        pairs, counts = _shared_counts(packed)
        if not pairs.size:
            return {}
        first = (pairs >> np.uint64(32)).astype(np.int64)
        second = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
        sizes = np.frombuffer(self.evidence_sizes, dtype=np.uint64).astype(np.int64)
        smaller = np.maximum(np.minimum(sizes[first], sizes[second]), 1)
        floor = CANDIDATE_CONTAINMENT if rate > 1 else COMPATIBLE_CONTAINMENT
        worth = counts * rate >= floor * smaller
        verified: dict[tuple[int, int], PairScore] = {}
        for i, j, shared in zip(first[worth].tolist(), second[worth].tolist(),
                                counts[worth].tolist(), strict=True):
            verified[(i, j)] = judge(self.fps[i], self.fps[j], shared, int(sizes[i]),
                                     int(sizes[j])) if rate == 1 else self.compare(i, j)
        return verified

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
        assert self.kept is not None
        shared = int(np.intersect1d(self.kept.get(i), self.kept.get(j),
                                    assume_unique=True).size)
        return judge(self.fps[i], self.fps[j], shared, int(self.evidence_sizes[i]),
                     int(self.evidence_sizes[j]))

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


def _shared_counts(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Document pairs (``first << 32 | second``) sharing postings, and how many they share.

    ``packed`` is sorted, so the documents of one shingle are adjacent, at most
    ``BOILERPLATE_DF`` of them; it is read in slices that end between shingles, and
    the pair counts of each slice are merged as they come, bounding the memory.
    """
    found: list[np.ndarray] = []
    tallies: list[np.ndarray] = []
    start = 0
    while start < packed.size:
        end = min(start + SLICE, packed.size)
        while end < packed.size and packed[end] >> DOC_SHIFT == packed[end - 1] >> DOC_SHIFT:
            end += 1
        part = packed[start:end]
        shingle = part >> DOC_SHIFT
        docs = part & np.uint64(DOC_MASK)
        keys = []
        for d in range(1, BOILERPLATE_DF):
            same = shingle[:-d] == shingle[d:]
            if not same.any():
                break
            keys.append(docs[:-d][same] << np.uint64(32) | docs[d:][same])
        if keys:
            pairs, counts = np.unique(np.concatenate(keys), return_counts=True)
            found.append(pairs)
            tallies.append(counts)
        start = end
    if not found:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    pairs = np.concatenate(found)
    counts = np.concatenate(tallies)
    if len(found) > 1:  # a pair may share shingles in several slices
        order = np.argsort(pairs, kind="stable")
        pairs, counts = pairs[order], counts[order]
        starts = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
        pairs, counts = pairs[starts], np.add.reduceat(counts, starts)
    return pairs, counts


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
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def date_key(value: str) -> str:
    """A sortable ``YYYY-MM-DD HH:MM`` for the date forms posts carry, else ``""``."""
    match = ISO_DATE.search(value)
    if match:
        year, month, day, hour, minute = match.groups()
        return f"{year}-{month}-{day} {hour or '00'}:{minute or '00'}"
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.strip())
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            continue
    return ""


