"""Exact verification of one candidate pair: is it the same post, and why?

Candidates come cheaply and loosely (LSH buckets, shared anchors, equal titles or
prefixes); nothing is called a match before ``compare`` has measured the two
shingle sets exactly. Text that recurs across many posts is not evidence: a
shared line that holds a *boilerplate anchor* (an anchor found in documents of
three or more different posts, see ``groups``) and is shared whole is dropped
from both sides before anything is measured, with the short shared lines next to
it (sidebar and bio blocks are runs of short lines).

Rules, strongest first (thresholds below, calibration in ``bench/dedup.py``):

- same content: the comparable words are identical;
- same canonical URL: both record the same post URL (unless their titles differ
  and their text does too);
- near-identical text: Jaccard >= 0.8 on the evidence shingles;
- excerpt: >= 80% of the shorter one's shingles are in the longer one, in order,
  and it is at most 80% as long;
- edited version: Jaccard >= 0.45, >= 80% of the shared shingles in the same
  order, and titles that do not disagree.

Calibration: ``bench/dedup.py --calibrate`` generates a labelled corpus (posts
in seven forms, edits rewriting, cutting or adding 5-30% of sentences, excerpts
of one to three paragraphs, same-author posts sharing stock phrases, intros,
outros, quoted sentences, bios and sidebars) and prints, for every candidate
pair, the weakest scores among true pairs of each kind of form and the strongest
between different posts. Over seeds 1-4 at N=2,000, different posts reached at
most Jaccard 0.19 and containment 0.52 after boilerplate removal (always with
disagreeing titles), while copies of one post in two forms stayed above Jaccard
0.38 and containment 0.77, and excerpts above containment 0.87. Hence: near-
identical at 0.8; excerpt at containment 0.8 (over 0.52, and titles must not
disagree); edited at Jaccard 0.5, or 0.3 when both titles agree, in order. The
heaviest generated edits (Jaccard < 0.3) are given up rather than risk a merge:
that is the ~2% recall the benchmark misses.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from ..urls import url_key
from .normalize import fold
from .signatures import Fingerprint

MIN_WORDS = 20
MIN_SHARED = 15
NEAR_JACCARD = 0.8
EXCERPT_CONTAINMENT = 0.8
EXCERPT_MAX_RATIO = 0.8
EDIT_JACCARD = 0.5
EDIT_JACCARD_SAME_TITLE = 0.3
MIN_ORDER = 0.8
TITLE_AGREEMENT = 0.5
URL_VETO_JACCARD = 0.2
COMPATIBLE_CONTAINMENT = 0.5
SHORT_LINE = 12  # shingles: a shared line this short next to boilerplate is boilerplate
CLUSTER_GAP = 24  # shingles between boilerplate anchors of one passage
ORDER_SAMPLE = 1 << 30  # a quarter of the 32-bit hash space
REACH = 8  # shingles around a passage's outer anchors that belong to it

SAME_CONTENT = "same content"
SAME_URL = "same canonical URL"
NEAR_IDENTICAL = "near-identical text"
EXCERPT = "excerpt"
EDITED = "edited version"
REASONS = (SAME_CONTENT, SAME_URL, NEAR_IDENTICAL, EXCERPT, EDITED)


@dataclass(frozen=True)
class PairScore:
    """The measured similarity of two documents and, if they match, why."""

    jaccard: float
    containment: float
    """Shared evidence shingles over the shorter document's evidence shingles."""
    shared: int
    order: float
    """Fraction of the shared shingles that appear in the same order in both."""
    title_conflict: bool
    same_url: bool
    reason: str | None = None
    titles_agree: bool = False
    """Both documents have a title and the titles share at least half their words."""

    @property
    def score(self) -> float:
        if self.reason == SAME_CONTENT:
            return 1.0
        if self.reason == EXCERPT:
            return round(self.containment, 4)
        if self.reason == SAME_URL:
            return round(max(self.jaccard, self.containment), 4)
        return round(self.jaccard, 4)

    @property
    def compatible(self) -> bool:
        """Weak agreement, required of every pair in a group (complete linkage)."""
        if self.reason is not None:
            return True
        return self.containment >= COMPATIBLE_CONTAINMENT and not self.title_conflict


def compare(a: Fingerprint, b: Fingerprint, boilerplate: frozenset[int] = frozenset()
            ) -> PairScore:
    """Measure ``a`` against ``b`` exactly and apply the rules of the module docstring."""
    same_url = bool(a.url and b.url and _url_id(a.url) == _url_id(b.url))
    conflict = titles_conflict(a.title, b.title)
    agree = bool(a.title and b.title and _title_words(a.title) and _title_words(b.title)) \
        and not conflict
    if a.text_hash == b.text_hash and a.words >= MIN_WORDS:
        return PairScore(1.0, 1.0, a.words, 1.0, conflict, same_url, SAME_CONTENT, agree)
    seq_a, seq_b = a.shingles(), b.shingles()
    set_a, set_b = set(seq_a), set(seq_b)
    shared = set_a & set_b
    if shared and not shared.isdisjoint(boilerplate):
        dropped = _boilerplate_lines(seq_a, a.line_starts(), set_b, boilerplate) | \
            _boilerplate_lines(seq_b, b.line_starts(), set_a, boilerplate)
        set_a -= dropped
        set_b -= dropped
        shared -= dropped
    smaller = min(len(set_a), len(set_b))
    union = len(set_a) + len(set_b) - len(shared)
    jaccard = len(shared) / union if union else 0.0
    containment = len(shared) / smaller if smaller else 0.0
    order = 1.0
    if len(shared) >= MIN_SHARED and jaccard < NEAR_JACCARD and (
            containment >= EXCERPT_CONTAINMENT or jaccard >= EDIT_JACCARD_SAME_TITLE):
        order = _order(seq_a, seq_b, shared)  # only where a rule will ask for it
    score = PairScore(jaccard, containment, len(shared), order, conflict, same_url, None, agree)
    return _with_reason(score, len(set_a), len(set_b))


