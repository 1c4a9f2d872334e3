"""Fingerprints of comparable text: word shingles, a MinHash signature, anchors.

A ``Fingerprint`` is everything the matcher needs about one document, computed
once from its raw text and small enough to keep for 100,000 documents:

- ``seq``: the document's word 5-shingles in order, as 32-bit hashes (4 bytes a
  word). Exact verification (Jaccard, containment, which lines are shared) runs
  on these.
- ``minhash``: a 64-value one-permutation MinHash (Li, Owen & Zhang 2012) with
  rotation densification, banded 16 x 4 for LSH: pairs with Jaccard >= 0.7 are
  candidates with probability > 0.99, pairs below 0.2 almost never.
- anchors: the shingles whose hash falls in a fixed 1/8 of the hash space.
  Sampling by value, not position, means a shingle that is an anchor in one
  document is an anchor in every document that has it, so an excerpt finds the
  full post through its anchors whatever their Jaccard, and anchor document
  frequency tells which text recurs across many posts.

Why not ``datasketch``: it would add numpy and scipy, and it is not faster here.
Measured on 2,000 documents of 150-700 words (shingling included, same machine):
``MinHash(num_perm=128).update_batch`` 0.72 ms a document, ``num_perm=64`` 0.60 ms,
this one-permutation scheme 0.50 ms, because each shingle costs one C-level tuple
hash and the binning is a sort and a ``dict(zip(...))``. Its ``MinHashLSH`` is a
dict of buckets, which ``groups`` builds one band at a time to bound memory, and
its containment index (LSH Ensemble) is what the value-sampled anchors replace.

Shingle hashes are CPython's tuple hash over 61-bit word ids from BLAKE2b: stable
across runs and processes (tuple hashing has not changed since 3.8), checked by
``ALGORITHM`` so that cached fingerprints from another hash are recomputed.
"""

from __future__ import annotations

import hashlib
import json
import struct
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from .normalize import NormalizedDoc, fold, normalize

SHINGLE = 5
BINS = 64
BANDS = 16
ROWS = BINS // BANDS
ANCHOR_SHIFT = 29  # 32-bit hashes below 2**29: one shingle in eight
PREFIX_WORDS = 8
MASK32 = (1 << 32) - 1
MASK61 = (1 << 61) - 1
EMPTY = MASK32 >> 6
DENSIFY_STEP = 0x9E3779B9 >> 6
ANCHOR_LIMIT = 1 << ANCHOR_SHIFT

# Changes whenever the fingerprint of a text would change: cached ones are discarded.
ALGORITHM = f"v4-k{SHINGLE}-b{BINS}-{hash((1, 2, 3, 4, 5)) & 0xFFFFFFFF:08x}"


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


def minhash(hashes: Sequence[int]) -> array[int]:
    """One-permutation MinHash: the least hash of each of ``BINS`` bins, densified.

    Bins are the low 6 bits; sorting descending and building a dict keeps the
    last, i.e. least, hash per bin without a Python-level loop over shingles.
    """
    ordered = sorted(set(hashes), reverse=True)
    least = dict(zip([h & (BINS - 1) for h in ordered], ordered, strict=True))
    values = [least[b] >> 6 if b in least else -1 for b in range(BINS)]
    if not least:
        return array("I", [EMPTY] * BINS)
    # Rotation densification: an empty bin borrows from the next filled bin to the
    # right, shifted by the distance, so that two similar sets fill it alike.
    for b in range(BINS):
        if values[b] < 0:
            distance = 1
            while (b + distance) % BINS not in least:
                distance += 1
            source = least[(b + distance) % BINS] >> 6
            values[b] = (source + distance * DENSIFY_STEP) & EMPTY
    return array("I", values)


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
    """The title folded like the text: what tells posts apart."""
    seq: bytes = field(repr=False)
    """32-bit shingle hashes in text order (``array('I')`` bytes)."""
    lines: bytes = field(repr=False)
    """Index in ``seq`` where each line of the comparable text starts (``array('I')``)."""
    minhash: bytes = field(repr=False)
    anchor_bytes: bytes = field(repr=False)
    """The anchors (``array('I')``), ascending."""

    def shingles(self) -> array[int]:
        values = array("I")
        values.frombytes(self.seq)
        return values

    def line_starts(self) -> array[int]:
        values = array("I")
        values.frombytes(self.lines)
        return values

    def anchors(self) -> array[int]:
        values = array("I")
        values.frombytes(self.anchor_bytes)
        return values

    def to_bytes(self) -> bytes:
        head = json.dumps({
            "algorithm": ALGORITHM, "format": self.format, "title": self.title,
            "url": self.url, "date": self.date, "words": self.words,
            "text_hash": self.text_hash, "prefix": self.prefix, "title_key": self.title_key,
        }).encode("utf-8")
        parts = (self.seq, self.lines, self.minhash, self.anchor_bytes)
        sizes = struct.pack("<5I", len(head), *map(len, parts))
        return sizes + head + b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint | None:
        """The fingerprint stored by ``to_bytes``; None if it is damaged or from
        another algorithm version."""
        try:
            sizes = struct.unpack_from("<5I", data)
            start = 20
            head = json.loads(data[start:start + sizes[0]].decode("utf-8"))
            if head.get("algorithm") != ALGORITHM or len(data) != start + sum(sizes):
                return None
            parts = []
            start += sizes[0]
            for size in sizes[1:]:
                parts.append(bytes(data[start:start + size]))
                start += size
            return cls(head["format"], head["title"], head["url"], head["date"],
                       int(head["words"]), head["text_hash"], head["prefix"],
                       head["title_key"], seq=parts[0], lines=parts[1], minhash=parts[2],
                       anchor_bytes=parts[3])
        except (struct.error, ValueError, KeyError, TypeError):
            return None


def fingerprint(text: str) -> Fingerprint:
    """Normalize ``text`` and fingerprint it."""
    return fingerprint_normalized(normalize(text))


def fingerprint_normalized(doc: NormalizedDoc) -> Fingerprint:
    lines = doc.text.split("\n") if doc.text else []
    words: list[str] = []
    starts = array("I")
    for line in lines:
        starts.append(len(words))
        words.extend(line.split())
    hashes = shingle_hashes(words)
    seq = array("I", hashes)
    joined = " ".join(words)
    text_hash = hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()
    return Fingerprint(
        format=doc.format, title=doc.title, url=doc.url, date=doc.date, words=len(words),
        text_hash=text_hash, prefix=" ".join(words[:PREFIX_WORDS]),
        title_key=fold(doc.title).replace("\n", " ") if doc.title else "",
        seq=seq.tobytes(), lines=starts.tobytes(), minhash=minhash(hashes).tobytes(),
        anchor_bytes=array("I", sorted(set(filter(ANCHOR_LIMIT.__gt__, hashes)))).tobytes(),
    )


def signature_key(text: str) -> str:
    """The cache key of the fingerprint of ``text``: its hash and the algorithm version."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"{ALGORITHM}:{digest}"
