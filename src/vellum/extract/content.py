"""Choosing the element that holds the article.

Known containers (semantic tags, platform classes) are tried first; a
readability-style score (paragraph text, commas, link density, class weights,
propagated to parents and grandparents) backs them up and decides on unknown
sites. A known container only wins when it really holds the text the score found.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from ..rules import extract as rules
from .dom import (
    Selectors,
    ancestor,
    attr_string,
    attr_tokens,
    changed,
    child_tags,
    classes,
    descendants,
    inside,
    link_densities,
    link_density,
    tags,
    text_of,
)

_UNLIKELY_ROLES = frozenset({"menu", "menubar", "complementary", "navigation", "alert",
                             "alertdialog", "dialog", "banner", "contentinfo"})
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "header", "menu"})
_TAG_BASE = {"div": 5, "article": 8, "main": 5, "section": 2, "pre": 3, "td": 3,
             "blockquote": 3, "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3,
             "li": -3, "form": -3, "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5,
             "h6": -5, "th": -5}
_PARAGRAPH_TAGS = ("p", "pre", "td", "blockquote", "div", "section", "li", "h2", "h3", "dd")
_BLOCK_CHILDREN = frozenset(rules.BLOCK_TAGS)
# WordPress lists the post's terms as classes ("tag-comments", "category-widgets").
_TAXONOMY_PREFIXES = ("tag-", "category-", "format-", "status-", "type-", "postid-")
_PROSE_MIN = 80  # a paragraph this long reads as prose, not a caption or a teaser line
_PROSE_RUN = 3  # consecutive prose paragraphs that make a box of sustained prose
_PROSE_TOTAL = 400  # ... holding at least this many characters
_RUN_KEEPERS = frozenset({"figure", "blockquote", "h2", "h3", "h4", "h5", "h6"})  # not breaks


_POST_CLASSES = frozenset(("post", "h-entry", "hentry", "md-post"))  # boxes without <article>


@dataclass
class Teasers:
    """Evidence that a page is an index of many teasers."""

    count: int
    share: float
    boxes: list[Tag]


def find_article(soup: BeautifulSoup, everything: list[Tag] | None = None) -> Tag | None:
    """The element holding the article text, or ``None`` when there is no text.
    ``everything`` is ``tags(soup)`` when the caller has it (one walk of the page for
    both searches, and for ``teaser_index`` after it)."""
    body = soup.body or soup
    everything = tags(soup) if everything is None else everything
    scored = _best_scored(body, everything if body is soup else _within(everything, body))
    known = _best_known(everything)
    if known is not None and _accept_known(known, scored):
        return known
    if scored is None and isinstance(body, Tag) and text_of(body):
        return body
    return scored


def _accept_known(known: Tag, scored: Tag | None) -> bool:
    known_len = len(text_of(known))
    if known_len < 140:
        return False
    if scored is None or scored is known or known in scored.parents:
        return True
    if scored in known.parents:
        # The score picked a wider box: keep the container when it holds most of it.
        return known_len >= 0.3 * len(text_of(scored))
    return known_len >= 0.8 * len(text_of(scored))


def _within(everything: list[Tag], box: Tag) -> list[Tag]:
    """``tags(box)`` cut out of ``everything`` (``tags`` of the whole page): the run of
    tags after ``box`` in document order that lie inside it."""
    start = next(i for i, tag in enumerate(everything) if tag is box) + 1
    end = len(everything)
    while end > start and not inside(everything[end - 1], box):
        end -= 1
    return everything[start:end]


def _best_known(everything: list[Tag]) -> Tag | None:
    # One walk over the page classifies every element against all the container rules:
    # a CSS select per rule walked the page once per rule.
    found: list[list[Tag]] = [[] for _ in _CONTAINERS.rules]
    for tag in everything:
        for index in _CONTAINERS.matching(tag):
            found[index].append(tag)
    for candidates in found:
        matches = [m for m in candidates if not _in_chrome(m)]
        if not matches:
            continue
        best = max(matches, key=_plain_text_len)
        if _plain_text_len(best) >= 140:
            # Several matches side by side (Medium's sections): the article is all of them.
            parent = best.parent
            if isinstance(parent, Tag) and sum(1 for m in matches if m.parent is parent) > 1:
                return parent
            return _with_twins(best, matches)
    return None


def _with_twins(best: Tag, matches: list[Tag]) -> Tag:
    """The box holding ``best`` and its twins (matches of the same rule and tag, at least
    a fifth of its size) when the article is split into sections, each in a wrapper of
    its own, around pull quotes or ads ("story-body-1", "story-body-2")."""
    least = 0.2 * _plain_text_len(best)
    twins = [m for m in matches if m is not best and m.name == best.name
             and best not in m.parents and m not in best.parents
             and _plain_text_len(m) >= least]
    if not twins or len(twins) > 4:
        return best  # many twins: the posts of an index page, not one post's sections
    common = best.parent
    for _ in range(3):
        if not isinstance(common, Tag) or all(common in t.parents for t in twins):
            break
        common = common.parent
    if not isinstance(common, Tag) or common.name in ("body", "html", "[document]") or not all(
            common in t.parents for t in twins):
        return best
    inside = sum(_plain_text_len(t) for t in (best, *twins))
    return common if inside >= 0.6 * len(text_of(common)) else best


_CONTAINERS = Selectors(rules.CONTENT_SELECTORS)


def _plain_text_len(tag: Tag) -> float:
    length = len(text_of(tag))
    return length * (1 - link_density(tag, length))


def _in_chrome(tag: Tag) -> bool:
    """A container match that is chrome itself (a teaser, a comment's ``entry-content``)
    or sits in chrome (a footer, a login overlay)."""
    if any(rules.NOT_BODY_RE.search(token) for token in attr_tokens(tag)
           if not token.startswith(_TAXONOMY_PREFIXES)):
        return True
    for parent in tag.parents:
        if parent.name in ("body", "html"):
            break  # their classes describe the page's state ("av-default-lightbox")
        if parent.name in ("nav", "footer", "aside", "form"):
            return True
        if parent.get("aria-modal") == "true" or any(
                rules.OVERLAY_TOKEN_RE.search(token) for token in attr_tokens(parent)):
            return True
    return False


def _has_linked_title(box: Tag) -> bool:
    """``box.select_one("h1 a, h2 a, h3 a, a h2, a h3")`` without soupsieve's machinery."""
    for node in descendants(box):
        if not isinstance(node, Tag):
            continue
        if node.name == "a" and ancestor(node, ("h1", "h2", "h3")) is not None:
            return True
        if node.name in ("h2", "h3") and ancestor(node, "a") is not None:
            return True
    return False


def teaser_index(soup: BeautifulSoup, root: Tag,
                 everything: list[Tag] | None = None) -> Teasers | None:
    """Many similar ``article``/post boxes, none dominant, making up the chosen text.
    ``everything`` is ``tags(soup)`` when the caller has it."""
    everything = tags(soup) if everything is None else everything
    found = [tag for tag in everything if tag.name == "article"] or [
        tag for tag in everything if not _POST_CLASSES.isdisjoint(classes(tag))]
    boxes = [b for b in found if not ancestor(b, "article")]
    if len(boxes) < 4:
        return None
    lengths = [len(text_of(b)) for b in boxes]
    share = max(lengths) / (sum(lengths) or 1)
    if max(lengths) >= 3 * sorted(lengths)[len(lengths) // 2]:
        return None  # one box dominates: an article among teasers
    linked_titles = sum(1 for b in boxes if _has_linked_title(b))
    if share >= 0.4 or linked_titles < len(boxes) * 0.6:
        return None
    if any(root is b or b in root.parents for b in boxes):
        return Teasers(len(boxes), share, boxes)
    inside = sum(n for b, n in zip(boxes, lengths, strict=True) if root in b.parents)
    if inside > 0.5 * len(text_of(root)):
        return Teasers(len(boxes), share, boxes)
    return None


def _best_scored(body: Tag, inner: list[Tag]) -> Tag | None:
    """The best-scoring box; like readability, retry without the unlikely filter
    when the filtered run finds little (some themes put the post in a "sidebar").
    ``inner`` is ``tags(body)``."""
    paragraphs = [p for p in inner if p.name in _PARAGRAPH_TAGS
                  and not (p.name in ("div", "section", "li") and _has_block_child(p))]
    texts = [text_of(p) for p in paragraphs]  # the scoring runs and _widen all read them
    density = link_densities(body, inner)
    unlikely: dict[int, bool] = {}  # _is_unlikely's verdicts, for the scoring and _widen
    best = _score(paragraphs, texts, unlikely, density)
    if best is None or len(text_of(best)) < 500:
        retry = _score(paragraphs, texts, None, density)
        if retry is not None and len(text_of(retry)) > 2 * len(text_of(best) if best else ""):
            return retry
    return _widen(best, paragraphs, texts, unlikely) if best is not None else None


def _widen(best: Tag, paragraphs: list[Tag], texts: list[str], memo: dict[int, bool]) -> Tag:
    """Climb to the ancestor holding most of the page's prose when ``best`` has little.

    Pages built of several text boxes (landing pages, shops, page builders) would
    otherwise lose all boxes but one; chrome inside the wider box is stripped later."""
    weights: list[tuple[Tag, int]] = []
    for para, text in zip(paragraphs, texts, strict=True):
        if len(text) >= 80 and not _is_unlikely(para, memo) and \
                link_density(para, len(text)) < 0.3:
            weights.append((para, len(text)))
    total = sum(w for _, w in weights) or 1
    node = best
    for _ in range(4):
        inside = sum(w for p, w in weights if p is node or node in p.parents)
        parent = node.parent
        if inside >= 0.6 * total or not isinstance(parent, Tag) or parent.name in (
                "body", "html", "[document]"):
            break
        node = parent
    return node


def _score(paragraphs: list[Tag], texts: list[str], unlikely: dict[int, bool] | None,
           density: dict[int, float]) -> Tag | None:
    """The best box by readability's scores; paragraphs in unlikely boxes are skipped
    when ``unlikely`` (``_is_unlikely``'s memo) is given."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for para, text in zip(paragraphs, texts, strict=True):
        if unlikely is not None and _is_unlikely(para, unlikely):
            continue
        if len(text) < 25:
            continue
        score = 1 + text.count(",") + text.count("，") + text.count("、") + min(len(text) // 100, 3)
        ancestor: Tag | None = para.parent
        for level in range(5):
            if not isinstance(ancestor, Tag) or ancestor.name in ("html", "[document]"):
                break
            key = id(ancestor)
            if key not in scores:
                nodes[key] = ancestor
                scores[key] = _initial_score(ancestor)
            scores[key] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
            ancestor = ancestor.parent
    if not scores:
        return None
    final = {k: s * (1 - density.get(k, 0.0)) for k, s in scores.items()}
    ranked = sorted(final, key=final.__getitem__, reverse=True)
    top = nodes[ranked[0]]
    top = _promote_common_parent(top, [nodes[k] for k in ranked[1:6]], final, ranked[0])
    return _with_siblings(top, final)


def _has_block_child(tag: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name in _BLOCK_CHILDREN for c in tag.children)


def _is_unlikely(tag: Tag, memo: dict[int, bool]) -> bool:
    chain: list[Tag] = []
    node: Tag | None = tag
    result = False
    while isinstance(node, Tag) and node.name not in ("body", "html"):
        cached = memo.get(id(node))
        if cached is not None:
            result = cached
            break
        chain.append(node)
        node = node.parent
    for item in reversed(chain):
        result = result or _unlikely_here(item)
        memo[id(item)] = result
    return result


def _unlikely_here(tag: Tag) -> bool:
    if tag.name in _CHROME_TAGS and not ancestor(tag, "article"):
        return True
    if tag.get("role") in _UNLIKELY_ROLES or tag.get("aria-modal") == "true":
        return True
    if tag.name in ("a", "article", "main", "table", "tbody", "tr", "td", "code", "pre"):
        return False
    attrs = attr_string(tag)
    return bool(attrs) and _unlikely_attrs(attrs)


# The verdicts by class-and-id string: a page repeats a few ("menu-item", "post-meta").
@functools.lru_cache(maxsize=4096)
def _unlikely_attrs(attrs: str) -> bool:
    return bool(rules.OVERLAY_RE.search(attrs)) or (
        bool(rules.UNLIKELY_RE.search(attrs)) and not rules.MAYBE_RE.search(attrs))


def _initial_score(tag: Tag) -> float:
    attrs = attr_string(tag)
    return _TAG_BASE.get(tag.name, 0) + (_attrs_weight(attrs) if attrs else 0.0)


@functools.lru_cache(maxsize=4096)
def _attrs_weight(attrs: str) -> float:
    return (-25.0 if rules.NEGATIVE_RE.search(attrs) else 0.0) + (
        25.0 if rules.POSITIVE_RE.search(attrs) else 0.0)


def _promote_common_parent(top: Tag, others: list[Tag], final: dict[int, float],
                           top_key: int) -> Tag:
    """Readability's rule: if several strong candidates share an ancestor, take it."""
    top_score = final[top_key]
    strong = [o for o in others if final.get(id(o), 0) >= 0.75 * top_score]
    if len(strong) < 2:
        return top
    parent = top.parent
    while isinstance(parent, Tag) and parent.name not in ("body", "html"):
        if sum(1 for o in strong if parent in o.parents) >= 2:
            return parent
        parent = parent.parent
    return top


def _with_siblings(top: Tag, final: dict[int, float]) -> Tag:
    top_score = final.get(id(top), 0)
    # Look for siblings beside the outermost wrapper holding only ``top``: the parts of a
    # split article are each wrapped ("acf-content > post__content") around figures.
    while isinstance(top.parent, Tag) and top.parent.name not in ("body", "html", "[document]") \
            and len(child_tags(top.parent)) == 1:
        top = top.parent
    parent = top.parent
    if not isinstance(parent, Tag) or parent.name in ("html", "[document]"):
        return top
    threshold = max(10.0, top_score * 0.2)
    top_class = attr_string(top)
    kept: list[Tag] = []
    for sibling in child_tags(parent):
        if sibling is top:
            kept.append(sibling)
            continue
        bonus = top_score * 0.2 if top_class and attr_string(sibling) == top_class else 0
        if final.get(id(sibling), -1e9) + bonus >= threshold or _good_paragraph(sibling):
            kept.append(sibling)
    if len(kept) == 1:
        return top
    wrapper = BeautifulSoup("<div></div>", "lxml").div
    assert wrapper is not None
    top.insert_before(wrapper)
    for node in kept:
        wrapper.append(node.extract())
    changed()  # the one edit made while choosing the article
    return wrapper


def _good_paragraph(tag: Tag) -> bool:
    if tag.name != "p":
        return False
    text = text_of(tag)
    density = link_density(tag, len(text))
    if len(text) > 80:
        return density < 0.25
    return bool(text) and density == 0 and text[-1] in ".!?。」"


def prose_box(soup: BeautifulSoup, outside: list[Tag]) -> Tag | None:
    """The element with the longest run of consecutive prose paragraphs, when the
    run has at least ``_PROSE_RUN`` of them and is not inside one of ``outside``.

    Teaser cards and chosen boxes emptied by cleaning are not the article; several
    long paragraphs in a row are, wherever they sit."""
    best: Tag | None = None
    best_len = _PROSE_TOTAL - 1
    parents = {id(p.parent): p.parent for p in tags(soup, ("p",)) if isinstance(p.parent, Tag)}
    for parent in parents.values():
        run = _longest_run(parent)
        if run > best_len and not any(
                parent is box or box in parent.parents for box in outside):
            best, best_len = parent, run
    return best


def _longest_run(parent: Tag) -> int:
    """Characters in the longest run of prose paragraphs among ``parent``'s children:
    ``_PROSE_RUN`` of them, or one or two that are long enough on their own."""
    longest = count = length = 0
    for child in child_tags(parent):
        text = text_of(child) if child.name == "p" else ""
        if len(text) >= _PROSE_MIN and link_density(child, len(text)) < 0.3:
            count, length = count + 1, length + len(text)
            if count >= _PROSE_RUN or length >= 2 * _PROSE_TOTAL:
                longest = max(longest, length)
        elif child.name in _BLOCK_CHILDREN and child.name not in _RUN_KEEPERS:
            count = length = 0
    return longest
