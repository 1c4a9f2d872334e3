"""``vellum dedup``: find the archive entries (and outside files) that are the same post.

Fingerprints live in ``.vellum/dedup.db`` keyed by the hash of each file's text,
so a re-run only fingerprints what changed. ``apply`` merges each group inside
the archive: the canonical entry (the richest, chosen by ``dedup.find_groups``)
gains the metadata keys it lacks from the others and an ``aliases:`` list of
their URLs and paths; the others move to ``.vellum/duplicates/`` with a
``duplicate_of:`` pointer, never deleted. Outside files are only compared.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from .. import frontmatter
from ..dedup import (
    ALGORITHM,
    DuplicateGroup,
    Fingerprint,
    find_groups,
    fingerprint,
    signature_key,
)
from ..dedup.groups import Corpus
from ..dedup.match import compare
from ..dedup.normalize import NormalizedDoc, normalize
from ..dedup.postings import spill_here
from ..dedup.signatures import fingerprint_batch, fingerprint_normalized
from ..errors import InputError, StoreError, VellumError
from ..pipeline.dedupdb import DedupDB, SignatureCache
from ..store import Store, atomic_write
from ..store.lock import ArchiveLock
from ..store.paths import DUPLICATES_DIR
from .ingest import FROM_KEY, SOURCE_KEY, _decode, _read, source_files

URL_KEYS = ("original_url", "canonical_url", "url", "link")
# Keys that describe one file, not the post: never copied onto the canonical entry.
PARALLEL_MIN = 256
CHUNK = 64  # files per worker task: each task spills its shingles in one batch
OWN_KEYS = frozenset({FROM_KEY, SOURCE_KEY, "aliases", "duplicate_of"})
_T = TypeVar("_T")


@dataclass(frozen=True)
class Merge:
    canonical: str
    moved: tuple[tuple[str, str], ...]
    """(old path, new path under ``.vellum/duplicates``) of each merged entry."""


@dataclass(frozen=True)
class DedupResult:
    groups: list[DuplicateGroup]
    merges: list[Merge] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) of what could not be read or merged."""
    documents: int = 0
    computed: int = 0
    """Fingerprints computed this run (the rest came from the database)."""


def dedup(store: Store, include: Iterable[str | os.PathLike[str]] = (), *,
          apply: bool = False, workers: int = 1) -> DedupResult:
    """Group the archive's entries and the ``include`` files; merge groups if ``apply``."""
    include = list(include)
    for path in include:
        if not Path(path).expanduser().exists():
            raise InputError(str(path), "no such file or folder")
    if not apply:
        return _find(store, include, workers)
    with ArchiveLock(store.root):
        result = _find(store, include, workers)
        merges, failed = [], list(result.failed)
        for group in result.groups:
            try:
                merge = merge_group(store, group)
            except VellumError as err:
                failed.append((group.canonical, str(err)))
                continue
            if merge is not None:
                merges.append(merge)
        if merges:
            store.reindex()
        return replace(result, merges=merges, failed=failed)


def _find(store: Store, include: list[str | os.PathLike[str]], workers: int) -> DedupResult:
    failed: list[tuple[str, str]] = []
    counts = {"documents": 0, "computed": 0}
    archived: set[str] = set()
    with DedupDB(store.root) as db, Corpus(eligible=archived.__contains__) as corpus:
        cache = db.signatures()
        sources = iter(_sources(store, include, archived))
        # The pool starts as soon as enough files need fingerprinting: the rest of the
        # walk goes on while the workers read the first ones.
        todo = _take_cached(sources, cache, corpus, counts,
                            enough=PARALLEL_MIN if workers > 1 else None)
        pool = ProcessPoolExecutor(workers) if workers > 1 and len(todo) >= PARALLEL_MIN \
            else None
        try:
            if pool is None:
                _fingerprint_here(corpus, todo, cache, failed, counts)
            else:
                _fingerprint_in_pool(corpus, itertools.chain(todo, sources), cache, pool,
                                     failed, counts)
            groups = corpus.groups(pool)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        cache.flush(prune=True)
    return DedupResult(groups, failed=failed, documents=counts["documents"],
                       computed=counts["computed"])


@dataclass(frozen=True)
class _Source:
    name: str
    """The archive path of an entry, or the path of an outside file as given."""
    path: Path
    key: str | None
    """Cache key (archive entries only: outside files are compared as they are)."""


