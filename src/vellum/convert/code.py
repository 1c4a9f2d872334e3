"""Code blocks: the language from highlighter markup, the code text without gutters.

Covers Pygments (Sphinx, MkDocs, Pelican), Rouge (Jekyll), Chroma (Hugo),
highlight.js and Prism (with their line-number plugins), pandoc, SyntaxHighlighter
and GitHub gist embeds.
"""

from __future__ import annotations

from bs4 import NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ..rules.convert import (
    ANNOTATION_BANG_RE,
    ANNOTATION_RE,
    BACKTICK_RUN_RE,
    BARE_LANGUAGE_MARKERS,
    BRUSH_RE,
    CODE_CELL_CLASSES,
    CODE_TABLE_CLASSES,
    CODE_TITLE_ANCESTORS,
    CODE_TITLE_RE,
    GUTTER_CLASSES,
    GUTTER_TAGS,
    LANGUAGE_ANCESTORS,
    LANGUAGE_ATTRS,
    LANGUAGE_CLASS_RES,
    LANGUAGE_HOLDERS,
    LANGUAGE_SAFE_RE,
    LINE_TAGS,
    NOT_LANGUAGES,
)
from ..soup import ancestor, first, previous_tag, tags
from .text import clean


def classes(el: Tag) -> list[str]:
    value = el.get("class")
    if isinstance(value, str):
        return value.split()
    return list(value or [])


def _language_of(el: Tag) -> str:
    for attr in LANGUAGE_ATTRS:
        value = el.get(attr)
        if isinstance(value, str) and value.strip():
            return value.strip()
    names = classes(el)
    joined = " ".join(names)
    brush = BRUSH_RE.search(joined)
    if brush:
        return brush.group(1)
    for name in names:
        for pattern in LANGUAGE_CLASS_RES:
            match = pattern.match(name)
            if match:
                return match.group(1)
    if BARE_LANGUAGE_MARKERS & set(names):
        bare = [n for n in names
                if n not in BARE_LANGUAGE_MARKERS and n.lower() not in NOT_LANGUAGES]
        if bare:
            return bare[0]
    return ""


def _normalise_language(name: str) -> str:
    name = LANGUAGE_SAFE_RE.sub("", name.strip().lower())
    return "" if name in NOT_LANGUAGES else name


def code_language(el: Tag) -> str:
    """The language of the code block rooted at ``el`` (a <pre> or a code table)."""
    candidates: list[Tag] = [el]
    candidates.extend(tags(el, LANGUAGE_HOLDERS))
    node: Tag | None = el.parent
    for _ in range(LANGUAGE_ANCESTORS):
        if node is None or node.name in ("body", "article", "main", "[document]"):
            break
        candidates.append(node)
        node = node.parent
    for candidate in candidates:
        language = _normalise_language(_language_of(candidate))
        if language:
            return language
    wrapper = _class_ancestor(el, "blob-wrapper")  # gist: div.blob-wrapper.type-python
    if wrapper is not None:
        for name in classes(wrapper):
            if name.startswith("type-"):
                return _normalise_language(name[5:])
    return ""


def _class_ancestor(el: Tag, name: str) -> Tag | None:
    """``el.find_parent(class_=name)``."""
    parent = el.parent
    while parent is not None:
        if name in classes(parent):
            return parent
        parent = parent.parent
    return None


def is_gutter(el: Tag) -> bool:
    if el.name in GUTTER_TAGS:
        return True
    value = el.attrs.get("class")
    if not value:
        return False
    return not GUTTER_CLASSES.isdisjoint(value.split() if isinstance(value, str) else value)


_SKIPPED = (Comment, Declaration, Doctype, ProcessingInstruction)


def _walk(el: Tag, out: list[str], added: set[int]) -> None:
    """Append the code text under ``el`` to ``out``; ``added`` indexes our own newlines."""
    for child in el.contents:
        if isinstance(child, NavigableString):
            # Exact type first: a highlighted block is thousands of spans and strings.
            if type(child) is not NavigableString and isinstance(child, _SKIPPED):
                continue
            if out and child.startswith("\n") and len(out) - 1 in added:
                out.append(child[1:])  # the markup had its own newline after the line element
            else:
                out.append(child)
        elif isinstance(child, Tag):
            name = child.name
            if is_gutter(child) or (name == "td" and _is_number_cell(child)):
                continue
            if name == "br":
                out.append("\n")
                continue
            _walk(child, out, added)
            if name in LINE_TAGS and out and not out[-1].endswith("\n"):
                added.add(len(out))
                out.append("\n")


