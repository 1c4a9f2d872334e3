"""Small BeautifulSoup helpers shared by the extraction modules."""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bs4 import NavigableString, Tag
from bs4.element import CData, PageElement, PreformattedString

from ..rules import extract as rules

# The tree walks convert shares live in ..soup; extract's modules take them from here.
from ..soup import ancestor as ancestor
from ..soup import child_tags as child_tags
from ..soup import descendants as descendants
from ..soup import first as first
from ..soup import following, span, walked
from ..soup import gone as gone
from ..soup import links as links
from ..soup import next_tag as next_tag
from ..soup import previous_tag as previous_tag
from ..soup import tags as tags

INLINE_TAGS: frozenset[str] = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "font", "strike", "tt", "big", "label", "wbr", "br", "img",
})


def classes(tag: Tag) -> list[str]:
    """The class tokens of ``tag`` (always a list)."""
    value = tag.attrs.get("class")
    if not value:
        return []
    return value.split() if isinstance(value, str) else list(value)


def raw_tokens(tag: Tag) -> list[str]:
    """Class tokens plus the id, as written (camelCase humps still tell words apart)."""
    ident = tag.get("id")
    return [*classes(tag), *([ident] if isinstance(ident, str) and ident else [])]


def attr_tokens(tag: Tag) -> list[str]:
    """Class tokens plus the id, lowercased."""
    return [token.lower() for token in raw_tokens(tag)]


def attr_string(tag: Tag) -> str:
    """Class and id joined by a space, for regex-based weights."""
    ident = tag.get("id")
    return " ".join(classes(tag)) + (" " + ident if isinstance(ident, str) else "")


def token_words(token: str) -> list[str]:
    """``backToTop-link`` -> ``['back', 'to', 'top', 'link']`` (lowercase)."""
    return [w.lower() for w in rules.WORD_SPLIT_RE.split(rules.CAMEL_RE.sub(" ", token)) if w]


def inside(tag: PageElement, box: Tag) -> bool:
    """``box`` encloses ``tag`` (a parent walk: cheaper than searching the box)."""
    parent = tag.parent
    while parent is not None:
        if parent is box:
            return True
        parent = parent.parent
    return False


_READING = threading.local()  # the texts of a read-only stretch (``unchanging``), per thread


@contextmanager
def unchanging() -> Iterator[None]:
    """A stretch of extraction that only reads the tree: ``text_of`` keeps each box's
    text instead of walking the box again (choosing the article asks for the same few
    boxes' texts many times). The tree must not change inside it."""
    _READING.texts = {}
    try:
        yield
    finally:
        _READING.texts = None


def changed() -> None:
    """The tree changed inside an ``unchanging`` stretch after all: forget its texts."""
    if getattr(_READING, "texts", None):
        _READING.texts = {}


def string_types(tag: Tag) -> Collection[type]:
    """The string classes ``tag.get_text()`` keeps (not comments, not scripts in a div)."""
    types = tag.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    return {types} if isinstance(types, type) else types


def text_of(node: PageElement) -> str:
    """The visible text of ``node`` with whitespace collapsed."""
    if isinstance(node, NavigableString):
        return " ".join(str(node).split())
    assert isinstance(node, Tag)
    texts: dict[int, str] | None = getattr(_READING, "texts", None)
    text = texts.get(id(node)) if texts is not None else None
    if text is None:
        text = " ".join(" ".join(_strings(node)).split())
        if texts is not None:
            texts[id(node)] = text
    return text


def text_within(tag: Tag, limit: int) -> str | None:
    """``text_of(tag)`` when it is at most ``limit`` characters long, else None: a
    long box's text is not read to its end to learn that it is too long."""
    types = string_types(tag)
    words: list[str] = []
    size = -1
    node, stop = span(tag, False)
    while node is not stop and node is not None:
        if type(node) in types:
            for word in node.split():  # type: ignore[attr-defined]
                size += len(word) + 1
                if size > limit:
                    return None
                words.append(word)
        node = node.next_element
    walked(tag)
    return " ".join(words)


