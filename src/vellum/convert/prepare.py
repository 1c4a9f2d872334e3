"""Normalise the article HTML before markdownify sees it.

Everything here rewrites the tree into plain HTML that the converter's
``convert_*`` hooks render directly: unsafe and invisible nodes go, highlighter
markup becomes one clean ``<pre>``, widgets (admonitions, tabs) become ordinary
blocks, layout tables are unwrapped, math becomes ``data-math`` elements, and
every text node is cleaned and escaped for its Markdown context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, CData, NavigableString, PageElement, Tag

from ..marks import CODE_LANGUAGE, CODE_TITLE, FOOTNOTE, FOOTNOTES, MATH
from ..rules.convert import (
    ADMONITION_CLASSES,
    BLOCK_TAGS,
    BLOCKY_CELL_CONTENT,
    BRACKETED_CONTROL_RE,
    CAPTION_BLOCKERS,
    CAPTION_CHARS,
    DROP_TAGS,
    FOOTNOTE_ID_RE,
    HEADING_CONTROL_CLASS_RE,
    HEADING_TAGS,
    HIDDEN_STYLE_RE,
    INLINE_BLOCKS,
    LAYOUT_CELL_CHARS,
    LINK_BREAKERS,
    LINKED_BLOCKS,
    MATH_MARKERS,
    MERGED_INLINE,
    PREFIX_TAGS,
    RAW_TEXT_TAGS,
    SEPARATOR_CHARS,
    SEPARATOR_HOLDERS,
    SEPARATOR_RE,
    SQUASHED_TO_SPACE,
    TAB_SET_CLASS,
    TEXT_HYGIENE_RE,
    TITLE_NORM_RE,
    UNLINKABLE_BLOCKS,
)
from ..soup import ancestor, child_tags, first, gone, next_tag, parse_html, tags, whole
from . import widgets
from .code import (
    code_language,
    code_text,
    is_code_table,
    strip_annotations,
    take_title,
)
from .survey import Survey
from .text import clean, escape, html5_entities, needs_neighbours, one_line, squash

TEXT_TYPES = (NavigableString, CData)  # the string types get_text() joins


@dataclass
class Prepared:
    root: Tag
    footnotes: list[tuple[str, Tag]] = field(default_factory=list)


def prepare(html: str | tuple[Tag, BeautifulSoup], title: str | None = None) -> Prepared:
    """``html`` is text, or extract's tree: a ``body`` element and its soup."""
    if isinstance(html, str):
        soup = parse_html(html)
        root: Tag = soup.body or soup
    else:
        root, soup = html
    whole(root)
    survey = Survey.of(root)
    # A tree handed over by extract had its unsafe and hidden nodes and its frames dealt
    # with there (extract owns those rules); HTML from elsewhere (html_to_markdown, a
    # stored body) gets them here.
    foreign = isinstance(html, str)
    names, found_classes = survey.names, survey.classes
    created = False  # widgets made elements the later passes look for
    if "math" in names or "script" in names or MATH_MARKERS & found_classes:
        widgets.fix_math(soup, survey)
        created = True
    if TAB_SET_CLASS in found_classes:
        widgets.fix_tabs(soup, survey)
        created = True
    if "tablist" in survey.roles:
        widgets.fix_aria_tabs(soup, survey)
        created = True
    if foreign:
        _drop_unsafe(survey)
    if title:
        _drop_title(root, title)
    if "details" in names or ADMONITION_CLASSES & found_classes:
        widgets.fix_admonitions(soup, survey)
        created = True
    if "iframe" in names and foreign:
        widgets.fix_embeds(soup, survey)
        created = True
    if "input" in names:
        widgets.fix_task_items(survey)
    if created:
        survey.refresh()
    if "li" in names:
        _drop_empty_items(survey)
    if "a" in names:
        _fix_block_links(soup, survey)
    if HEADING_TAGS & names:
        _fix_headings(survey, any(HEADING_CONTROL_CLASS_RE.search(name) for name in found_classes))
    if "p" in names or "div" in names or "center" in names:
        _fix_separators(soup, survey)
    if MERGED_INLINE & names:
        _merge_split_emphasis(survey)
    if "figure" in names:
        _fix_figures(survey)
    if {"pre", "code", "table"} & names:
        _fix_code(soup, survey)
    if {"table", "tr", "td", "th", "caption"} & names:
        _unwrap_layout_tables(survey)
    _prepare_text(root)
    return Prepared(root, _take_footnotes(survey) if survey.footnotes else [])


