"""Inline Markdown pieces for the converter's hooks: links, images, emphasis, math..."""

from __future__ import annotations

import html
import re
import unicodedata

from bs4 import NavigableString, Tag

from .. import urls
from ..rules.convert import (
    ALT_ESCAPE_RE,
    ANCHOR_CLASSES,
    ANCHOR_TEXTS,
    AUTOLINK_SCHEMES,
    BACKLINK_TEXTS,
    BACKTICK_RUN_RE,
    BLANK_LINES_RE,
    BLOCK_TAGS,
    CITE_TITLE_WORDS,
    DESTINATION_ESCAPES,
    EMOJI_CLASSES,
    ENTITY_AMP_RE,
    FOOTNOTE_BACKREF_ATTR,
    HARD_BREAK,
    LAZY_ATTR_PREFIX,
    LAZY_ATTR_SUFFIX,
    LAZY_SRC_ATTRS,
    LIST_BLOCKS,
    MATH_TAG_RE,
    ORDINALS,
    SAFE_SCHEMES,
    SCHEME_RE,
    SCRIPT_ATOM_RE,
    SCRIPT_MAX_CHARS,
    SCRIPT_MAX_WORDS,
    SPACE_RUN_RE_ANY,
    SRCSET_ATTRS,
    SRCSET_SPLIT_RE,
    STICKY_PUNCT,
    TITLE_ENTITIES,
    TRACKING_PARAM_RE,
    TRACKING_VALUES,
    URL_CONTROL_RE,
    WORD_CHARS_RE,
)
from ..soup import child_tags, first, tags
from .code import classes
from .prepare import footnote_id
from .text import clean, escape, is_punct, one_line

_DESTINATION_TABLE = str.maketrans(DESTINATION_ESCAPES)
_TITLE_TABLE = str.maketrans(TITLE_ENTITIES)


def safe_url(href: str, base: str | None, *, in_cell: bool = False) -> str | None:
    """The absolute URL for ``href`` written as a Markdown destination, or None when it
    is empty or its scheme is not http(s) or mailto (then the caller writes plain text)."""
    # Browsers ignore surrounding spaces and any tab or newline inside a URL.
    href = URL_CONTROL_RE.sub("", clean(href)).strip() if href else ""
    if not href or href == "#":
        return None
    url = _untracked(urls.absolute(href, base))
    scheme = SCHEME_RE.match(url.lower())
    if scheme and scheme.group(1) not in SAFE_SCHEMES:
        return None
    return destination(url, in_cell=in_cell)


def destination(url: str, *, in_cell: bool = False) -> str:
    """``url`` made safe to stand between ``(`` and ``)``: no character in it can end
    the destination early, in CommonMark, Python-Markdown or kramdown alike."""
    url = url.translate(_DESTINATION_TABLE)
    url = ENTITY_AMP_RE.sub("%26", url)
    if not _parens_nest(url):
        url = url.replace("(", "%28").replace(")", "%29")
    return url.replace("|", "%7C") if in_cell else url


def _parens_nest(url: str) -> bool:
    """True when every ``)`` closes an earlier ``(`` (counting alone lets ``a)[x](y``
    through, which ends the link at the first ``)`` and opens another)."""
    depth = 0
    for ch in url:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _is_tracking(pair: str) -> bool:
    name, _, value = pair.partition("=")
    return bool(TRACKING_PARAM_RE.match(name)) or any(
        name == key and value.startswith(prefix) for key, prefix in TRACKING_VALUES)


def _untracked(url: str) -> str:
    """``url`` without click-tracking query parameters; the rest kept byte for byte."""
    head, sep, query = url.partition("?")
    if not sep or "#" in head:
        return url
    query, hash_sign, fragment = query.partition("#")
    kept = [pair for pair in query.split("&") if pair and not _is_tracking(pair)]
    return head + ("?" + "&".join(kept) if kept else "") + hash_sign + fragment


def _title_part(el: Tag, label: str = "") -> str:
    title = _attr_text(el, "title")
    if not title or title == label:
        return ""
    # Entities, not backslashes: Python-Markdown and kramdown end the title at ``\\"``,
    # and Python-Markdown at a ``)`` inside the quotes.
    title = ENTITY_AMP_RE.sub("&amp;", title)
    return ' "' + title.translate(_TITLE_TABLE) + '"'


