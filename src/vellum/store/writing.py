"""One writing run at a time, and the repair a crashed run may need."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .facade import Store
from .files import markdown_files
from .lock import ArchiveLock


@contextmanager
def writing(store: Store) -> Iterator[ArchiveLock]:
    """Hold the archive lock for a block that writes (``LockedError`` at once if taken).

    When the previous holder died holding it, the index is first reconciled with
    the files, since that run may have written a post it never indexed.
    """
    with ArchiveLock(store.root) as lock:
        if lock.recovered:
            reconcile(store)
        yield lock


def reconcile(store: Store) -> bool:
    """Reindex when a post's file exists that the index does not know.

    That is what a run killed between writing a file and indexing it leaves; without
    this the next run would archive the post again under ``slug-2.md``.
    """
    indexed = {e.path for e in store.entries()}
    if all(rel in indexed for rel in markdown_files(store.root)):
        return False
    store.reindex()
    return True
