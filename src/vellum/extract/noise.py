"""Removing what is not the article: scripts, hidden nodes, embeds and page chrome.

``preclean`` runs once on the whole page before the article is chosen (things that
are never content, wherever they are); ``strip_chrome`` and ``tidy`` run on the
chosen article only, where class/id rules can afford to be bolder.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, PageElement

from ..marks import FOOTNOTES
from ..rules import extract as rules
from .dom import (
    Selectors,
    attr_tokens,
    child_tags,
    classes,
    descendants,
    first,
    following,
    gone,
    has_text,
    is_inline,
    joined,
    link_density,
    norm_space,
    raw_tokens,
    string_types,
    tags,
    tags_and_strings,
    text_of,
    token_words,
)
from .prune import HEADINGS, MEDIA, prune

_DROP = frozenset({*rules.DROP_TAGS, "svg"})
_CONTROLS = frozenset({"input", "select", "textarea"})
_TICKED = frozenset({"checkbox", "radio"})  # their labels may be content (ingredients, tasks)
_PERMALINKS = Selectors(rules.PERMALINK_SELECTORS)


def preclean(soup: BeautifulSoup) -> None:
    """Drop what is never content anywhere in the page; embeds become links."""
    # One walk sorts the page's nodes; the work is done afterwards, in the same order
    # as before: comments and never-content tags, then embeds, then hidden boxes.
    doomed: list[PageElement] = []
    frames: list[Tag] = []
    hidden: list[Tag] = []
    labels: list[Tag] = []
    controls: dict[str, Tag] = {}
    rendered: list[Tag] = []
    body = soup.body
    types, end = _body_walk(body)
    strings: list[NavigableString] = []  # the body's, for its length once doomed are gone
    within = False
    for node in descendants(soup):
        if node is body or node is end:
            within = node is body
        elif within and type(node) in types:
            strings.append(node)  # type: ignore[arg-type]
            continue
        if isinstance(node, Comment):
            doomed.append(node)
        elif isinstance(node, Tag):
            if node.name == "noscript" and _script_rendered(node):
                rendered.append(node)
                continue  # unwrapped below, once scripts are gone
            if node.name in _DROP:
                doomed.append(node)
                if node.name in _CONTROLS and "id" in node.attrs:
                    controls[str(node.attrs["id"])] = node
            elif node.name in ("iframe", "frame"):
                frames.append(node)
            elif _is_hidden(node):
                hidden.append(node)
            elif node.name == "label" and "for" in node.attrs:
                labels.append(node)
    doomed += [label for label in labels if _labels_a_field(label, controls)]
    for node in doomed:
        if not gone(node):
            node.decompose()
    for fallback in rendered:  # every other noscript went with the doomed
        if not gone(fallback):
            fallback.unwrap()
    for frame in frames:
        if not gone(frame):
            _replace_embed(soup, frame)
    page_len = 0
    if hidden:
        # An embed became a link, with text of its own: read the page again then.
        page_len = len(text_of(soup.body or soup)) if frames or body is None else len(
            joined([string for string in strings if not gone(string)]))
    for tag in hidden:
        # Some sites hide the whole page until a script reveals it: keep such a box.
        if not gone(tag) and len(text_of(tag)) < 0.3 * page_len:
            tag.decompose()


def _body_walk(body: Tag | None) -> tuple[Collection[type], PageElement | None]:
    """The string types ``text_of(body)`` reads, and the node after the body's last."""
    if body is None:
        return (), None
    return string_types(body), following(body)


def _labels_a_field(label: Tag, controls: dict[str, Tag]) -> bool:
    """A label outliving the field it names ("Sorted by:", "Name (required)"). A
    checkbox's label stays: recipe plugins set each ingredient as one."""
    control = controls.get(str(label["for"]))
    return control is not None and not (
        control.name == "input" and str(control.get("type", "")).lower() in _TICKED)


