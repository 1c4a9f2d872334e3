"""Text hygiene and context-aware Markdown escaping (pure string functions).

markdownify's own escaping is switched off: it backslashes every ``*`` and ``_``,
which litters prose ("snake\\_case"). Here a character is escaped only where
CommonMark/GFM would read it as syntax.

Text that could open raw HTML (``<tag``, ``&name;``) is written as an HTML entity,
not a backslash escape: Python-Markdown (MkDocs) honours no ``\\<`` and
would render ``\\<script>`` live. ``{`` is backslashed everywhere, because
Python-Markdown's attr_list and kramdown's ``{:...}``/``{::nomarkdown}`` turn a
brace group into attributes (``onclick=``) or raw output.
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import html5, name2codepoint

from ..rules.convert import (
    ALWAYS_ESCAPED_RE,
    ASCII_PUNCT,
    CELL_PIPE_RE,
    CONTEXT_CHARS,
    CONTROL_RE,
    DELIMITER_RUN_RE,
    ENTITIES,
    ESCAPABLE_RE,
    HTML5_ENTITY_RE,
    INVISIBLE_RE,
    LINE_START_RES,
    NBSP_RE,
    ORDERED_ITEM_RE,
    SQUASHED_RE,
    UNCLEAN_RE,
    WHITESPACE_RE,
)


def clean(text: str) -> str:
    """Text without non-breaking spaces, invisible hyphenation hints or control characters."""
    if UNCLEAN_RE.search(text) is None:
        return text  # most text: one scan instead of three substitutions
    text = NBSP_RE.sub(" ", text)
    text = INVISIBLE_RE.sub("", text)
    return CONTROL_RE.sub("", text)


def html5_entities(text: str) -> str:
    """Decode the named entities lxml's HTML 4 parser leaves as text ("&percnt;", "&lpar;").

    HTML 4 names are left alone: the parser decoded those, so any still here were
    written out literally by the author ("&amp;copy;").
    """
    if "&" not in text:
        return text
    return HTML5_ENTITY_RE.sub(_entity, text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in name2codepoint:
        return match.group()
    return html5.get(name + ";", match.group())


def squash(text: str) -> str:
    """Collapse every whitespace run to one space (HTML's own rendering rule)."""
    if SQUASHED_RE.search(text) is None:
        return text  # no run and no space but " ": nothing to collapse
    return WHITESPACE_RE.sub(" ", text)


def one_line(text: str) -> str:
    """``text`` cleaned and squashed to a single stripped line."""
    return squash(clean(text)).strip()


def is_punct(ch: str) -> bool:
    """CommonMark's punctuation: ASCII punctuation or a Unicode P*/S* character."""
    return ch in ASCII_PUNCT or unicodedata.category(ch)[0] in "PS"


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) for a delimiter run between ``before`` and ``after``.

    An empty neighbour is another node's text we cannot see: treated as
    punctuation, which makes the run flanking on that side (escape when unsure).
    """
    b_space, a_space = before.isspace(), after.isspace()
    b_punct = not before or is_punct(before)
    a_punct = not after or is_punct(after)
    left = not a_space and (not a_punct or b_space or b_punct)
    right = not b_space and (not b_punct or a_space or a_punct)
    return left, right


def _delimiter_escapes(text: str, outer_before: str, outer_after: str) -> set[int]:
    escapes: set[int] = set()
    for match in DELIMITER_RUN_RE.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else outer_before
        after = text[end] if end < len(text) else outer_after
        left, right = _flanking(before, after)
        if match.group()[0] == "_":
            # Intraword underscores never emphasise (CommonMark rule 2/4).
            b_punct = not before or is_punct(before)
            a_punct = not after or is_punct(after)
            opens = left and (not right or b_punct)
            closes = right and (not left or a_punct)
            if not (opens or closes):
                continue
        elif not (left or right):
            continue
        escapes.update(range(start, end))
    return escapes


def _other_escapes(text: str, in_cell: bool, outer_after: str) -> set[int]:
    escapes = {m.start() for m in ALWAYS_ESCAPED_RE.finditer(text)}
    if text.endswith("]") and (not outer_after or outer_after in "([:"):
        escapes.add(len(text) - 1)
    if in_cell:
        escapes.update(m.start() for m in CELL_PIPE_RE.finditer(text))
    return escapes


def _line_start_escapes(text: str) -> set[int]:
    offset = len(text) - len(text.lstrip())
    rest = text[offset:]
    for pattern in LINE_START_RES:
        if pattern.match(rest):
            return {offset}
    ordered = ORDERED_ITEM_RE.match(rest)
    if ordered:
        return {offset + ordered.start(1)}
    return set()


def needs_neighbours(text: str) -> bool:
    """Whether ``escape`` reads ``before``/``after`` for ``text`` (else they may be '')."""
    return text.endswith("]") or not CONTEXT_CHARS.isdisjoint(text)


def escape(text: str, *, line_start: bool = False, in_cell: bool = False,
           before: str = "", after: str = "") -> str:
    """Backslash-escape the characters of ``text`` that Markdown would read as syntax.

    ``line_start``: the text begins a line (block start or after a hard break), so
    list markers, ``#``, ``>`` and the like are escaped too. ``in_cell``: the
    text is in a GFM table cell, where ``|`` ends the cell. ``before``/``after``: the
    characters around the text in the output, when known ('' when not: then
    escaping errs on the safe side).
    """
    if ESCAPABLE_RE.search(text) is None:
        escapes: set[int] = set()  # most text: no character any rule below looks at
    else:
        escapes = _delimiter_escapes(text, before, after) | _other_escapes(text, in_cell, after)
    if line_start:
        escapes |= _line_start_escapes(text)
    if not escapes:
        return text
    return "".join(ENTITIES.get(ch, "\\" + ch) if i in escapes else ch
                   for i, ch in enumerate(text))