def footnote_id(value: str) -> str:
    return FOOTNOTE_ID_RE.sub("-", value.strip()).strip("-")


def _is_unsafe(el: Tag) -> bool:
    if el.name in DROP_TAGS or el.has_attr("hidden"):
        return True
    if el.name == "input" and el.get("type") != "checkbox":
        return True
    style = el.get("style")
    return isinstance(style, str) and HIDDEN_STYLE_RE.search(style) is not None


def _drop_unsafe(survey: Survey) -> None:
    """An unsafe or hidden element goes with its whole subtree."""
    for el in survey.elements:
        if not gone(el) and _is_unsafe(el) and survey.holds(el):
            el.decompose()


def _first_content(root: Tag) -> Tag | None:
    """The first element with content, descending through wrappers; None if text comes first."""
    node = root
    while True:
        first: Tag | None = None
        for child in node.children:
            if isinstance(child, Tag):
                first = child
                break
            if isinstance(child, NavigableString) and type(child) is NavigableString \
                    and child.strip():
                return None
        if first is None:
            return None
        if first.name in ("div", "article", "header", "section", "main", "hgroup"):
            node = first
            continue
        return first


def _drop_title(root: Tag, title: str) -> None:
    first = _first_content(root)
    if first is None or first.name not in ("h1", "h2"):
        return
    if _norm(first.get_text()) == _norm(title):
        first.decompose()


def _norm(text: str) -> str:
    return TITLE_NORM_RE.sub(" ", one_line(text).casefold()).strip()


def _fix_headings(survey: Survey, controls_by_class: bool) -> None:
    """Edit controls go: the heading is the title alone."""
    for heading in survey.tags(HEADING_TAGS):
        for el in heading.find_all(class_=HEADING_CONTROL_CLASS_RE) if controls_by_class else []:
            if el.parent is not None:
                el.extract()
        last = heading.contents[-1] if heading.contents else None
        while isinstance(last, NavigableString) and not last.strip():
            last = last.previous_sibling
        if isinstance(last, Tag) and last.find("a") is not None \
                and BRACKETED_CONTROL_RE.match(one_line(last.get_text())) \
                and one_line(heading.get_text()) != one_line(last.get_text()):
            last.extract()  # a trailing "[edit]"-style group, whatever its class


def _fix_block_links(soup: BeautifulSoup, survey: Survey) -> None:
    """A link around a heading and more (a card: heading, teaser) becomes one link inside
    each block: Markdown link text is inline, and "[## Title](url)" is no heading."""
    for link in survey.tags({"a"}):
        # Only around a heading, list or table: other blocks (tiles of divs) read well
        # flattened into one link, which the converter does.
        if link.parent is not None and any(
                isinstance(child, Tag) and child.name in LINKED_BLOCKS for child in link.children) \
                and first(link, LINK_BREAKERS) is not None:
            _push_link_down(soup, link)


def _push_link_down(soup: BeautifulSoup, link: Tag) -> None:
    run: list[PageElement] = []

    def relink_run() -> None:
        if any(_has_content(node) for node in run):
            copy = _copy_link(soup, link)
            run[0].insert_before(copy)
            for node in run:
                copy.append(node.extract())
        run.clear()

    for child in list(link.children):
        if not (isinstance(child, Tag) and child.name in LINKED_BLOCKS):
            run.append(child)
            continue
        relink_run()
        if child.name in UNLINKABLE_BLOCKS:
            continue  # lists and tables keep their own structure, unlinked
        inner = _copy_link(soup, link)
        for node in list(child.children):
            inner.append(node.extract())
        child.append(inner)
        if any(isinstance(node, Tag) and node.name in LINKED_BLOCKS for node in inner.children):
            _push_link_down(soup, inner)
    relink_run()
    link.unwrap()


def _copy_link(soup: BeautifulSoup, link: Tag) -> Tag:
    copy = soup.new_tag("a")
    copy.attrs = dict(link.attrs)
    return copy


def _drop_empty_items(survey: Survey) -> None:
    """List items with nothing to show go (else "- " lines, or numbering that skips)."""
    for item in survey.tags({"li"}):
        if not _has_content(item):
            item.extract()


def _fix_separators(soup: BeautifulSoup, survey: Survey) -> None:
    """A paragraph typed as a separator ("* * *", "******", "~~~") becomes a thematic break."""
    for el in survey.tags(SEPARATOR_HOLDERS):
        if el.parent is None or _first_visible_char(el) not in SEPARATOR_CHARS:
            continue  # the cheap test first: most paragraphs start with a letter
        if first(el, ("img", "hr", "br", "p", "div")) is None \
                and SEPARATOR_RE.match(one_line(el.get_text())):
            el.replace_with(soup.new_tag("hr"))


