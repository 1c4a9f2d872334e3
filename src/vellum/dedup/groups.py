"""Groups of documents that are the same post: candidates, verification, linkage.

1. Fingerprint every document (``signatures``), from ``signatures_cache`` when
   the same raw text was seen before, in worker processes when asked.
2. Anchor postings, built one slice of the hash space at a time: an anchor found
   in documents of three or more different posts (told apart by title, else by
   their first words) or in more than ``DF_CAP`` documents is boilerplate;
   the others propose the pairs that share a good part of their anchors.
3. More candidates: pairs sharing an LSH band, a title or a URL.
4. ``match.compare`` verifies each candidate exactly.
5. Union-find over verified matches, strongest first, with complete linkage: two
   groups join only if every cross pair is at least ``compatible``, so a chain
   (an anthology page containing two posts) cannot merge two different posts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .match import REASONS, PairScore, compare
from .normalize import FORMAT_RANK
from .signatures import ANCHOR_SHIFT, BANDS, ROWS, Fingerprint, fingerprint, signature_key

BOILERPLATE_POSTS = 3
DF_CAP = 64
BUCKET_CAP = 64
ANCHOR_SLICES = 4
MIN_ANCHOR_SHARE = 0.3
EXCERPT_SIZE = 0.7
PARALLEL_MIN = 2_000
VERIFY_CHUNK = 2_000
DOC_BITS = 24  # up to 16 million documents per run
BAND = ROWS * 4  # bytes of one LSH band


@dataclass(frozen=True)
class DuplicateGroup:
    """Documents that are one post; ``canonical`` is the richest of them."""

    members: tuple[str, ...]
    canonical: str
    score: float
    """The weakest verified similarity that holds the group together."""
    reason: str
    """The reason of that weakest link (one of ``match.REASONS``)."""

    def as_dict(self) -> dict[str, object]:
        return {"members": list(self.members), "canonical": self.canonical,
                "score": self.score, "reason": self.reason}


def find_groups(
    docs: Iterable[tuple[str, str]],
    *,
    signatures_cache: MutableMapping[str, bytes] | None = None,
    workers: int = 1,
) -> list[DuplicateGroup]:
    """Groups of the same post among ``(id, raw text)`` pairs, largest first."""
    return group_fingerprints(fingerprint_all(docs, signatures_cache, workers), workers=workers)


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
            computed: Iterable[Fingerprint] = list(pool.map(fingerprint, texts, chunksize=128))
    else:
        computed = map(fingerprint, texts)
    for (index, key, _), result in zip(todo, computed, strict=True):
        found[index] = result
        if cache is not None:
            cache[key] = result.to_bytes()
    return [(doc_id, fp) for doc_id, fp in zip(ids, found, strict=True) if fp is not None]


def group_fingerprints(
    items: Sequence[tuple[str, Fingerprint]], *, workers: int = 1
) -> list[DuplicateGroup]:
    """The duplicate groups among already fingerprinted documents."""
    fps = [fp for _, fp in items]
    boilerplate, pairs = _anchor_pass(fps)
    pairs.update(_bucket_pairs(fps))
    verified = _verify(fps, boilerplate, sorted(pairs), workers)
    linker = _Linker(fps, boilerplate, verified)
    edges = sorted(((s, pair) for pair, s in verified.items() if s.reason),
                   key=lambda e: (REASONS.index(e[0].reason or ""), -e[0].score, e[1]))
    for score, (i, j) in edges:
        linker.join(i, j, score)
    groups = [_group(items, members, linker.weakest[root])
              for root, members in linker.components().items()]
    return sorted(groups, key=lambda g: (-len(g.members), g.canonical))


_SHARED: tuple[Sequence[Fingerprint], frozenset[int]] | None = None
"""What forked verification workers read instead of receiving it pickled."""


def _verify(fps: Sequence[Fingerprint], boilerplate: frozenset[int],
            pairs: list[tuple[int, int]], workers: int) -> dict[tuple[int, int], PairScore]:
    """``compare`` over every candidate pair, in forked workers when there are many."""
    global _SHARED
    if workers < 2 or len(pairs) < PARALLEL_MIN or \
            "fork" not in multiprocessing.get_all_start_methods():
        return {(i, j): compare(fps[i], fps[j], boilerplate) for i, j in pairs}
    _SHARED = (fps, boilerplate)
    try:
        chunks = [pairs[k:k + VERIFY_CHUNK] for k in range(0, len(pairs), VERIFY_CHUNK)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            scores = [s for chunk in pool.map(_verify_chunk, chunks) for s in chunk]
    finally:
        _SHARED = None
    return dict(zip(pairs, scores, strict=True))


def _verify_chunk(pairs: list[tuple[int, int]]) -> list[PairScore]:
    assert _SHARED is not None  # set by the parent before forking
    fps, boilerplate = _SHARED
    return [compare(fps[i], fps[j], boilerplate) for i, j in pairs]


def post_unit(fp: Fingerprint) -> str:
    """What tells posts apart when counting them: the title, else the first words."""
    return f"t:{fp.title_key}" if fp.title_key else f"p:{fp.prefix}"


def _anchor_pass(fps: Sequence[Fingerprint]) -> tuple[frozenset[int], set[tuple[int, int]]]:
    units = [post_unit(fp) for fp in fps]
    counts = array("I")
    slices = [array("q") for _ in range(ANCHOR_SLICES)]
    shift = ANCHOR_SHIFT - (ANCHOR_SLICES - 1).bit_length()
    for doc, fp in enumerate(fps):
        anchors = fp.anchors()
        counts.append(len(anchors))
        for anchor in anchors:
            slices[anchor >> shift].append(anchor << DOC_BITS | doc)
    shared: Counter[tuple[int, int]] = Counter()
    boilerplate: set[int] = set()
    for anchor, docs in _postings(slices):
        if len(docs) > DF_CAP or len({units[d] for d in docs}) >= BOILERPLATE_POSTS:
            boilerplate.add(anchor)
        else:
            shared.update(itertools.combinations(docs, 2))
    pairs = set()
    for (i, j), count in shared.items():
        if count >= MIN_ANCHOR_SHARE * min(counts[i], counts[j]):
            pairs.add((i, j))
    return frozenset(boilerplate), pairs


def _postings(slices: list[array[int]]) -> Iterator[tuple[int, list[int]]]:
    """(anchor, documents having it) for anchors in two or more documents.

    Postings are packed ``anchor << DOC_BITS | doc`` integers, sorted one slice of
    the anchor space at a time, which keeps memory at a few bytes per anchor.
    """
    mask = (1 << DOC_BITS) - 1
    while slices:
        packed = sorted(slices.pop(0))
        start = 0
        while start < len(packed):
            anchor = packed[start] >> DOC_BITS
            end = start + 1
            while end < len(packed) and packed[end] >> DOC_BITS == anchor:
                end += 1
            if end - start > 1:
                yield anchor, [v & mask for v in packed[start:end]]
            start = end


def _bucket_pairs(fps: Sequence[Fingerprint]) -> set[tuple[int, int]]:
    """Pairs sharing an LSH band, a title or a post URL."""
    pairs: set[tuple[int, int]] = set()
    keyers = [
        *(lambda fp, b=band: fp.minhash[b * BAND:(b + 1) * BAND] if fp.words else None
          for band in range(BANDS)),
        lambda fp: fp.title_key or None,
        lambda fp: fp.url or None,
    ]
    for keyer in keyers:
        buckets: defaultdict[object, list[int]] = defaultdict(list)
        for index, fp in enumerate(fps):
            key = keyer(fp)
            if key is not None:
                buckets[key].append(index)
        for members in buckets.values():
            if 1 < len(members) <= BUCKET_CAP:
                pairs.update(itertools.combinations(members, 2))
    return pairs


class _Linker:
    """Union-find whose unions are refused unless every cross pair is compatible."""

    def __init__(self, fps: Sequence[Fingerprint], boilerplate: frozenset[int],
                 verified: dict[tuple[int, int], PairScore]) -> None:
        self.fps, self.boilerplate, self.verified = fps, boilerplate, verified
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
        if not all(self._score(x, y).compatible for x in left for y in right):
            return
        if len(left) < len(right):
            a, b, left, right = b, a, right, left
        self.parent[b] = a
        self.members[a] = left + right
        self.members.pop(b, None)
        candidates = [s for s in (score, self.weakest.get(a), self.weakest.pop(b, None)) if s]
        self.weakest[a] = min(candidates, key=lambda s: s.score)

    def _score(self, x: int, y: int) -> PairScore:
        key = (x, y) if x < y else (y, x)
        if key not in self.verified:
            self.verified[key] = compare(self.fps[key[0]], self.fps[key[1]], self.boilerplate)
        return self.verified[key]

    def components(self) -> dict[int, list[int]]:
        return {root: members for root, members in self.members.items() if len(members) > 1}


def _group(items: Sequence[tuple[str, Fingerprint]], members: list[int],
           weakest: PairScore) -> DuplicateGroup:
    longest = max(items[m][1].words for m in members)
    ranked = sorted(members, key=lambda m: _richness(items[m][1], longest), reverse=True)
    canonical = items[ranked[0]][0]
    others = sorted(items[m][0] for m in ranked[1:])
    return DuplicateGroup((canonical, *others), canonical, weakest.score,
                          weakest.reason or "")


def _richness(fp: Fingerprint, longest: int) -> tuple[bool, int, str, int]:
    """Full over excerpt, then Markdown with front matter over poorer formats, then the
    newest edit, then the longest text."""
    full = fp.words >= EXCERPT_SIZE * longest
    return full, FORMAT_RANK.get(fp.format, 0), date_key(fp.date), fp.words


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
