"""Presentation MathML without a TeX annotation → TeX, so formulas stay formulas.

Covers the elements equation editors and MathJax/KaTeX emit; anything else
contributes its children. Characters are kept as they are (MathJax and KaTeX
read Unicode operators and letters).
"""

from __future__ import annotations

from bs4 import NavigableString, Tag

from ..rules.convert import (
    ACCENTS,
    DISPLAYSTYLE_RE,
    SKIPPED,
    SPACE_RUN_RE_ANY,
    WORD_RE,
)
from .text import one_line


def _kids(el: Tag) -> list[Tag]:
    return [child for child in el.children if isinstance(child, Tag)]


def _group(el: Tag | None) -> str:
    tex = to_tex(el) if el is not None else ""
    return tex if len(tex) == 1 else "{" + tex + "}"


def _token(el: Tag) -> str:
    text = one_line(el.get_text())
    if el.name == "mtext":
        return "\\text{" + text + "}" if text else ""
    if el.name == "mi" and WORD_RE.match(text):
        return "\\mathrm{" + text + "}"  # multi-letter identifiers: sin, log, max
    return text


def _scripts(el: Tag, kids: list[Tag]) -> str | None:
    base = _group(kids[0]) if kids else "{}"
    if el.name in ("msup", "msub") and len(kids) == 2:
        return f"{base}{'^' if el.name == 'msup' else '_'}{_group(kids[1])}"
    if el.name in ("msubsup", "munderover") and len(kids) == 3:
        return f"{base}_{_group(kids[1])}^{_group(kids[2])}"
    if el.name == "munder" and len(kids) == 2:
        return f"{base}_{_group(kids[1])}"
    if el.name == "mover" and len(kids) == 2:
        accent = ACCENTS.get(one_line(kids[1].get_text()))
        return f"{accent}{{{to_tex(kids[0])}}}" if accent else f"{base}^{_group(kids[1])}"
    return None


def _table(el: Tag) -> str:
    rows = [" & ".join(to_tex(cell) for cell in _kids(row)) for row in _kids(el)]
    return "\\begin{matrix} " + " \\\\ ".join(rows) + " \\end{matrix}"


def to_tex(el: Tag) -> str:
    """The TeX for one MathML element (and its subtree)."""
    name = el.name
    kids = _kids(el)
    if name in SKIPPED:
        return ""
    if name in ("mi", "mn", "mo", "mtext", "ms"):
        return _token(el)
    if name == "mspace":
        return " "
    scripted = _scripts(el, kids)
    if scripted is not None:
        return scripted
    if name == "mfrac" and len(kids) == 2:
        command = "binom" if str(el.get("linethickness", "")).strip() in ("0", "0px") else "frac"
        return f"\\{command}{{{to_tex(kids[0])}}}{{{to_tex(kids[1])}}}"
    if name == "msqrt":
        return "\\sqrt{" + _join(kids) + "}"
    if name == "mroot" and len(kids) == 2:
        return f"\\sqrt[{to_tex(kids[1])}]{{{to_tex(kids[0])}}}"
    if name == "mfenced":
        opening, closing = str(el.get("open", "(")), str(el.get("close", ")"))
        return opening + ", ".join(to_tex(kid) for kid in kids) + closing
    if name == "mtable":
        return _table(el)
    if name == "semantics":
        return to_tex(kids[0]) if kids else ""
    if not kids:
        return one_line(el.get_text()) if isinstance(el, Tag) else ""
    return _join(kids)


def _join(kids: list[Tag]) -> str:
    return SPACE_RUN_RE_ANY.sub(" ", " ".join(part for part in map(to_tex, kids) if part)).strip()


def math_tex(el: Tag) -> str:
    """The TeX of a <math> element: its alttext when given, else converted."""
    alt = el.get("alttext")
    if isinstance(alt, str) and alt.strip():
        match = DISPLAYSTYLE_RE.match(alt.strip())
        return (match.group(1) if match else alt).strip()
    return to_tex(el) if not isinstance(el, NavigableString) else ""
