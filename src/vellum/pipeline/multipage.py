"""Posts that go on elsewhere: a teaser's full post, every page of a split post.

Extract reports what it saw (``Article.continuation_url``, ``next_page_url``,
``first_page_url``); this module fetches those pages and joins them into one
article. Guards: one hop from a teaser (or from page N) to the post's start, the
same site only, no page twice, at most ``MAX_PAGES`` pages.

A split post's raw HTML is stored as a *bundle* of its pages (a one-line header
naming each page's URL and length, then the pages as fetched), so ``rebuild``
reproduces the file without network. A teaser's full post is one page: its raw
HTML is stored as is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial

from bs4 import BeautifulSoup, NavigableString, Tag

from ..errors import ExtractError, FetchError, VellumError
from ..extract import extract
from ..extract.pagination import same_site
from ..fetch.crawl import CrawlRequest, CrawlResult
from ..fetch.netguard import Via
from ..marks import FOOTNOTE, FOOTNOTE_REF, FOOTNOTES
from ..models import Article, Body, Page
from ..soup import child_tags, parse_html, tags
from ..urls import url_key

__all__ = ["MAX_PAGES", "Gathered", "bundle", "extract_stored", "gather", "goes_on",
           "join_articles", "unbundle", "via_crawl"]

MAX_PAGES = 20
BUNDLE_HEAD = "<!--vellum:pages "
BUNDLE_TAIL = "-->"

FetchPage = Callable[[str, Via], Page]
"""Fetch one URL found in a page (``Page.found_on``), raising a ``VellumError`` when it cannot."""


@dataclass(frozen=True)
class Gathered:
    """The whole post: the page to store (a bundle when split), its article, more URLs."""

    page: Page
    article: Article
    aliases: tuple[str, ...] = ()
    """URLs that lead to this post too (the teaser, pages 2..N)."""
    hopped: bool = False
    """The post was reached from another page (a teaser, page N): what that page's URL
    was archived as before says nothing about this post (a blog's front page shows
    another teaser tomorrow)."""


def goes_on(article: Article) -> bool:
    """True when ``article`` is not the whole post (a teaser, one page of several)."""
    return bool(article.continuation_url or article.next_page_url or article.first_page_url)


def gather(page: Page, article: Article, fetch_page: FetchPage) -> Gathered:
    """The whole post that ``article`` (extracted from ``page``) is part of.

    Raises ``FetchError``/``ExtractError`` naming both URLs when a page the post
    needs cannot be fetched or read: a teaser archived silently would be worse.
    """
    if not goes_on(article):
        return Gathered(page, article)
    aliases: list[str] = []
    start = article.continuation_url or article.first_page_url
    hopped = None
    if start and same_site(start, page.final_url):
        hopped = _hop(page, article, start, fetch_page)
        if hopped is not None:
            aliases += [page.url, page.final_url]
            page, article = hopped
    pages = [(page, article), *_following(page, article, fetch_page)]
    aliases += [u for p, _ in pages[1:] for u in (p.url, p.final_url)]
    if len(pages) == 1:
        return Gathered(page, _whole(article), _aliases(aliases, page), hopped is not None)
    joined = join_articles([a for _, a in pages])
    stored = replace(page, html=bundle([p for p, _ in pages]))
    return Gathered(stored, joined, _aliases(aliases, page), hopped is not None)


def _hop(page: Page, article: Article, start: str,
         fetch_page: FetchPage) -> tuple[Page, Article] | None:
    """The post's start (the full post of a teaser, page 1 of page N), or None on a loop."""
    what = (f"a teaser of {start}" if article.continuation_url
            else f"a later page of a post that starts at {start}")
    try:
        full = fetch_page(start, page.found_on)
        if url_key(full.final_url) in (url_key(page.url), url_key(page.final_url)):
            return None  # the link leads back here: this page is the post
        return full, extract(full.html, full.final_url)
    except ExtractError as err:
        raise ExtractError(page.url, f"{what}, which is not readable: {err.reason}") from err
    except VellumError as err:
        raise FetchError(page.url, f"{what}, which could not be fetched: {err.reason}") from err


def _following(page: Page, article: Article,
               fetch_page: FetchPage) -> list[tuple[Page, Article]]:
    """Pages 2..N of a split post, in order."""
    seen = {url_key(page.url), url_key(page.final_url)}
    found: list[tuple[Page, Article]] = []
    target = article.next_page_url
    while target and len(found) + 1 < MAX_PAGES:
        if url_key(target) in seen or not same_site(target, page.final_url):
            break
        seen.add(url_key(target))
        number = len(found) + 2
        try:
            more = fetch_page(target, (found[-1][0] if found else page).found_on)
            if url_key(more.final_url) in seen - {url_key(target)}:
                break  # redirected back to a page we have
            seen.add(url_key(more.final_url))
            found.append((more, extract(more.html, more.final_url)))
        except ExtractError as err:
            raise ExtractError(page.url, f"page {number} of the post ({target}) is not "
                                         f"readable: {err.reason}") from err
        except VellumError as err:
            raise FetchError(page.url, f"page {number} of the post ({target}) could not be "
                                       f"fetched: {err.reason}") from err
        target = found[-1][1].next_page_url
    return found