def _merge_split_emphasis(survey: Survey) -> None:
    """Join an inline element with an identical one right after it: one run of markup."""
    for el in survey.tags(MERGED_INLINE):
        if el.parent is None:
            continue
        while (twin := _twin_after(el)) is not None:
            between = el.next_sibling
            if between is not twin and isinstance(between, NavigableString):
                el.append(between.extract())  # the space between the two runs
            for child in list(twin.contents):
                el.append(child.extract())
            twin.extract()


def _twin_after(el: Tag) -> Tag | None:
    """The identical element right after ``el``, at most a space between them."""
    nxt = el.next_sibling
    if type(nxt) is NavigableString and not nxt.strip() and el.name != "code":
        nxt = nxt.next_sibling
    if isinstance(nxt, Tag) and nxt.name == el.name and nxt.attrs == el.attrs:
        return nxt
    return None


def _fix_figures(survey: Survey) -> None:
    """The caption goes after the image, whatever the markup order; a low-resolution
    placeholder beside its full image (same file name) goes."""
    for figure in survey.tags({"figure"}):
        caption = figure.find("figcaption", recursive=False)
        if caption is not None:
            figure.append(caption.extract())
        images = tags(figure, ("img",))
        for placeholder, full in zip(images, images[1:], strict=False):
            name = _file_name(placeholder)
            if name and name == _file_name(full):
                if not str(full.get("alt", "")).strip() and placeholder.get("alt"):
                    full["alt"] = placeholder["alt"]  # the description was on the preview
                placeholder.extract()


def _file_name(img: Tag) -> str:
    src = img.get("src")
    path = src.split("?")[0].split("#")[0] if isinstance(src, str) else ""
    return path.rstrip("/").rsplit("/", 1)[-1]


def _fix_code(soup: BeautifulSoup, survey: Survey) -> None:
    root = survey.root
    for table in survey.tags({"table"}):
        if gone(table) or ancestor(table, "pre") or not is_code_table(table):
            continue
        pre = soup.new_tag("pre")
        pre[CODE_LANGUAGE] = code_language(table)
        title = take_title(table)
        if title:
            pre[CODE_TITLE] = title
        pre.string = strip_annotations(code_text(table), _annotated(table, root))
        table.replace_with(pre)
    wrapped = False
    for code in survey.tags({"code"}):
        if ancestor(code, "pre") is None and _is_code_block(code):
            code.wrap(soup.new_tag("pre"))
            wrapped = True
    for pre in tags(root, {"pre"}) if wrapped else survey.tags({"pre"}):
        if ancestor(pre, "pre") or pre.has_attr(CODE_LANGUAGE):
            continue
        language = code_language(pre)
        title = take_title(pre)
        text = strip_annotations(code_text(pre), _annotated(pre, root))
        pre.clear()
        pre.string = text
        pre[CODE_LANGUAGE] = language
        if title:
            pre[CODE_TITLE] = title


def _annotated(pre: Tag, root: Tag) -> bool:
    """The block is followed by a numbered list (Material's code annotations)."""
    node: Tag = pre
    while next_tag(node) is None and isinstance(node.parent, Tag) and node.parent is not root:
        node = node.parent
    following = next_tag(node)
    return following is not None and following.name == "ol"


def _is_code_block(code: Tag) -> bool:
    """A <code> broken into lines by <br> alone in its paragraph (blogs without <pre>)."""
    if first(code, ("br",)) is None:
        return False
    parent = code.parent
    if not isinstance(parent, Tag) or parent.name not in ("p", "div", "li", "td", "blockquote"):
        return False
    return all(child is code or not _has_content(child) for child in parent.children)


def _own_rows(table: Tag) -> list[Tag]:
    return [tr for tr in tags(table, ("tr",)) if ancestor(tr, "table") is table]


def _is_layout_table(table: Tag, rows: list[Tag], cells: list[Tag]) -> bool:
    if table.get("role") in ("presentation", "none") or len(cells) <= 1:
        return True
    header = first(table, ("thead", "th"))
    if not header and all(len(child_tags(tr, ("td", "th"))) <= 1 for tr in rows):
        return True  # one column: stacked blocks (image over caption, boxed notes)
    if not header and _image_caption(cells) is not None:
        return True  # an image and its caption side by side
    if first(table, BLOCKY_CELL_CONTENT):
        return True
    for cell in cells:
        paragraphs = [p for p in child_tags(cell, ("p", "div"))
                      if p.get_text(strip=True)]
        if len(paragraphs) > 1:
            return True
        if not header and len(one_line(cell.get_text())) > LAYOUT_CELL_CHARS:
            return True
    return False


