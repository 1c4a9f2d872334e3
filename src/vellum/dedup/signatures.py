"""Fingerprints of comparable text: the set of word shingles and the metadata.

A ``Fingerprint`` is everything the matcher needs about one document, computed
once from its raw text (in a worker process when there are many):

- ``shingle_bytes``: the distinct word 5-shingles of the comparable text, as
  sorted 32-bit hashes (4 bytes each). Containment, the share of the shorter
  document's shingles found in the other, is measured exactly on these.
- the metadata the copy carries (title, URL, date, format) and a hash of its
  comparable words (equal for copies with the same content).

Shingles are word 5-grams: long enough that two different posts by one author
share few of them outside stock phrases and page chrome (which ``groups``
removes by document frequency), short enough that a rewritten sentence still
leaves most of its neighbours' shingles intact.

Shingle hashes are a polynomial over 61-bit word ids from BLAKE2b, computed in
numpy: stable across runs, processes and platforms; ``ALGORITHM`` names the
scheme so that cached fingerprints from another one are recomputed.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .chrome import BREAK
from .normalize import NormalizedDoc, fold, normalize

SHINGLE = 5
PREFIX_WORDS = 8
MASK32 = (1 << 32) - 1
MASK61 = (1 << 61) - 1

# Changes whenever the fingerprint of a text would change: cached ones are discarded.
ALGORITHM = f"v6-k{SHINGLE}-poly64"


_WORD_IDS: dict[str, int] = {}
"""word -> stable 61-bit id from BLAKE2b, computed once per process and word."""


def _word_ids(words: Sequence[str]) -> np.ndarray:
    missing = set(words).difference(_WORD_IDS)
    if len(_WORD_IDS) > 2_000_000:  # bound the memory of a long run
        _WORD_IDS.clear()
        missing = set(words)
    for word in missing:
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        _WORD_IDS[word] = int.from_bytes(digest, "little") & MASK61
    return np.fromiter(map(_WORD_IDS.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hashes(words: Sequence[str]) -> np.ndarray:
    """Distinct 32-bit hashes of the word ``SHINGLE``-grams of ``words``, ascending.

    No shingle spans a ``chrome.BREAK``; a text shorter than one shingle is one
    shingle of all its words. The hash is a polynomial over the word ids in
    wrapping 64-bit arithmetic, mixed and cut to its high 32 bits.
    """
    ids = _word_ids(words)
    if len(ids) < SHINGLE:
        if not len(ids) or BREAK in words:
            return np.empty(0, dtype=np.uint32)
        return _distinct(_mix(_polynomial(ids, len(ids))))
    hashes = _mix(_polynomial(ids, SHINGLE))
    if BREAK in words:
        breaks = np.concatenate(([0], np.cumsum(ids == _WORD_IDS[BREAK])))
        hashes = hashes[breaks[SHINGLE:] == breaks[:-SHINGLE]]
    return _distinct(hashes)


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _polynomial(ids: np.ndarray, k: int) -> np.ndarray:
    count = len(ids) - k + 1
    acc = ids[:count].copy()
    for offset in range(1, k):
        acc *= _MULTIPLIER
        acc += ids[offset:offset + count]
    return acc


def _mix(values: np.ndarray) -> np.ndarray:
    values ^= values >> np.uint64(31)
    values *= _MIX
    return (values >> np.uint64(32)).astype(np.uint32)


def _distinct(values: np.ndarray) -> np.ndarray:
    values.sort()
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


@dataclass(frozen=True)
class Fingerprint:
    """What the matcher keeps of one document (see the module docstring)."""

    format: str
    title: str
    url: str
    date: str
    words: int
    text_hash: str
    """Hash of the comparable words: equal for copies with the same content."""
    prefix: str
    """The first ``PREFIX_WORDS`` comparable words."""
    title_key: str
    """The title folded like the text."""
    title_trusted: bool
    """See ``NormalizedDoc.title_trusted``."""
    copied: bool
    """See ``NormalizedDoc.copied``."""
    edited: str
    """See ``NormalizedDoc.edited``."""
    excerpt_mark: bool
    """The text ends the way feed excerpts do ("Read more", "Continue reading")."""
    shingle_bytes: bytes = field(repr=False)
    """Distinct shingle hashes, ascending, as ``uint32`` bytes."""

    def shingles(self) -> np.ndarray:
        return np.frombuffer(self.shingle_bytes, dtype=np.uint32)

    def to_bytes(self) -> bytes:
        head = json.dumps({
            "algorithm": ALGORITHM, "format": self.format, "title": self.title,
            "url": self.url, "date": self.date, "words": self.words,
            "text_hash": self.text_hash, "prefix": self.prefix, "title_key": self.title_key,
            "excerpt_mark": self.excerpt_mark, "title_trusted": self.title_trusted,
            "copied": self.copied, "edited": self.edited,
        }).encode("utf-8")
        return struct.pack("<I", len(head)) + head + self.shingle_bytes

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint | None:
        """The fingerprint stored by ``to_bytes``; None if it is damaged or from
        another algorithm version."""
        try:
            (size,) = struct.unpack_from("<I", data)
            head = json.loads(data[4:4 + size].decode("utf-8"))
            rest = bytes(data[4 + size:])
            if head.get("algorithm") != ALGORITHM or len(rest) % 4:
                return None
            return cls(head["format"], head["title"], head["url"], head["date"],
                       int(head["words"]), head["text_hash"], head["prefix"],
                       head["title_key"], bool(head["title_trusted"]), bool(head["copied"]),
                       str(head["edited"]), bool(head["excerpt_mark"]), shingle_bytes=rest)
        except (struct.error, ValueError, KeyError, TypeError):
            return None


def fingerprint(text: str) -> Fingerprint:
    """Normalize ``text`` and fingerprint it."""
    return fingerprint_normalized(normalize(text))


def fingerprint_normalized(doc: NormalizedDoc) -> Fingerprint:
    words = doc.text.split()
    hashes = shingle_hashes(words)
    if BREAK in words:
        words = [w for w in words if w != BREAK]
    joined = " ".join(words)
    text_hash = hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()
    return Fingerprint(
        format=doc.format, title=doc.title, url=doc.url, date=doc.date, words=len(words),
        text_hash=text_hash, prefix=" ".join(words[:PREFIX_WORDS]),
        title_key=fold(doc.title).replace("\n", " ") if doc.title else "",
        title_trusted=doc.title_trusted, copied=doc.copied, edited=doc.edited or doc.date,
        excerpt_mark=doc.excerpt, shingle_bytes=hashes.tobytes(),
    )


def signature_key(text: str) -> str:
    """The cache key of the fingerprint of ``text``: its hash and the algorithm version."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"{ALGORITHM}:{digest}"
