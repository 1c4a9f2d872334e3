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

Shingle hashes are CPython's tuple hash over 61-bit word ids from BLAKE2b: stable
across runs and processes (tuple hashing has not changed since 3.8), checked by
``ALGORITHM`` so that cached fingerprints from another hash are recomputed.
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
ALGORITHM = f"v5-k{SHINGLE}-{hash((1, 2, 3, 4, 5)) & 0xFFFFFFFF:08x}"


class _WordIds(dict[str, int]):
    """word -> stable 61-bit id, computed once per process and word."""

    def __missing__(self, word: str) -> int:
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little") & MASK61
        if len(self) < 2_000_000:
            self[word] = value
        return value


_WORD_IDS = _WordIds()


def shingle_hashes(words: Sequence[str]) -> list[int]:
    """32-bit hashes of the word ``SHINGLE``-grams of ``words``, in order.

    A text shorter than one shingle is one shingle of all its words.
    """
    ids = list(map(_WORD_IDS.__getitem__, words))
    if len(ids) < SHINGLE:
        return [hash(tuple(ids)) & MASK32] if ids else []
    grams = zip(*(ids[i:len(ids) - SHINGLE + 1 + i] for i in range(SHINGLE)), strict=True)
    return list(map(MASK32.__and__, map(hash, grams)))


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
                       head["title_key"], bool(head["title_trusted"]),
                       bool(head["excerpt_mark"]), shingle_bytes=rest)
        except (struct.error, ValueError, KeyError, TypeError):
            return None


def fingerprint(text: str) -> Fingerprint:
    """Normalize ``text`` and fingerprint it."""
    return fingerprint_normalized(normalize(text))


def fingerprint_normalized(doc: NormalizedDoc) -> Fingerprint:
    words = doc.text.split()
    if BREAK in words:  # shingles within each stretch between chrome lines
        segments = " ".join(words).split(BREAK)
        words = [w for w in words if w != BREAK]
        hashes = np.unique(np.array([h for seg in segments for h in _segment(seg.split())],
                                    dtype=np.uint32))
    else:
        hashes = np.unique(np.array(shingle_hashes(words), dtype=np.uint32))
    joined = " ".join(words)
    text_hash = hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()
    return Fingerprint(
        format=doc.format, title=doc.title, url=doc.url, date=doc.date, words=len(words),
        text_hash=text_hash, prefix=" ".join(words[:PREFIX_WORDS]),
        title_key=fold(doc.title).replace("\n", " ") if doc.title else "",
        title_trusted=doc.title_trusted, excerpt_mark=doc.excerpt, shingle_bytes=hashes.tobytes(),
    )


def _segment(words: list[str]) -> list[int]:
    """Shingles of one stretch of text; a scrap shorter than a shingle between two
    chrome lines (a date, "In openmp") is chrome too."""
    return shingle_hashes(words) if len(words) >= SHINGLE else []


def signature_key(text: str) -> str:
    """The cache key of the fingerprint of ``text``: its hash and the algorithm version."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"{ALGORITHM}:{digest}"
