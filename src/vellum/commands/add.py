"""``vellum add``: archive posts one URL at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import partial

import httpx

from ..convert import Profile
from ..fetch import FetchOptions, fetch, make_client
from ..fetch.netguard import Via
from ..models import Entry, Outcome, Page
from ..pipeline.flow import Hooks, Sites, archive_fetched, convert_whole
from ..pipeline.localize import AssetOptions
from ..pipeline.profiles import resolve as resolve_profile
from ..pipeline.runner import run_one
from ..store import Store
from ..store.config import load_sites
from ..store.writing import writing
from ..urls import check_url, url_key
from .dedup import link_new_entry


def add(
    urls: Iterable[str],
    store: Store,
    *,
    profile: str = "default",
    options: FetchOptions | None = None,
    client: httpx.Client | None = None,
    force: bool = False,
    assets: AssetOptions | None = None,
) -> Iterator[Outcome]:
    """Archive each URL into ``store``, yielding one ``Outcome`` per URL.

    A failure never stops the others: it is reported as a ``failed`` outcome with
    the one-line reason (``pipeline.runner``: a bug's traceback too). An already
    archived post is fetched conditionally (ETag, Last-Modified) unless ``force``,
    and its file is rewritten only if it changed.
    Holds the archive lock while it runs (``LockedError`` at once if another run has it).
    With ``assets`` the posts' images are copied into the archive (``pipeline.localize``).
    """
    options = options or FetchOptions()
    chosen = resolve_profile(store.root, profile)
    own_client = client is None
    http = client or make_client(options)
    try:
        with writing(store):
            sites = load_sites(store.root)
            for url in urls:
                yield run_one(url, partial(_add_one, url, store, http, options, chosen, force,
                                           sites, assets))
    finally:
        if own_client:
            http.close()


def convert_url(
    url: str,
    *,
    profile: str = "default",
    options: FetchOptions | None = None,
    client: httpx.Client | None = None,
) -> str:
    """Fetch ``url`` and return its Markdown file text without touching any archive.

    A teaser gives its full post, a split post all its pages, as ``add`` would store.
    """
    options = options or FetchOptions()
    page = fetch(check_url(url), client=client, options=options)
    return convert_whole(page, profile, partial(_fetch_more, client=client, options=options))


def _add_one(
    url: str, store: Store, client: httpx.Client, options: FetchOptions, profile: Profile,
    force: bool, sites: Sites = (), assets: AssetOptions | None = None,
) -> Outcome:
    url = check_url(url)
    existing = store.find(url)
    # A conditional GET is only sound when the stored file was made the same way, from
    # this URL (not one found as an alias: a teaser's validators are not its post's).
    validators = (existing if existing and not force and existing.profile == profile.name
                  and _own_url(existing, url) else None)
    page = fetch(
        url,
        client=client,
        options=options,
        etag=validators.etag if validators else None,
        last_modified=validators.last_modified if validators else None,
    )
    if page.not_modified and existing:
        store.update(replace(existing, fetched_at=page.fetched_stamp))
        return Outcome(url, "unchanged", existing.path, http_status=304)
    hooks = Hooks(fetch_more=partial(_fetch_more, client=client, options=options),
                  assets=_with_fetch(assets, options), link=link_new_entry)
    result = archive_fetched(store, page, profile, existing=existing, sites=sites, hooks=hooks)
    return Outcome(url, result.status, result.entry.path, http_status=page.status,
                   warnings=result.warnings)


def _with_fetch(assets: AssetOptions | None, options: FetchOptions) -> AssetOptions | None:
    """Images are fetched with the page's headers and timeouts."""
    if assets is None:
        return None
    return replace(assets, crawl=replace(assets.crawl, fetch=options))


def _own_url(entry: Entry, url: str) -> bool:
    return url_key(url) in (url_key(entry.url), url_key(entry.canonical_url or entry.url))


def _fetch_more(url: str, via: Via, *, client: httpx.Client | None,
                options: FetchOptions) -> Page:
    """Another page of the same post (a teaser's full post, page 2...), found in a page."""
    return fetch(url, client=client, options=options, via=via)

