"""``vellum add``: archive posts one URL at a time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial

import httpx

from ..errors import HTTPStatusError, VellumError
from ..fetch import FetchOptions, fetch, make_client
from ..models import Outcome
from ..store import Store
from ..urls import check_url
from .dedup import link_new_entry
from .locking import writing
from .pipeline import archive_page, convert_html


def add(
    urls: Iterable[str],
    store: Store,
    *,
    profile: str = "default",
    options: FetchOptions | None = None,
    client: httpx.Client | None = None,
    force: bool = False,
) -> Iterator[Outcome]:
    """Archive each URL into ``store``, yielding one ``Outcome`` per URL.

    A failure never stops the others: it is reported as a ``failed`` outcome with
    the one-line reason. An already archived post is fetched conditionally (ETag,
    Last-Modified) unless ``force``, and its file is rewritten only if it changed.
    Holds the archive lock while it runs (``LockedError`` at once if another run has it).
    """
    options = options or FetchOptions()
    own_client = client is None
    http = client or make_client(options)
    try:
        with writing(store):
            for url in urls:
                yield _timed(url, partial(_add_one, url, store, http, options, profile, force))
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
    """Fetch ``url`` and return its Markdown file text without touching any archive."""
    page = fetch(check_url(url), client=client, options=options or FetchOptions())
    return convert_html(page.html, page.final_url, profile)


def _add_one(
    url: str, store: Store, client: httpx.Client, options: FetchOptions, profile: str, force: bool
) -> Outcome:
    url = check_url(url)
    existing = store.find(url)
    # A conditional GET is only sound when the stored file was made the same way.
    validators = existing if existing and not force and existing.profile == profile else None
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
    result = archive_page(store, page, profile=profile, existing=existing)
    if result.status == "written":  # the same post may be archived already in another form
        link_new_entry(store, result.entry.path)
    return Outcome(url, result.status, result.entry.path, http_status=page.status)


def _timed(url: str, work: Callable[[], Outcome]) -> Outcome:
    started = time.monotonic()
    try:
        outcome = work()
    except VellumError as err:
        status = err.status if isinstance(err, HTTPStatusError) else None
        return Outcome(url, "failed", error=str(err), http_status=status,
                       seconds=time.monotonic() - started)
    return replace(outcome, seconds=time.monotonic() - started)
