"""HTML text to a BeautifulSoup tree, fast, and quick walks of it: what extract and
convert share.

``BeautifulSoup(html, "lxml")`` drives lxml's parser event by event through
Python callbacks, and that costs two thirds of its time: a third of vellum's
whole extraction. Here lxml builds its C tree in one call and we copy it into
bs4 objects directly, which gives the same tree (same strings, same classes,
same links between elements) in about a third of the time.

The copy reproduces what bs4's lxml builder does with each event: whitespace-
only strings outside ``<pre>``/``<textarea>`` collapse to one space or newline,
strings in ``<script>``/``<style>``/``<template>`` get bs4's own string classes,
``class``-like attributes become lists, ``<meta charset>`` gets its substitution
value. Anything this copy does not model (namespaced attributes other than
``xml:``, a bs4 release that lays out its objects differently) goes through
bs4's own builder instead, so the result is always a faithful bs4 tree. Three
things differ, none of which the article can show: whitespace between nodes
outside ``<html>`` is not kept, a DOCTYPE inside the body is dropped, and a bare
boolean attribute (``<option selected>``) has its name as value, not "".
"""

from __future__ import annotations

import functools
import gc
import re
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any, TypeGuard

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.element import AttributeValueList, NamespacedAttribute, PageElement
from lxml import etree

from .rules import markup

__all__ = [
    "CENSUS", "ancestor", "child_tags", "descendants", "first", "following", "gone", "links",
    "next_tag",
    "parse_html", "paused_gc", "previous_tag", "select", "select_one", "span", "tags",
    "walked", "whole",
]

_LOCAL = threading.local()  # lxml parsers must not be shared between threads
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_SPACES = "\x20\x0a\x09\x0c\x0d"
_NONSPACE_RE = re.compile(r"\S+")
# libxml2's tree gives a bare boolean attribute of these its name as value, where
# its events (and so bs4) give "": ``<option selected>`` has selected="selected".
_BOOLEAN = frozenset(("checked", "compact", "declare", "defer", "disabled", "ismap",
                      "multiple", "nohref", "noresize", "noshade", "nowrap", "readonly",
                      "selected"))
_COMMENT = etree.Comment
_PI = etree.ProcessingInstruction


