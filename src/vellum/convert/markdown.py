"""The markdownify subclass: every Markdown decision lives in a ``convert_<tag>`` hook.

The tree it receives was normalised by ``prepare`` (text already escaped, code
blocks already plain ``<pre>``), so the hooks only choose the Markdown syntax.
"""

from __future__ import annotations

from collections.abc import Callable

from bs4 import Comment, Doctype, NavigableString, PageElement, Tag
from markdownify import ATX, BACKSLASH, MarkdownConverter

from ..marks import CODE_LANGUAGE, CODE_TITLE, FOOTNOTE_REF, MATH, MATH_DISPLAY
from ..rules.convert import (
    CLOSING_HASHES_RE,
    HEADINGS,
    MD_EDGE_NEWLINES_RE,
    MD_HEADING_RE,
    MD_NEWLINE_SPACE_RE,
    MD_SPACE_RE,
    MD_TRIMMED_BLOCKS,
)
from . import inline, tables
from .code import fence
from .text import clean, escape, one_line

# markdownify's type stub lists no hooks; its list-item rendering is reused as is.
LIBRARY_LI: Callable[..., str] = getattr(MarkdownConverter, "convert_li")  # noqa: B009
CONVERT_FN: Callable[..., Callable[..., str] | None] = getattr(  # noqa: B009
    MarkdownConverter, "get_conv_fn_cached")


def _heading(title: str) -> str:
    """The heading text: bold around all of it dropped (a heading is bold already); a
    closing run of "#", which would be read as the ATX closing sequence, escaped."""
    if len(title) > 4 and title.startswith("**") and title.endswith("**") \
            and "**" not in title[2:-2]:
        title = title[2:-2]
    return CLOSING_HASHES_RE.sub(r"\1\\\2", title)


def _attr(el: Tag, name: str) -> str:
    value = el.get(name)
    return clean(value).strip() if isinstance(value, str) else ""


# Per tag name: (whitespace trimmed inside, whitespace trimmed outside, the marks its
# children add to parent_tags). markdownify works these out by regex for every node.
_NAME_FACTS: dict[str, tuple[bool, bool, tuple[str, ...]]] = {}


def _facts(name: str) -> tuple[bool, bool, tuple[str, ...]]:
    known = _NAME_FACTS.get(name)
    if known is None:
        heading = MD_HEADING_RE.match(name) is not None
        inside = heading or name in MD_TRIMMED_BLOCKS
        marks = [name]
        if heading or name in ("td", "th"):
            marks.append("_inline")
        if name in ("pre", "code", "kbd", "samp"):
            marks.append("_noformat")
        known = _NAME_FACTS[name] = (inside, inside or name == "pre", tuple(marks))
    return known


def _outside(node: object) -> bool:
    """markdownify's should_remove_whitespace_outside: a block or <pre> beside."""
    return isinstance(node, Tag) and _facts(node.name)[1]