def has_text(node: PageElement) -> bool:
    """``bool(text_of(node))``, stopping at the first string with a visible character."""
    if isinstance(node, NavigableString):
        return not node.isspace() and bool(node)
    assert isinstance(node, Tag)
    types = string_types(node)
    item, stop = span(node, False)
    while item is not stop and item is not None:
        if type(item) in types and item and not item.isspace():  # type: ignore[attr-defined]
            return True
        item = item.next_element
    walked(node)
    return False


def _strings(tag: Tag) -> list[str]:
    """The strings ``tag.get_text()`` joins, in its order (extraction's hottest walk)."""
    types = string_types(tag)
    node, stop = span(tag)
    found: list[str] = []
    while node is not stop and node is not None:  # descendants(), filtered as it goes
        if type(node) in types:
            found.append(node)  # type: ignore[arg-type]
        node = node.next_element
    return found


def tags_and_strings(root: Tag) -> tuple[list[Tag], list[NavigableString]]:
    """``tags(root)`` and the strings ``text_of(root)`` joins (see ``joined``), in one
    walk."""
    types = string_types(root)
    found: list[Tag] = []
    strings: list[NavigableString] = []
    node, stop = span(root)
    while node is not stop and node is not None:
        kind = type(node)
        if kind is Tag:
            found.append(node)  # type: ignore[arg-type]
        elif kind in types:
            strings.append(node)  # type: ignore[arg-type]
        node = node.next_element
    return found, strings


def joined(strings: list[NavigableString]) -> str:
    """The text of ``strings`` as ``text_of`` gives it."""
    return " ".join(" ".join(strings).split())


def tags_keeping_text(root: Tag, box: Tag) -> list[Tag]:
    """``tags(root)``; in the same walk, the text of ``box`` (``root`` or an element in
    it), which ``text_of`` then returns inside the ``unchanging`` stretch."""
    types = string_types(box)
    found: list[Tag] = []
    strings: list[str] = []
    node, stop = span(root)
    end = following(box)
    within = box is root
    while node is not stop and node is not None:
        if node is end:
            within = False
        kind = type(node)
        if kind is Tag:
            found.append(node)  # type: ignore[arg-type]
            if node is box:
                within = True
        elif within and kind in types:
            strings.append(node)  # type: ignore[arg-type]
        node = node.next_element
    texts: dict[int, str] | None = getattr(_READING, "texts", None)
    if texts is not None:
        texts[id(box)] = " ".join(" ".join(strings).split())
    return found


def strings_matching(root: Tag, pattern: re.Pattern[str],
                     among: list[NavigableString] | None = None) -> list[NavigableString]:
    """``root.find_all(string=pattern)``: text nodes (comments and scripts included,
    as bs4 does) that ``pattern`` finds something in. ``among``, the strings of an
    earlier walk of ``root`` when only removals (``decompose``) came since, spares the
    walk."""
    if among is not None:
        return [string for string in among if not gone(string) and pattern.search(string)]
    found: list[NavigableString] = []
    node, stop = span(root)
    while node is not stop and node is not None:
        if isinstance(node, NavigableString) and pattern.search(node):
            found.append(node)
        node = node.next_element
    return found


def norm_space(text: str) -> str:
    return " ".join(text.split())


def link_density(tag: Tag, text_len: int | None = None) -> float:
    """Share of the text of ``tag`` that sits inside links."""
    total = text_len if text_len is not None else len(text_of(tag))
    if not total:
        return 0.0
    linked = sum(len(text_of(a)) for a in tags(tag, ("a",)))
    return min(1.0, linked / total)


def link_densities(root: Tag, inner: list[Tag] | None = None) -> dict[int, float]:
    """Link density of every element under ``root`` (by id), in one bottom-up pass.

    Calling ``link_density`` on each scored box walks nested subtrees again and again;
    here each string is measured once. Lengths count one separator per string, as
    ``text_of`` puts between them, so the ratios match it closely."""
    length: dict[int, int] = {}
    linked: dict[int, int] = {}
    inner = tags(root) if inner is None else inner  # the caller may have walked already
    # String class -> whether it is text (not a comment or other markup, but CDATA is).
    texts: dict[type, bool] = {}
    for tag in reversed([root, *inner]):  # children before their parents
        total = inside = 0
        for child in tag.contents:
            kind = type(child)
            if kind is Tag:
                total += length.get(id(child), 0)
                inside += linked.get(id(child), 0)
                continue
            counts = texts.get(kind)
            if counts is None:
                counts = texts[kind] = issubclass(kind, NavigableString) and (
                    not issubclass(kind, PreformattedString) or issubclass(kind, CData))
            if counts:
                piece = len(" ".join(child.split()))  # type: ignore[attr-defined]
                total += piece + 1 if piece else 0
        length[id(tag)] = total
        linked[id(tag)] = total if tag.name == "a" else inside
    return {key: min(1.0, linked[key] / size) if size else 0.0 for key, size in length.items()}