def _script_rendered(noscript: Tag) -> bool:
    """A ``noscript`` holding the post itself (the page renders it from a script
    template): paragraphs of prose, and no other text in its parent."""
    paragraphs = noscript.find_all("p")
    if len(paragraphs) < 2 or sum(len(text_of(p)) for p in paragraphs) < 400:
        return False
    parent = noscript.parent
    if not isinstance(parent, Tag):
        return False
    others = (c for c in parent.children if c is not noscript
              and not (isinstance(c, Tag) and c.name in ("script", "template", "style")))
    return not any(text_of(c) for c in others)


def _is_hidden(tag: Tag) -> bool:
    attrs = tag.attrs  # the dict itself: this runs on every element of the page
    if not attrs or tag.name in ("html", "body"):
        return False
    if attrs.get("role") == "tabpanel":
        return False  # a tab not chosen yet: the reader can open it
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return isinstance(style, str) and bool(rules.HIDDEN_STYLE_RE.search(style))


def _replace_embed(soup: BeautifulSoup, frame: Tag) -> None:
    src = str(frame.get("src") or frame.get("data-src") or "")
    for pattern, template in rules.VIDEO_EMBEDS:
        match = pattern.search(src)
        if match:
            href = template.format(match.group(1))
            title = frame.get("title")
            label = title if isinstance(title, str) and title.strip() else href
            para = soup.new_tag("p", attrs={rules.EMBED_MARK: ""})
            link = soup.new_tag("a", href=href)
            link.string = label.strip()
            para.append(link)
            frame.replace_with(para)
            return
    frame.decompose()


def is_noise(tag: Tag) -> bool:
    """True when the class or id of ``tag`` names page chrome (see rules.NOISE_*)."""
    return _noise_strength(tag) > 0


def _noise_strength(tag: Tag) -> int:
    """0: not chrome; 1: chrome unless it reads like prose; 2: chrome."""
    strength = 0
    for token in raw_tokens(tag):
        if token.lower() in rules.NOISE_TOKENS:
            return 2
        words = _words(token)
        if not words or words[0] in rules.STATE_PREFIXES or rules.STATE_WORDS.intersection(words):
            continue
        if rules.KEEP_WORDS.intersection(words):
            continue
        pairs = ("".join(pair) for pair in zip(words, words[1:], strict=False))
        stems = (_stem(word) for word in words)
        found = rules.NOISE_WORDS.intersection([*words, *pairs, *stems, "".join(words)])
        if found & rules.HARD_NOISE_WORDS:
            return 2
        if found:
            strength = 1
    return strength


def _words(token: str) -> list[str]:
    """Words of a class token, split on camelCase humps ("FollowGoogleNews") unless
    the humps are too short to be words: a generated hash ("jpYiwZ") stays whole."""
    token = rules.DIGITS_RE.sub("-", token)  # "comments18-wrapper", "comment-4711"
    words = token_words(token)
    if any(len(word) < 3 for word in words):
        words = token_words(token.lower())
    return words


def _stem(word: str) -> str:
    """``shareblock`` -> ``share``, ``taglist`` -> ``tags``: a noise word glued to a
    widget suffix; the word itself when it has no such suffix."""
    match = rules.GLUED_RE.match(word)
    if match is None:
        return word
    stem = match.group(1)
    return stem if stem in rules.NOISE_WORDS else stem + "s"


def strip_chrome(root: Tag, title: str) -> list[Tag]:
    """Remove chrome inside the chosen article ``root``; the tags it had, those removed
    marked gone (the passes only remove: nothing new is in the article)."""
    everything, strings = tags_and_strings(root)  # one walk; what the passes remove is gone
    total = len(joined(strings))
    for tag in _chrome_boxes(everything, total):
        tag.decompose()
    for tag in [t for t in everything if not gone(t) and _PERMALINKS.match(t)]:
        if not gone(tag) and norm_space(tag.get_text()).lower() in rules.PERMALINK_TEXT:
            tag.decompose()
    for heading in [t for t in everything if not gone(t) and t.name in HEADINGS]:
        _strip_heading_anchor(heading)
    _drop_title(everything, title)
    prune(root, everything, strings)
    return everything


