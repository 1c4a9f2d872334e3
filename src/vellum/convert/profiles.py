"""Front matter profiles, as data: which keys, from which article value, in which order.

Each profile is a tuple of ``(key, source)`` pairs; ``SOURCES`` maps a source name
to the function computing it from the article. Empty values are left out unless
the key is in the profile's ``keep``; constants (Jekyll's ``layout``) are sources too.

``default``  everything vellum knows, in a readable order.
``mkdocs``   Material for MkDocs blog posts: date (a date), authors, categories,
             title, description.
``jekyll``   a Jekyll aggregator ("planet") post: keys sorted, the date a quoted
             ``'YYYY-MM-DD HH:MM:SS'`` string (the post's own wall-clock time).
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


@dataclass(frozen=True)
class Profile:
    name: str
    fields: tuple[tuple[str, str], ...]
    """(front matter key, source name) pairs, in output order."""
    sort_keys: bool = False
    keep: frozenset[str] = frozenset()
    """Keys written even when empty."""


PROFILES: dict[str, Profile] = {
    "default": Profile("default", (
        ("title", "title"), ("date", "published"), ("updated", "updated"),
        ("authors", "authors"), ("categories", "categories"), ("tags", "tags"),
        ("description", "description"), ("original_url", "url"), ("slug", "slug"),
        ("blog_title", "site_name"), ("blog_url", "site_url"), ("image", "image"),
        ("language", "language"), ("archived_at", "archived_at"),
    )),
    "mkdocs": Profile("mkdocs", (
        ("date", "published_date"), ("authors", "authors"), ("categories", "categories"),
        ("title", "title"), ("description", "description"),
    )),
    "jekyll": Profile("jekyll", (
        ("author", "author_or_site"), ("author_tag", "author_tag"),
        ("blog_subtitle", "site_description"), ("blog_title", "site_name"),
        ("blog_url", "site_url"), ("category", "blog_category"),
        ("date", "published_text"), ("layout", "post_layout"), ("original_url", "url"),
        ("slug", "slug"), ("title", "title"),
    ), sort_keys=True, keep=frozenset({"layout"})),
}


def _names(values: tuple[str, ...]) -> list[str]:
    """Cleaned, de-duplicated, non-empty names, in order."""
    seen: dict[str, None] = {}
    for value in values:
        name = one_line(value)
        if name and name.casefold() not in {s.casefold() for s in seen}:
            seen[name] = None
    return list(seen)


def _date_only(value: dt.datetime | dt.date | None) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _timestamp_text(value: dt.datetime | dt.date | None) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.strftime("%Y-%m-%d 00:00:00") if isinstance(value, dt.date) else ""


def _updated(c: Context) -> dt.datetime | dt.date | None:
    a = c.article
    return a.updated if a.updated and a.updated != a.published else None


def _slug(c: Context) -> str:
    return c.slug or make_slug(c.article.title, c.article.url or c.article.final_url)


def _author_or_site(c: Context) -> str:
    authors = _names(c.article.authors)
    return authors[0] if authors else one_line(c.article.site_name)


def _author_tag(c: Context) -> str:
    name = _author_or_site(c)
    return make_slug(name) if name else ""


def _blog_category(c: Context) -> str:
    categories = _names(c.article.categories)
    return categories[0] if categories else _author_tag(c)


def _image(c: Context) -> str:
    a = c.article
    image = one_line(a.image)
    return _web(absolute(image, a.base_url or a.final_url or a.url)) if image else ""


def _web(url: str | None) -> str:
    """``url`` when it is an absolute http(s) URL, else '': a page's metadata may name any
    scheme (``javascript:``, ``data:``, ``file:``), and templates render these keys as links."""
    url = one_line(url or "")
    return url if is_web_url(url) else ""


SOURCES: dict[str, Callable[[Context], Any]] = {
    "title": lambda c: one_line(c.article.title),
    "published": lambda c: c.article.published,
    "published_date": lambda c: _date_only(c.article.published),
    "published_text": lambda c: _timestamp_text(c.article.published),
    "updated": _updated,
    "authors": lambda c: _names(c.article.authors),
    "categories": lambda c: _names(c.article.categories),
    "tags": lambda c: _names(c.article.tags),
    "description": lambda c: one_line(c.article.description),
    "url": lambda c: _web(c.article.url) or _web(c.article.final_url),
    "slug": _slug,
    "site_name": lambda c: one_line(c.article.site_name),
    "site_url": lambda c: _web(c.article.site_url),
    "site_description": lambda c: one_line(c.article.site_description),
    "image": _image,
    "language": lambda c: one_line(c.article.language),
    "archived_at": lambda c: c.archived_at.replace(microsecond=0) if c.archived_at else None,
    "author_or_site": _author_or_site,
    "author_tag": _author_tag,
    "blog_category": _blog_category,
    "post_layout": lambda c: "post",
}


def values(profile: Profile, context: Context) -> dict[str, Any]:
    """The front matter mapping of ``profile`` for ``context``, empty values left out."""
    data: dict[str, Any] = {}
    for key, source in profile.fields:
        value = SOURCES[source](context)
        if value in (None, "", [], ()) and key not in profile.keep:
            continue
        data[key] = value
    return data