def _sources(store: Store, include: list[str | os.PathLike[str]], archived: set[str]
             ) -> Iterator[_Source]:
    """Archive entries (their paths added to ``archived``), then the outside files."""
    for entry in store.entries():
        archived.add(entry.path)
        path = store.resolve(entry.path)
        try:
            stat = path.stat()
        except OSError:
            yield _Source(entry.path, path, None)
            continue
        yield _Source(entry.path, path,
                      f"{ALGORITHM}:{entry.path}:{stat.st_size}:{stat.st_mtime_ns}")
    for path in source_files(include, skip=store.root):
        yield _Source(str(path), path, None)


def _take_cached(sources: Iterator[_Source], cache: SignatureCache, corpus: Corpus,
                 counts: dict[str, int], enough: int | None = None) -> list[_Source]:
    """Give ``corpus`` the sources whose fingerprint is cached and return the others,
    stopping once there are ``enough`` of them (the rest stay in ``sources``)."""
    todo: list[_Source] = []
    for source in sources:
        fp = _cached(source, cache)
        if fp is None:
            todo.append(source)
            if enough is not None and len(todo) >= enough:
                break
            continue
        counts["documents"] += 1
        corpus.add(source.name, fp)
    return todo


def _cached(source: _Source, cache: SignatureCache) -> Fingerprint | None:
    data = cache.get(source.key) if source.key else None
    return Fingerprint.from_bytes(data) if data is not None else None


def _fingerprint_here(corpus: Corpus, todo: list[_Source], cache: SignatureCache,
                      failed: list[tuple[str, str]], counts: dict[str, int]) -> None:
    """Fingerprint ``todo`` into ``corpus`` in this process; a file that cannot be read
    as a post is reported in ``failed`` and skipped."""
    for source in todo:
        data, error = fingerprint_file(source.path)
        fp = Fingerprint.from_bytes(data) if data is not None else None
        if fp is None:
            failed.append((source.name, error or "cannot fingerprint"))
            continue
        _count_in(source, data, cache, counts)
        corpus.add(source.name, fp)


Meta = tuple[str, str, str, str, int, str, str, str, bool, bool, str, bool]


Result = tuple[Meta | None, bytes | None, str | None]
_Pending = tuple[int, list[_Source], Future[list[Result]]]
"""(number of its first file, its files, what it gives) of a task sent to the pool."""


def _fingerprint_in_pool(corpus: Corpus, sources: Iterable[_Source], cache: SignatureCache,
                         pool: Executor, failed: list[tuple[str, str]],
                         counts: dict[str, int]) -> None:
    """Fingerprint ``sources`` into ``corpus`` in ``pool``'s workers, which read the files
    and spill their shingles themselves, ``CHUNK`` files a task, each task sent as soon
    as its files are known; cached ones are taken in here. Results are taken in order."""
    pending: deque[_Pending] = deque()
    chunk: list[_Source] = []

    def send() -> None:
        first = corpus.reserve(len(chunk))
        task = (corpus.folder, first, [s.path for s in chunk], [s.key is not None for s in chunk])
        pending.append((first, list(chunk), pool.submit(fingerprint_files, task)))
        chunk.clear()

    for source in sources:
        fp = _cached(source, cache)
        if fp is not None:
            counts["documents"] += 1
            corpus.add(source.name, fp)
            continue
        chunk.append(source)
        if len(chunk) == CHUNK:
            send()
            while pending and pending[0][2].done():
                _take_results(corpus, pending.popleft(), cache, failed, counts)
    if chunk:
        send()
    while pending:
        _take_results(corpus, pending.popleft(), cache, failed, counts)


def _take_results(corpus: Corpus, done: _Pending, cache: SignatureCache,
                  failed: list[tuple[str, str]], counts: dict[str, int]) -> None:
    first, chunk, future = done
    for offset, (source, (meta, data, error)) in enumerate(
            zip(chunk, future.result(), strict=True)):
        if meta is None:  # the file keeps its number and matches nothing
            failed.append((source.name, error or "cannot fingerprint"))
            continue
        _count_in(source, data, cache, counts)
        corpus.place(first + offset, source.name, Fingerprint.from_meta(meta))


def _count_in(source: _Source, data: bytes | None, cache: SignatureCache,
              counts: dict[str, int]) -> None:
    if source.key and data is not None:
        cache[source.key] = data
    counts["documents"] += 1
    counts["computed"] += 1


