"""Groups of documents that are the same post: boilerplate, candidates, verification, linkage.

1. Fingerprint every document (``signatures``), from ``signatures_cache`` when
   the same raw text was seen before, in worker processes when asked. Each
   document's shingles are streamed to disk as postings (``shingle, document``)
   in partitions by the shingle's top bits: memory holds only each document's
   metadata and one batch or one partition of postings.
2. Boilerplate: each partition is sorted on its own, which gives every
   shingle's exact document frequency; a shingle found in more than
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
import itertools
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ..rules.dedup import ISO_DATE, ORDINAL_SUFFIX
from .match import COMPATIBLE_CONTAINMENT, REASONS, PairScore, judge
from .normalize import FORMAT_RANK
from .signatures import Fingerprint, fingerprint, signature_key

BOILERPLATE_DF = 10
PARTITION_BITS = 7  # postings spilled to 128 partitions by the shingle's top bits
BATCH = 1 << 21  # postings routed to the partitions at once
MERGE_AT = 1 << 20  # pair counts of several partitions merged past this many
BUCKET_CAP = 16
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


class _Postings:
    """Every (shingle, document) pair of the run, spilled to disk as they come.

    Packed as ``shingle << DOC_BITS | document`` and routed, a batch at a time, to
    ``2**PARTITION_BITS`` temporary files by the shingle's top bits, so that each
    partition holds every posting of its shingles and is sorted on its own: memory
    holds one batch or one partition, whatever the size of the corpus.
    """

    EDGES = np.arange((1 << PARTITION_BITS) + 1, dtype=np.uint64) \
        << np.uint64(32 + DOC_BITS - PARTITION_BITS)

    def __init__(self) -> None:
        self._files = [tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
                       for _ in range(1 << PARTITION_BITS)]
        self._batch: list[np.ndarray] = []
        self._batched = 0

    def add(self, doc: int, shingles: np.ndarray) -> None:
        if len(shingles):
            self._batch.append(shingles.astype(np.uint64) << DOC_SHIFT | np.uint64(doc))
            self._batched += len(shingles)
            if self._batched >= BATCH:
                self._flush()

    def _flush(self) -> None:
        if not self._batch:
            return
        packed = np.concatenate(self._batch)
        self._batch, self._batched = [], 0
        packed.sort()
        bounds = np.searchsorted(packed, self.EDGES).tolist()
        for file, start, end in zip(self._files, bounds, bounds[1:], strict=False):
            if end > start:
                file.write(packed[start:end].tobytes())

    def partitions(self) -> Iterator[np.ndarray]:
        """Each partition's postings, sorted."""
        self._flush()
        for file in self._files:
            file.flush()
            file.seek(0)
            packed = np.fromfile(file, dtype=np.uint64)
            packed.sort()
            yield packed

    def close(self) -> None:
        for file in self._files:
            file.close()