def _neighbour(el: Tag, forward: bool) -> str:
    """The character just before (or after) ``el`` among its siblings, '' if none."""
    node = el.next_sibling if forward else el.previous_sibling
    while node is not None:
        text = str(node) if isinstance(node, NavigableString) else node.get_text()
        if text:
            return text[0] if forward else text[-1]
        node = node.next_sibling if forward else node.previous_sibling
    return ""


def one_line_markdown(text: str) -> str:
    return SPACE_RUN_RE_ANY.sub(" ", text.replace(HARD_BREAK, " ")).strip()


def link(el: Tag, text: str, base: str | None, *, in_cell: bool = False) -> str:
    label = one_line_markdown(text)
    # Spaces at the link's edges stay outside it, except at the edges of its block.
    prefix = " " if text[:1].isspace() and not _is_edge(el, False) else ""
    suffix = " " if text[-1:].isspace() and not _is_edge(el, True) else ""
    if label in ANCHOR_TEXTS and (ANCHOR_CLASSES & set(classes(el)) or label == ""
                                  or el.has_attr(FOOTNOTE_BACKREF_ATTR)
                                  or str(el.get("href", "")).startswith("#")
                                  or (label in BACKLINK_TEXTS and "#" in str(el.get("href")))):
        return prefix or suffix if label == "" and text else ""
    if not label:
        return prefix or suffix
    href = el.get("href")
    url = safe_url(href, base, in_cell=in_cell) if isinstance(href, str) else None
    if url is None:
        return f"{prefix}{label}{suffix}"
    title = _title_part(el, label)
    plain = one_line(el.get_text())
    if not title and url.startswith(AUTOLINK_SCHEMES) and plain in (url, url[7:]) \
            and " " not in url:
        return f"{prefix}<{url}>{suffix}"
    return f"{prefix}[{label}]({url}{title}){suffix}"


def _real_url(value: object) -> str:
    value = value.strip() if isinstance(value, str) else ""
    return "" if value.lower().startswith("data:") else value


def _srcset_urls(srcset: object) -> list[str]:
    """The candidate URLs of a srcset, split at ", " (a data: URL holds a bare comma)."""
    if not isinstance(srcset, str):
        return []
    parts = SRCSET_SPLIT_RE.split(srcset.strip())
    if len(parts) == 1 and not parts[0].lower().startswith("data:"):
        parts = parts[0].split(",")
    return [part.split()[0] for part in parts if part.split()]


def _image_src(el: Tag) -> str:
    """The image's URL: src unless it is a data: placeholder, else a lazy-loading attribute
    (known names first, then any data-*src), else srcset; '' when only data: is left."""
    src = _real_url(el.get("src"))
    if src:
        return src
    lazy = [attr for attr in LAZY_SRC_ATTRS if el.has_attr(attr)]
    lazy += [attr for attr in el.attrs
             if attr.startswith(LAZY_ATTR_PREFIX) and attr.endswith(LAZY_ATTR_SUFFIX)]
    for attr in lazy:
        value = _real_url(el.get(attr))
        if value and not value.startswith("{"):
            return value
    for attr in SRCSET_ATTRS:
        srcset = el.get(attr)
        for candidate in _srcset_urls(srcset):
            url = _real_url(candidate)
            if url:
                return url
    return ""


def _is_emoji(el: Tag) -> bool:
    if EMOJI_CLASSES & set(classes(el)):
        return True
    alt = one_line(str(el.get("alt", "")))
    if not alt or len(alt) > 4:
        return False
    # Emoji are symbols (and joiners, selectors, skin tones); "模式切換" is a picture's name.
    kinds = [unicodedata.category(ch) for ch in alt]
    return "So" in kinds and all(kind in ("So", "Sk", "Mn", "Cf") for kind in kinds)


def _attr_text(el: Tag, name: str) -> str:
    """An attribute as one line; entities left by double-encoding decoded ("&#39;" → "'")."""
    value = el.get(name)
    return one_line(html.unescape(value)) if isinstance(value, str) else ""


