"""Page widgets rewritten as plain HTML: math, admonitions, content tabs, embeds, tasks."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from ..marks import MATH, MATH_DISPLAY, MATH_INLINE
from ..rules.convert import (
    ADMONITION_BOXES,
    ADMONITION_TITLE_CLASSES,
    ADMONITION_TITLE_RE,
    ADMONITION_TYPES,
    ARITHMATEX_CLASS,
    ARITHMATEX_DELIMITERS,
    EMBED_SRC_RE,
    KATEX_CLASSES,
    MATH_RENDERINGS,
    MATH_SCRIPT_RE,
    TAB_LABELS,
    TAB_PANELS,
    TAB_SET_CLASS,
)
from ..soup import select, tags
from .code import classes
from .mathml import math_tex
from .survey import Survey
from .text import one_line


def _math_node(soup: BeautifulSoup, tex: str, display: bool) -> Tag:
    node = soup.new_tag("div" if display else "span")
    node[MATH] = MATH_DISPLAY if display else MATH_INLINE
    node.string = tex.strip()
    return node


def _strip_delimiters(tex: str) -> str:
    tex = tex.strip()
    for opening, closing in ARITHMATEX_DELIMITERS:
        if tex.startswith(opening) and tex.endswith(closing) and len(tex) > len(opening) * 2:
            return tex[len(opening):-len(closing)]
    return tex


def _with_class(survey: Survey, names: frozenset[str] | set[str]) -> list[Tag]:
    """Elements in the tree having one of the class ``names`` (document order)."""
    return [el for el in survey.all()
            if el.has_attr("class") and names.intersection(classes(el))]


def _is_math_script(el: Tag) -> bool:
    kind = el.get("type")
    return isinstance(kind, str) and MATH_SCRIPT_RE.search(kind) is not None


def fix_math(soup: BeautifulSoup, survey: Survey) -> None:
    """MathJax scripts, KaTeX/MathML annotations and arithmatex become data-math nodes."""
    for el in _with_class(survey, MATH_RENDERINGS):
        if el.parent is not None:
            el.extract()
    for script in [el for el in survey.tags({"script"}) if _is_math_script(el)]:
        display = "mode=display" in str(script.get("type", ""))
        script.replace_with(_math_node(soup, script.get_text(), display))
    boxes = [el for el in survey.all()
             if el.name == "math" or KATEX_CLASSES.intersection(classes(el))]
    replaced: set[int] = set()
    for el in boxes:
        if any(id(parent) in replaced for parent in el.parents):
            continue  # inside a box already replaced
        annotation = el.find("annotation", encoding="application/x-tex")
        if annotation is not None:
            tex = annotation.get_text()
        elif el.name == "math" and el.find("math") is None:
            tex = math_tex(el)  # bare presentation MathML
        else:
            continue
        display = "katex-display" in classes(el) or el.get("display") == "block"
        el.replace_with(_math_node(soup, tex, display))
        replaced.add(id(el))
    for el in _with_class(survey, {ARITHMATEX_CLASS}):
        display = el.name == "div"
        el.replace_with(_math_node(soup, _strip_delimiters(el.get_text()), display))


def _title_paragraph(soup: BeautifulSoup, title: str) -> Tag:
    para = soup.new_tag("p")
    strong = soup.new_tag("strong")
    strong.string = title
    para.append(strong)
    return para


def _admonition_title(box: Tag) -> str:
    for name in (*ADMONITION_TITLE_CLASSES, ADMONITION_TITLE_RE):
        title_el = box.find(class_=name)
        if title_el is not None:
            title = one_line(title_el.get_text())
            title_el.decompose()
            return title
    for name in classes(box):
        if name.lower() in ADMONITION_TYPES:
            return name.capitalize()
    return ""


def fix_admonitions(soup: BeautifulSoup, survey: Survey) -> None:
    """Callouts and <details> become a blockquote whose first line is the bold title."""
    boxes = [el for el in survey.tags({"div", "aside", "details"})
             if el.name == "details"
             or any((el.name, name) in ADMONITION_BOXES for name in classes(el))]
    for box in boxes:
        if box.name == "details":
            summary = box.find("summary")
            title = one_line(summary.get_text()) if summary is not None else ""
            if summary is not None:
                summary.decompose()
        else:
            title = _admonition_title(box)
        box.name = "blockquote"
        box.attrs = {}
        if title:
            box.insert(0, _title_paragraph(soup, title))


def _select_first(el: Tag, selectors: tuple[str, ...]) -> list[Tag]:
    for selector in selectors:
        found = select(el, selector)
        if found:
            return found
    return []


def fix_tabs(soup: BeautifulSoup, survey: Survey) -> None:
    """Each content tab becomes its bold label followed by its content (hidden tabs too)."""
    for tabset in reversed(_with_class(survey, {TAB_SET_CLASS})):
        labels = _select_first(tabset, TAB_LABELS)
        panels = _select_first(tabset, TAB_PANELS)
        if not labels or len(labels) != len(panels):
            continue
        flat = soup.new_tag("div")
        for label, panel in zip(labels, panels, strict=True):
            flat.append(_title_paragraph(soup, one_line(label.get_text())))
            panel.name = "div"
            panel.attrs = {}
            flat.append(panel.extract())
        tabset.replace_with(flat)


def _with_role(elements: list[Tag], role: str) -> list[Tag]:
    return [el for el in elements if el.get("role") == role]


def fix_aria_tabs(soup: BeautifulSoup, survey: Survey) -> None:
    """ARIA tabs (Docusaurus, Bootstrap...): each ``role=tabpanel`` gets its tab's label
    as a bold line before it, and the row of tabs goes; hidden panels are content too."""
    for tablist in reversed(_with_role(survey.all(), "tablist")):
        box = tablist.parent
        if not isinstance(box, Tag):
            continue
        tabs = _with_role(tags(tablist), "tab")
        # Inner tab sets went first (reversed order) and lost their panels' roles.
        panels = _with_role(tags(box), "tabpanel")
        if not tabs or len(tabs) != len(panels):
            continue
        for tab, panel in zip(tabs, panels, strict=True):
            panel.insert_before(_title_paragraph(soup, one_line(tab.get_text())))
            del panel["role"]
        tablist.decompose()


def fix_embeds(soup: BeautifulSoup, survey: Survey) -> None:
    """An embedded frame (video, map...) becomes a link to what it shows."""
    for frame in survey.tags({"iframe"}):
        src = frame.get("src")
        if not isinstance(src, str) or not EMBED_SRC_RE.match(src.strip()):
            frame.decompose()
            continue
        para = soup.new_tag("p")
        link = soup.new_tag("a", href=src.strip())
        title = frame.get("title")
        link.string = one_line(title) if isinstance(title, str) and title.strip() else src.strip()
        para.append(link)
        frame.replace_with(para)


def fix_task_items(survey: Survey) -> None:
    """A checkbox opening a list item becomes a GFM task marker; other inputs go."""
    for box in survey.tags({"input"}):
        parent = box.parent
        if isinstance(parent, Tag) and parent.name in ("li", "p", "label", "span") \
                and box.find_previous_sibling() is None:
            box.replace_with("[x] " if box.has_attr("checked") else "[ ] ")
        else:
            box.decompose()