class MarkdownWriter(MarkdownConverter):
    """HTML → Markdown with vellum's rules (see the package docstring)."""

    def __init__(self, base_url: str | None = None) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            newline_style=BACKSLASH,
            escape_asterisks=False,  # prepare.py escapes by context instead
            escape_underscores=False,
            escape_misc=False,
            strong_em_symbol="*",
        )
        self.base_url = base_url
        self.abbreviations: set[str] = set()

    # --- markdownify's walk, without its per-node regexes and find_parent ----------------

    def process_tag(self, node: Tag, parent_tags: set[str] | None = None) -> str:
        """markdownify's process_tag, same output: name facts cached, "inside a <pre>"
        read from ``parent_tags`` (the tree is converted from its root down)."""
        if parent_tags is None:
            parent_tags = set()
        name = node.name
        inside, _, marks = _facts(name)
        children: list[PageElement] = []
        for el in node.children:
            if isinstance(el, Tag):
                children.append(el)
            elif isinstance(el, (Comment, Doctype)) or not isinstance(el, NavigableString):
                continue
            elif el.strip() != "":
                children.append(el)
            elif inside and (not el.previous_sibling or not el.next_sibling):
                continue
            elif not (_outside(el.previous_sibling) or _outside(el.next_sibling)):
                children.append(el)
        inner = set(parent_tags)
        inner.update(marks)
        strings = []
        for el in children:
            text = (self.process_text(el, inner) if isinstance(el, NavigableString)
                    else self.process_tag(el, inner))  # type: ignore[arg-type]
            if text:
                strings.append(text)
        if name != "pre" and "pre" not in parent_tags:
            collapsed = [""]
            for string in strings:
                leading, content, trailing = MD_EDGE_NEWLINES_RE.match(string).groups()  # type: ignore[union-attr]  # always matches
                if collapsed[-1] and leading:
                    previous = collapsed.pop()
                    leading = "\n" * min(2, max(len(previous), len(leading)))
                collapsed.extend((leading, content, trailing))
            strings = collapsed
        text = "".join(strings)
        convert = CONVERT_FN(self, name)
        return convert(node, text, parent_tags=parent_tags) if convert is not None else text

    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        """markdownify's process_text for vellum's options (its escaping is off)."""
        if parent_tags is None:
            parent_tags = set()
        text = str(el)
        if "pre" not in parent_tags:
            if "\n" in text or "\r" in text:
                text = MD_NEWLINE_SPACE_RE.sub("\n", text)
            if "\t" in text or "  " in text:
                text = MD_SPACE_RE.sub(" ", text)
        before, after, parent = el.previous_sibling, el.next_sibling, el.parent
        trim_inside = parent is not None and _facts(parent.name)[0]
        if _outside(before) or (trim_inside and not before):
            text = text.lstrip(" \t\r\n")
        if _outside(after) or (trim_inside and not after):
            text = text.rstrip()
        return text

    # --- blocks -----------------------------------------------------------------------

    def convert_div(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        math = el.get(MATH)
        if math is not None:
            return inline.math(el, display=math == MATH_DISPLAY, inline="_inline" in parent_tags)
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    convert_article = convert_div
    convert_section = convert_div
    convert_header = convert_div
    convert_footer = convert_div
    convert_main = convert_div
    convert_aside = convert_div
    convert_nav = convert_div
    convert_figure = convert_div
    convert_address = convert_div
    convert_center = convert_div
    convert_hgroup = convert_div
    convert_fieldset = convert_div
    convert_form = convert_div
    convert_dl = convert_div

    def convert_span(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if el.get(MATH) is not None:
            return inline.math(el, display=el.get(MATH) == MATH_DISPLAY, inline=True)
        return text

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        code = el.get_text()
        if not code.strip():
            return ""
        language = _attr(el, CODE_LANGUAGE)
        if "_inline" in parent_tags:
            return inline.code_span(one_line(code), in_cell=True)
        return f"\n\n{fence(code, language, _attr(el, CODE_TITLE))}\n\n"

    @staticmethod
    def _line_block(text: str, parent_tags: set[str], fmt: Callable[[str], str],
                    end: str = "\n\n") -> str:
        """A block that must fit on one line (heading, caption, term)."""
        line = inline.one_line_markdown(text)
        if not line:
            return ""
        if "_inline" in parent_tags:
            return f" {line} "
        return f"\n\n{fmt(line)}{end}"

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._line_block(text, parent_tags, inline.italic_line)

    def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._line_block(text, parent_tags, inline.bold, end="\n")

    def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if not text:
            return ""
        if "_inline" in parent_tags:
            return f" {text} "
        lines = text.split("\n")
        body = "\n".join(("    " + line) if line else "" for line in lines[1:])
        first = f": {lines[0]}"
        return f"\n{first}\n{body}\n" if body else f"\n{first}\n"

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        item: str = LIBRARY_LI(self, el, text, parent_tags)
        parent = el.parent
        if isinstance(parent, Tag) and inline.is_loose_list(parent) and item.strip():
            return item.rstrip("\n") + "\n\n"
        return item

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags or "_noformat" in parent_tags:
            return " "
        return inline.line_break(el)

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        marks = "#" * max(1, min(6, n))
        return self._line_block(text, parent_tags, lambda title: f"{marks} {_heading(title)}")

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n---\n\n" if "_inline" not in parent_tags else " "

    def convert_input(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    # --- tables -------------------------------------------------------------------------

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return tables.wrap_cell(el, text)

    convert_th = convert_td

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return tables.wrap_row(el, text)

    def convert_caption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return tables.wrap_caption(text)

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return tables.render_table(text)

    # --- inline -------------------------------------------------------------------------

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        if HEADINGS & parent_tags and str(el.get("href", "")).strip().startswith("#"):
            # A heading's own permalink: the heading is the anchor ("¶", "#" markers go).
            return "" if inline.one_line_markdown(text) in inline.ANCHOR_TEXTS else text
        return inline.link(el, text, self.base_url, in_cell=bool({"td", "th"} & parent_tags))

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        as_text = bool(HEADINGS & parent_tags) or "_noformat" in parent_tags
        return inline.image(el, self.base_url, as_text=as_text,
                            in_cell=bool({"td", "th"} & parent_tags))

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return inline.media(el, text, self.base_url)

    convert_audio = convert_video

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix = " " if text[:1].isspace() else ""
        suffix = " " if text[-1:].isspace() else ""
        span = inline.code_span(text.strip(), in_cell=bool({"td", "th"} & parent_tags))
        return f"{prefix}{span}{suffix}" if span else prefix or suffix

    convert_kbd = convert_code
    convert_samp = convert_code
    convert_tt = convert_code

    def convert_b(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return inline.emphasis(el, text, parent_tags, "**", {"b", "strong"})

    convert_strong = convert_b

    def convert_em(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "figcaption" in parent_tags:
            return text  # the caption line is italic already
        marker = "*" if inline.intraword(el) else "_"
        return inline.emphasis(el, text, parent_tags, marker, {"em", "i", "cite", "dfn"})

    convert_i = convert_em
    convert_dfn = convert_em

    def convert_cite(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if inline.is_reference(el):
            return text  # a whole bibliographic reference, not a title: plain
        return self.convert_em(el, text, parent_tags)

    def convert_del(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return inline.emphasis(el, text, parent_tags, "~~", {"del", "s", "strike"})

    convert_s = convert_del
    convert_strike = convert_del

    def convert_mark(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return inline.emphasis(el, text, parent_tags, "==", {"mark"})

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        ref = el.get(FOOTNOTE_REF)
        if isinstance(ref, str):
            return inline.footnote_ref(ref)
        return inline.superscript(el, text)

    def convert_sub(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return inline.subscript(el, text)

    def convert_abbr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        title = one_line(_attr(el, "title"))
        key = one_line(text)
        if not title or not key or title.casefold() == key.casefold() \
                or key in self.abbreviations:
            return text
        self.abbreviations.add(key)
        return f"{text} ({escape(title)})"