def image(el: Tag, base: str | None, *, as_text: bool = False, in_cell: bool = False) -> str:
    alt = _attr_text(el, "alt")
    if _is_emoji(el):
        return escape(alt, in_cell=in_cell)
    url = safe_url(_image_src(el), base, in_cell=in_cell)
    if url is None or url.lower().startswith("data:"):
        return ""
    if as_text:
        return escape(alt, in_cell=in_cell)
    alt = ALT_ESCAPE_RE.sub(r"\\\1", alt)
    if in_cell:
        alt = alt.replace("|", "\\|")
    return f"![{alt}]({url}{_title_part(el)})"


def media(el: Tag, text: str, base: str | None) -> str:
    """<video>/<audio>: a link to the media, its poster as the link's image."""
    src = el.get("src")
    if not src:
        source = el.find("source", src=True)
        src = source.get("src") if isinstance(source, Tag) else None
    url = safe_url(src, base) if isinstance(src, str) else None
    label = one_line_markdown(text) or el.name.capitalize()
    poster = el.get("poster")
    poster_url = safe_url(poster, base) if isinstance(poster, str) else None
    if url and poster_url:
        return f"[![{label}]({poster_url})]({url})"
    if url:
        return f"[{label}]({url})"
    return f"![{label}]({poster_url})" if poster_url else ""