def _is_number_cell(el: Tag) -> bool:
    """A table cell holding nothing but line numbers (Chroma's first td.lntd)."""
    if el.name != "td" or CODE_CELL_CLASSES.intersection(classes(el)):
        return False
    numbers = el.get_text().split()
    # Consecutive numbers: a data cell of digits ("1 5", "2 10") is code, not a gutter.
    return bool(numbers) and all(n.isdigit() for n in numbers) and all(
        int(b) == int(a) + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def code_text(el: Tag) -> str:
    """The code held by ``el``, verbatim but without gutters and trailing spaces."""
    out: list[str] = []
    _walk(el, out, set())
    text = clean("".join(out)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# Class name -> whether it names a title bar: a highlighted block repeats a few names
# (Pygments' "k", "n", "p"...) on thousands of spans.
_TITLE_CLASSES: dict[str, bool] = {}


def _is_title_class(name: str) -> bool:
    known = _TITLE_CLASSES.get(name)
    if known is None:
        known = CODE_TITLE_RE.match(name) is not None
        if len(_TITLE_CLASSES) < 4096:  # names come from pages: never grow without end
            _TITLE_CLASSES[name] = known
    return known


def _is_title(el: Tag) -> bool:
    return any(map(_is_title_class, classes(el)))


def take_title(block: Tag) -> str:
    """Remove and return the title bar of the code ``block`` (a pre or a code table):
    inside it, or just before it or before one of its few wrappers."""
    found = next((el for el in tags(block) if "class" in el.attrs and _is_title(el)), None)
    node: Tag | None = block
    for _ in range(CODE_TITLE_ANCESTORS):
        if found is not None or node is None:
            break
        before = previous_tag(node)
        if isinstance(before, Tag) and _is_title(before):
            found = before
        node = node.parent if isinstance(node.parent, Tag) else None
    if found is None:
        return ""
    title = " ".join(found.get_text().split())
    row = ancestor(found, ("tr",))
    (row if row is not None and first(row, ("td",)) is None else found).decompose()
    return title


def strip_annotations(code: str, listed: bool) -> str:
    """``code`` without Material's annotation markers; plain "(1)" comments only when
    the annotation list (``listed``) follows the block."""
    if ")!" in code:  # the markers need "(1)!": most code has none to look for
        code = ANNOTATION_BANG_RE.sub("", code)
    return ANNOTATION_RE.sub("", code) if listed and ")" in code else code


def is_code_table(table: Tag) -> bool:
    """Highlighter output laid out as a table (line numbers beside code)."""
    names = set(classes(table))
    if names & CODE_TABLE_CLASSES and (
            first(table, ("pre",)) is not None
            or any(CODE_CELL_CLASSES.intersection(classes(el)) for el in tags(table))):
        return True
    cells = tags(table, ("td",), limit=4)
    if any(is_gutter(td) for td in cells):
        return True
    # Classes may be gone (the extractor keeps few): one row of a numbers-only cell
    # beside a cell of preformatted code is still a line-numbered block (Hexo/NexT);
    # a title row of its own (pymdownx's th.filename) may sit above it.
    rows = [tr for tr in tags(table, ("tr",), limit=3) if first(tr, ("td",)) is not None]
    return (len(rows) == 1 and any(map(_is_number_cell, cells))
            and any(first(td, ("pre",)) is not None for td in cells if not _is_number_cell(td)))


def fence(code: str, language: str = "", title: str = "") -> str:
    """A fenced code block longer than any backtick run inside the code; a title goes
    in the info string as Docusaurus and Material write it (```go title="main.go")."""
    longest = max((len(run) for run in BACKTICK_RUN_RE.findall(code)), default=0)
    marks = "`" * max(3, longest + 1)
    info = language
    if title:
        info = f'{language or "text"} title="{title.replace(chr(34), chr(39)).replace("`", "")}"'
    return f"{marks}{info}\n{code}\n{marks}"
