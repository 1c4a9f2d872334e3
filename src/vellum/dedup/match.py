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

from collections.abc import Callable, Sequence
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
    ident = _url_id(a.url) if a.url else ""
    same_url = bool(ident and b.url and ident == _url_id(b.url))
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


def judge_all(fps: Sequence[Fingerprint], first: np.ndarray, second: np.ndarray,
              shared: np.ndarray, size_first: np.ndarray, size_second: np.ndarray
              ) -> list[PairScore]:
    """``judge`` of many pairs at once (``fps[first[k]]`` against ``fps[second[k]]``):
    the same verdicts, reached with numpy over the pairs; Python only reads each
    document's keys once and compares the titles of trusted pairs whose keys differ."""
    if not first.size:
        return []
    docs, where = np.unique(np.concatenate((first, second)), return_inverse=True)
    a, b = where[: first.size], where[first.size:]
    keys = _keys([fps[d] for d in docs.tolist()])
    text, words, url, title, trusted, mark = keys
    size_a, size_b = size_first.astype(np.float64), size_second.astype(np.float64)
    count = shared.astype(np.float64)
    smaller, larger = np.minimum(size_a, size_b), np.maximum(size_a, size_b)
    union = size_a + size_b - count
    jaccard = np.divide(count, union, out=np.zeros_like(count), where=union > 0)
    containment = np.divide(count, smaller, out=np.zeros_like(count), where=smaller > 0)
    same_url = (url[a] >= 0) & (url[b] >= 0) & (url[a] == url[b])
    both = trusted[a] & trusted[b]
    same_title = both & (title[a] >= 0) & (title[a] == title[b])
    # Titles conflict by their folded words: checked once per distinct pair of title keys.
    conflict = np.zeros(first.size, dtype=bool)
    check = np.flatnonzero(both & (title[a] != title[b]) & (title[a] >= 0) & (title[b] >= 0))
    if check.size:
        span = int(title.max()) + 1
        combos, which = np.unique(title[a][check] * span + title[b][check],
                                  return_inverse=True)
        named = {code: fps[d].title for code, d in zip(title.tolist(), docs.tolist(),
                                                        strict=True)}
        conflict[check] = np.array([titles_conflict(named[pair // span], named[pair % span])
                                    for pair in combos.tolist()], dtype=bool)[which]
    enough = shared >= MIN_SHARED
    contained = enough & (containment >= CONTAINMENT)
    titled = same_title & (shared >= TITLE_MIN_SHARED) & (containment >= TITLE_CONTAINMENT)
    shorter_mark = np.where(size_a <= size_b, mark[a], mark[b])
    short = smaller <= EXCERPT_MAX_RATIO * larger
    reason = np.select(
        [(text[a] == text[b]) & (np.minimum(words[a], words[b]) >= MIN_WORDS),
         same_url & ~(conflict & (containment < URL_VETO_CONTAINMENT)),
         enough & (jaccard >= NEAR_JACCARD),
         contained & (short | shorter_mark), contained, titled & short, titled],
        [0, 1, 2, 3, 4, 3, 4], default=-1)
    reasons = [*REASONS, None]
    return [PairScore(j, c, n, (x, y), t, u, reasons[r]) for j, c, n, x, y, t, u, r in zip(
        jaccard.tolist(), containment.tolist(), shared.tolist(), size_first.tolist(),
        size_second.tolist(), conflict.tolist(), same_url.tolist(), reason.tolist(),
        strict=True)]


Keys = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _keys(fps: list[Fingerprint]) -> Keys:
    """What ``judge_all`` compares of each document, as arrays: codes of the text hash,
    the URL (``-1`` for none) and the title key (``-1`` for none), the word count,
    whether the title is trusted, whether the text ends like an excerpt."""
    codes: dict[tuple[int, str], int] = {}

    def code(kind: int, value: str) -> int:
        return codes.setdefault((kind, value), len(codes))

    text = np.array([code(0, fp.text_hash) for fp in fps], dtype=np.int64)
    idents = (_url_id(fp.url) if fp.url else "" for fp in fps)
    url = np.array([code(1, ident) if ident else -1 for ident in idents], dtype=np.int64)
    title = np.array([code(2, fp.title_key) if fp.title_key else -1 for fp in fps],
                     dtype=np.int64)
    words = np.array([fp.words for fp in fps], dtype=np.int64)
    trusted = np.array([fp.title_trusted for fp in fps], dtype=bool)
    mark = np.array([fp.excerpt_mark for fp in fps], dtype=bool)
    return text, words, url, title, trusted, mark


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
    """The post identity of ``url``; "" for a site's home page, which names no post."""
    key = url_key(url)
    return "" if key.endswith("/") or "/" not in key else key