def _unwrap_layout_tables(survey: Survey) -> None:
    broken: set[int] = set()  # tables holding cells outside any row: laid out by hand
    for stray in survey.tags({"tr", "td", "th", "caption"}):
        table = ancestor(stray, "table")
        if table is None:
            stray.name = "div"  # table parts outside any table (clipped markup)
        elif stray.name in ("td", "th") and ancestor(stray, "tr") is None:
            stray.name = "div"
            broken.add(id(table))
    for table in reversed(survey.tags({"table"})):
        rows = _own_rows(table)
        cells = [c for tr in rows for c in child_tags(tr, ("td", "th"))]
        if id(table) not in broken and not _is_layout_table(table, rows, cells):
            continue
        caption = _image_caption(cells)
        for cell in cells:
            cell.name = "div"
        for tr in rows:
            tr.name = "div"
        for part in tags(table, ("thead", "tbody", "tfoot", "caption", "colgroup")):
            if ancestor(part, "table") is table:
                if part.name == "colgroup":
                    part.decompose()
                else:
                    part.name = "p" if part.name == "caption" else "div"
        table.name = "div"
        if caption is not None:
            table.name = "figure"  # rendered like one: the image, then the italic caption
            caption.name = "figcaption"
            table.append(caption.extract())


def _image_caption(cells: list[Tag]) -> Tag | None:
    """The caption cell of a layout table holding one image cell and one short text cell."""
    images = [cell for cell in cells if first(cell, ("img",)) is not None]
    texts = [cell for cell in cells if cell not in images and _has_text(cell)]
    if len(images) != 1 or len(texts) != 1 or _has_text(images[0]):
        return None
    caption = texts[0]
    if first(caption, CAPTION_BLOCKERS) is not None or len(tags(caption, ("p", "div"))) > 1 \
            or len(one_line(caption.get_text())) > CAPTION_CHARS:
        return None
    return caption


def _is_block(node: object) -> bool:
    return isinstance(node, Tag) and node.name in BLOCK_TAGS


def _has_content(node: object) -> bool:
    if isinstance(node, Tag):
        return node.name in ("img", "input", "br") or _has_text(node) \
            or first(node, ("img", "input")) is not None
    return isinstance(node, NavigableString) and type(node) is NavigableString \
        and bool(node.strip())


def starts_line(node: Tag | NavigableString, *, through_markup: bool = False) -> bool:
    """True when ``node``'s text would begin a Markdown line (block start or after <br>).

    ``through_markup``: count text right after an opening marker ("**", "[") as at
    the line start too (for its leading spaces, which the marker would carry along).
    """
    current: Tag | NavigableString = node
    while True:
        prev = current.previous_sibling
        while prev is not None:
            if isinstance(prev, Tag) and (prev.name == "br" or prev.name in BLOCK_TAGS):
                return _breaks_lines(current)
            if _has_content(prev):
                return False
            prev = prev.previous_sibling
        parent = current.parent
        if parent is None or parent.name in BLOCK_TAGS:
            return parent is None or parent.name not in INLINE_BLOCKS
        if parent.name in PREFIX_TAGS and not through_markup:
            return False
        current = parent


def _breaks_lines(node: Tag | NavigableString) -> bool:
    """False inside a heading, cell or caption: they render on one line, <br> as a space."""
    for parent in node.parents:
        if parent.name in INLINE_BLOCKS:
            return False
        if parent.name in BLOCK_TAGS:
            return True
    return True


def _edge_char(node: Tag | NavigableString, forward: bool) -> str:
    """The first (or last) character ``node`` will put in the Markdown, '' if none."""
    if isinstance(node, Tag):
        if node.name in BLOCK_TAGS or node.name == "br":
            return " "
        if node.name in PREFIX_TAGS or node.name == "img":
            return "*"  # markup punctuation: "[", "*", "`", "!"...
        return _end_text_char(node, forward)
    text = str(node) if type(node) is NavigableString else ""
    return text[:1] if forward else text[-1:]


