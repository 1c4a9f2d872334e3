"""Footnotes of every flavour turned into the contract shared with ``convert``.

A reference becomes ``<sup data-footnote-ref="ID"></sup>``; the definitions go into
one ``<section data-footnotes>`` of ``<div data-footnote="ID">`` at the end of the
body, IDs numbered 1..N in order of first reference, back links removed.

``collect`` runs on the whole page (definitions often sit outside the article
container) and swaps references for provisional keys; ``attach`` numbers the
references found in the chosen article and appends their definitions.
The generic rule covers Python-Markdown, Goldmark, kramdown, Pandoc, WordPress,
Substack, Ghost and hand-written Blogger notes: an in-page link with a note-like
label (``1``, ``[2]``, ``*``) whose target holds the note text.
"""

from __future__ import annotations

from urllib.parse import unquote

from bs4 import BeautifulSoup, NavigableString, Tag

from ..marks import FOOTNOTE, FOOTNOTE_REF, FOOTNOTES
from ..rules import extract as rules
from ..soup import select, select_one
from . import sidenotes
from .dom import (
    Selectors,
    classes,
    gone,
    links,
    norm_space,
    tags,
    text_of,
)

_DEF_BLOCKS = ("li", "p", "div", "dd", "aside", "section", "td", "blockquote")
_REF_CLASSES = frozenset({"footnote-ref", "footnote", "footnote-anchor", "fn", "footnote-link",
                          "easy-footnote", "footnote-reference", "footnoteref", "fnref"})
_BACKREF_CLASSES = frozenset({"footnote-backref", "reversefootnote", "footnote-return",
                              "footnote-number", "footnote-back"})
_BACKREFS = Selectors(rules.BACKREF_SELECTORS)

Notes = dict[str, Tag]


def collect(soup: BeautifulSoup, everything: list[Tag] | None = None) -> Notes:
    """Swap recognised references for keyed ``sup`` markers; detach the definitions.
    ``everything`` is ``tags(soup)`` when the caller has it."""
    notes: Notes = {}
    boxes, side, in_page = _scan(tags(soup) if everything is None else everything)
    sidenotes.collect(soup, notes, side)
    if boxes:
        _collect_annotations(soup, boxes, notes)
    # Most pages have no note-like in-page link: skip the whole-page maps for them.
    links = [a for a in in_page if _looks_like_ref(a)]
    if not links:
        return notes
    targets, order = _id_map(soup)
    by_block: dict[int, str] = {}
    emptied: list[Tag] = []
    for link in links:
        if gone(link) or link.parent is None:
            continue
        target = targets.get(unquote(str(link["href"])[1:]))
        if target is None or _inside_note(link, notes) or order.get(id(target), 0) <= order.get(
                id(link), 0):
            continue
        key = by_block.get(id(target))
        block = target if key else _definition_block(target)
        if block is None or block in link.parents:
            continue
        key = key or by_block.get(id(block))
        if key is None:
            key = f"k{len(notes) + 1}"
            by_block[id(block)] = by_block[id(target)] = key
            if isinstance(block.parent, Tag):
                emptied.append(block.parent)
            notes[key] = _make_definition(soup, block, target)
        _replace_ref(soup, link, key)
    for container in emptied:
        _drop_if_empty(container)
    return notes


def _scan(everything: list[Tag]) -> tuple[list[Tag], list[Tag], list[Tag]]:
    """Annotated boxes, sidenotes and in-page links, from one walk of the page."""
    boxes: list[Tag] = []
    side: list[Tag] = []
    links: list[Tag] = []
    for node in everything:
        if node.name == "a":
            href = node.attrs.get("href")
            if isinstance(href, str) and len(href) > 1 and href[0] == "#":
                links.append(node)
        if node.attrs.get("class"):
            if "annotate" in classes(node):
                boxes.append(node)
            if sidenotes.is_sidenote(node):
                side.append(node)
    return boxes, side, links


