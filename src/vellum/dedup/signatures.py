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

Shingle hashes are a polynomial over 64-bit word hashes, themselves a
polynomial over each word's UTF-8 bytes, all computed in numpy over the whole
text at once (no Python work per word; a worker hashes its files' texts in
batches, ``shingle_sets``): stable across runs, processes and
platforms; ``ALGORITHM`` names the
scheme so that cached fingerprints from another one are recomputed.
"""

from __future__ import annotations

import hashlib
import itertools
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

# Changes whenever the fingerprint of a text would change: cached ones are discarded.
ALGORITHM = f"v7-k{SHINGLE}-bytepoly64"


CHUNK = 1 << 20
"""Bytes of comparable text hashed at once: bounds the temporaries of a huge file."""
BATCH_BYTES = 1 << 18
"""Bytes of several texts hashed together (``shingle_sets``)."""
_BYTE_MULTIPLIER = 0xC2B2AE3D27D4EB4F  # odd, so invertible modulo 2**64
_POWERS = np.empty(0, dtype=np.uint64)
_INVERSE_POWERS = np.empty(0, dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``multiplier ** i`` and its inverse modulo 2**64 for ``i < n`` (cached, grown)."""
    global _POWERS, _INVERSE_POWERS
    if len(_POWERS) < n:
        size = max(n, 2 * len(_POWERS), 4096)
        _POWERS = _geometric(_BYTE_MULTIPLIER, size)
        _INVERSE_POWERS = _geometric(pow(_BYTE_MULTIPLIER, -1, 1 << 64), size)
    return _POWERS, _INVERSE_POWERS


def _geometric(ratio: int, size: int) -> np.ndarray:
    values = np.full(size, ratio, dtype=np.uint64)
    values[0] = 1
    return np.cumprod(values, dtype=np.uint64)  # wraps modulo 2**64, as intended


def word_hashes(text: str) -> np.ndarray:
    """A 64-bit hash of each space- or newline-separated word of ``text``, in order.

    Computed on the UTF-8 bytes in numpy, never word by word in Python: a word's
    hash is the polynomial of its bytes, read off prefix sums of ``byte * m**i``
    and shifted back to position 0 by ``m**-i``, then mixed (SplitMix64).
    """
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= CHUNK:
        return _chunk_hashes(data)
    parts, start = [], 0
    while start < len(data):  # cut between words, so that each word is hashed whole
        end = min(start + CHUNK, len(data))
        if end < len(data):
            cut = max(data.rfind(b" ", start, end), data.rfind(b"\n", start, end))
            end = cut if cut > start else end
        parts.append(_chunk_hashes(data[start:end]))
        start = end
    return np.concatenate(parts)


def _chunk_hashes(data: bytes) -> np.ndarray:
    codes = np.frombuffer(data, dtype=np.uint8)
    return _hashes_at(codes, *_word_bounds(codes))