def _text_nodes(tag: Tag, forward: bool) -> Iterator[str]:
    """The strings get_text() joins, from the start (or from the end) of ``tag``."""
    for child in (tag.contents if forward else reversed(tag.contents)):
        if isinstance(child, Tag):
            yield from _text_nodes(child, forward)
        elif type(child) in TEXT_TYPES:
            yield str(child)


def _end_text_char(tag: Tag, forward: bool) -> str:
    """get_text()[:1] (or [-1:]) without building the whole text."""
    for text in _text_nodes(tag, forward):
        if text:
            return text[0] if forward else text[-1]
    return ""


def _first_visible_char(tag: Tag) -> str:
    for text in _text_nodes(tag, True):
        if text.strip():
            return text.strip()[0]
    return ""


def _has_text(tag: Tag) -> bool:
    return any(text.strip() for text in _text_nodes(tag, True))


def adjacent_char(node: Tag | NavigableString, forward: bool) -> str:
    """The character next to ``node`` in the output: ' ' at a block edge, '' if unknown."""
    current: Tag | NavigableString = node
    while True:
        sib = current.next_sibling if forward else current.previous_sibling
        while sib is not None:
            char = _edge_char(sib, forward) if isinstance(sib, (Tag, NavigableString)) else ""
            if char:
                return char
            sib = sib.next_sibling if forward else sib.previous_sibling
        parent = current.parent
        if parent is None or parent.name in BLOCK_TAGS:
            return " "
        if parent.name in PREFIX_TAGS:
            return "*"
        current = parent


def _prepare_text(root: Tag) -> None:
    """Clean and escape every text node for its Markdown context, in one document-order walk.

    Order matters: a node's escaping looks at its neighbours' characters, and the
    earlier ones are already escaped.
    """
    stack: list[tuple[Iterator[PageElement], bool, bool]] = [(iter(list(root.contents)),
                                                              False, False)]
    while stack:
        children, raw, in_cell = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if child.name == "pre" or child.has_attr(MATH):
                continue  # code blocks and TeX are verbatim
            stack.append((iter(list(child.contents)), raw or child.name in RAW_TEXT_TAGS,
                          in_cell or child.name in ("td", "th")))
        elif type(child) is NavigableString:
            _prepare_string(child, raw=raw, in_cell=in_cell)


def _hygienic(text: str) -> str:
    """``squash(clean(html5_entities(text)))``, with quick ways out for the two most common
    kinds of string: indentation between tags, and text that needs none of the three."""
    if not text.strip(SQUASHED_TO_SPACE):
        return " " if text else ""
    if TEXT_HYGIENE_RE.search(text) is None:
        return text
    return squash(clean(html5_entities(text)))


def _prepare_string(node: NavigableString, *, raw: bool, in_cell: bool) -> None:
    text = _hygienic(str(node))
    if raw:
        if text != node:
            node.replace_with(NavigableString(text))
        return
    prev, nxt = node.previous_sibling, node.next_sibling
    if not text.strip() and (
        _is_block(prev) or _is_block(nxt)
        or ((prev is None or nxt is None) and _is_block(node.parent))
    ):
        node.extract()  # indentation between blocks
        return
    if isinstance(prev, Tag) and (prev.name == "br" or prev.name in BLOCK_TAGS):
        text = text.lstrip()
    if isinstance(nxt, Tag) and nxt.name == "br":
        text = text.rstrip()
    line_start = starts_line(node)
    if line_start or (text.startswith(" ") and starts_line(node, through_markup=True)):
        # Spaces opening a line never show in HTML; in Markdown four make a code block.
        # (Only ASCII spaces: an ideographic space indenting CJK prose is typography.)
        text = text.lstrip(" ")
        if not text:
            node.extract()
            return
    if needs_neighbours(text):
        text = escape(text, line_start=line_start, in_cell=in_cell,
                      before=adjacent_char(node, forward=False),
                      after=adjacent_char(node, forward=True))
    else:
        text = escape(text, line_start=line_start, in_cell=in_cell)
    if text != node:  # most strings need nothing, and replace_with costs a relink
        node.replace_with(NavigableString(text))


def _take_footnotes(survey: Survey) -> list[tuple[str, Tag]]:
    notes: list[tuple[str, Tag]] = []
    for section in [el for el in survey.all() if el.has_attr(FOOTNOTES)]:
        for div in [el for el in tags(section) if el.has_attr(FOOTNOTE)]:
            key = footnote_id(str(div.get(FOOTNOTE, "")))
            if key:
                notes.append((key, div.extract()))
        section.decompose()
    return notes