def _with_reason(score: PairScore, size_a: int, size_b: int) -> PairScore:
    reason: str | None = None
    enough = score.shared >= MIN_SHARED
    ratio = min(size_a, size_b) / max(size_a, size_b, 1)
    if score.same_url and not (score.title_conflict and score.jaccard < URL_VETO_JACCARD):
        reason = SAME_URL
    elif enough and score.jaccard >= NEAR_JACCARD:
        reason = NEAR_IDENTICAL
    elif enough and score.title_conflict:
        reason = None
    elif (enough and score.containment >= EXCERPT_CONTAINMENT and ratio <= EXCERPT_MAX_RATIO
          and score.order >= MIN_ORDER):
        reason = EXCERPT
    elif enough and score.order >= MIN_ORDER and (
            score.jaccard >= EDIT_JACCARD
            or (score.titles_agree and score.jaccard >= EDIT_JACCARD_SAME_TITLE)):
        reason = EDITED
    if reason is None:
        return score
    return replace(score, reason=reason)


def _boilerplate_lines(seq: array[int], starts: array[int], other: set[int],
                       boilerplate: frozenset[int]) -> set[int]:
    """Shingles of ``seq`` that are boilerplate shared with ``other``.

    Anchors are one shingle in eight, so recurring text shows as shared boilerplate
    anchors a few shingles apart: each cluster of them is widened by ``REACH``
    shingles within its lines, and short shared lines next to it (sidebar items)
    go with it. A stock phrase inside a paragraph takes a few shingles of the
    paragraph, never the paragraph.
    """
    # Boilerplate shingles shared with ``other``; where they first occur, found in C.
    hits = sorted(map(seq.index, boilerplate.intersection(other).intersection(seq)))
    if not hits:
        return set()
    bounds = [*starts, len(seq)]
    line_of = _line_index(bounds)
    dropped: set[int] = set()
    marked_lines: set[int] = set()
    first = last = hits[0]
    for p in [*hits[1:], None]:
        if p is not None and p - last <= CLUSTER_GAP:
            last = p
            continue
        lo_line, hi_line = line_of(first), line_of(last)
        lo = max(first - REACH, bounds[lo_line])
        hi = min(last + REACH + 1, bounds[hi_line + 1])
        dropped.update(seq[lo:hi])
        marked_lines.update(range(lo_line, hi_line + 1))
        if p is not None:
            first = last = p
    for step in (1, -1):
        for line in sorted(marked_lines, reverse=step < 0):
            nxt = line + step
            while 0 <= nxt < len(starts) and nxt not in marked_lines:
                s, e = bounds[nxt], bounds[nxt + 1]
                if e - s > SHORT_LINE or not all(h in other for h in seq[s:e]):
                    break
                dropped.update(seq[s:e])
                nxt += step
    return dropped


def _line_index(bounds: list[int]) -> Callable[[int], int]:
    def line_of(position: int) -> int:
        return max(bisect.bisect_right(bounds, position) - 1, 0)
    return line_of


def _order(seq_a: array[int], seq_b: array[int], shared: set[int]) -> float:
    """The longest run of shared shingles in the same order in both, as a fraction.

    Measured on a value sample of the shared shingles (all of them when few).
    """
    sample = [h for h in shared if h < ORDER_SAMPLE] if len(shared) > 4 * MIN_SHARED \
        else list(shared)
    if not sample:
        return 1.0
    pos_a, pos_b = _first_positions(seq_a), _first_positions(seq_b)
    pairs = sorted(zip(map(pos_a.__getitem__, sample), map(pos_b.__getitem__, sample),
                       strict=True))
    tails: list[int] = []
    for _, pos in pairs:  # patience sorting: the longest increasing run of B positions
        at = bisect.bisect_left(tails, pos)
        if at == len(tails):
            tails.append(pos)
        else:
            tails[at] = pos
    return len(tails) / len(sample)


def _first_positions(seq: array[int]) -> dict[int, int]:
    """hash -> first position; built in C (later, i.e. earlier, positions overwrite)."""
    return dict(zip(reversed(seq), range(len(seq) - 1, -1, -1), strict=True))


def titles_conflict(a: str, b: str) -> bool:
    """True when both titles are known and share less than half their words."""
    if not a or not b:
        return False
    words_a, words_b = _title_words(a), _title_words(b)
    if not words_a or not words_b or words_a <= words_b or words_b <= words_a:
        return False
    return len(words_a & words_b) / len(words_a | words_b) < TITLE_AGREEMENT


@lru_cache(maxsize=65_536)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(fold(title).split())


@lru_cache(maxsize=65_536)
def _url_id(url: str) -> str:
    key = url_key(url)
    return "" if key.endswith("/") or "/" not in key else key
