"""What the theme shows about a post when ``<meta>`` and JSON-LD are silent.

Tags and categories rendered as links or chips (``/tags/x/``, ``/categories/x/``,
``rel=tag``, ``#tag``), author lists of blog themes, and dates written only as text
("Posted on July 22, 2021"). A link counts when it sits in the post (its
``<article>``) or in a post-meta container, and not in site chrome: menus, tag
clouds, sidebars' widgets, related-post teasers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bs4 import Tag

from ..rules import extract as rules
from ..rules.extract import (
    POST_AUTHOR_SELECTORS,
    POST_DATE_WORDS,
    POST_META_TOKENS,
    POST_META_WORDS,
    TAXONOMY_CHROME_TOKENS,
    TAXONOMY_CHROME_WORDS,
    TERM_LINE_RE,
)
from ..soup import select
from .dates import parse_text_date
from .dom import classes, text_of, token_words

_CATEGORY_KINDS = ("category", "categories")
_PROSE_LETTERS = 24  # a paragraph with this many letters beside its links is prose
_TERM_MAX = 60
_LINE_MAX = 300
_CHROME_TAGS = ("nav", "aside", "menu")
_PAGE_BANDS = ("header", "footer")
_SITE_WORDS = frozenset({"site", "page", "global", "masthead", "main"})
_DATE_TEXT_MAX = 120


@dataclass(frozen=True)
class Terms:
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


def post_container(articles: list[Tag], h1s: list[Tag]) -> Tag | None:
    """The ``<article>`` holding the page's first h1; else the h1's parent when it also
    holds the first ``<article>`` (AstroPaper: title, body and tag chips side by side
    in ``<main>``); else the first ``<article>``."""
    if h1s:
        parents = list(h1s[0].parents)
        held = next((p for p in parents if p.name == "article"), None)
        if held is not None:
            return held
        if articles and any(p is parents[0] for p in articles[0].parents):
            return parents[0]
    return articles[0] if articles else None


def shown_terms(links: list[Tag], post: Tag | None) -> Terms:
    """Tags and categories from the taxonomy links the post shows."""
    tags: list[str] = []
    categories: list[str] = []
    seen = _Verdicts()
    for link in links:
        attrs = link.attrs
        href = attrs.get("href")
        if "rel" not in attrs and not (isinstance(href, str) and _taxonomy_hint(href)):
            continue  # most links: _taxonomy_kind's first look, without a call per link
        kind = _taxonomy_kind(link)
        if kind is None or not _belongs_to_post(link, post, seen) or _in_prose(link):
            continue
        term = _term(link)
        if term:
            (categories if kind == "category" else tags).append(term)
    return Terms(_unique(tags), _unique(categories))


def term_lines(boxes: list[Tag], post: Tag | None) -> Terms:
    """Terms a post-meta line of the post lists as plain text, without links."""
    tags: list[str] = []
    categories: list[str] = []
    for box in boxes:
        if post is not None and box is not post and not any(p is post for p in box.parents):
            continue
        for line in box.get_text("\n").split("\n"):
            match = TERM_LINE_RE.match(" ".join(line.split()))
            if match is None or len(match.group("terms")) > _LINE_MAX:
                continue
            terms = [t.strip() for t in match.group("terms").split(",")]
            into = tags if match.group("tags") else categories
            into += [t for t in terms if t and len(t) <= _TERM_MAX]
    return Terms(_unique(tags), _unique(categories))


def _taxonomy_kind(link: Tag) -> str | None:
    rel = [r.lower() for r in (link.get("rel") or ())]
    if "category" in rel:
        return "category"
    if "tag" in rel:
        return "tag"
    href = link.get("href")
    if not isinstance(href, str) or not _taxonomy_hint(href):
        return None
    parts = urlsplit(href.strip())
    if rules.TAG_FRAGMENT_RE.match(unquote(parts.fragment)):
        return "tag"
    match = rules.TAXONOMY_PATH_RE.search(parts.path)
    if match is None:
        return None
    kind = match.group("kind").lower()
    if kind == "t" and not text_of(link).startswith("#"):
        return None  # Forem's /t/x is a tag only as a "#x" chip
    return "category" if kind in _CATEGORY_KINDS else "tag"


def _taxonomy_hint(href: str) -> bool:
    """``rules.TAXONOMY_HINT_RE.search(href)``, asked of every link of the page."""
    if href.isascii():
        return rules.TAXONOMY_HINT_LOWER_RE.search(href.lower()) is not None
    return rules.TAXONOMY_HINT_RE.search(href) is not None  # its case rules beyond ASCII


def _term(link: Tag) -> str:
    text = rules.COUNT_RE.sub("", text_of(link)).lstrip("#").strip()
    if not text:  # an icon-only chip: the term is the URL's
        href = str(link.get("href") or "")
        parts = urlsplit(href)
        fragment = rules.TAG_FRAGMENT_RE.match(unquote(parts.fragment))
        match = rules.TAXONOMY_PATH_RE.search(parts.path)
        text = fragment.group("term") if fragment else (
            unquote(match.group("term")) if match else "")
    return text if len(text) <= _TERM_MAX else ""


class _Verdicts:
    """``_listing`` and ``_is_post_meta`` of each ancestor, asked once: a page's taxonomy
    links share most of their ancestors. Lives for one read of an unchanging tree."""

    def __init__(self) -> None:
        self.listing: dict[int, bool] = {}
        self.post_meta: dict[int, bool] = {}

    def is_listing(self, tag: Tag) -> bool:
        found = self.listing.get(id(tag))
        if found is None:
            found = self.listing[id(tag)] = _listing(tag)
        return found

    def is_post_meta(self, tag: Tag) -> bool:
        found = self.post_meta.get(id(tag))
        if found is None:
            found = self.post_meta[id(tag)] = _is_post_meta(tag)
        return found


def _belongs_to_post(link: Tag, post: Tag | None, seen: _Verdicts) -> bool:
    """In a post-meta container (whatever holds it: Material puts it in the sidebar's
    nav), or in the post and outside chrome; a teaser list or tag cloud never counts."""
    chain = [p for p in link.parents if p.name not in ("body", "html", "[document]")]
    if in_listing(link, seen):
        return False
    if any(seen.is_post_meta(p) for p in chain):
        return True
    inside = any(p is post for p in chain)
    for parent in chain:
        if parent is post:
            break
        if parent.name in _CHROME_TAGS or (parent.name in _PAGE_BANDS and not inside
                                            and _site_band(parent, post)):
            return False
    return inside or post is None


def in_listing(tag: Tag, seen: _Verdicts | None = None) -> bool:
    """Inside a list of other posts (related posts, teasers, tag clouds)."""
    listing = _listing if seen is None else seen.is_listing
    return any(listing(p) for p in tag.parents if p.name not in ("body", "html"))


def _listing(tag: Tag) -> bool:
    names = classes(tag)
    if not TAXONOMY_CHROME_TOKENS.isdisjoint(names):
        return True
    return any(not TAXONOMY_CHROME_WORDS.isdisjoint(token_words(name)) for name in names)


def _site_band(band: Tag, post: Tag | None) -> bool:
    """A header or footer of the site, not of the post: outside the post, or (no post
    found) one that says so (``site-header``, role=banner)."""
    if post is not None:
        return True  # the walk reached it before reaching the post
    words = {w for name in classes(band) for w in token_words(name)}
    return bool(words & _SITE_WORDS) or band.get("role") in ("banner", "contentinfo")


def _is_post_meta(tag: Tag) -> bool:
    names = classes(tag)
    if any(name in POST_META_TOKENS for name in names):
        return True
    words = [token_words(name) for name in names]
    return any(len(w) == 2 and tuple(w) in POST_META_WORDS for w in words)


def _in_prose(link: Tag) -> bool:
    """A taxonomy link inside a sentence of the post is a reference, not a tag."""
    para = link.find_parent("p")
    if para is None or _is_post_meta(para):
        return False
    rest = text_of(para)
    for other in para.find_all("a"):
        rest = rest.replace(text_of(other), " ")
    return sum(ch.isalpha() for ch in rest) > _PROSE_LETTERS


def theme_authors(boxes: list[Tag]) -> list[str]:
    """Author names from a blog theme's author list (Material's blog sidebar), found
    among the page's post-meta ``boxes``."""
    for token, selector in POST_AUTHOR_SELECTORS:
        for box in boxes:
            if token in classes(box):
                names = [n for n in (text_of(tag) for tag in select(box, selector)) if n]
                if names:
                    return names
    return []



def shown_date(post: Tag | None, language: str) -> dt.datetime | dt.date | None:
    """A date the post shows only as text: a ``<time>`` without ``datetime``, or a
    post-meta/date element of the post ("Posted on July 22, 2021", "14 mai 2024")."""
    if post is None:
        return None
    for tag in post.find_all(True, limit=400):
        if not (tag.name == "time" or _names_a_date(tag)) or in_listing(tag):
            continue
        text = text_of(tag)
        if not text or len(text) > _DATE_TEXT_MAX:
            continue
        found = parse_text_date(text, language)
        if found is not None:
            return found
    return None


def _names_a_date(tag: Tag) -> bool:
    if _is_post_meta(tag):
        return True
    return any(set(token_words(name)) & POST_DATE_WORDS for name in classes(tag))


def _unique(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return tuple(seen.values())
