"""Sidenotes and margin notes (Tufte CSS and kin) become footnotes.

Tufte CSS writes ``<label class="margin-toggle sidenote-number" for="sn-1"></label>
<input type="checkbox" id="sn-1" class="margin-toggle"><span class="sidenote">…</span>``
inline in the sentence; other themes use ``<aside class="sidenote">``. The note text
moves into a definition and a keyed ``sup`` marker takes its place (the contract of
``footnotes``).
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from ..marks import FOOTNOTE_REF
from .dom import classes, gone, text_of

NOTE_CLASSES = frozenset({"sidenote", "marginnote", "side-note", "margin-note", "sidenote-text"})
NOTE_TAGS = frozenset({"span", "aside", "small", "div"})
TOGGLE_CLASSES = frozenset({"margin-toggle", "sidenote-number", "sidenote-toggle"})
TOGGLE_TAGS = frozenset({"label", "input", "sup", "span"})
MAX_NOTE_TEXT = 1500  # longer "sidenote" boxes are sidebars, not notes
_INLINE_ONLY = frozenset({"a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "s",
                          "small", "span", "strong", "sub", "sup", "time", "u", "var", "br",
                          "del", "ins", "img", "math"})


def collect(soup: BeautifulSoup, notes: dict[str, Tag], found: list[Tag]) -> None:
    """Swap each sidenote of ``found`` (page order) for a keyed marker; text into ``notes``."""
    for number, note in enumerate(found, 1):
        if gone(note) or note.parent is None or len(text_of(note)) > MAX_NOTE_TEXT:
            continue
        if not text_of(note) and not note.find("img"):
            continue
        _drop_toggles(note)
        key = f"s{number}"
        notes[key] = _definition(soup, note)
        marker = soup.new_tag("sup")
        marker[FOOTNOTE_REF] = key
        host = _paragraph_before(note)
        if host is not None:  # a note box between paragraphs belongs to the one before
            note.decompose()
            host.append(marker)
        else:
            note.replace_with(marker)


def _paragraph_before(note: Tag) -> Tag | None:
    if note.name not in ("aside", "div"):
        return None
    previous = note.find_previous_sibling()
    return previous if isinstance(previous, Tag) and previous.name == "p" else None


def is_sidenote(tag: Tag) -> bool:
    return tag.name in NOTE_TAGS and "class" in tag.attrs and not NOTE_CLASSES.isdisjoint(
        classes(tag))


def _drop_toggles(note: Tag) -> None:
    """The checkbox and its label (a number or ⊕) just before the note."""
    previous = note.previous_sibling
    while previous is not None:
        before = previous.previous_sibling
        if isinstance(previous, Tag):
            if previous.name not in TOGGLE_TAGS or TOGGLE_CLASSES.isdisjoint(classes(previous)):
                break
            previous.decompose()
        elif str(previous).strip():
            break
        previous = before


def _definition(soup: BeautifulSoup, note: Tag) -> Tag:
    definition = soup.new_tag("div")
    inline = all(not isinstance(child, Tag) or child.name in _INLINE_ONLY
                 for child in note.children)
    holder = soup.new_tag("p") if inline else definition
    for child in list(note.contents):
        holder.append(child.extract())
    if holder is not definition:
        definition.append(holder)
    return definition