def _aliases(urls: list[str], page: Page) -> tuple[str, ...]:
    own = {url_key(page.url), url_key(page.final_url)}
    return tuple(u for u in dict.fromkeys(urls) if url_key(u) not in own)


def _whole(article: Article) -> Article:
    return article.replaced(continuation_url=None, next_page_url=None, first_page_url=None)


# -- joining ------------------------------------------------------------------------------------


def join_articles(articles: Sequence[Article]) -> Article:
    """One article from the pages of a split post: the first page's metadata, every body.

    Footnotes are numbered on across pages and all definitions go to one section
    at the end (the contract ``convert`` expects). The pages' trees are joined as they
    are (text bodies are parsed once), never written out and parsed again.
    """
    body, soup = _tree(articles[0])
    notes = _split_notes(body, 0)
    for article in articles[1:]:
        more, _ = _tree(article)
        notes += _split_notes(more, len(notes))
        if more.contents:
            body.append(NavigableString("\n"))
            for child in list(more.contents):
                body.append(child)
    if notes:
        section = soup.new_tag("section", attrs={FOOTNOTES: ""})
        for note in notes:
            section.append(note)
        body.append(NavigableString("\n"))
        body.append(section)
    joined = Body(body, soup, partial(_joined_html, tuple(articles)))
    return articles[0].replaced(body_html=joined, continuation_url=None, next_page_url=None,
                                first_page_url=None)


def _joined_html(articles: tuple[Article, ...]) -> str:
    return join_articles(articles).body_html


def _tree(article: Article) -> tuple[Tag, BeautifulSoup]:
    """The article's body element and its soup: extract's tree, else its text parsed."""
    taken = article.body_tree()
    if taken is not None:
        return taken
    soup = parse_html(article.body_html)
    body = soup.body
    if body is None:
        body = soup.new_tag("body")
    return body, soup


def _split_notes(body: Tag, numbered: int) -> list[Tag]:
    """The notes of ``body``'s footnote section, taken out and numbered on from
    ``numbered`` (each page of a split post starts its footnotes at 1)."""
    found = [t for t in tags(body) if FOOTNOTE_REF in t.attrs or FOOTNOTE in t.attrs
             or FOOTNOTES in t.attrs]
    if not found:
        return []
    ids: dict[str, str] = {}
    for tag in found:
        for attr in (FOOTNOTE_REF, FOOTNOTE):
            if tag.has_attr(attr):
                old = str(tag[attr])
                tag[attr] = ids.setdefault(old, str(numbered + len(ids) + 1))
    notes: list[Tag] = []
    for section in [t for t in found if t.has_attr(FOOTNOTES)]:
        notes += [n.extract() for n in child_tags(section) if n.has_attr(FOOTNOTE)]
        section.decompose()
    return notes


# -- raw HTML of split posts --------------------------------------------------------------------


def bundle(pages: Sequence[Page]) -> str:
    """The raw HTML of several pages as one string (see ``unbundle``)."""
    head = json.dumps([[p.final_url, len(p.html)] for p in pages])
    return f"{BUNDLE_HEAD}{head}{BUNDLE_TAIL}\n" + "".join(p.html for p in pages)


def unbundle(raw: str) -> list[tuple[str, str]] | None:
    """The (URL, HTML) pages of a bundle; None when ``raw`` is one plain page."""
    if not raw.startswith(BUNDLE_HEAD):
        return None
    line, _, rest = raw.partition("\n")
    try:
        listed = json.loads(line[len(BUNDLE_HEAD):].removesuffix(BUNDLE_TAIL))
        sizes = [(str(url), int(size)) for url, size in listed]
    except (ValueError, TypeError):
        return None
    if sum(size for _, size in sizes) != len(rest):
        return None
    pages, offset = [], 0
    for url, size in sizes:
        pages.append((url, rest[offset:offset + size]))
        offset += size
    return pages


def extract_stored(raw: str, url: str | None) -> Article:
    """The article of stored raw HTML: one page, or the joined pages of a bundle.

    Stored pages are never followed again: the file is rebuilt from what was fetched.
    """
    pages = unbundle(raw)
    if pages is None:
        return _whole(extract(raw, url))
    return join_articles([extract(html, page_url) for page_url, html in pages])


# -- fetching through the crawl engine ----------------------------------------------------------


def via_crawl(crawl: Callable[[Sequence[CrawlRequest]], Iterator[CrawlResult]]) -> FetchPage:
    """A ``FetchPage`` for commands that fetch through the crawl engine (import, refresh)."""

    def fetch_page(url: str, via: Via) -> Page:
        for result in crawl([CrawlRequest(url, via=via)]):
            if result.page is not None:
                return result.page
            raise result.error or FetchError(url, "no response")
        raise FetchError(url, "no response")

    return fetch_page