class _Corpus:
    """The documents of one run: metadata in memory, shingles spilled to disk."""

    def __init__(self, eligible: Callable[[str], bool] | None = None) -> None:
        self.eligible = eligible or (lambda _: True)
        self.ids: list[str] = []
        self.fps: list[Fingerprint] = []
        self.postings = _Postings()
        self.sizes = np.zeros(0, dtype=np.int64)
        """Evidence shingles of each document."""
        self.pairs = np.empty(0, dtype=np.uint64)
        """``first << 32 | second`` of every pair sharing evidence shingles, sorted."""
        self.shared = np.empty(0, dtype=np.int32)
        """How many evidence shingles each of ``pairs`` shares."""

    def __enter__(self) -> _Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.postings.close()

    def add(self, doc_id: str, fp: Fingerprint) -> None:
        self.postings.add(len(self.ids), fp.shingles())
        self.ids.append(doc_id)
        self.fps.append(replace(fp, shingle_bytes=b"") if fp.shingle_bytes else fp)

    def groups(self) -> list[DuplicateGroup]:
        if len(self.fps) < 2:
            return []
        self._count()
        verified = self._candidates()
        verified.update(self._bucket_matches(verified))
        return self._link(verified)

    def _count(self) -> None:
        """Exact document frequencies, partition by partition: a shingle found in more
        than ``BOILERPLATE_DF`` documents is no evidence; the others give each
        document's evidence count and, when shared, the pairs that share them."""
        self.sizes = np.zeros(len(self.fps), dtype=np.int64)
        pairs: list[np.ndarray] = []
        shared: list[np.ndarray] = []
        for packed in self.postings.partitions():
            if not packed.size:
                continue
            shingle = packed >> DOC_SHIFT
            starts = np.flatnonzero(np.concatenate(([True], shingle[1:] != shingle[:-1])))
            del shingle
            lengths = np.diff(np.append(starts, packed.size))
            df = np.repeat(lengths, lengths)
            evidence = df <= BOILERPLATE_DF
            docs = (packed & DOC_MASK).astype(np.int64)
            self.sizes += np.bincount(docs[evidence], minlength=len(self.fps))
            # Postings after each one in its shingle's run: the pairs it starts.
            after = df - (np.arange(packed.size) - np.repeat(starts, lengths)) - 1
            found, counts = _pair_counts(docs, np.flatnonzero(evidence & (after > 0)), after)
            del packed, starts, lengths, df, evidence, docs, after  # before the next partition
            pairs.append(found)
            shared.append(counts)
            # A pair of copies shares shingles in every partition: merged as they come
            # (when the new parts outgrow the merged one, so each pair is merged a few
            # times), the lists hold each pair about once, not once per partition.
            if sum(part.size for part in pairs[1:]) > max(MERGE_AT, pairs[0].size):
                merged = _merge_counts(pairs, shared)
                pairs, shared = [merged[0]], [merged[1]]
        self.pairs, self.shared = _merge_counts(pairs, shared)

    def _candidates(self) -> dict[tuple[int, int], PairScore]:
        """Verified scores of the pairs that share enough evidence shingles to be
        compatible (``match.COMPATIBLE_CONTAINMENT``): the counts are exact."""
        if not self.pairs.size:
            return {}
        first = (self.pairs >> np.uint64(32)).astype(np.int64)
        second = (self.pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
        smaller = np.maximum(np.minimum(self.sizes[first], self.sizes[second]), 1)
        worth = self.shared >= COMPATIBLE_CONTAINMENT * smaller
        verified: dict[tuple[int, int], PairScore] = {}
        for i, j, count in zip(first[worth].tolist(), second[worth].tolist(),
                               self.shared[worth].tolist(), strict=True):
            verified[(i, j)] = judge(self.fps[i], self.fps[j], count, int(self.sizes[i]),
                                     int(self.sizes[j]))
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


def _pair_counts(docs: np.ndarray, first: np.ndarray, after: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Document pairs (``first << 32 | second``) sharing postings, and how many they share.

    ``docs`` are the documents of sorted postings, ``after[i]`` how many postings of
    the same shingle follow posting ``i``, ``first`` the postings to pair with those
    that follow them. Pairs are made one distance at a time, each pass over the
    postings that still have a partner that far on, so the work is the pairs'.
    """
    keys = []
    distance = 1
    while first.size:
        keys.append(docs[first] << 32 | docs[first + distance])
        distance += 1
        first = first[after[first] >= distance]
    if not keys:
        return np.empty(0, np.uint64), np.empty(0, np.int32)
    pairs = np.sort(np.concatenate(keys)).astype(np.uint64)  # np.unique sorts ~10x slower
    starts = np.flatnonzero(np.concatenate(([True], pairs[1:] != pairs[:-1])))
    return pairs[starts], np.diff(np.append(starts, pairs.size)).astype(np.int32)


def _merge_counts(pairs: list[np.ndarray], counts: list[np.ndarray]
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs found in several parts, once each with their counts summed, sorted."""
    if not pairs:
        return np.empty(0, np.uint64), np.empty(0, np.int32)
    if len(pairs) == 1:
        return pairs[0], counts[0]
    merged, tallies = np.concatenate(pairs), np.concatenate(counts)
    order = np.argsort(merged, kind="stable")
    merged, tallies = merged[order], tallies[order]
    if not merged.size:
        return merged, tallies
    starts = np.flatnonzero(np.concatenate(([True], merged[1:] != merged[:-1])))
    return merged[starts], np.add.reduceat(tallies, starts)


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