def _chrome_boxes(everything: list[Tag], total: int) -> list[Tag]:
    """The outermost chrome boxes in ``root``. When they would leave almost nothing, the
    page is a discussion (a forum thread, a Q&A): its "comments" are the content, and
    only the semantic chrome (nav, aside, footer, header, form) goes."""
    found: list[Tag] = []
    inside: set[int] = set()  # ids of the boxes found and of everything in them
    for tag in everything:
        if id(tag.parent) in inside:
            inside.add(id(tag))
        elif tag.name == "pre":
            # Inside code, classes are token kinds (Pygments' "sd" docstring, "nav"
            # in a Chroma name), never chrome: a code block is kept or cut whole.
            inside.add(id(tag))
        elif tag.name not in ("article", "main", "body", "html") and _is_chrome(tag, total):
            found.append(tag)
            inside.add(id(tag))
    removed = sum(len(text_of(tag)) for tag in found)
    if total > 500 and total - removed < min(500, 0.2 * total):
        found = [tag for tag in found if not _is_comment(tag)]
    return found


def _is_comment(tag: Tag) -> bool:
    """A posted comment (not a comment form or a comment count)."""
    if tag.name in (*rules.CHROME_TAGS, "header", "form") or first(tag, "form"):
        return False
    words = {word for token in raw_tokens(tag) for word in _words(token)}
    return bool(words & rules.COMMENT_WORDS) and not words & {"form", "respond", "reply",
                                                                "count", "link"}


def _is_chrome(tag: Tag, total: int) -> bool:
    if tag.name in rules.CHROME_TAGS:
        return not _holds_most(tag, total)
    if tag.name == "header":
        # The article's own header may hold its lead (or an accordion item's question).
        return link_density(tag) > 0.4 or (len(text_of(tag)) < 300 and not _has_prose(tag))
    if tag.name in HEADINGS:
        return False  # an intertitle with a "nav_" anchor id; labels go with their widgets
    if tag.name == "form":
        return len(text_of(tag)) < 500
    if not (tag.get("class") or tag.get("id")):
        return False
    if any(rules.CONTENT_WIDGET_RE.match(name) for name in classes(tag)):
        return False  # an admonition's "alert" class, a tab set's: the author's content
    if _is_author_box(tag):
        return len(text_of(tag)) < 1200 and not _holds_most(tag, total)
    strength = _noise_strength(tag)
    if not strength:
        return False
    if is_inline(tag) and tag.parent is not None and tag.parent.name in ("p", "li", "td"):
        return False
    if strength == 1 and _reads_like_prose(tag):
        return False
    return not _holds_most(tag, total)


def _is_author_box(tag: Tag) -> bool:
    return any(rules.AUTHOR_BOX_RE.search(token) for token in attr_tokens(tag))


def _has_prose(tag: Tag) -> bool:
    """A sentence-long paragraph or heading of plain text inside ``tag``."""
    for block in tag.find_all(("p", "h2", "h3", "h4", "div")):
        text = text_of(block)
        if len(text) >= 40 and text.count(" ") >= 5 and link_density(block, len(text)) < 0.3 \
                and not first(block, ("p", "div")):
            return True
    return False


def _reads_like_prose(tag: Tag) -> bool:
    text = text_of(tag)
    if len(text) < 200 or link_density(tag, len(text)) > 0.25:
        return False
    return sum(text.count(mark) for mark in ".!?。") >= 2


def _holds_most(tag: Tag, total: int) -> bool:
    """Guard against a false positive on a wrapper holding most of the article.
    A list is never such a wrapper: a long related-posts list with excerpts is not."""
    return (tag.name not in ("ul", "ol") and total > 500 and len(text_of(tag)) > total * 0.5
            and link_density(tag) < 0.3)


def _strip_heading_anchor(heading: Tag) -> None:
    for link in tags(heading, ("a",)):
        if norm_space(link.get_text()) in rules.PERMALINK_TEXT and not first(link, "img"):
            link.decompose()