def _word_bounds(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets of the first byte and one past the last of each word of ``codes``."""
    edge = np.ones(len(codes) + 2, dtype=bool)
    np.equal(codes, 0x20, out=edge[1:-1])
    if np.any(codes == 0x0A):  # (folded text has no line breaks: one pass less)
        edge[1:-1] |= codes == 0x0A
    change = np.not_equal(edge[1:], edge[:-1])
    bounds = np.flatnonzero(change)  # word starts and ends, alternating
    return bounds[0::2], bounds[1::2]


def _hashes_at(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The hash of each word ``codes[start:end]``."""
    if not len(starts):
        return np.empty(0, dtype=np.uint64)
    powers, inverse = _powers(len(codes))
    prefix = np.empty(len(codes) + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(codes, powers[:len(codes)], out=prefix[1:])  # (no temporary array)
    np.cumsum(prefix[1:], out=prefix[1:])
    return _mix64((prefix[ends] - prefix[starts]) * inverse[starts])


def _mix64(values: np.ndarray) -> np.ndarray:
    values ^= values >> np.uint64(30)
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


_BREAK_ID = int(word_hashes(BREAK)[0])
_BREAK_BYTES = BREAK.encode("ascii")


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the word ``SHINGLE``-grams of ``text``, ascending.

    No shingle spans a ``chrome.BREAK``; a text shorter than one shingle is one
    shingle of all its words. The hash is a polynomial over the word hashes in
    wrapping 64-bit arithmetic, mixed and cut to its high 32 bits.
    """
    ids = word_hashes(text)
    has_break = BREAK in text
    if len(ids) < SHINGLE:
        if not len(ids) or has_break:
            return np.empty(0, dtype=np.uint32)
        return _whole_text_shingle(ids)
    hashes = _mix(_polynomial(ids, SHINGLE))
    if has_break:
        breaks = np.concatenate(([0], np.cumsum(ids == np.uint64(_BREAK_ID))))
        hashes = hashes[breaks[SHINGLE:] == breaks[:-SHINGLE]]
    return _distinct(hashes)


def _whole_text_shingle(ids: np.ndarray) -> np.ndarray:
    """The one shingle of a text shorter than a shingle: all its words ``ids``."""
    return _distinct(_mix(_polynomial(ids, len(ids))))


def shingle_sets(texts: Sequence[str]) -> list[np.ndarray]:
    """``shingle_hashes`` of each of ``texts``, computed a batch at a time.

    Hashing one document is some forty numpy calls over a few thousand words, where
    a call's fixed cost outweighs its work: texts whose bytes fit in ``BATCH_BYTES``
    together are hashed as one array, a shingle kept if its words are all one
    text's; only the sort of each text's shingles is done text by text. (The arrays
    of a larger batch fall out of the CPU's cache; a text larger than a batch is
    hashed alone.) The hashes are ``shingle_hashes``' to the bit."""
    out: list[np.ndarray] = []
    batch: list[bytes] = []
    size = 0
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        if batch and size + len(data) + 1 > BATCH_BYTES:
            out += _batch_shingles(batch)
            batch, size = [], 0
        batch.append(data)
        size += len(data) + 1
    return out + _batch_shingles(batch) if batch else out


def _batch_shingles(texts: list[bytes]) -> list[np.ndarray]:
    if len(texts) == 1:  # (and a text longer than a chunk, which is cut between words)
        return [shingle_hashes(texts[0].decode("utf-8", "surrogatepass"))]
    codes = np.frombuffer(b" ".join(texts), dtype=np.uint8)  # no word spans two texts
    starts, ends = _word_bounds(codes)
    ids = _hashes_at(codes, starts, ends)
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    offsets = np.cumsum(lengths + 1) - lengths - 1  # where each text starts
    words = np.diff(np.searchsorted(starts, offsets), append=len(starts))
    owner = np.repeat(np.arange(len(texts)), words)  # each word's text
    counts = words.tolist()
    broken = [_BREAK_BYTES in text for text in texts]
    hashes, owners = _owned_shingles(ids, owner, broken)
    bounds = np.searchsorted(owners, np.arange(len(texts) + 1)).tolist()
    for start, end in itertools.pairwise(bounds):
        if end - start > 1:
            hashes[start:end].sort()
    fresh = np.ones(len(hashes), dtype=bool)  # the first of its value in its text
    np.not_equal(hashes[1:], hashes[:-1], out=fresh[1:])
    fresh[[b for b in bounds[:-1] if b < len(hashes)]] = True
    kept = np.concatenate(([0], np.cumsum(fresh)))[bounds].tolist()
    hashes = hashes[fresh]
    out = [hashes[start:end] for start, end in itertools.pairwise(kept)]
    word = 0
    for index, count in enumerate(counts):  # a text shorter than one shingle
        if 0 < count < SHINGLE and not broken[index]:
            out[index] = _whole_text_shingle(ids[word:word + count])
        word += count
    return out


def _owned_shingles(ids: np.ndarray, owner: np.ndarray, broken: list[bool]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of the words ``ids`` of several texts (``owner`` of each word)
    whose words are all one text's and that span no break, and the text of each."""
    if len(ids) < SHINGLE:
        return np.empty(0, dtype=np.uint32), np.empty(0, dtype=owner.dtype)
    keep = owner[:1 - SHINGLE] == owner[SHINGLE - 1:]
    if any(broken):
        is_break = (ids == np.uint64(_BREAK_ID)) & np.asarray(broken)[owner]
        breaks = np.concatenate(([0], np.cumsum(is_break)))
        keep &= breaks[SHINGLE:] == breaks[:-SHINGLE]
    return _mix(_polynomial(ids, SHINGLE))[keep], owner[:1 - SHINGLE][keep]


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

    def meta(self) -> tuple[str, str, str, str, int, str, str, str, bool, bool, str, bool]:
        """Every field but the shingles, as a plain tuple: what a worker process sends
        back once it has spilled the shingles itself (``postings.spill_here``)."""
        return (self.format, self.title, self.url, self.date, self.words, self.text_hash,
                self.prefix, self.title_key, self.title_trusted, self.copied, self.edited,
                self.excerpt_mark)

    @classmethod
    def from_meta(cls, meta: tuple[str, str, str, str, int, str, str, str, bool, bool, str,
                                   bool]) -> Fingerprint:
        """The fingerprint of ``meta()``, without its shingles."""
        return cls(*meta, shingle_bytes=b"")

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
    return _fingerprint(doc, shingle_hashes(doc.text))


def fingerprint_batch(docs: Sequence[NormalizedDoc]) -> list[Fingerprint]:
    """``fingerprint_normalized`` of each of ``docs``, the shingles hashed together
    (``shingle_sets``)."""
    return [_fingerprint(doc, hashes) for doc, hashes in
            zip(docs, shingle_sets([doc.text for doc in docs]), strict=True)]


def _fingerprint(doc: NormalizedDoc, hashes: np.ndarray) -> Fingerprint:
    text = doc.text  # words separated by single spaces (``fold``)
    if BREAK in text:  # breaks are words of their own: take them out with their space
        spaced, gap = f" {text} ", f" {BREAK} "
        while gap in spaced:
            spaced = spaced.replace(gap, " ")
        text = spaced.strip(" ")
    data = text.encode("utf-8", "surrogatepass")
    words = _spaces(data) + 1 if text else 0
    text_hash = hashlib.blake2b(data, digest_size=16).hexdigest()
    return Fingerprint(
        format=doc.format, title=doc.title, url=doc.url, date=doc.date, words=words,
        text_hash=text_hash, prefix=" ".join(text.split(" ", PREFIX_WORDS)[:PREFIX_WORDS]),
        title_key=fold(doc.title) if doc.title else "",
        title_trusted=doc.title_trusted, copied=doc.copied, edited=doc.edited or doc.date,
        excerpt_mark=doc.excerpt, shingle_bytes=hashes.tobytes(),
    )


def _spaces(data: bytes) -> int:
    """The spaces in ``data``: counted in numpy past a few kB (a third of the cost)."""
    if len(data) < 4096:
        return data.count(b" ")
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == 0x20))


def signature_key(text: str) -> str:
    """The cache key of the fingerprint of ``text``: its hash and the algorithm version."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"{ALGORITHM}:{digest}"