_PAUSES = 0  # blocks inside paused_gc, all threads
_RESUME = False  # whether the collector ran before the first of them
_PAUSE_LOCK = threading.Lock()
# Objects allocated under pauses that overlap (threads) before one pause's end collects
# anyway: a few pages' worth of trees.
BACKLOG = 5_000_000


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    A bs4 tree is hundreds of thousands of objects linked in cycles; building and
    walking one makes Python's collector run over and over for nothing (nothing is
    garbage until the page is done), which costs a fifth of extraction's time. The
    collector resumes when the outermost block ends and then frees the page's
    trees in one pass. Nests, and threads share one pause; when theirs keep
    overlapping, a block's end collects once the backlog passes ``BACKLOG``.
    """
    global _PAUSES, _RESUME
    with _PAUSE_LOCK:
        if _PAUSES == 0:
            _RESUME = gc.isenabled()
            gc.disable()
        _PAUSES += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSES -= 1
            if _PAUSES == 0:
                if _RESUME:
                    gc.enable()
            elif _RESUME and gc.get_count()[0] > BACKLOG:
                # Threads whose pauses overlap without end would starve the collector.
                gc.collect()


class Census:
    """Parses and whole-tree walks, counted only while ``on`` (bench/throughput.py turns it
    on): a walk counts when it starts at a root marked ``whole`` (the page, its body, the
    article box, convert's body). Walks through ``span`` count here; the bench counts bs4's
    own (find_all, get_text, descendants, decode) and markdownify's by wrapping them."""

    def __init__(self) -> None:
        self.on = False
        self.parses = 0
        self.walks = 0
        self.roots: set[int] = set()

    def walk(self, root: Any) -> None:
        if id(root) in self.roots:
            self.walks += 1


CENSUS = Census()


def walked(root: Any) -> None:
    """A walk that may stop early (``span(root, False)``) went through all of ``root``."""
    if CENSUS.on:
        CENSUS.walk(root)


def whole(*roots: Any) -> None:
    """Mark ``roots`` as whole trees (the page, the article) for the walk census."""
    if CENSUS.on:
        CENSUS.roots.update(id(root) for root in roots if root is not None)


class _Unsupported(Exception):
    """Markup the direct copy does not model; bs4's builder takes it."""


def parse_html(html: str, lean: bool = False) -> BeautifulSoup:
    """``BeautifulSoup(html, "lxml")``, built faster (see the module docstring).

    ``lean=True`` gives the tree extraction reads, which differs only in what no pass
    uses and every page carries: code highlighters' token spans (childless ``<span>``s
    in ``<pre>`` that only colour, see ``rules.markup.TOKEN_CLASS_RE``) are left out
    with their text kept in place, which makes a technical blog's tree a third smaller;
    comments and the inside of ``<svg>`` icons, which extraction drops anyway, are
    not copied. The pure-bs4 fallback builds the full tree.
    """
    if CENSUS.on:
        CENSUS.parses += 1
    if _LAYOUT is None:
        return BeautifulSoup(html, "lxml")
    try:
        return _Copier(_LAYOUT, lean).document(html)
    except _Unsupported:
        return BeautifulSoup(html, "lxml")


class _Layout:
    """What bs4 puts in each new object's ``__dict__``, read off a real parse so
    the copy follows the installed bs4 release."""

    def __init__(self) -> None:
        probe = BeautifulSoup("<p>x</p>", "lxml")
        self.builder = probe.builder
        self.attr_dict = probe.builder.attribute_dict_class
        self.tag_fields: dict[str, dict[str, Any]] = {}
        self.string_fields = dict(next(probe.p.children).__dict__)  # type: ignore[union-attr]
        self.string_fields.update(next_element=None, next_sibling=None)  # place() sets the rest
        self.multi = probe.builder.cdata_list_attributes or {}
        self.universal = self.multi.get("*", set())
        self.preserve = probe.builder.preserve_whitespace_tags or set()
        self.containers = probe.builder.string_containers or {}

    def fields(self, name: str) -> dict[str, Any]:
        known = self.tag_fields.get(name)
        if known is None:
            soup = BeautifulSoup("", "lxml")
            known = dict(Tag(soup, soup.builder, name).__dict__)
            self.tag_fields[name] = known
        return known


class _Copier:
    def __init__(self, layout: _Layout, lean: bool) -> None:
        self.layout = layout
        self.lean = lean  # see parse_html
        self.last: Any = None  # the element copied most recently (bs4's next_element chain)

    def document(self, html: str) -> BeautifulSoup:
        soup = BeautifulSoup("", "lxml")
        try:
            parser = _parser()
            root = etree.fromstring(html, parser) if html else None
        except (ValueError, etree.LxmlError) as err:  # e.g. a str with an XML encoding line
            raise _Unsupported(str(err)) from err
        if _cut_short(parser):
            raise _Unsupported("nested deeper than libxml2's depth limit")
        self.last = None  # bs4 links the first element to nothing, not to the soup
        if root is None:
            return soup
        tree = root.getroottree()
        info = tree.docinfo
        if info.doctype:
            text = Doctype._string_for_name_and_ids(info.root_name, info.public_id,
                                                     info.system_url)
            self.text(soup, text, True, Doctype)
        before = list(root.itersiblings(preceding=True))
        for node in reversed(before):
            self.node(soup, node, False, False)
        self.node(soup, root, False, False)
        for node in root.itersiblings():
            self.node(soup, node, False, False)
        return soup

    def node(self, parent: Tag, node: Any, keep_space: bool, container: Any) -> None:
        tag = node.tag
        if tag is _COMMENT:
            self.text(parent, node.text or "", keep_space, Comment)
        elif tag is _PI:
            self.text(parent, f"{node.target} {node.text or ''}", keep_space,
                      ProcessingInstruction)
        elif isinstance(tag, str):
            self.element(parent, node, keep_space, container)
        else:
            raise _Unsupported(repr(tag))

    def element(self, parent: Tag, node: Any, keep_space: bool, container: Any) -> None:
        layout = self.layout
        name = node.tag
        fields = (layout.tag_fields.get(name) or layout.fields(name)).copy()
        items = node.items()
        fields["attrs"] = self.attrs(name, items) if items else layout.attr_dict()
        fields["contents"] = []
        tag = Tag.__new__(Tag)
        self.place(parent, tag, fields)
        if name == "meta":
            layout.builder.set_up_substitutions(tag)
        elif name == "svg" and self.lean:
            return
        keep = keep_space or name in layout.preserve
        inner = layout.containers.get(name, container)
        text = node.text or ""  # placed when the next element comes, or at the end
        flat = keep and self.lean
        for child in node:
            if type(child.tag) is str:  # most children: skip node()'s dispatch
                if flat and child.tag == "span":
                    token = _token_text(child)
                    if token is not None:
                        text += token + (child.tail or "")
                        continue
                if text:
                    self.text(tag, text, keep, inner)
                self.element(tag, child, keep, inner)
            else:
                if text:
                    self.text(tag, text, keep, inner)
                if not (self.lean and child.tag is _COMMENT):
                    self.node(tag, child, keep, inner)
            text = child.tail or ""
        if text:
            self.text(tag, text, keep, inner)

    def attrs(self, name: str, items: list[tuple[str, str]]) -> Any:
        layout = self.layout
        out = layout.attr_dict()
        specific = layout.multi.get(name)
        value: Any
        for key, value in items:
            if key[0] == "{":
                if not key.startswith(_XML_NS):
                    raise _Unsupported(key)
                key = NamespacedAttribute("xml", key[len(_XML_NS):], _XML_NS[1:-1])
            elif key in layout.universal or (specific and key in specific):
                value = AttributeValueList(_NONSPACE_RE.findall(value))
            dict.__setitem__(out, key, value)
        return out

    def text(self, parent: Tag, text: str, keep_space: bool, container: Any) -> None:
        if not keep_space and not text.strip(_SPACES):
            text = "\n" if "\n" in text else " "
        self.place(parent, str.__new__(container or NavigableString, text),
                   self.layout.string_fields.copy())

    def place(self, parent: Tag, element: Any, fields: dict[str, Any]) -> None:
        """Link ``element`` in as ``parent``'s last child and the newest element;
        ``fields`` (a copy of bs4's fresh-object layout) becomes its ``__dict__``."""
        siblings = parent.contents
        before = siblings[-1] if siblings else None
        last = self.last
        fields["parent"] = parent
        fields["previous_element"] = last
        fields["previous_sibling"] = before
        element.__dict__ = fields
        if before is not None:
            before.next_sibling = element
        siblings.append(element)
        if last is not None:
            last.next_element = element
        self.last = element


_TOKENS: dict[tuple[str | None, str | None], bool] = {}


def _token_text(span: Any, nested: bool = True) -> str | None:
    """The text of the lxml ``span`` (in ``<pre>``) when it is a highlighter token span,
    childless or (``nested``) holding only childless ones, as a Chroma line's inner span
    does; else None. One level only: a page nesting spans deeply is not read again and
    again."""
    if not _is_token(span):
        return None
    text = span.text or ""
    if not len(span):
        return text
    if not nested:
        return None
    parts = [text]
    for child in span:
        inner = _token_text(child, False) if child.tag == "span" else None
        if inner is None:
            return None
        parts.append(inner)
        parts.append(child.tail or "")
    return "".join(parts)


def _is_token(span: Any) -> bool:
    """Whether the lxml ``span`` only colours its text: no attribute but a highlighter's
    class and a colouring style (see ``rules.markup.TOKEN_CLASS_RE``)."""
    attrib = span.attrib
    if not attrib:
        return True
    key = (attrib.get("class"), attrib.get("style"))
    if len(attrib) != (key[0] is not None) + (key[1] is not None):
        return False
    known = _TOKENS.get(key)
    if known is None:
        names = key[0].split() if key[0] else []
        known = ((markup.TOKEN_CLASS in names or all(map(markup.TOKEN_CLASS_RE.match, names)))
                 and markup.GUTTER_CLASSES.isdisjoint(names)
                 and (key[1] is None or markup.TOKEN_STYLE_RE.match(key[1]) is not None))
        if len(_TOKENS) < 4096:  # the pairs come from pages: never grow without end
            _TOKENS[key] = known
    return known


# Tree walks without bs4's search layer: each find_all/find/find_parent call builds
# filter objects (tens of microseconds) and walks through generators; extraction and
# conversion call these tens of thousands of times per page.


def span(tag: Tag, whole: bool = True) -> tuple[PageElement | None, PageElement | None]:
    """Where a walk of ``tag``'s subtree starts and stops: its first child, and the
    node after its last descendant. Following ``next_element`` from the first until
    the second (or None) visits every descendant in document order. A walk that may
    stop early says ``whole=False`` and calls ``walked`` when it did not."""
    if whole and CENSUS.on:
        CENSUS.walk(tag)
    if not tag.contents:
        return None, None
    return tag.contents[0], following(tag)


def following(tag: Tag) -> PageElement | None:
    """The node after ``tag``'s last descendant (after ``tag`` itself when it is empty):
    where a walk through its subtree ends."""
    last = tag._last_descendant()
    return last.next_element if last is not None else None


def descendants(tag: Tag) -> list[PageElement]:
    """``list(tag.descendants)`` without bs4's generator: a walk of ``span(tag)``."""
    node, stop = span(tag)
    found: list[PageElement] = []
    while node is not stop and node is not None:
        found.append(node)
        node = node.next_element
    return found


def tags(root: Tag, names: Collection[str] | None = None, limit: int = 0) -> list[Tag]:
    """``root.find_all(names, limit=limit)`` (every tag when ``names`` is None), in
    document order, without bs4's filter layers: the extract stage's many passes
    each call it."""
    found: list[Tag] = []
    node, stop = span(root, False)
    if names is None:
        while node is not stop and node is not None:
            if type(node) is Tag:
                found.append(node)
                if len(found) == limit:
                    return found
            node = node.next_element
        walked(root)
        return found
    wanted = _wanted(names)
    while node is not stop and node is not None:
        if type(node) is Tag and node.name in wanted:
            found.append(node)
            if len(found) == limit:
                return found
        node = node.next_element
    walked(root)
    return found


def first(root: Tag, names: Collection[str]) -> Tag | None:
    """``root.find(names)``: the first descendant tag named one of ``names``."""
    wanted = _wanted(names)
    node, stop = span(root, False)
    while node is not stop and node is not None:
        if type(node) is Tag and node.name in wanted:
            return node
        node = node.next_element
    walked(root)
    return None


_WANTED: dict[Any, frozenset[str]] = {}


def _wanted(names: Collection[str]) -> frozenset[str]:
    """``names`` as a set, made once per tuple of names (the callers pass constants)."""
    try:
        return _WANTED[names]
    except KeyError:
        made = frozenset((names,) if isinstance(names, str) else names)
        if len(_WANTED) < 4096:  # names built at run time must not grow it without end
            _WANTED[names] = made
        return made
    except TypeError:  # a list or a set: not a key
        return frozenset(names)


def links(root: Tag) -> list[Tag]:
    """``root.find_all("a", href=True)``."""
    return [a for a in tags(root, ("a",)) if a.has_attr("href")]


def ancestor(tag: PageElement, names: Collection[str]) -> Tag | None:
    """``tag.find_parent(names)``: the nearest enclosing tag named one of ``names``."""
    if isinstance(names, str):
        names = (names,)
    parent = tag.parent
    while parent is not None:
        if parent.name in names:
            return parent
        parent = parent.parent
    return None


def previous_tag(tag: PageElement) -> Tag | None:
    """``tag.find_previous_sibling()``: the nearest element sibling before ``tag``."""
    node = tag.previous_sibling
    while node is not None and not isinstance(node, Tag):
        node = node.previous_sibling
    return node


def next_tag(tag: PageElement) -> Tag | None:
    """``tag.find_next_sibling()``: the nearest element sibling after ``tag``."""
    node = tag.next_sibling
    while node is not None and not isinstance(node, Tag):
        node = node.next_sibling
    return node


def child_tags(tag: Tag, names: Collection[str] | None = None) -> list[Tag]:
    """``tag.find_all(names or True, recursive=False)``: the element children (named
    one of ``names``)."""
    return [child for child in tag.contents
            if isinstance(child, Tag) and (names is None or child.name in names)]


_STEP_RE = re.compile(r"^([\w-]*)((?:\.[\w-]+)*)(?:\[([\w-]+)\])?$")
_Step = tuple[str, frozenset[str], str]


@functools.lru_cache(maxsize=64)
def _steps(selector: str) -> tuple[bool, tuple[_Step, ...]]:
    """``selector`` as (whether it starts at ``:scope``, its steps)."""
    parts = [part.strip() for part in selector.split(">")]
    scoped = parts[0] == ":scope"
    steps = []
    for part in parts[1:] if scoped else parts:
        match = _STEP_RE.match(part)
        if match is None or not part:
            raise ValueError(f"unsupported selector: {selector!r}")
        steps.append((match[1], frozenset(filter(None, match[2].split("."))), match[3] or ""))
    return scoped, tuple(steps)


def _fits(tag: Any, step: _Step) -> TypeGuard[Tag]:
    name, names, attr = step
    if type(tag) is not Tag or (name and tag.name != name) or (attr and attr not in tag.attrs):
        return False
    value = tag.attrs.get("class") if names else None
    return not names or (value is not None and names.issubset(
        value.split() if isinstance(value, str) else value))


def select(root: Tag, selector: str) -> list[Tag]:
    """``root.select(selector)`` for child chains (``.a > b``, ``:scope > .c > d``), each
    step a tag name, classes and one ``[attribute]``: what vellum's rules use, without
    soupsieve, whose first use in a process compiles its parser (a third of a second)."""
    scoped, steps = _steps(selector)
    return [tag for tag in tags(root) if _fits(tag, steps[-1])
            and _up_the_chain(tag, steps[:-1], root if scoped else None)]


def _up_the_chain(tag: Tag, steps: tuple[_Step, ...], scope: Tag | None) -> bool:
    """Whether ``tag``'s parents match ``steps`` (the nearest last), the outermost a
    child of ``scope`` when there is one."""
    node: Any = tag
    for step in reversed(steps):
        node = node.parent
        if not _fits(node, step):
            return False
    return scope is None or node.parent is scope


def select_one(root: Tag, selector: str) -> Tag | None:
    """``root.select_one(selector)`` for what ``select`` reads."""
    found = select(root, selector)
    return found[0] if found else None


def gone(tag: PageElement) -> bool:
    """True once ``tag`` was decomposed. (``Tag.decomposed`` looks the attribute up
    through bs4's ``tag.child`` shortcut, a search of the whole subtree.)"""
    return bool(tag.__dict__.get("_decomposed"))


def _parser() -> etree.HTMLParser:
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        # The options bs4's lxml builder gives its parser, with no invented DOCTYPE,
        # which the event interface never reports.
        parser = _LOCAL.parser = etree.HTMLParser(recover=True, default_doctype=False)
    return parser


def _cut_short(parser: etree.HTMLParser) -> bool:
    """True when libxml2 stopped at its nesting limit (256 levels): everything after the
    deepest element is silently missing from the tree, so the copy must not be used."""
    return any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT
               or "Excessive depth" in e.message for e in parser.error_log)