def _id_map(soup: BeautifulSoup) -> tuple[dict[str, Tag], dict[int, int]]:
    """Element by id (or ``a[name]``) and document position by ``id()``, in one walk."""
    found: dict[str, Tag] = {}
    named: dict[str, Tag] = {}
    order: dict[int, int] = {}
    for i, tag in enumerate(tags(soup)):
        order[id(tag)] = i
        ident = tag.get("id")
        if ident is not None:
            found.setdefault(str(ident), tag)
        if tag.name == "a":
            name = tag.get("name")
            if name is not None:
                named.setdefault(str(name), tag)
    for name, tag in named.items():
        found.setdefault(name, tag)
    return found, order


def _looks_like_ref(link: Tag) -> bool:
    label = norm_space(link.get_text())
    if not rules.FOOTNOTE_REF_TEXT_RE.match(label):
        return False
    if link.get("role") == "doc-backlink" or set(classes(link)) & _BACKREF_CLASSES:
        return False
    if link.contents and any(_is_backref(tag) for tag in tags(link)):
        return False
    if link.get("role") == "doc-noteref" or set(classes(link)) & _REF_CLASSES:
        return True
    parent = link.parent
    in_sup = link.find("sup") is not None or (isinstance(parent, Tag) and parent.name == "sup")
    return in_sup or label.startswith("[")


def _inside_note(link: Tag, notes: Notes) -> bool:
    # Identity, not ``in``: Tag equality compares whole subtrees.
    held = {id(note) for note in notes.values()}
    return any(id(parent) in held for parent in link.parents)


def _definition_block(target: Tag) -> Tag | None:
    block: Tag | None = target
    if target.name not in _DEF_BLOCKS or len(text_of(target)) < 4:
        block = target.find_parent(_DEF_BLOCKS)
    if block is None or block.name in ("body", "html") or not text_of(block):
        return None
    if len(text_of(block)) > 3000:
        return None
    return block


def _make_definition(soup: BeautifulSoup, block: Tag, target: Tag) -> Tag:
    block.extract()
    if target is not block and len(text_of(target)) < 6:
        target.decompose()
    _drop_backrefs(block)
    note = soup.new_tag("div")
    if block.name == "p":
        note.append(block)
    else:
        for child in list(block.contents):
            note.append(child.extract())
    if block.name != "li":
        _strip_leading_number(note)
    return note


def _is_backref(tag: Tag) -> bool:
    return _BACKREFS.match(tag)


def _drop_backrefs(block: Tag) -> None:
    for link in [tag for tag in tags(block) if _is_backref(tag)]:
        if not gone(link):
            link.decompose()
    for link in links(block):
        if gone(link):
            continue
        label = norm_space(link.get_text())
        in_page = str(link["href"]).startswith("#")
        if (label and rules.BACKREF_TEXT_RE.match(label)) or (in_page and (
                not label or rules.FOOTNOTE_REF_TEXT_RE.match(label))):
            link.decompose()
    for sup in tags(block, ("sup",)):
        if not gone(sup) and not text_of(sup):
            sup.decompose()


def _strip_leading_number(note: Tag) -> None:
    for string in note.find_all(string=True):
        if not string.strip():
            continue
        cleaned = rules.LEADING_NUMBER_RE.sub("", str(string), count=1)
        if cleaned != str(string):
            string.replace_with(cleaned)
        return


def _replace_ref(soup: BeautifulSoup, link: Tag, key: str) -> None:
    marker = soup.new_tag("sup")
    marker[FOOTNOTE_REF] = key
    parent = link.parent
    if isinstance(parent, Tag) and parent.name == "sup" and norm_space(
            parent.get_text()) == norm_space(link.get_text()):
        parent.replace_with(marker)
    else:
        link.replace_with(marker)


