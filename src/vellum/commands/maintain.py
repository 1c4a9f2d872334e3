"""Archive upkeep without network: ``reindex`` and ``rebuild``."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ..convert import Profile
from ..errors import InputError
from ..models import Entry, Outcome
from ..pipeline.flow import Sites, rebuild_entry
from ..pipeline.localize import AssetOptions
from ..pipeline.profiles import load_profiles
from ..pipeline.runner import run_one
from ..store import Store
from ..store.config import load_sites
from ..store.lock import ArchiveLock
from ..store.writing import writing


def reindex(store: Store) -> int:
    """Rebuild the SQLite index from the Markdown files; returns the number of entries."""
    with ArchiveLock(store.root):
        return store.reindex()


def rebuild(store: Store, *, profile: str | None = None,
            assets: bool | None = None) -> Iterator[Outcome]:
    """Re-convert every archived post from its stored raw HTML, yielding one outcome each.

    Lets a better extractor upgrade an old archive without fetching anything.
    Files whose conversion does not change are left untouched; the original
    ``archived_at`` is kept, since the post was archived then, not now, and so is
    everything the page does not say: the feed's metadata (side facts) and the
    keys other commands added (``aliases``, ``status: gone``, ``ingested_from``...).
    A post rebuilt into another ``profile`` keeps its URLs in its side data. A post's
    images stay linked to their local copies (no fetching); ``assets=False`` puts
    the remote links back.
    """
    known = load_profiles(store.root)
    if profile is not None and profile not in known:
        raise InputError(profile, f"unknown profile (choose from {', '.join(known)})")
    options = AssetOptions(enabled=False if assets is False else None, offline=True)
    with writing(store):
        sites = load_sites(store.root)
        for entry in list(store.entries()):
            chosen = known.get(profile or entry.profile)
            yield run_one(entry.url, partial(_rebuild_one, store, entry, chosen, options, sites),
                          path=entry.path)


def _rebuild_one(store: Store, entry: Entry, profile: Profile | None, assets: AssetOptions,
                 sites: Sites = ()) -> Outcome:
    if profile is None:
        raise InputError(entry.path, f"unknown profile '{entry.profile}'")
    return Outcome(entry.url, rebuild_entry(store, entry, profile, assets, sites),
                   entry.path)


def profile_changes(store: Store, profile: str | None) -> int:
    """How many posts ``rebuild(store, profile=profile)`` would move to another profile."""
    if profile is None:
        return 0
    return sum(1 for e in store.entries()
               if e.profile != profile and store.has_raw_html(e.path))
