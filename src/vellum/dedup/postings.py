"""Postings: every (shingle, document) pair of a run, spilled to disk, then counted.

A posting is packed as ``shingle << DOC_BITS | document`` (uint64) and routed to
one of ``2**PARTITION_BITS`` partitions by the shingle's top bits. Each process
that fingerprints documents (the main one for cached fingerprints, every worker
for the files it reads) appends its postings to its own partition files in one
spill folder (``Spill``), so shingles never travel between processes: a worker
sends back a few hundred bytes of metadata per document, not its shingle set.

A partition holds every posting of its shingles: read from every writer's file
and sorted alone, it gives each shingle's exact document frequency, so that
boilerplate (a shingle in more than ``BOILERPLATE_DF`` documents: chrome, a
sidebar, a template) is dropped exactly; each document's evidence count; and
every pair of documents sharing evidence shingles, with how many they share
(``count_partitions``). Memory holds one batch or one partition whatever the
size of the corpus, and partitions are independent, so worker processes count
them in parallel.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..errors import InputError

BOILERPLATE_DF = 10
PARTITION_BITS = 7  # 128 partitions
PARTITIONS = 1 << PARTITION_BITS
BATCH = 1 << 21  # postings routed to the partitions at once
MERGE_AT = 1 << 20  # pair counts of several partitions merged past this many
DOC_BITS = 24  # up to 16 million documents per run
DOC_MASK = (1 << DOC_BITS) - 1
MAX_DOCUMENTS = 1 << DOC_BITS
DOC_SHIFT = np.uint64(DOC_BITS)
PARTITION_SHIFT = np.uint64(32 + DOC_BITS - PARTITION_BITS)
SUFFIX = ".postings"


def check_documents(count: int) -> None:
    """Refuse a run of more than ``MAX_DOCUMENTS``: a posting holds a document number in
    ``DOC_BITS`` bits, so one more document would share its postings with document 0."""
    if count > MAX_DOCUMENTS:
        raise InputError("dedup", f"{count:,} documents is more than one run can compare "
                                  f"(at most {MAX_DOCUMENTS:,})")


class Spill:
    """One process's postings, appended a batch at a time to its partition files."""

    def __init__(self, folder: Path, writer: str) -> None:
        self.folder, self.writer = folder, writer
        self._files: list[BinaryIO] = []
        self._batch: list[np.ndarray] = []
        self.batched = 0
        """Postings held in memory, not yet written."""

    def add(self, doc: int, shingles: np.ndarray) -> None:
        self.add_packed(shingles.astype(np.uint64) << DOC_SHIFT | np.uint64(doc))

    def add_packed(self, packed: np.ndarray) -> None:
        """Take postings already packed (``shingle << DOC_BITS | document``)."""
        if len(packed):
            self._batch.append(packed)
            self.batched += len(packed)
            if self.batched >= BATCH:
                self.flush()

    def flush(self) -> None:
        """Write the batch out, each posting to its partition's file."""
        if not self._batch:
            return
        packed = np.concatenate(self._batch)
        self._batch, self.batched = [], 0
        partition = (packed >> PARTITION_SHIFT).astype(np.uint8)
        # Stable on 8-bit keys is a radix sort: a fraction of a full sort of the postings,
        # which only the partition, read whole, needs.
        packed = packed[np.argsort(partition, kind="stable")]
        ends = np.cumsum(np.bincount(partition, minlength=PARTITIONS)).tolist()
        if not self._files:  # unbuffered: written when this returns, for another process
            self._files = [open(self.folder / f"{self.writer}.{p:03d}{SUFFIX}", "ab",  # noqa: SIM115
                                buffering=0) for p in range(PARTITIONS)]
        data = packed.view(np.uint8).data
        start = 0
        for file, end in zip(self._files, ends, strict=True):
            rest = data[start * 8:end * 8]
            while rest:  # (a raw write may write less than it was given)
                rest = rest[file.write(rest) or 0:]
            start = end

    def close(self) -> None:
        for file in self._files:
            file.close()
        self._files = []


_WORKER_SPILL: list[Spill] = []
"""The spill of a worker process: the one of the run it last worked for."""