def is_inline(tag: Tag) -> bool:
    return tag.name in INLINE_TAGS


@dataclass(frozen=True)
class Selector:
    """A simple CSS selector matched without soupsieve: ``tag``, ``.a.b``,
    ``[attr~=word]``, ``[attr=value]`` or ``ancestor-tag tag``."""

    tag: str = ""
    classes: frozenset[str] = frozenset()
    attr: str = ""
    value: str = ""
    word: bool = False
    inside: str = ""

    def matches(self, tag: Tag, names: frozenset[str]) -> bool:
        if self.tag and tag.name != self.tag:
            return False
        if self.classes and not self.classes <= names:
            return False
        if self.attr:
            value = tag.get(self.attr)
            if value is None:
                return False
            text = " ".join(value) if isinstance(value, list) else str(value)
            if (self.value not in text.split()) if self.word else text != self.value:
                return False
        return not self.inside or ancestor(tag, (self.inside,)) is not None




def parse_selector(selector: str) -> Selector:
    *outer, inner = selector.split()
    match = rules.SIMPLE_RE.match(inner)
    if match is None or len(outer) > 1:
        raise ValueError(f"unsupported selector: {selector!r}")
    names = frozenset(c for c in match["classes"].split(".") if c)
    return Selector(tag=match["tag"], classes=names, attr=match["attr"] or "",
                    value=match["value"] or "", word=match["op"] == "~=",
                    inside=outer[0] if outer else "")


_NO_CLASSES: frozenset[str] = frozenset()


class Selectors:
    """A selector list (``tag.css.match`` with commas, without soupsieve), indexed by
    each rule's tag name, one of its classes or its attribute, so that a tag is tried
    only against the rules it could match: most tags have no class any rule names."""

    def __init__(self, selectors: Iterable[str]) -> None:
        self.rules = tuple(map(parse_selector, selectors))
        self.by_class: dict[str, list[int]] = {}
        self.by_tag: dict[str, list[int]] = {}
        self.by_attr: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            if rule.classes:
                self.by_class.setdefault(min(rule.classes), []).append(index)
            elif rule.attr:
                self.by_attr.setdefault(rule.attr, []).append(index)
            else:
                self.by_tag.setdefault(rule.tag, []).append(index)

    def matching(self, tag: Tag) -> Iterator[int]:
        """The indexes of the rules ``tag`` matches, in rule order."""
        rules = self.rules
        if not tag.attrs:  # only the rules of its name can match it
            return (index for index in self.by_tag.get(tag.name, ())
                    if rules[index].matches(tag, _NO_CLASSES))
        names = class_set(tag)
        return (index for index in self._candidates(tag, names)
                if rules[index].matches(tag, names))

    def match(self, tag: Tag) -> bool:
        """Whether ``tag`` matches one of the rules."""
        return next(self.matching(tag), None) is not None

    def _candidates(self, tag: Tag, names: frozenset[str]) -> list[int]:
        """The indexes of the rules ``tag`` (with class tokens ``names``) could match,
        in rule order."""
        indexes = list(self.by_tag.get(tag.name, ()))
        for name in names:
            indexes += self.by_class.get(name, ())
        for attr, found in self.by_attr.items():
            if attr in tag.attrs:
                indexes += found
        return sorted(indexes) if len(indexes) > 1 else indexes


def class_set(tag: Tag) -> frozenset[str]:
    """The class tokens of ``tag`` as a set, for ``Selector.matches``."""
    value = tag.attrs.get("class")
    if not value:
        return frozenset()
    return frozenset(value.split() if isinstance(value, str) else value)
