"""Images and math: lazy-loading fixes, tracking pixels, emoji, TeX recovery."""

from __future__ import annotations

import unicodedata

from bs4 import BeautifulSoup, Tag

from ..marks import MATH
from ..rules import extract as rules
from ..rules import markup
from .dom import classes, gone, inside, norm_space, text_of


def fix_images(soup: BeautifulSoup, everything: list[Tag]) -> None:
    """Real sources for lazy images, noscript fallbacks, no pixels, emoji as text.
    ``everything`` is the page's tags, listed before the passes that ran since (those
    passes add no image; what they took out of the page is skipped)."""
    found: dict[str, list[Tag]] = {"noscript": [], "picture": [], "img": []}
    for node in everything:  # the images keep their identity when moved
        if node.name in found and not gone(node) and inside(node, soup):
            found[node.name].append(node)
    for noscript in found["noscript"]:
        if not gone(noscript):
            _use_noscript(noscript)
    for picture in found["picture"]:
        if not gone(picture):
            _flatten_picture(picture)
    for img in found["img"]:
        if not gone(img) and img.parent is not None:
            _fix_image(img)


def _use_noscript(noscript: Tag) -> None:
    fallback = noscript.find("img")
    if fallback is None or len(text_of(noscript)) > 200:
        return  # no image, or a noscript the parser let swallow the page: not a fallback
    previous = noscript.find_previous_sibling()
    if isinstance(previous, Tag) and previous.name == "img" and _is_placeholder(previous):
        previous.decompose()
    noscript.replace_with(fallback.extract())


def _flatten_picture(picture: Tag) -> None:
    img = picture.find("img")
    sources = " , ".join(
        str(s.get("srcset") or s.get("data-srcset") or "") for s in picture.find_all("source"))
    best = _best_srcset(sources)
    if img is None:
        picture.decompose()
        return
    own = str(img.get("srcset") or img.get("data-srcset") or "")
    if best and (_is_placeholder(img) or not img.get("src") or (
            _largest_width(sources) > max(_largest_width(own), _declared_width(img)))):
        img["src"] = best
    # lxml may nest the <img> inside a <source>: lift it out before dropping sources.
    picture.replace_with(img.extract())


def _fix_image(img: Tag) -> None:
    emoji_src = rules.EMOJI_SRC_RE.search(str(img.get("src") or ""))
    if set(classes(img)) & rules.EMOJI_CLASSES or _is_emoji_alt(img) or emoji_src:
        alt = str(img.get("alt") or "").strip()
        img.replace_with(alt or (_emoji_of(emoji_src.group(1)) if emoji_src else ""))
        return
    src = _best_source(img)
    if not src:
        img.decompose()
        return
    img["src"] = src
    if _is_pixel(img):
        img.decompose()
        return
    for attr in (*rules.LAZY_SRC_ATTRS, "srcset", "sizes", "loading", "decoding"):
        if attr in img.attrs:
            del img[attr]


def _best_source(img: Tag) -> str:
    src = img.get("src")
    current = src.strip() if isinstance(src, str) else ""
    for attr in rules.LAZY_SRC_ATTRS:
        value = img.get(attr)
        if isinstance(value, str) and value.strip():
            candidate = _best_srcset(value) if "srcset" in attr else value.strip()
            if candidate and (not current or _is_placeholder(img) or attr != "data-url"):
                return candidate
    srcset = img.get("srcset")
    if isinstance(srcset, str) and srcset.strip():
        best = _best_srcset(srcset)
        if best and (not current or _is_placeholder(img) or _width_hint(srcset) > 0):
            return best
    return "" if current.startswith("data:") and len(current) < 200 else current


def _best_srcset(srcset: str) -> str:
    """The largest candidate of a ``srcset`` (by ``w``, then ``x`` descriptor)."""
    best, best_size = "", -1.0
    for item in rules.SRCSET_SPLIT_RE.split(srcset):
        match = rules.SRCSET_ITEM_RE.match(item)
        if not match:
            continue
        size = float(match.group(2) or 1) * (1 if match.group(3) != "x" else 1000)
        if size > best_size:
            best, best_size = match.group(1).rstrip(","), size
    return best