def _drop_title(everything: list[Tag], title: str) -> None:
    """The page title repeated as one of the article's first three h1/h2 headings
    (``everything`` is the article's tags; the passes before took nothing into it)."""
    wanted = _comparable(title)
    if not wanted:
        return
    headings = [t for t in everything if not gone(t) and t.name in ("h1", "h2")]
    for heading in headings[:3]:
        if _comparable(heading.get_text()) == wanted:
            heading.decompose()
            return


def _comparable(text: str) -> str:
    return rules.NON_WORD_RUN_RE.sub(" ", text).strip().lower()


_EMPTY_GOES = frozenset(("p", "span", "strong", "em", "b", "i"))  # dropped when empty


def tidy(root: Tag, walked: list[Tag] | None = None) -> None:
    """Unwrap leftovers and keep only attributes the converter uses. ``walked`` is
    ``root``'s tags from a walk that only removals followed, when the caller has it."""
    _trim_tail(root)
    # One walk; what the passes below remove is skipped as gone. Of an earlier walk, the
    # tops of what was taken out (a footnote mark's emptied link) are skipped too; what
    # hangs below them is edited unseen.
    found = tags(root) if walked is None else [
        tag for tag in walked if not gone(tag) and tag.parent is not None]
    for tag in found:
        if tag.attrs:
            _clean_attrs(tag)
    for para in found:
        if not gone(para) and para.name in _EMPTY_GOES and not has_text(para) \
                and not first(para, MEDIA):
            _drop_empty(para)
    for link in found:
        if gone(link) or link.name != "a":
            continue
        href = link.get("href")
        if isinstance(href, str) and rules.SAFE_HREF_RE.match(href):
            del link["href"]
        if not link.get("href"):
            link.unwrap()


def _drop_empty(tag: Tag) -> None:
    """An element without text goes, but the whitespace it holds stays: highlighters
    (Pygments ``<span class="w">``, Chroma's ``<span class="line">`` of a blank line,
    Prism and Shiki token spans) spell code's spaces and newlines with such elements,
    and between two words a space span is the space."""
    space = tag.get_text()
    if space and tag.name != "p":
        tag.replace_with(space)
    else:
        tag.decompose()


def _trim_tail(root: Tag) -> None:
    """Rules and breaks left dangling at the end (before the footnotes) go."""
    children = [c for c in child_tags(root)
                if not c.has_attr(FOOTNOTES)]
    for child in reversed(children):
        if child.name not in ("hr", "br") and (has_text(child) or first(child, MEDIA)):
            break
        if child.name in ("hr", "br") or not has_text(child):
            child.decompose()


@functools.lru_cache(maxsize=4096)
def _kept_classes(names: tuple[str, ...], code_box: bool) -> str:
    """The classes the converter reads, of a tag's ``names`` (the same lists come back
    on every element of a kind, so the patterns run once per list)."""
    kept = [c for c in names if rules.WIDGET_CLASS_RE.match(c) or (
        code_box and rules.CODE_CLASS_RE.match(c))]
    if any(rules.CONTENT_WIDGET_RE.match(c) for c in kept):
        kept += [c for c in names if rules.ADMONITION_TYPE_RE.match(c) and c not in kept]
    return " ".join(kept)


def _clean_attrs(tag: Tag) -> None:
    keep = {k: v for k, v in tag.attrs.items() if k in rules.KEEP_ATTRS and k != "class"}
    names = classes(tag)
    if names:
        kept = _kept_classes(tuple(names), tag.name in ("pre", "code", "div", "span"))
        if kept:
            keep["class"] = kept
    role = tag.get("role")
    if role in rules.TAB_ROLES:
        keep["role"] = role
    if tag.name not in ("img", "source", "td", "th", "ol"):
        keep = {k: v for k, v in keep.items()
                if k not in ("width", "height", "srcset", "type", "start", "reversed")
                or tag.name == "ol"}
    keep.pop("id", None)
    tag.attrs = keep
