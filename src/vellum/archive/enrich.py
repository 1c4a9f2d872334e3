"""Feed metadata filling what a page lacks, and the feed's content standing in for a page.

Runs in convert worker processes: everything here is picklable and free of I/O.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, replace

from ..extract import extract
from ..feeds import Feed, FeedEntry
from ..models import Article, Page
from .pipeline import Converted, Sites, convert_article


@dataclass(frozen=True)
class Fill:
    """What a followed feed knows about one post (all optional)."""

    blog_title: str = ""
    blog_subtitle: str = ""
    blog_url: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    title: str = ""
    tag: str = ""


def make_fill(feed: Feed, entry: FeedEntry | None, *, site_url: str = "", tag: str = "") -> Fill:
    return Fill(
        blog_title=feed.title, blog_subtitle=feed.subtitle, blog_url=feed.link or site_url,
        authors=(entry.authors if entry else ()) or feed.authors,
        categories=entry.categories if entry else (),
        published=entry.published if entry else None,
        updated=entry.updated if entry else None,
        title=entry.title if entry else "", tag=tag,
    )


def fill_article(article: Article, fill: Fill) -> Article:
    """``article`` with its empty fields taken from the feed; the page always wins."""
    tags = article.tags
    if fill.tag and fill.tag.casefold() not in {t.casefold() for t in tags}:
        tags = (*tags, fill.tag)
    return replace(
        article,
        title=article.title or fill.title,
        authors=article.authors or fill.authors,
        categories=article.categories or fill.categories,
        published=article.published or fill.published,
        updated=article.updated or fill.updated,
        site_name=article.site_name or fill.blog_title,
        site_url=article.site_url or fill.blog_url,
        site_description=article.site_description or fill.blog_subtitle,
        tags=tags,
    )


def convert_filled(page: Page, profile: str, archived_at: dt.datetime,
                   fill: Fill | None, sites: Sites = ()) -> Converted:
    """Extract, fill from the feed, render: ``convert_page`` with feed metadata."""
    article = extract(page.html, page.final_url)
    if fill is not None:
        article = fill_article(article, fill)
    return convert_article(page, article, profile, archived_at, sites)


def feed_page(entry: FeedEntry, fetched_at: dt.datetime) -> Page | None:
    """A page made of the feed's own copy of the post, or ``None`` when it has none."""
    content = entry.content_html or entry.summary
    if not content.strip():
        return None
    title = html.escape(entry.title)
    document = (f"<!DOCTYPE html><html><head><title>{title}</title>"
                f'<link rel="canonical" href="{html.escape(entry.url)}"></head>'
                f"<body><article><h1>{title}</h1>{content}</article></body></html>")
    return Page(url=entry.url, final_url=entry.url, html=document, fetched_at=fetched_at)
