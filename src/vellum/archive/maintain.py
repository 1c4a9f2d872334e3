"""Archive upkeep without network: ``reindex`` and ``rebuild``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from .. import frontmatter
from ..convert import render
from ..errors import VellumError
from ..models import Entry, Outcome, OutcomeStatus
from ..store import Store
from ..store.lock import ArchiveLock
from ..urls import make_slug
from .assets import AssetOptions, localize
from .locking import writing
from .multipage import extract_stored


def reindex(store: Store) -> int:
    """Rebuild the SQLite index from the Markdown files; returns the number of entries."""
    with ArchiveLock(store.root):
        return store.reindex()


def rebuild(store: Store, *, profile: str | None = None,
            assets: bool | None = None) -> Iterator[Outcome]:
    """Re-convert every archived post from its stored raw HTML, yielding one outcome each.

    Lets a better extractor upgrade an old archive without fetching anything.
    Files whose conversion does not change are left untouched; the original
    ``archived_at`` is kept, since the post was archived then, not now. A post's
    images stay linked to their local copies (no fetching); ``assets=False`` puts
    the remote links back.
    """
    options = AssetOptions(enabled=False if assets is False else None, offline=True)
    with writing(store):
        for entry in list(store.entries()):
            started = time.monotonic()
            try:
                status = _rebuild_one(store, entry, profile or entry.profile, options)
                yield Outcome(entry.url, status, entry.path, seconds=time.monotonic() - started)
            except VellumError as err:
                yield Outcome(entry.url, "failed", entry.path, error=str(err),
                              seconds=time.monotonic() - started)


def _rebuild_one(store: Store, entry: Entry, profile: str, assets: AssetOptions
                 ) -> OutcomeStatus:
    html = store.raw_html(entry.path)
    if html is None:
        return "skipped"
    old_text = store.read(entry.path)
    archived_at = frontmatter.archived_at(old_text)
    article = extract_stored(html, entry.canonical_url or entry.url or None)
    slug = make_slug(article.title, article.url)
    document = render(article, profile, archived_at=archived_at, slug=slug)
    localized = localize(store, entry.path, document.text, assets)
    document = replace(document, text=localized.text)
    new_hash = frontmatter.content_hash(document.text)
    if new_hash == frontmatter.content_hash(old_text):
        return "unchanged"
    store.save(replace(entry, content_hash=new_hash, title=article.title, profile=profile),
               document.text)
    return "updated"