def fingerprint_files(task: tuple[Path, int, list[Path], list[bool]]) -> list[Result]:
    """Fingerprint a chunk of files in a worker process: ``(spill folder, number of the
    first file, paths, whether to send each file's whole fingerprint back)``.

    The shingles are spilled to the folder here (``postings.spill_here``) under each
    file's number; what comes back is ``(metadata, fingerprint bytes if asked, None)``
    or ``(None, None, reason)`` per file. The chunk's shingles are hashed together
    (``fingerprint_batch``)."""
    folder, first, paths, whole = task
    out: list[Result] = []
    read: list[tuple[int, NormalizedDoc]] = []
    for offset, path in enumerate(paths):
        doc, error = _normalized_path(path)
        out.append((None, None, error))
        if doc is not None:
            read.append((offset, doc))
    shingles = []
    for (offset, _), (fp, error) in zip(read, _fingerprints([d for _, d in read]),
                                         strict=True):
        if fp is None:
            out[offset] = (None, None, error)
            continue
        shingles.append((first + offset, fp.shingles()))
        out[offset] = (fp.meta(), fp.to_bytes() if whole[offset] else None, None)
    spill_here(folder, shingles)
    return out


def _fingerprints(docs: list[NormalizedDoc]) -> list[tuple[Fingerprint | None, str | None]]:
    """``(fingerprint, None)`` or ``(None, reason)`` of each of ``docs``: together if
    they can be, else one by one, so that one failure is that document's alone."""
    try:
        return [(fp, None) for fp in fingerprint_batch(docs)]
    except READ_ERRORS:
        return [_guarded(fingerprint_normalized, doc) for doc in docs]


def fingerprint_file(path: Path) -> tuple[bytes | None, str | None]:
    """``(fingerprint bytes, None)`` or ``(None, reason)``."""
    doc, error = _normalized_path(path)
    fp, error = _guarded(fingerprint_normalized, doc) if doc is not None else (None, error)
    return (fp.to_bytes(), None) if fp is not None else (None, error)


READ_ERRORS = (ValueError, TypeError, LookupError, RecursionError, MemoryError)
"""What reading one malformed file as a post can raise (a bad date, a huge file)."""


def _normalized_path(path: Path) -> tuple[NormalizedDoc | None, str | None]:
    """``(normalized text, None)`` or ``(None, reason)``: run in worker processes, so any
    failure of one file is a reason, never an exception that ends the run."""
    try:
        data = _read(path)
    except VellumError as err:
        return None, str(err)
    if b"\0" in data[:8192]:
        return None, "binary file, not a post"
    return _guarded(normalize, _decode(data))


def _guarded(function: Callable[[Any], _T], arg: Any) -> tuple[_T | None, str | None]:
    try:
        return function(arg), None
    except VellumError as err:
        return None, str(err)
    except READ_ERRORS as err:
        return None, f"cannot read as a post ({type(err).__name__}: {err})"


def link_new_entry(store: Store, rel: str) -> Merge | None:
    """Merge the entry just written at ``rel`` with the archived copies of the same post.

    What ``vellum add``, ``import`` and ``refresh`` call for each new entry: a post
    fetched from the web that was already in the archive as raw text (or any other
    form) absorbs it. The copies are found through the fingerprint index
    (``dedup.db``): entries sharing the title, the URL or sampled shingles, then
    verified, and linked if they also share its URL or title; nothing scans the
    archive. Never raises: the post is archived either way, and ``vellum dedup
    --apply`` can link them later.
    """
    try:
        merge = _link(store, rel)
    except VellumError:
        return None
    if merge is not None:
        store.reindex()
    return merge


def _link(store: Store, rel: str) -> Merge | None:
    text = store.read(rel)
    fp = fingerprint(text)
    with DedupDB(store.root) as db:
        if not db.index_built:  # once per archive (or fingerprint algorithm)
            db.rebuild_index(_indexable(store, db, skip=rel))
        db.index_entry(rel, fp)
        if not db.namesakes(fp) - {rel}:
            # Only copies sharing the post's URL or title are linked (see _agreeing);
            # with none, reading and grouping its look-alikes could link nothing.
            return None
        candidates = [path for path in db.candidates(fp) if path != rel]
        docs = [(rel, text)]
        for path in candidates:
            try:
                docs.append((path, store.read(path)))
            except StoreError:  # moved or deleted since it was indexed
                db.unindex(path)
    if len(docs) < 2:
        return None
    for group in find_groups(docs):
        if rel in group.members:  # the post just fetched stays where it was written
            agreed = _agreeing(rel, group, {name: fingerprint(text) for name, text in docs})
            return merge_group(store, agreed, canonical=rel) if agreed else None
    return None