def spill_here(folder: Path, docs: Sequence[tuple[int, np.ndarray]]) -> None:
    """Append ``(document, shingles)`` postings to this process's files in ``folder``,
    all written when it returns (what a worker calls for each batch of files)."""
    if not _WORKER_SPILL or _WORKER_SPILL[0].folder != folder:
        for old in _WORKER_SPILL:
            old.close()
        _WORKER_SPILL[:] = [Spill(folder, f"w{os.getpid()}")]
    if docs:  # packed in one pass, not a few numpy calls per document
        lengths = np.fromiter((len(s) for _, s in docs), dtype=np.intp, count=len(docs))
        packed = np.concatenate([s for _, s in docs]).astype(np.uint64) << DOC_SHIFT
        packed |= np.repeat(np.fromiter((d for d, _ in docs), dtype=np.uint64,
                                        count=len(docs)), lengths)
        _WORKER_SPILL[0].add_packed(packed)
    _WORKER_SPILL[0].flush()


def read_partition(folder: Path, partition: int, *, remove: bool = False) -> np.ndarray:
    """Every posting of ``partition``, from every writer, sorted; its files deleted once
    read if ``remove``."""
    tail = f".{partition:03d}{SUFFIX}"
    parts = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(tail):
            parts.append(np.fromfile(folder / name, dtype=np.uint64))
            if remove:
                with contextlib.suppress(OSError):  # (a file still open elsewhere on Windows)
                    os.unlink(folder / name)
    packed = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
    packed.sort()
    return packed


Counts = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Evidence shingles per document; pairs (``first << 32 | second``, sorted); how many
evidence shingles each pair shares."""


def count_partitions(task: tuple[Path, Sequence[int], int]) -> Counts:
    """The counts of some partitions of ``folder`` for ``documents`` documents (a task a
    worker process can run: ``(folder, partitions, documents)``). A run counts each
    partition once: its files are deleted as soon as they are read, so that the disk
    space comes back during the count, in parallel, not in one cleanup at the end."""
    folder, partitions, documents = task
    sizes = np.zeros(documents, dtype=np.int64)
    pairs: list[np.ndarray] = []
    shared: list[np.ndarray] = []
    for partition in partitions:
        packed = read_partition(folder, partition, remove=True)
        if not packed.size:
            continue
        starts, lengths = _runs(packed)
        sizes += _evidence_sizes(packed, starts, lengths, documents)
        found, counts = _shared_pairs(packed, lengths)
        del packed, starts, lengths  # before the next partition
        pairs.append(found)
        shared.append(counts)
        # A pair of copies shares shingles in every partition: merged as they come (when
        # the new parts outgrow the merged one, so each pair is merged a few times), the
        # lists hold each pair about once, not once per partition.
        if sum(part.size for part in pairs[1:]) > max(MERGE_AT, pairs[0].size):
            merged = merge_counts(pairs, shared)
            pairs, shared = [merged[0]], [merged[1]]
    return (sizes, *merge_counts(pairs, shared))


def _runs(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each shingle's run of sorted postings."""
    starts = np.empty(packed.size, dtype=bool)
    starts[0] = True
    np.greater_equal(packed[1:] ^ packed[:-1], np.uint64(1 << DOC_BITS), out=starts[1:])
    first = np.flatnonzero(starts)
    return first, np.diff(first, append=packed.size)


def _evidence_sizes(packed: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                    documents: int) -> np.ndarray:
    """Each document's postings of shingles in at most ``BOILERPLATE_DF`` documents
    (``starts`` and ``lengths``: the runs of ``packed``)."""
    docs = (packed & np.uint64(DOC_MASK)).view(np.int64)
    sizes = np.bincount(docs, minlength=documents)
    common = lengths > BOILERPLATE_DF  # boilerplate: few runs, many postings each
    if common.any():
        sizes -= np.bincount(docs[_members(starts[common], lengths[common])],
                             minlength=documents)
    return sizes


def _members(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The posting indices of the runs ``(starts, lengths)``, run after run."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _shared_pairs(packed: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Document pairs sharing evidence shingles in ``packed`` (whose runs are ``lengths``
    long) and how many they share.

    Only the runs of two to ``BOILERPLATE_DF`` postings make pairs: their postings are
    taken out first (a share of all), so the work is theirs."""
    shared = (lengths >= 2) & (lengths <= BOILERPLATE_DF)
    docs = (packed[np.repeat(shared, lengths)] & np.uint64(DOC_MASK)).view(np.int64)
    lengths = lengths[shared]
    # Postings after each one in its shingle's run: the pairs it starts.
    offsets = np.cumsum(lengths) - lengths
    after = np.repeat(lengths + offsets - 1, lengths) - np.arange(docs.size)
    return _pair_counts(docs, np.flatnonzero(after > 0), after)


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


def merge_counts(pairs: list[np.ndarray], counts: list[np.ndarray]
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
