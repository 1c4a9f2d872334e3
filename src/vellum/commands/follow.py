"""``vellum follow`` / ``unfollow``: add and remove sources in ``<archive>/vellum.yml``.

A site URL is resolved to its feed through ``<link rel="alternate">``; either way
the feed is fetched and parsed once, so a typo is caught now and not at 3 a.m.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, VellumError
from ..feeds import Feed, find_feed_links, parse_feed
from ..fetch.crawl import CrawlOptions, CrawlRequest
from ..fetch.netguard import Via
from ..models import Page
from ..store.config import (
    Source,
    load_sources,
    make_source,
    save_sources,
    with_source,
    without_source,
)
from ..urls import check_url
from .plan import Fetcher, crawl_fetcher


@dataclass(frozen=True)
class Followed:
    source: Source
    feed: Feed
    replaced: bool
    """True when the feed was already followed (its settings were replaced)."""


def follow(root: Path, url: str, *, name: str = "", tag: str = "", profile: str | None = None,
           category: Iterable[str] = (), options: CrawlOptions | None = None,
           fetcher: Fetcher | None = None) -> Followed:
    """Follow the feed at ``url``, or the feed a site at ``url`` announces."""
    fetch = fetcher or crawl_fetcher(options or CrawlOptions(respect_robots=False, retries=1))
    feed_url, feed, site = _resolve(check_url(url), fetch)
    source = make_source(feed_url, name=name, url=site or feed.link, tag=tag, profile=profile,
                         category=category)
    sources, replaced = with_source(load_sources(root), source)
    save_sources(root, sources)
    return Followed(source, feed, replaced)


def unfollow(root: Path, which: str) -> Source:
    """Stop following a source (by name, feed or site URL); its archived posts stay."""
    sources, removed = without_source(load_sources(root), which)
    save_sources(root, sources)
    return removed


def _resolve(url: str, fetch: Fetcher) -> tuple[str, Feed, str]:
    """(feed URL, parsed feed, site URL or '') for a feed or a site URL."""
    page = _get(url, fetch, "user")
    try:
        return page.final_url, parse_feed(page.html, page.final_url), ""
    except InputError:
        pass
    links = find_feed_links(page.html, page.final_url)
    if not links:
        raise InputError(url, "neither a feed nor a page that announces one "
                         '(<link rel="alternate">); give the feed\'s URL')
    feed_page = _get(links[0], fetch, page.found_on)
    return feed_page.final_url, parse_feed(feed_page.html, feed_page.final_url), page.final_url


def _get(url: str, fetch: Fetcher, via: Via) -> Page:
    result = next(iter(fetch([CrawlRequest(url, kind="feed", via=via)])))
    if result.page is None:
        error = result.error
        raise error if isinstance(error, VellumError) else InputError(url, "no response")
    return result.page