def code_span(code: str, *, in_cell: bool = False) -> str:
    if not code:
        return ""
    if in_cell:
        code = code.replace("|", "\\|")
    longest = max((len(run) for run in BACKTICK_RUN_RE.findall(code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def math(el: Tag, *, display: bool, inline: bool) -> str:
    # A space after "<" changes no TeX but stops it from opening a raw HTML tag.
    tex = MATH_TAG_RE.sub("< ", clean(el.get_text())).strip()
    if not tex:
        return ""
    if display and not inline:
        tex = BLANK_LINES_RE.sub("\n", tex)
        return f"\n\n$$\n{tex}\n$$\n\n"
    tex = SPACE_RUN_RE_ANY.sub(" ", tex)
    return f"$${tex}$$" if display else f"${tex}$"


def bold(text: str) -> str:
    return text if text.startswith("**") and text.endswith("**") else f"**{text}**"


def italic_line(text: str) -> str:
    for marker in ("_", "*"):
        if not re.search(rf"(?<!\\){re.escape(marker)}", text):
            return f"{marker}{text}{marker}"
    return text


def _is_edge(el: Tag, forward: bool) -> bool:
    """True when nothing but whitespace separates ``el`` from the edge of its block."""
    node: Tag = el
    while True:
        sib = node.next_sibling if forward else node.previous_sibling
        while sib is not None:
            if isinstance(sib, Tag) and sib.name in BLOCK_TAGS:
                return True
            text = str(sib) if isinstance(sib, NavigableString) else sib.get_text()
            if text.strip() or (isinstance(sib, Tag) and (sib.name in ("img", "br")
                                                          or sib.find("img"))):
                return False
            sib = sib.next_sibling if forward else sib.previous_sibling
        parent = node.parent
        if parent is None or parent.name in BLOCK_TAGS:
            return True
        node = parent


def _next_tag_is_br(el: Tag, forward: bool) -> bool:
    sib = el.next_sibling if forward else el.previous_sibling
    while isinstance(sib, NavigableString) and not sib.strip():
        sib = sib.next_sibling if forward else sib.previous_sibling
    return isinstance(sib, Tag) and sib.name == "br"


def line_break(el: Tag) -> str:
    """<br>: a hard break; two in a row end the paragraph; none at a block's edges."""
    if _next_tag_is_br(el, forward=False):
        return "\n\n"
    if _next_tag_is_br(el, forward=True) or _is_edge(el, False) or _is_edge(el, True):
        return ""
    return HARD_BREAK


def intraword(el: Tag) -> bool:
    return _neighbour(el, False).isalnum() or _neighbour(el, True).isalnum()


def _movable(ch: str) -> bool:
    return is_punct(ch) and ch not in STICKY_PUNCT


def emphasis(el: Tag, text: str, parent_tags: set[str], marker: str, same: set[str]) -> str:
    """``text`` between ``marker``s, kept valid where CommonMark's flanking rules bite."""
    if "_noformat" in parent_tags or parent_tags & same:
        return text
    inner = text.strip()
    if not inner:
        return " " if text else ""
    if "\n\n" in inner:
        return text  # block content: markers cannot span paragraphs
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    while inner.startswith(HARD_BREAK):
        lead, inner = lead + HARD_BREAK, inner[len(HARD_BREAK):].lstrip()
    if (len(inner) - len(inner.rstrip("\\"))) % 2 == 1:
        inner, trail = inner[:-1].rstrip(), HARD_BREAK  # a <br> closing the element
    before, after = _neighbour(el, False), _neighbour(el, True)
    # Punctuation glued to a word outside moves out of the markers, with the space
    # that followed (or preceded) it: "Kotaku<em>. Warning</em>" → "Kotaku. *Warning*".
    while inner and not lead and before.isalnum() and _movable(inner[0]):
        rest = inner[1:]
        lead, inner = lead + inner[0] + (" " if rest[:1].isspace() else ""), rest.lstrip()
    while inner and not trail and after.isalnum() and _movable(inner[-1]) \
            and not (inner[-1] == ")" and "](" in inner):
        rest = inner[:-1]
        trail, inner = (" " if rest[-1:].isspace() else "") + inner[-1] + trail, rest.rstrip()
    if not inner:
        return lead + trail
    return f"{lead}{marker}{inner}{marker}{trail}"


def is_reference(cite: Tag) -> bool:
    """A <cite> holding a full reference (wikis: authors, linked title, publisher, date)."""
    return len(tags(cite, ("a",), limit=2)) > 1 \
        or len(one_line(cite.get_text()).split()) > CITE_TITLE_WORDS


def footnote_ref(ref: str) -> str:
    key = footnote_id(ref)
    return f"[^{key}]" if key else ""


def _is_prose(raw: str) -> bool:
    """Small print set in <sub>/<sup> (captions, notes), not an index or exponent."""
    return len(raw) > SCRIPT_MAX_CHARS or len(raw.split()) > SCRIPT_MAX_WORDS


def superscript(el: Tag, text: str) -> str:
    """x<sup>2</sup> → x^2; 1<sup>st</sup> → 1st; symbols, words and prose stay plain."""
    inner = text.strip()
    raw = one_line(el.get_text())
    if not inner or first(el, ("a",)) is not None or not any(ch.isalnum() for ch in raw) \
            or _is_prose(raw):
        return inner
    before = _neighbour(el, False)
    if raw.isalpha() and (len(raw) > 1 or (before.isdigit() and raw.lower() in ORDINALS)):
        return inner
    if SCRIPT_ATOM_RE.fullmatch(raw):
        return f"^{inner}"
    return f"^({inner})"


def subscript(el: Tag, text: str) -> str:
    """H<sub>2</sub>O → H2O; x<sub>i</sub> → x_i; x<sub>i,j</sub> → x_(i,j)."""
    inner = text.strip()
    raw = one_line(el.get_text())
    if not inner or raw.isdigit() or first(el, ("a",)) is not None \
            or not any(ch.isalnum() for ch in raw) or _is_prose(raw):
        return inner
    joined = _neighbour(el, False).isalnum() and inner[0].isalnum()
    marker = "_" if joined else "\\_"
    return f"{marker}{inner}" if WORD_CHARS_RE.fullmatch(raw) else f"{marker}({inner})"


def is_loose_list(list_el: Tag) -> bool:
    """A list whose items hold several blocks: rendered with blank lines between items."""
    for item in child_tags(list_el, ("li",)):
        blocks = 0
        inline_run = False
        for child in item.children:
            if isinstance(child, Tag) and child.name in LIST_BLOCKS:
                blocks += 1
                inline_run = False
            elif isinstance(child, Tag) and child.name in ("ul", "ol"):
                inline_run = False
            elif not inline_run and (isinstance(child, Tag) or str(child).strip()):
                blocks += 1
                inline_run = True
        if blocks > 1:
            return True
    return False
