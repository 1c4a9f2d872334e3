"""Exact verification of one candidate pair: is it the same post, and why?

Candidates come cheaply and loosely (shared rare shingles, equal titles, URLs
or content); nothing is called a match before ``compare`` has measured the two
shingle sets exactly. Shingles that recur across many documents (page chrome,
sidebars, bios, press-release templates) are no evidence: ``groups`` removes
them before anything is measured, so the figures below are over the *evidence
shingles* of each document.

The measure is asymmetric containment: the share of the smaller document's
evidence shingles that the other has. It is what survives every form a copy
takes: chrome around it (removed as boilerplate), a feed excerpt (all of the
excerpt is in the full post), an edit (most sentences are untouched), another
HTML-to-text tool or Markdown flavour (the words are the same once folded).

Rules, strongest first:

- same content: the comparable words are identical;
- same canonical URL: both record the same post URL (unless their titles differ
  and their text does too);
- near-identical text: Jaccard >= 0.8;
- excerpt: containment >= 0.5 and the smaller one is at most 80% as large (or
  ends with a "Read more" line);
- edited version: containment >= 0.5 between documents of similar size;
- the same trusted title (front matter, HTML head, a ``# `` heading; never a
  guess at raw text's first line, often the blog's name) lowers the bar to
  containment >= 0.3 and three shared shingles: a heavily rewritten short post,
  or the excerpt of a two-sentence notice.

In every rule but the first two at least ``MIN_SHARED`` evidence shingles must
be shared. The 0.5 threshold sits between what different posts of one author
share after boilerplate removal (a series' part 2 reusing part 1's opening
reaches ~0.45 in the dev corpus's hardest case) and what the shortest excerpts
or most heavily edited copies keep; ``bench/dedup.py`` measures both halves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..urls import url_key
from .normalize import fold
from .signatures import Fingerprint

MIN_WORDS = 20
MIN_SHARED = 8
NEAR_JACCARD = 0.8
CONTAINMENT = 0.5
EXCERPT_MAX_RATIO = 0.8
TITLE_AGREEMENT = 0.5
TITLE_MIN_SHARED = 3
TITLE_CONTAINMENT = 0.3
URL_VETO_CONTAINMENT = 0.2
COMPATIBLE_CONTAINMENT = 0.3

SAME_CONTENT = "same content"
SAME_URL = "same URL"
NEAR_IDENTICAL = "near-identical text"
EXCERPT = "excerpt"
EDITED = "edited version"
REASONS = (SAME_CONTENT, SAME_URL, NEAR_IDENTICAL, EXCERPT, EDITED)

Filter = Callable[[np.ndarray], np.ndarray]
"""Evidence shingles of a shingle array (boilerplate removed)."""


@dataclass(frozen=True)
class PairScore:
    """The measured similarity of two documents and, if they match, why."""

    jaccard: float
    containment: float
    """Shared evidence shingles over the smaller document's evidence shingles."""
    shared: int
    sizes: tuple[int, int]
    """Evidence shingles of each document."""
    title_conflict: bool
    same_url: bool
    reason: str | None = None

    @property
    def score(self) -> float:
        """The containment figure (1.0 for identical content)."""
        if self.reason == SAME_CONTENT:
            return 1.0
        return round(self.containment, 4)

    @property
    def compatible(self) -> bool:
        """Weak agreement, required of every pair in a group (complete linkage)."""
        if self.reason is not None:
            return True
        return (self.containment >= COMPATIBLE_CONTAINMENT and self.shared >= TITLE_MIN_SHARED
                and not self.title_conflict)


def compare(a: Fingerprint, b: Fingerprint, evidence: Filter | None = None) -> PairScore:
    """Measure ``a`` against ``b`` exactly and apply the rules of the module docstring."""
    set_a, set_b = a.shingles(), b.shingles()
    if evidence is not None:
        set_a, set_b = evidence(set_a), evidence(set_b)
    shared = int(np.intersect1d(set_a, set_b, assume_unique=True).size)
    return judge(a, b, shared, len(set_a), len(set_b))


def judge(a: Fingerprint, b: Fingerprint, shared: int, size_a: int, size_b: int) -> PairScore:
    """The verdict on two documents whose evidence shingle counts are known."""
    same_url = bool(a.url and b.url and _url_id(a.url) == _url_id(b.url))
    trusted = a.title_trusted and b.title_trusted
    conflict = trusted and titles_conflict(a.title, b.title)
    same_title = trusted and bool(a.title_key) and a.title_key == b.title_key
    smaller, larger = min(size_a, size_b), max(size_a, size_b)
    union = size_a + size_b - shared
    jaccard = shared / union if union else 0.0
    containment = shared / smaller if smaller else 0.0
    enough = shared >= MIN_SHARED
    reason: str | None = None
    if a.text_hash == b.text_hash and min(a.words, b.words) >= MIN_WORDS:
        reason = SAME_CONTENT
    elif same_url and not (conflict and containment < URL_VETO_CONTAINMENT):
        reason = SAME_URL
    elif enough and jaccard >= NEAR_JACCARD:
        reason = NEAR_IDENTICAL
    elif enough and containment >= CONTAINMENT:
        shorter = a if size_a <= size_b else b
        excerpt = smaller <= EXCERPT_MAX_RATIO * larger or shorter.excerpt_mark
        reason = EXCERPT if excerpt else EDITED
    elif same_title and shared >= TITLE_MIN_SHARED and containment >= TITLE_CONTAINMENT:
        reason = EXCERPT if smaller <= EXCERPT_MAX_RATIO * larger else EDITED
    return PairScore(jaccard, containment, shared, (size_a, size_b), conflict, same_url,
                     reason)


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
