"""The lead paragraph that sits outside the body container.

News and magazine templates put the standfirst ("Vorspann", "bajada", "chapô",
"dek") in the article header, next to the headline, and the story in a body box
after it. The body box wins the content choice; its lead is fetched back here.
"""

from __future__ import annotations

from bs4 import Tag

from ..rules import extract as rules
from .dom import ancestor, first, link_density, raw_tokens, tags, text_of

_MIN_LEN, _MAX_LEN = 40, 1200
_BESIDE_LEAD = 60  # text a wrapper may hold beside the lead and still be only its box
_BODY_PARAGRAPH = 80  # a paragraph this long starts the story: no lead comes after it
_LEVELS = 6  # ancestors of the body box whose earlier siblings are searched
_SIBLINGS = 8  # earlier siblings looked at on each level
# Where a lead never sits: page chrome, a picture's caption, a link (a card for another story).
_CHROME = ("nav", "aside", "footer", "form", "figure", "figcaption", "a")


def attach_lead(root: Tag) -> None:
    """Move the article's lead, when it sits just before ``root``, into ``root``; keep
    the chrome rules off it either way."""
    inner = _opening_lead(root)
    if inner is not None:
        _spare(inner, root)
        return
    lead = find_lead(root)
    if lead is not None:
        _spare(lead, lead.parent)
        root.insert(0, lead.extract())


def _spare(lead: Tag, stop: Tag | None) -> None:
    """Drop the class and id of ``lead`` and of the wrappers below ``stop`` holding little
    else (a dateline, a kicker): they named it a lead ("artikel-teaser", "news--teaser",
    a "teaser" box around the "abstract"), and the chrome rules reading the same words
    as a teaser box must not take it out again."""
    limit = len(text_of(lead)) + _BESIDE_LEAD
    node: Tag | None = lead
    while isinstance(node, Tag) and node is not stop and len(text_of(node)) <= limit:
        for name in ("class", "id"):
            node.attrs.pop(name, None)
        node = node.parent


def find_lead(root: Tag) -> Tag | None:
    """The lead before ``root``; ``None`` when there is none or ``root`` opens with one."""
    if _is_lead(root) or _opening_lead(root) is not None:
        return None
    body_text: str | None = None  # read once a candidate needs it
    node = root
    for _ in range(_LEVELS):
        for sibling in list(node.find_previous_siblings(True, limit=_SIBLINGS)):
            for candidate in (sibling, *tags(sibling)):
                if not _is_lead(candidate):
                    continue
                body_text = text_of(root) if body_text is None else body_text
                if _fits(candidate, body_text):
                    return candidate
        parent = node.parent
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            return None
        node = parent
    return None


def _opening_lead(root: Tag) -> Tag | None:
    """The lead ``root`` opens with. A lead-like box after the first paragraph is an
    intertitle ("article-subheadline") or a promo's description."""
    for tag in tags(root, limit=40):
        if _is_lead(tag) and _fits(tag, ""):
            return tag
        if tag.name == "p" and len(text_of(tag)) >= _BODY_PARAGRAPH:
            return None
    return None


def _is_lead(tag: Tag) -> bool:
    if _is_description(tag):
        return True
    tokens = _tokens(tag)
    if any(rules.OWN_TEASER_RE.search(t) for t in tokens):
        return not any(rules.NOT_LEAD_RE.search(rules.OWN_TEASER_RE.sub("", t)) for t in tokens)
    return any(rules.LEAD_RE.search(t) for t in tokens) and not any(rules.NOT_LEAD_RE.search(t)
                                                                for t in tokens)


def _is_description(tag: Tag) -> bool:
    itemprop = tag.get("itemprop")
    if not isinstance(itemprop, str) or "description" not in itemprop.split():
        return False
    scope = tag.find_parent(attrs={"itemscope": True})
    kind = scope.get("itemtype") if scope is not None else None
    return not (isinstance(kind, str) and rules.OTHER_THING_RE.search(kind))


def _tokens(tag: Tag) -> list[str]:
    """Class and id tokens with camelCase humps as dashes: "DefaultEinleitung"."""
    return [rules.HUMP_RE.sub("-", token) for token in raw_tokens(tag)]


def _fits(tag: Tag, body_text: str) -> bool:
    text = text_of(tag)
    if not _MIN_LEN <= len(text) <= _MAX_LEN or text[:60] in body_text:
        return False
    # A list is fine ("Das Wichtigste in Kürze" bullets), links in it are not.
    if ancestor(tag, _CHROME) is not None or first(tag, ("img", "table")):
        return False
    return link_density(tag, len(text)) < 0.3
