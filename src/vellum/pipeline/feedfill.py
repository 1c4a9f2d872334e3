"""Feed metadata filling what a page lacks, and the feed's content standing in for a page.

Runs in convert worker processes: everything here is picklable and free of I/O. A
``Fill`` is also kept in the post's side facts (``as_facts`` / ``from_facts``): the
feed forgets old posts, and ``rebuild`` has no feed at all.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ..feeds import Feed, FeedEntry
from ..models import Article, Page


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
    """The source's ``follow --tag``."""
    entry_id: str = ""
    """The feed entry's own id (``<guid>``, Atom ``<id>``)."""

    def as_facts(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("published", "updated"):
            data[key] = data[key].isoformat() if data[key] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items() if v}

    @classmethod
    def from_facts(cls, data: object) -> Fill | None:
        """The fill kept in side facts; None when there is none (or it is unreadable)."""
        if not isinstance(data, dict):
            return None
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            if f.name in ("authors", "categories"):
                values[f.name] = tuple(str(v) for v in value) if isinstance(value, list) else ()
            elif f.name in ("published", "updated"):
                values[f.name] = _when(value)
            else:
                values[f.name] = str(value) if isinstance(value, (str, int)) else ""
        return cls(**values)


def _when(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def make_fill(feed: Feed, entry: FeedEntry | None, *, site_url: str = "", tag: str = "") -> Fill:
    return Fill(
        blog_title=feed.title, blog_subtitle=feed.subtitle, blog_url=feed.link or site_url,
        authors=(entry.authors if entry else ()) or feed.authors,
        categories=entry.categories if entry else (),
        published=entry.published if entry else None,
        updated=entry.updated if entry else None,
        title=entry.title if entry else "", tag=tag,
        entry_id=(entry.id if entry else "") or "",
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