def _layout() -> _Layout | None:
    """The layout, if a copy of a test page matches bs4's own parse of it."""
    sample = ("<!DOCTYPE html><!--a--><html lang=en><head><meta charset=utf-8>"
              "<script>if (a < b) {}</script><style>p{}</style></head><body>\n "
              "<p class='a  b' xml:lang=de>x&amp;y <br> <b>z</b><pre> \n </pre></p>"
              "<template><i>t</i></template><a rel='nofollow me'>l</a></body></html><!--e-->")
    try:
        layout = _Layout()
        copy = _Copier(layout, False).document(sample)
    except Exception:  # a bs4 release this copy does not model
        return None
    return layout if _same(copy, BeautifulSoup(sample, "lxml")) else None


def _same(a: BeautifulSoup, b: BeautifulSoup) -> bool:
    """The same elements, strings and links; whitespace between top-level nodes aside,
    which lxml's tree does not keep and nothing reads."""
    ours, theirs = _chain(a), _chain(b)
    if len(ours) != len(theirs):
        return False
    for x, y in zip(ours, theirs, strict=True):
        if type(x) is not type(y) or x.__dict__.keys() != y.__dict__.keys():
            return False
        if isinstance(x, Tag):
            if x.name != y.name or _attrs(x) != _attrs(y) or len(x.contents) != len(y.contents):
                return False
        elif x != y:
            return False
    return True


def _attrs(tag: Tag) -> dict[str, Any]:
    return {key: "" if key in _BOOLEAN and value in ("", key) else value
            for key, value in tag.attrs.items()}


def _chain(soup: BeautifulSoup) -> list[Any]:
    """The document-order chain of elements, as bs4's next_element links it."""
    out = []
    node = soup.contents[0] if soup.contents else None
    while node is not None:
        if not (node.parent is soup and isinstance(node, NavigableString) and not node.strip()):
            out.append(node)
        node = node.next_element
    return out


_LAYOUT = _layout()
