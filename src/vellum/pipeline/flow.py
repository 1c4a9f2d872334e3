"""The pipeline order, once: page → article → document → archived entry.

``convert_page`` is the CPU-bound half (extract + convert, no I/O, picklable
arguments and result) so that batch commands can run it in worker processes;
``store_converted`` is the I/O half, run by the one process that writes.
``archive_fetched`` (one process) and ``archive_converted`` (after a worker) are
the whole flow from a fetched page to a stored entry, with the ``Hooks`` a command
adds: the feed's metadata, the rest of a split post, offline images, dedup's link.

A new conversion of an archived post never loses what the page alone does not
say: the feed's metadata is kept in the post's side facts and filled in again
(``refilled``), and the keys other commands added to its front matter (dedup's
``aliases``, ingest's ``ingested_from``, ``status: gone``, keys edited in by
hand) are carried over (``carried``). Only the keys the previous conversion
wrote itself are replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .. import frontmatter
from ..convert import PROFILES, Profile, render
from ..convert.imagelinks import relink
from ..errors import StoreError
from ..extract import extract
from ..models import Article, Document, Entry, OutcomeStatus, Page
from ..soup import paused_gc
from ..store import Store, history
from ..urls import is_web_url, make_slug, same_site
from .feedfill import Fill, fill_article
from .localize import AssetOptions, localize
from .multipage import FetchPage, extract_stored, gather, goes_on

Sites = tuple[tuple[str, ...], ...]
"""Groups of hosts the user declared as one site (``sites:`` in vellum.yml)."""
# Side facts: the feed's metadata for the post, the keys its conversion wrote, and when
# the archived version was made (a profile may name that key anything, or leave it out).
FEED_FACT, RENDERED_FACT, ARCHIVED_FACT = "feed", "rendered", "archived_at"
# Keys that stop being true once the post is fetched alive again.
REVIVED_KEYS = frozenset({"status", "gone_at"})


def convert_html(html: str | bytes, url: str | None = None,
                 profile: str | Profile = "default") -> str:
    """Convert one HTML page to a complete Markdown file (front matter + body). No network."""
    with paused_gc():  # one collection for both stages' trees
        return render(extract(html, url), profile).text


@dataclass(frozen=True)
class Converted:
    """A page turned into an article and its Markdown document, not yet stored."""

    page: Page
    article: Article
    document: Document
    fill: Fill | None = None
    """What the feed said about the post (already filled into ``article``)."""
    rendered: tuple[str, ...] | None = None
    """The keys the conversion wrote, when others were carried over from the old file."""
    profile: str | Profile = "default"
    """The profile it was rendered with (to render it again)."""
    archived_at: dt.datetime | None = None
    canonical_hint: str = ""
    """A canonical link to another site: recorded, never followed (see ``own_canonical``)."""

    @property
    def canonical_url(self) -> str:
        return self.article.url or self.page.final_url

    @property
    def rendered_keys(self) -> tuple[str, ...]:
        return self.rendered if self.rendered is not None else tuple(self.document.front_matter)

    def facts(self) -> dict[str, Any]:
        """The side facts this conversion establishes."""
        facts: dict[str, Any] = {RENDERED_FACT: list(self.rendered_keys)}
        if self.fill is not None:
            facts[FEED_FACT] = self.fill.as_facts()
        if self.archived_at is not None:
            facts[ARCHIVED_FACT] = self.archived_at.replace(microsecond=0).isoformat()
        return facts


@dataclass(frozen=True)
class Archived:
    """The result of archiving one page."""

    entry: Entry
    status: OutcomeStatus
    """``written`` (new file), ``updated`` (file changed) or ``unchanged``."""
    warnings: tuple[str, ...] = ()
    """What went wrong without failing the post (an image not saved)."""


Link = Callable[[Store, str], object]
"""Called with the path of each entry written new (dedup merges the post's archived copies)."""


@dataclass(frozen=True)
class Hooks:
    """What a command adds around the flow; each left out does nothing."""

    fill: Fill | None = None
    """What the feed says about the post: fills the fields the page leaves empty."""
    fetch_more: FetchPage | None = None
    """Fetches the rest of a teaser or a split post (``multipage``)."""
    assets: AssetOptions | None = None
    """Copies the post's images into the archive (``localize``)."""
    link: Link | None = None
    """Runs on each new entry (``commands.dedup.link_new_entry``)."""
    facts: Mapping[str, Any] | None = None
    """Side facts to record with the post (the followed source it came from)."""


def archive_fetched(store: Store, page: Page, profile: str | Profile = "default", *,
                    existing: Entry | None = None, sites: Sites = (),
                    hooks: Hooks = Hooks()) -> Archived:
    """A fetched page, extracted, made whole, converted and stored, in this process."""
    with paused_gc():
        article = extract(page.html, page.final_url)
    aliases: tuple[str, ...] = ()
    if hooks.fetch_more is not None and goes_on(article):
        whole = gather(page, article, hooks.fetch_more)
        page, article, aliases = whole.page, whole.article, whole.aliases
        existing = None if whole.hopped else existing
    converted = convert_article(page, article, profile, fill=hooks.fill, sites=sites)
    return stored(store, converted, existing=existing, aliases=aliases, hooks=hooks)


def archive_converted(store: Store, converted: Converted, *, existing: Entry | None = None,
                      sites: Sites = (), hooks: Hooks = Hooks()) -> Archived:
    """The rest of ``archive_fetched`` for a page converted in a worker process."""
    converted, aliases, hopped = whole_post(converted, hooks.fetch_more, sites)
    return stored(store, converted, existing=None if hopped else existing, aliases=aliases,
                  hooks=hooks)


def whole_post(converted: Converted, fetch_more: FetchPage | None,
               sites: Sites = ()) -> tuple[Converted, tuple[str, ...], bool]:
    """The full post of a teaser, every page of a split post, converted again (rare
    enough to be fetched here, one page at a time); its other URLs; whether it hopped."""
    if fetch_more is None or not goes_on(converted.article):
        return converted, (), False
    whole = gather(converted.page, converted.article, fetch_more)
    again = convert_article(whole.page, whole.article, converted.profile,
                            converted.archived_at, converted.fill, sites)
    return again, whole.aliases, whole.hopped


def stored(store: Store, converted: Converted, *, existing: Entry | None = None,
           aliases: Iterable[str] = (), hooks: Hooks = Hooks()) -> Archived:
    """``store_converted`` with the hooks' images and facts, and the link of a new entry."""
    archived = store_converted(store, converted, existing=existing, aliases=aliases,
                               facts=hooks.facts, assets=hooks.assets)
    if archived.status == "written" and hooks.link is not None:
        hooks.link(store, archived.entry.path)
    return archived


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def convert_page(
    page: Page, profile: str | Profile = "default", archived_at: dt.datetime | None = None,
    sites: Sites = (), fill: Fill | None = None,
) -> Converted:
    """Extract and convert ``page``, filled from the feed's ``fill`` (CPU only: safe to
    run in a worker process; every argument and the result pickle)."""
    with paused_gc():  # one collection for both stages' trees
        return convert_article(page, extract(page.html, page.final_url), profile, archived_at,
                               fill, sites)


def convert_article(
    page: Page, article: Article, profile: str | Profile = "default",
    archived_at: dt.datetime | None = None, fill: Fill | None = None, sites: Sites = (),
) -> Converted:
    """Convert the ``article`` extracted from ``page`` (or joined from its pages), with
    the empty fields the feed can fill (``fill``) filled from it."""
    return render_article(page, article, profile, archived_at or now_utc(), fill, sites)


def render_article(page: Page, article: Article, profile: str | Profile,
                   archived_at: dt.datetime | None, fill: Fill | None,
                   sites: Sites = ()) -> Converted:
    article, hint = own_canonical(article, page.final_url, sites)
    if fill is not None:
        article = fill_article(article, fill)
    slug = make_slug(article.title, article.url or page.final_url)
    document = render(article, profile, archived_at=archived_at, slug=slug,
                      source_tag=fill.tag if fill else "", feed_id=fill.entry_id if fill else "")
    return Converted(page, article, document, fill, profile=profile, archived_at=archived_at,
                     canonical_hint=hint)


def own_canonical(article: Article, location: str, sites: Sites = ()) -> tuple[Article, str]:
    """``article`` with a canonical URL it may claim, and the refused one ('' if none).

    A page names its canonical URL itself, so a page on one host could claim another
    host's post and overwrite it in the archive. The claim stands only for an http(s)
    URL on the same site as where the page was found (same registrable domain, or
    hosts the user declared as one site); otherwise the page is archived under its
    own URL and the claim is kept as a hint.
    """
    claimed = article.url or ""
    if not claimed or claimed == location:
        return article, ""
    if is_web_url(claimed) and (not location or same_site(claimed, location, sites)):
        return article, ""
    own = location if is_web_url(location) else None
    return replace(article, url=own), claimed


def stored_fill(facts: Mapping[str, Any]) -> Fill | None:
    return Fill.from_facts(facts.get(FEED_FACT))


def stored_archived_at(facts: Mapping[str, Any], text: str) -> dt.datetime | None:
    """When the archived version was made: its side fact, else its ``archived_at`` key."""
    value = facts.get(ARCHIVED_FACT)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return dt.datetime.fromisoformat(value)
    return frontmatter.archived_at(text)


def kept_over(store: Store, existing: Entry, converted: Converted, *,
              drop: frozenset[str] = REVIVED_KEYS) -> Converted:
    """``converted`` as it replaces the archived post ``existing``: refilled from the
    feed facts it lacks, with the keys that are no conversion's carried over."""
    try:
        old_text = store.read(existing.path)
        facts = store.facts(existing.path)
    except StoreError:  # the file is gone: nothing left to keep
        return converted
    return carried(old_text, facts, existing.profile, refilled(converted, facts), drop=drop)


def refilled(converted: Converted, facts: Mapping[str, Any]) -> Converted:
    """``converted`` rendered again with the feed's metadata, if it lacked it."""
    fill = stored_fill(facts)
    if converted.fill is not None or fill is None:
        return converted
    again = render_article(converted.page, converted.article, converted.profile,
                           converted.archived_at, fill)
    return replace(again, canonical_hint=converted.canonical_hint)


def carried(old_text: str, facts: Mapping[str, Any], old_profile: str, converted: Converted,
            *, drop: frozenset[str] = frozenset()) -> Converted:
    """``converted`` with the old file's keys that its previous conversion did not write."""
    old, _ = frontmatter.split(old_text)
    document = converted.document
    written = _written_before(facts, old_profile, document.profile)
    extra = {k: v for k, v in (old or {}).items()
             if k not in document.front_matter and k not in written and k not in drop}
    if not extra:
        return converted
    data = {**document.front_matter, **extra}
    text = frontmatter.join(data, document.body, sort_keys=document.sort_keys)
    return replace(converted, rendered=converted.rendered_keys,
                   document=replace(document, front_matter=data, text=text))


def _written_before(facts: Mapping[str, Any], old_profile: str, new_profile: str) -> set[str]:
    """The keys the previous conversion wrote (a guess for files older than the record)."""
    recorded = facts.get(RENDERED_FACT)
    if isinstance(recorded, list):
        return {str(k) for k in recorded}
    if old_profile != new_profile and old_profile in PROFILES:
        return set(PROFILES[old_profile].keys)
    return set()


def store_converted(
    store: Store,
    converted: Converted,
    *,
    existing: Entry | None = None,
    aliases: Iterable[str] = (),
    facts: Mapping[str, Any] | None = None,
    assets: AssetOptions | None = None,
    kept: bool = False,
) -> Archived:
    """Write ``converted`` into ``store``, updating the post's file if it is already archived.

    The post is recognised by the URL asked for, the final URL after redirects and
    the canonical URL, so a second ``add`` through any of them updates one file,
    keeping what other commands added to it (``kept_over``). An unchanged
    conversion writes nothing but the index's fetch data (``kept``: the caller has
    already made ``converted`` keep what ``existing`` had). ``facts`` are recorded
    in the post's side facts (e.g. the followed source it came from). With ``assets``
    the post's images are copied into the archive (see ``localize.localize``).
    """
    page, canonical = converted.page, converted.canonical_url
    existing = existing or store.find(page.url, page.final_url, canonical)
    if existing is not None and not kept:
        converted = kept_over(store, existing, converted)
    path = existing.path if existing else store.free_path(converted.document.path)
    warnings: tuple[str, ...] = ()
    if assets is not None:
        converted, warnings = with_assets(store, converted, path, assets)
    entry = _entry(converted, path)
    all_aliases = [page.url, page.final_url, *(loc for _, loc in page.redirects), *aliases]
    all_facts = {**converted.facts(), **(facts or {})}
    if existing and existing.content_hash == entry.content_hash:
        all_facts.pop(ARCHIVED_FACT, None)  # that version was archived then, not now
        store.update(entry, aliases=all_aliases, facts=all_facts)
        return Archived(entry, "unchanged", warnings)
    if existing:
        _keep_previous(store, existing)
    stored = store.save(entry, converted.document.text, raw_html=page.html, aliases=all_aliases,
                        facts=all_facts, canonical_hint=converted.canonical_hint)
    return Archived(stored, "updated" if existing else "written", warnings)


def with_assets(store: Store, converted: Converted, path: str,
                options: AssetOptions) -> tuple[Converted, tuple[str, ...]]:
    """``converted`` with its images localized for the post at ``path``; the warnings.

    The images were found in the page, so they may reach what a link found there may
    (``Page.found_on``): one on a public page never reaches a private address."""
    done = localize(store, path, converted.document.text, options,
                    found_on=converted.page.found_on)
    if done.text == converted.document.text:
        return converted, done.warnings
    document = replace(converted.document, text=done.text,
                       body=relink(converted.document.body, done.links))
    return replace(converted, document=document), done.warnings


def _keep_previous(store: Store, existing: Entry) -> None:
    """The version about to be replaced goes into the post's history, whichever command
    rewrites it (add, import, refresh)."""
    try:
        old_text = store.read(existing.path)
    except StoreError:
        return  # gone or unreadable: nothing to keep, and the new version repairs it
    history.keep(store.root, existing.path, old_text)


def convert_whole(page: Page, profile: str | Profile, fetch_more: FetchPage) -> str:
    """The Markdown file of ``page``'s whole post (a teaser's full post, every page of a
    split post), without any archive."""
    with paused_gc():
        article = extract(page.html, page.final_url)
    if goes_on(article):
        article = gather(page, article, fetch_more).article
    return render(article, profile).text


def rebuild_entry(store: Store, entry: Entry, profile: Profile, assets: AssetOptions,
                  sites: Sites = ()) -> OutcomeStatus:
    """The archived post converted again from its stored raw HTML (no network), keeping
    its ``archived_at``, feed facts and carried keys; written only if it changed."""
    html = store.raw_html(entry.path)
    if html is None:
        return "skipped"
    old_text, facts = store.read(entry.path), store.facts(entry.path)
    url = entry.canonical_url or entry.url
    page = Page(url=entry.url or url, final_url=url, html=html)
    converted = render_article(page, extract_stored(html, url or None), profile,
                               stored_archived_at(facts, old_text), stored_fill(facts), sites)
    converted = carried(old_text, facts, entry.profile, converted)
    converted, _ = with_assets(store, converted, entry.path, assets)
    text = converted.document.text
    new_hash = frontmatter.content_hash(text)
    if new_hash == frontmatter.content_hash(old_text):
        if entry.profile != profile.name:
            store.update(replace(entry, profile=profile.name), facts=converted.facts())
        return "unchanged"
    store.save(replace(entry, content_hash=new_hash, title=converted.article.title,
                       profile=profile.name), text, facts=converted.facts())
    return "updated"


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
