"""The pipeline order, once: page → article → document → archived entry.

``convert_page`` is the CPU-bound half (extract + convert, no I/O, picklable
arguments and result) so that batch commands can run it in worker processes;
``store_converted`` is the I/O half, run by the one process that writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .. import frontmatter
from ..convert import render
from ..extract import extract
from ..models import Article, Document, Entry, OutcomeStatus, Page
from ..soup import paused_gc
from ..store import Store
from ..urls import make_slug
from .assets import AssetOptions, localize


def convert_html(html: str | bytes, url: str | None = None, profile: str = "default") -> str:
    """Convert one HTML page to a complete Markdown file (front matter + body). No network."""
    with paused_gc():  # one collection for both stages' trees
        return render(extract(html, url), profile).text


@dataclass(frozen=True)
class Converted:
    """A page turned into an article and its Markdown document, not yet stored."""

    page: Page
    article: Article
    document: Document

    @property
    def canonical_url(self) -> str:
        return self.article.url or self.page.final_url


@dataclass(frozen=True)
class Archived:
    """The result of archiving one page."""

    entry: Entry
    status: OutcomeStatus
    """``written`` (new file), ``updated`` (file changed) or ``unchanged``."""
    warnings: tuple[str, ...] = ()
    """What went wrong without failing the post (an image not saved)."""


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def convert_page(
    page: Page, profile: str = "default", archived_at: dt.datetime | None = None
) -> Converted:
    """Extract and convert ``page`` (CPU only: safe to run in a worker process)."""
    with paused_gc():  # one collection for both stages' trees
        return convert_article(page, extract(page.html, page.final_url), profile, archived_at)


def convert_article(
    page: Page, article: Article, profile: str = "default", archived_at: dt.datetime | None = None
) -> Converted:
    """Convert the ``article`` extracted from ``page`` (or joined from its pages)."""
    slug = make_slug(article.title, article.url or page.final_url)
    document = render(article, profile, archived_at=archived_at or now_utc(), slug=slug)
    return Converted(page, article, document)


def store_converted(
    store: Store,
    converted: Converted,
    *,
    existing: Entry | None = None,
    aliases: Iterable[str] = (),
    assets: AssetOptions | None = None,
) -> Archived:
    """Write ``converted`` into ``store``, updating the post's file if it is already archived.

    The post is recognised by the URL asked for, the final URL after redirects and
    the canonical URL, so a second ``add`` through any of them updates one file.
    An unchanged conversion writes nothing but the index's fetch data. With ``assets``
    the post's images are copied into the archive first (see ``assets.localize``).
    """
    page, canonical = converted.page, converted.canonical_url
    existing = existing or store.find(page.url, page.final_url, canonical)
    path = existing.path if existing else _new_path(store, converted.article, canonical)
    warnings: tuple[str, ...] = ()
    if assets is not None:
        converted, warnings = with_assets(store, converted, path, assets)
    entry = _entry(converted, path)
    all_aliases = [page.url, page.final_url, *(loc for _, loc in page.redirects), *aliases]
    if existing and existing.content_hash == entry.content_hash:
        store.update(entry, aliases=all_aliases)
        return Archived(entry, "unchanged", warnings)
    stored = store.save(entry, converted.document.text, raw_html=page.html, aliases=all_aliases)
    return Archived(stored, "updated" if existing else "written", warnings)


def with_assets(store: Store, converted: Converted, path: str,
                options: AssetOptions) -> tuple[Converted, tuple[str, ...]]:
    """``converted`` with its images localized for the post at ``path``; the warnings."""
    done = localize(store, path, converted.document.text, options)
    if done.text == converted.document.text:
        return converted, done.warnings
    document = replace(converted.document, text=done.text)
    return replace(converted, document=document), done.warnings


def archive_page(
    store: Store, page: Page, *, profile: str = "default", existing: Entry | None = None
) -> Archived:
    """Extract, convert and store one fetched page."""
    return store_converted(store, convert_page(page, profile), existing=existing)


def _new_path(store: Store, article: Article, canonical: str) -> str:
    year = article.published.year if article.published else None
    return store.new_path(canonical, make_slug(article.title, canonical), year)


def _entry(converted: Converted, path: str) -> Entry:
    page, article, document = converted.page, converted.article, converted.document
    return Entry(
        path=path,
        url=page.url,
        canonical_url=converted.canonical_url,
        title=article.title,
        date=article.published.isoformat() if article.published else "",
        content_hash=frontmatter.content_hash(document.text),
        etag=page.etag,
        last_modified=page.last_modified,
        fetched_at=page.fetched_stamp,
        status="ok",
        profile=document.profile,
    )
