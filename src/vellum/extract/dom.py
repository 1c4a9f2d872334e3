"""Small BeautifulSoup helpers shared by the extraction modules."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, PageElement

_WORD_SPLIT_RE = re.compile(r"[\s_\-:./]+")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPACE_RE = re.compile(r"\s+")

INLINE_TAGS: frozenset[str] = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "font", "strike", "tt", "big", "label", "wbr", "br", "img",
})


def classes(tag: Tag) -> list[str]:
    """The class tokens of ``tag`` (always a list)."""
    value = tag.get("class")
    if not value:
        return []
    return value.split() if isinstance(value, str) else list(value)


def attr_tokens(tag: Tag) -> list[str]:
    """Class tokens plus the id, lowercased."""
    tokens = [c.lower() for c in classes(tag)]
    ident = tag.get("id")
    if isinstance(ident, str) and ident:
        tokens.append(ident.lower())
    return tokens


def attr_string(tag: Tag) -> str:
    """Class and id joined by a space, for regex-based weights."""
    ident = tag.get("id")
    return " ".join(classes(tag)) + (" " + ident if isinstance(ident, str) else "")


def token_words(token: str) -> list[str]:
    """``backToTop-link`` -> ``['back', 'to', 'top', 'link']`` (lowercase)."""
    return [w.lower() for w in _WORD_SPLIT_RE.split(_CAMEL_RE.sub(" ", token)) if w]


def text_of(node: PageElement) -> str:
    """The visible text of ``node`` with whitespace collapsed."""
    if isinstance(node, NavigableString):
        return _SPACE_RE.sub(" ", str(node)).strip()
    return _SPACE_RE.sub(" ", node.get_text(" ")).strip()


def norm_space(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def link_density(tag: Tag, text_len: int | None = None) -> float:
    """Share of the text of ``tag`` that sits inside links."""
    total = text_len if text_len is not None else len(text_of(tag))
    if not total:
        return 0.0
    linked = sum(len(text_of(a)) for a in tag.find_all("a"))
    return min(1.0, linked / total)


def gone(tag: PageElement) -> bool:
    """True once ``tag`` was decomposed. (``Tag.decomposed`` looks the attribute up
    through bs4's ``tag.child`` shortcut, a search of the whole subtree.)"""
    return bool(tag.__dict__.get("_decomposed"))


def is_inline(tag: Tag) -> bool:
    return tag.name in INLINE_TAGS


def remove_comments(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()


def unwrap_empty(tag: Tag) -> None:
    """Remove ``tag`` and then each ancestor left without text or media."""
    parent = tag.parent
    tag.decompose()
    while isinstance(parent, Tag) and parent.name not in ("body", "html", "[document]"):
        if text_of(parent) or parent.find(("img", "picture", "video", "iframe", "table")):
            return
        grand = parent.parent
        parent.decompose()
        parent = grand