def _largest_width(srcset: str) -> int:
    """The widest ``w`` descriptor of a srcset (0 when it has none)."""
    return max((int(w) for w in rules.WIDTH_RE.findall(srcset)), default=0)


def _declared_width(img: Tag) -> int:
    value = str(img.get("width") or "").strip().removesuffix("px")
    return int(value) if value.isdigit() else 0


def _width_hint(srcset: str) -> int:
    return srcset.count("w,") + srcset.count("x,")


def _is_placeholder(img: Tag) -> bool:
    src = img.get("src")
    return not isinstance(src, str) or not src.strip() or bool(
        rules.PLACEHOLDER_SRC_RE.search(src))


def _is_pixel(img: Tag) -> bool:
    for attr in ("width", "height"):
        value = img.get(attr)
        if isinstance(value, str) and value.strip().rstrip("px").isdigit() \
                and int(value.strip().rstrip("px")) <= 2:
            return True
    src = str(img.get("src") or "")
    return bool(rules.PLACEHOLDER_SRC_RE.search(src) or rules.TRACKER_SRC_RE.search(src))


def _emoji_of(codepoints: str) -> str:
    """``1f1fa-1f1f8`` (an emoji CDN file name) -> the flag it draws."""
    try:
        return "".join(chr(int(part, 16)) for part in codepoints.split("-"))
    except (ValueError, OverflowError):
        return ""


def _is_emoji_alt(img: Tag) -> bool:
    alt = img.get("alt")
    if not isinstance(alt, str) or not alt or len(alt) > 4:
        return False
    # Emoji are symbols (with joiners, variation selectors, skin tones); a short CJK
    # alt ("模式切換") is letters, and names a picture.
    kinds = [unicodedata.category(ch) for ch in alt]
    return "So" in kinds and all(kind in ("So", "Sk", "Mn", "Cf") for kind in kinds)


def fix_math(soup: BeautifulSoup, everything: list[Tag]) -> None:
    """Rendered MathJax/KaTeX/MathML becomes ``data-math`` elements holding the TeX.
    ``everything`` is the page's tags (see ``fix_images``)."""
    # Cheap tests on each tag instead of a CSS selector list (soupsieve is slow here).
    scripts: list[Tag] = []
    rendered: list[Tag] = []
    for node in everything:
        if gone(node):
            continue
        if node.name == "script":
            if rules.MATH_SCRIPT_RE.match(str(node.get("type") or "")) and inside(node, soup):
                scripts.append(node)
        elif _is_rendered_math(node) and inside(node, soup):
            rendered.append(node)
    for script in scripts:
        display = "mode=display" in str(script.get("type"))
        _replace_math(soup, script, script.get_text(), display)
    for node in rendered:
        if gone(node) or node.parent is None:
            continue
        annotation = node.find("annotation", encoding="application/x-tex")
        if annotation is not None:
            display = ("katex-display" in classes(node) or node.get("display") == "block"
                       or node.get("display") == "true")
            _replace_math(soup, node, annotation.get_text(), display)


def _is_rendered_math(tag: Tag) -> bool:
    if tag.name in rules.MATH_TAGS:
        return True
    names = tag.attrs.get("class")
    if not names:
        return False
    return not rules.MATH_CLASSES.isdisjoint(names.split() if isinstance(names, str) else names)


def _replace_math(soup: BeautifulSoup, node: Tag, tex: str, display: bool) -> None:
    tex = norm_space(tex) if not display else tex.strip()
    if not tex:
        node.decompose()
        return
    previous = node.find_previous_sibling()
    while isinstance(previous, Tag) and set(classes(previous)) & markup.MATHJAX_RENDERINGS:
        following = previous.find_previous_sibling()
        previous.decompose()
        previous = following
    new = soup.new_tag("div" if display else "span")
    new[MATH] = "display" if display else "inline"
    new.string = tex
    node.replace_with(new)
