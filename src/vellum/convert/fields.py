"""The values a front-matter profile can write: vellum's fields, computed from the article.

``FIELDS`` maps a field name (what a profile's key is "mapped from") to the
function computing it from a ``Context``. Dates stay ``date``/``datetime``
objects here; each profile formats them its own way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import Article
from ..urls import absolute, is_web_url, make_slug
from .text import one_line


@dataclass(frozen=True)
class Context:
    """What a profile's values are computed from."""

    article: Article
    archived_at: dt.datetime | None = None
    slug: str | None = None
    source_tag: str = ""
    """The followed source's ``--tag``, when the post came through a feed."""
    feed_id: str = ""
    """The feed entry's id (``<guid>``, Atom ``<id>``), when the post came through a feed."""


def names(values: tuple[str, ...]) -> list[str]:
    """Cleaned, de-duplicated, non-empty names, in order."""
    seen: dict[str, None] = {}
    for value in values:
        name = one_line(value)
        if name and name.casefold() not in {s.casefold() for s in seen}:
            seen[name] = None
    return list(seen)


def _updated(c: Context) -> dt.datetime | dt.date | None:
    a = c.article
    return a.updated if a.updated and a.updated != a.published else None


def _slug(c: Context) -> str:
    return c.slug or make_slug(c.article.title, c.article.url or c.article.final_url)


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _author_or_site(c: Context) -> str:
    return _first(names(c.article.authors)) or one_line(c.article.site_name)


def _author_tag(c: Context) -> str:
    """The source's tag for a followed post (an aggregator files posts by it), else the
    author's (or site's) name as a slug."""
    if c.source_tag:
        return c.source_tag
    name = _author_or_site(c)
    return make_slug(name) if name else ""


def _jekyll_category(c: Context) -> str:
    """The source's tag when following a feed, else the post's first category."""
    return c.source_tag or _first(names(c.article.categories))


def _image(c: Context) -> str:
    a = c.article
    image = one_line(a.image)
    return _web(absolute(image, a.base_url or a.final_url or a.url)) if image else ""


def _web(url: str | None) -> str:
    """``url`` when it is an absolute http(s) URL, else '': a page's metadata may name any
    scheme (``javascript:``, ``data:``, ``file:``), and templates render these keys as links."""
    url = one_line(url or "")
    return url if is_web_url(url) else ""


def _keywords(c: Context) -> list[str]:
    return names((*c.article.categories, *c.article.tags))


FIELDS: dict[str, Callable[[Context], Any]] = {
    "title": lambda c: one_line(c.article.title),
    "published": lambda c: c.article.published,
    "updated": _updated,
    "authors": lambda c: names(c.article.authors),
    "author": lambda c: _first(names(c.article.authors)),
    # Material for MkDocs' blog wants ids listed in its .authors.yml, not names.
    "author_ids": lambda c: [make_slug(n) for n in names(c.article.authors)],
    "author_or_site": _author_or_site,
    "author_tag": _author_tag,
    "categories": lambda c: names(c.article.categories),
    "category": lambda c: _first(names(c.article.categories)),
    "jekyll_category": _jekyll_category,
    "tags": lambda c: names(c.article.tags),
    "keywords": _keywords,
    "description": lambda c: one_line(c.article.description),
    "url": lambda c: _web(c.article.url) or _web(c.article.final_url),
    "slug": _slug,
    "site_name": lambda c: one_line(c.article.site_name),
    "site_url": lambda c: _web(c.article.site_url),
    "site_description": lambda c: one_line(c.article.site_description),
    "image": _image,
    "language": lambda c: one_line(c.article.language),
    "archived_at": lambda c: c.archived_at.replace(microsecond=0) if c.archived_at else None,
    "source_tag": lambda c: c.source_tag,
    "feed_id": lambda c: c.feed_id,
}