def _agreeing(rel: str, group: DuplicateGroup, fps: dict[str, Fingerprint]
              ) -> DuplicateGroup | None:
    """``group`` narrowed to the copies that also share ``rel``'s URL or title.

    A handful of documents cannot tell a site's template from a post's own text (that
    takes the whole archive's document frequencies): similar text alone waits for
    ``vellum dedup``, which has them.
    """
    mine = fps[rel]
    kept = [m for m in group.members if m == rel or _agree(mine, fps[m])]
    if len(kept) < 2:
        return None
    return replace(group, members=tuple(kept), canonical=rel,
                   evidence=tuple(e for e in group.evidence if e.member in kept))


def _agree(a: Fingerprint, b: Fingerprint) -> bool:
    return compare(a, b).same_url or (bool(a.title_key) and a.title_key == b.title_key)


def _indexable(store: Store, db: DedupDB, skip: str) -> Iterator[tuple[str, Fingerprint]]:
    """(path, fingerprint) of every readable entry but ``skip``, from the cache if it can."""
    cache = db.signatures()
    for entry in store.entries():
        if entry.path == skip:
            continue
        try:
            text = store.read(entry.path)
        except StoreError:
            continue
        key = signature_key(text)
        cached = cache.get(key)
        fp = Fingerprint.from_bytes(cached) if cached is not None else None
        yield entry.path, fp or fingerprint(text)


def merge_group(store: Store, group: DuplicateGroup, *, canonical: str | None = None
                ) -> Merge | None:
    """Merge the archive members of ``group`` into one; None if fewer than two are.

    The group's canonical member stays (``canonical`` overrides the choice)."""
    archived = [m for m in group.members if _archived(store, m)]
    if len(archived) < 2:
        return None
    if canonical in archived:
        archived.remove(canonical)
        archived.insert(0, canonical)
    canonical, others = archived[0], archived[1:]
    entry = store.get(canonical)
    assert entry is not None
    data, body = _split(store.read(canonical))
    aliases = [a for a in data.get("aliases", []) if isinstance(a, str)] \
        if isinstance(data.get("aliases"), list) else []
    moved: list[tuple[str, str]] = []
    for other in others:
        other_data, _ = _split(store.read(other))
        for key, value in other_data.items():
            if key not in data and key not in OWN_KEYS:
                data[key] = value
        aliases += [*_urls(store, other, other_data), other]
    data["aliases"] = list(dict.fromkeys(a for a in aliases if a and a != canonical))
    store.save(entry, frontmatter.join(data, body), aliases=data["aliases"])
    with DedupDB(store.root) as db:
        for other in others:
            target = _move_aside(store, other, canonical)
            db.move_source(other, target)
            db.unindex(other)
            moved.append((other, target))
    return Merge(canonical, tuple(moved))


def _archived(store: Store, rel: str) -> bool:
    try:
        return store.get(rel) is not None
    except StoreError:  # an outside file's own path
        return False


def _urls(store: Store, rel: str, data: dict[str, Any]) -> list[str]:
    entry = store.get(rel)
    found = [entry.url, entry.canonical_url] if entry else []
    found += [str(data[k]) for k in URL_KEYS if isinstance(data.get(k), str)]
    return [u for u in dict.fromkeys(found) if u]


def _move_aside(store: Store, rel: str, canonical: str) -> str:
    """Move ``rel`` under ``.vellum/duplicates`` with a pointer to ``canonical``."""
    data, body = _split(store.read(rel))
    data["duplicate_of"] = canonical
    target = (DUPLICATES_DIR / rel).as_posix()
    source, destination = store.resolve(rel), store.resolve(target)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(destination, frontmatter.join(data, body))
        source.unlink()
    except OSError as err:
        raise StoreError(rel, f"cannot move to {target} ({err.strerror or err})") from err
    return target


def _split(text: str) -> tuple[dict[str, Any], str]:
    data, body = frontmatter.split(text)
    return dict(data or {}), body