def _drop_if_empty(container: Tag) -> None:
    node: Tag | None = container
    while isinstance(node, Tag) and node.parent is not None and node.name not in (
            "body", "html", "article", "main"):
        text = text_of(node)
        if text and not rules.FOOTNOTE_HEADING_RE.match(text):
            break
        parent = node.parent
        previous = node.find_previous_sibling()
        node.decompose()
        if isinstance(previous, Tag) and previous.name in ("h2", "h3", "h4", "p", "hr") \
                and (previous.name == "hr" or rules.FOOTNOTE_HEADING_RE.match(text_of(previous))):
            previous.decompose()
        node = parent if isinstance(parent, Tag) else None


def _collect_annotations(soup: BeautifulSoup, boxes: list[Tag], notes: Notes) -> None:
    """Material for MkDocs: ``(1)`` markers in ``.annotate`` + the list that follows."""
    for box in boxes:
        following = box.find_next_sibling()
        if not isinstance(following, Tag) or following.name != "ol":
            continue
        items = following.find_all("li", recursive=False)
        used: set[int] = set()
        for marker in select(box, ".md-annotation"):
            index = _annotation_index(marker)
            if 0 < index <= len(items):
                used.add(index)
                marker.replace_with(_annotation_ref(soup, items[index - 1], notes))
        for string in list(box.find_all(string=rules.MARKER_RE)):
            if string.find_parent(("code", "pre")) is None:
                _replace_text_markers(soup, string, items, used, notes)
        if used:
            _drop_if_empty(following)


def _annotation_index(marker: Tag) -> int:
    ident = select_one(marker, "[data-md-annotation-id]")
    raw = str(ident["data-md-annotation-id"]) if ident else text_of(
        select_one(marker, ".md-annotation__index") or marker)
    digits = rules.NON_DIGITS_RE.sub("", raw)
    return int(digits) if digits else 0


def _annotation_ref(soup: BeautifulSoup, item: Tag, notes: Notes) -> Tag:
    """The reference to annotation ``item``, defining its footnote on first use."""
    key = f"a{id(item)}"
    if key not in notes:
        notes[key] = _make_definition(soup, item, item)
    sup = soup.new_tag("sup")
    sup[FOOTNOTE_REF] = key
    return sup


def _replace_text_markers(soup: BeautifulSoup, string: NavigableString, items: list[Tag],
                          used: set[int], notes: Notes) -> None:
    pieces = rules.MARKER_RE.split(str(string))
    nodes: list[NavigableString | Tag] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            piece = piece.rstrip() if i + 1 < len(pieces) else piece
            if piece:
                nodes.append(NavigableString(piece))
            continue
        index = int(piece)
        if not 0 < index <= len(items):
            nodes.append(NavigableString(f"({piece})"))
            continue
        used.add(index)
        nodes.append(_annotation_ref(soup, items[index - 1], notes))
    string.replace_with(*nodes)


def attach(soup: BeautifulSoup, root: Tag, notes: Notes,
           walked: list[Tag] | None = None) -> bool:
    """Number the references inside ``root`` 1..N and append their definitions; True
    when it appended some. ``walked`` is ``root``'s tags when the caller has them
    (those since removed gone)."""
    numbers: dict[str, str] = {}
    found = tags(root, ("sup",)) if walked is None else [
        t for t in walked if not gone(t) and t.name == "sup"]
    for ref in found:
        if not ref.has_attr(FOOTNOTE_REF):
            continue
        key = str(ref[FOOTNOTE_REF])
        if key not in notes:
            ref.decompose()
            continue
        numbers.setdefault(key, str(len(numbers) + 1))
        ref[FOOTNOTE_REF] = numbers[key]
        ref.clear()
    if not numbers:
        return False
    section = soup.new_tag("section")
    section[FOOTNOTES] = ""
    for key, number in numbers.items():
        note = notes[key]
        note[FOOTNOTE] = number
        section.append(note)
    root.append(section)
    return True
