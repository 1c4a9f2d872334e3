"""Removing what is not the article: scripts, hidden nodes, embeds and page chrome.

``preclean`` runs once on the whole page before the article is chosen (things that
are never content, wherever they are); ``strip_chrome`` and ``tidy`` run on the
chosen article only, where class/id rules can afford to be bolder.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment, NavigableString, PageElement

from . import rules
from .dom import (
    attr_tokens,
    class_set,
    classes,
    gone,
    is_inline,
    link_density,
    norm_space,
    parse_selector,
    tags,
    text_of,
    token_words,
)

_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CODE_CLASS_RE = re.compile(r"^(language-|lang-|highlight-source-)[\w+#.-]+$|^sourceCode$")
_SAFE_HREF_RE = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
EMBED_MARK = "data-vellum-embed"
_DROP = frozenset({*rules.DROP_TAGS, "svg"})
_READ_MORE_BLOCKS = frozenset({"p", "div", "li", "h3", "h4", "strong"})
_PERMALINK_RULES = tuple(map(parse_selector, rules.PERMALINK_SELECTORS))
_DATE_RE = re.compile(r"\d{4}-\d\d|\d\d?[./]\s*\d\d?[./]\s*\d{2,4}|\b(1[89]|20)\d\d\b|\d:\d\d")
_PROTECTED = frozenset({"pre", "code", "math", "blockquote"})
_DIGITS_RE = re.compile(r"\d+")
_GLUED_RE = re.compile(r"^([a-z]{3,}?)(block|box|bar|links?|buttons?|widget|wrapper|container|"
                       r"area|section|list|icons|tools|panel|module)$")
_PHRASE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "figcaption", "strong",
                "small", "a")
_LABEL_RE = re.compile(r"^.{0,80}(?<![^.]\.)$", re.DOTALL)  # short, not ending a sentence
_BLOCKS = ("p", "div", "section", "ul", "ol", "table", "figure", "blockquote")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MEDIA = ("img", "picture", "video", "audio", "iframe", "table", "pre", "math", "hr", "br")


def preclean(soup: BeautifulSoup) -> None:
    """Drop what is never content anywhere in the page; embeds become links."""
    # One walk sorts the page's nodes; the work is done afterwards, in the same order
    # as before: comments and never-content tags, then embeds, then hidden boxes.
    doomed: list[PageElement] = []
    frames: list[Tag] = []
    hidden: list[Tag] = []
    for node in soup.descendants:
        if isinstance(node, Comment):
            doomed.append(node)
        elif isinstance(node, Tag):
            if node.name == "noscript" and _script_rendered(node):
                continue  # unwrapped below, once scripts are gone
            if node.name in _DROP:
                doomed.append(node)
            elif node.name in ("iframe", "frame"):
                frames.append(node)
            elif _is_hidden(node):
                hidden.append(node)
    for node in doomed:
        if not gone(node):
            node.decompose()
    for fallback in soup.find_all("noscript"):
        if not gone(fallback):
            fallback.unwrap()
    for frame in frames:
        if not gone(frame):
            _replace_embed(soup, frame)
    page_len = len(text_of(soup.body or soup))
    for tag in hidden:
        # Some sites hide the whole page until a script reveals it: keep such a box.
        if not gone(tag) and len(text_of(tag)) < 0.3 * page_len:
            tag.decompose()


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
    if tag.name in ("html", "body"):
        return False
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = tag.get("style")
    return isinstance(style, str) and bool(_HIDDEN_STYLE_RE.search(style))


def _replace_embed(soup: BeautifulSoup, frame: Tag) -> None:
    src = str(frame.get("src") or frame.get("data-src") or "")
    for pattern, template in rules.VIDEO_EMBEDS:
        match = pattern.search(src)
        if match:
            href = template.format(match.group(1))
            title = frame.get("title")
            label = title if isinstance(title, str) and title.strip() else href
            para = soup.new_tag("p", attrs={EMBED_MARK: ""})
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
    for token in _raw_tokens(tag):
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


def _raw_tokens(tag: Tag) -> list[str]:
    ident = tag.get("id")
    return [*classes(tag), *([ident] if isinstance(ident, str) and ident else [])]


def _words(token: str) -> list[str]:
    """Words of a class token, split on camelCase humps ("FollowGoogleNews") unless
    the humps are too short to be words: a generated hash ("jpYiwZ") stays whole."""
    token = _DIGITS_RE.sub("-", token)  # "comments18-wrapper", "comment-4711"
    words = token_words(token)
    if any(len(word) < 3 for word in words):
        words = token_words(token.lower())
    return words


def _stem(word: str) -> str:
    """``shareblock`` -> ``share``, ``taglist`` -> ``tags``: a noise word glued to a
    widget suffix; the word itself when it has no such suffix."""
    match = _GLUED_RE.match(word)
    if match is None:
        return word
    stem = match.group(1)
    return stem if stem in rules.NOISE_WORDS else stem + "s"


def strip_chrome(root: Tag, title: str) -> None:
    """Remove chrome inside the chosen article ``root``."""
    total = len(text_of(root))
    for tag in _chrome_boxes(root, total):
        tag.decompose()
    for tag in [t for t in tags(root) if _is_permalink(t)]:
        if not gone(tag) and norm_space(tag.get_text()).lower() in rules.PERMALINK_TEXT:
            tag.decompose()
    for heading in tags(root, _HEADINGS):
        _strip_heading_anchor(heading)
    _drop_title(root, title)
    _drop_credits(root)
    _drop_read_more(root)  # first: the phrase rule would take "Read more:" and leave the link
    _drop_chrome_phrases(root)
    _drop_datelines(root)
    _clean_conditionally(root)
    _drop_card_lists(root)
    _drop_link_runs(root)
    _drop_orphan_headings(root)


def _chrome_boxes(root: Tag, total: int) -> list[Tag]:
    """The outermost chrome boxes in ``root``. When they would leave almost nothing, the
    page is a discussion (a forum thread, a Q&A): its "comments" are the content, and
    only the semantic chrome (nav, aside, footer, header, form) goes."""
    found: list[Tag] = []
    inside: set[int] = set()  # ids of the boxes found and of everything in them
    for tag in tags(root):
        if id(tag.parent) in inside:
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
    if tag.name in (*rules.CHROME_TAGS, "header", "form") or tag.find("form"):
        return False
    words = {word for token in _raw_tokens(tag) for word in _words(token)}
    return bool(words & rules.COMMENT_WORDS) and not words & {"form", "respond", "reply",
                                                                "count", "link"}


def _is_permalink(tag: Tag) -> bool:
    names = class_set(tag)
    return any(rule.matches(tag, names) for rule in _PERMALINK_RULES)


def _drop_credits(root: Tag) -> None:
    """Photo credits at the end of image captions go; the caption itself stays."""
    captions = [t for t in tags(root) if t.name == "figcaption" or (
        t.name in ("div", "span", "p", "small") and any(
            rules.CAPTION_CLASS_RE.search(c) for c in classes(t)))]
    for caption in captions:
        if gone(caption):
            continue
        strings = [s for s in caption.find_all(string=True) if s.strip()]
        while strings:
            last = strings.pop()
            trimmed = rules.CREDIT_RE.sub("", str(last)).rstrip(" ,;|–—")
            if trimmed == str(last).rstrip(" ,;|–—"):
                break
            last.replace_with(trimmed)
            if trimmed.strip():
                break
        if not text_of(caption) and not caption.find(_MEDIA):
            caption.decompose()


def _drop_chrome_phrases(root: Tag) -> None:
    """Headings and short lines that only say "Related", "Share this", "Anzeige"...

    A heading of that kind takes the link list that follows it along."""
    for tag in tags(root, _PHRASE_TAGS):
        if gone(tag):
            continue
        text = text_of(tag)
        if not text or len(text) > 80 or not rules.CHROME_TEXT_RE.match(text):
            continue
        if tag.name in ("div", "span", "strong") and tag.find(("p", "img", "ul")):
            continue
        following = tag.find_next_sibling()
        if tag.name.startswith("h") and isinstance(following, Tag) and following.name in (
                "ul", "ol", "div") and link_density(following) > 0.5:
            following.decompose()
        tag.decompose()


def _drop_read_more(root: Tag) -> None:
    """Paragraphs like "Read more: <a>Another story</a>" between the body's paragraphs."""
    for string in root.find_all(string=rules.READ_MORE_PREFIX_RE):
        tag = string.parent
        while isinstance(tag, Tag) and tag is not root and not gone(tag):
            if tag.name in _READ_MORE_BLOCKS:
                text = text_of(tag)
                if len(text) > 250 or not rules.READ_MORE_PREFIX_RE.match(text) or tag.find(
                        ("p", "div", "img", "ul", "ol", "table")):
                    break
                if tag.find("a"):
                    tag.decompose()
                    break
            tag = tag.parent


def _drop_datelines(root: Tag) -> None:
    """A ``<time>`` that is most of its line is the byline's date, not the story's."""
    for time in tags(root, ("time",)):
        if gone(time) or not _DATE_RE.search(str(time.get("datetime") or text_of(time))):
            continue  # a duration (cooking time), not a date
        block: Tag = time
        while isinstance(block.parent, Tag) and block.parent is not root and (
                block.name not in rules.BLOCK_TAGS or block.name == "li"):
            block = block.parent
        if block is not root and len(text_of(block)) <= min(100, len(text_of(time)) + 60):
            block.decompose()


def _is_chrome(tag: Tag, total: int) -> bool:
    if tag.name in rules.CHROME_TAGS:
        return not _holds_most(tag, total)
    if tag.name == "header":
        # The article's own header may hold its lead (or an accordion item's question).
        return link_density(tag) > 0.4 or (len(text_of(tag)) < 300 and not _has_prose(tag))
    if tag.name in _HEADINGS:
        return False  # an intertitle with a "nav_" anchor id; labels go with their widgets
    if tag.name == "form":
        return len(text_of(tag)) < 500
    if not (tag.get("class") or tag.get("id")):
        return False
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
                and not block.find(("p", "div")):
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
    for link in heading.find_all("a"):
        if norm_space(link.get_text()) in rules.PERMALINK_TEXT and not link.find("img"):
            link.decompose()


def _drop_title(root: Tag, title: str) -> None:
    wanted = _comparable(title)
    if not wanted:
        return
    for heading in root.find_all(("h1", "h2"), limit=3):
        if _comparable(heading.get_text()) == wanted:
            heading.decompose()
            return


def _comparable(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _clean_conditionally(root: Tag) -> None:
    """Drop link lists and widget blocks that slipped through the class rules.

    A link list that is most of the article (a link round-up post) stays."""
    total = len(text_of(root))
    protected = _ancestors_of(root, lambda t: t.name in _PROTECTED or t.has_attr(EMBED_MARK))
    for tag in tags(root, ("ul", "ol", "div", "section", "table", "dl"))[::-1]:
        if gone(tag) or id(tag) in protected:
            continue
        text = text_of(tag)
        if not text:
            if not tag.find(("img", "picture", "video", "audio", "iframe", "figure", "hr")):
                tag.decompose()
            continue
        density = link_density(tag, len(text))
        commas = text.count(",") + text.count("،")
        if density > 0.6 and commas < 10 and tag.name != "table" and len(text) < min(
                1500, 0.4 * total):
            tag.decompose()


def _drop_card_lists(root: Tag) -> None:
    """Lists of teaser cards (a linked title over an image or an excerpt) that are not
    the bulk of the article: "more stories", recommendations, related products."""
    total = len(text_of(root))
    for box in tags(root, ("ul", "ol", "div", "section"))[::-1]:
        if gone(box):
            continue
        items = _children(box)
        if len(items) < 3 or len({item.name for item in items}) > 1:
            continue
        text = len(text_of(box))
        if text >= 0.4 * total or not all(_is_card(item) for item in items):
            continue
        box.decompose()


def _drop_link_runs(root: Tag) -> None:
    """Two or more blocks in a row that are each nothing but a link: headlines of
    other stories set as paragraphs, outside any list the link-list rule would see."""
    runs: list[list[Tag]] = []
    for parent in [root, *tags(root, ("div", "section", "article"))]:
        run: list[Tag] = []
        for child in _children(parent):
            if _is_link_line(child):
                run.append(child)
                continue
            if len(run) >= 2:
                runs.append(run)
            run = []
        if len(run) >= 2:
            runs.append(run)
    for run in runs:
        for block in run:
            if not gone(block):
                block.decompose()


def _is_link_line(tag: Tag) -> bool:
    if tag.name not in ("p", "div", "h3", "h4", "h5", "h6") or tag.find("a") is None:
        return False
    text = text_of(tag)
    # A headline has words; a bare "link" or a file name set on its own line is content.
    return (0 < len(text) <= 150 and text.count(" ") >= 2
            and link_density(tag, len(text)) >= 0.9 and tag.find(_MEDIA) is None)


def _is_card(item: Tag) -> bool:
    """A linked title with an image or a heading, and at most a short excerpt."""
    link = item.find("a", href=True)
    if link is None or len(text_of(item)) > 400:
        return False
    title = item.find(_HEADINGS)
    if title is not None:
        return title.find("a", href=True) is not None or title.find_parent("a") is not None
    return item.find(("img", "picture")) is not None and len(text_of(link)) >= 15


def _children(tag: Tag) -> list[Tag]:
    return [child for child in tag.contents if isinstance(child, Tag)]


def _drop_orphan_headings(root: Tag) -> None:
    """Headings left with nothing under them: the label of a widget whose links
    were cleaned away ("Most read", "Latest comments"), or of an empty section.

    Walked from the end, so a run of such labels at the bottom goes as a whole."""
    for heading in tags(root, _HEADINGS)[::-1]:
        if gone(heading) or heading.find(_BLOCKS) or not _LABEL_RE.match(text_of(heading)):
            continue  # a sentence set in heading tags (or one wrapping the article)
        following = _next_content(heading, root)
        if following is None or (following.name in _HEADINGS
                                 and following.name <= heading.name):
            heading.decompose()


def _next_content(tag: Tag, root: Tag) -> Tag | None:
    """The first element with text or media after ``tag`` in reading order within
    ``root`` (a heading when the next box opens with one); ``None`` at the end."""
    node: Tag | None = tag
    while node is not None and node is not root:
        for sibling in node.next_siblings:
            if isinstance(sibling, Tag):
                if sibling.name in _HEADINGS:
                    return sibling
                if text_of(sibling) or sibling.find(_MEDIA) or sibling.name in _MEDIA:
                    first = sibling.find(_HEADINGS)
                    return first if first is not None and not _text_before(sibling, first) \
                        else sibling
            elif isinstance(sibling, NavigableString) and not isinstance(sibling, Comment) \
                    and sibling.strip():
                return node.parent if isinstance(node.parent, Tag) else None
        node = node.parent if isinstance(node.parent, Tag) else None
    return None


def _text_before(box: Tag, heading: Tag) -> bool:
    """True when ``box`` shows text or media before its first ``heading``."""
    for node in box.descendants:
        if node is heading:
            return False
        if isinstance(node, NavigableString) and not isinstance(node, Comment) and node.strip():
            return True
        if isinstance(node, Tag) and node.name in _MEDIA:
            return True
    return False


def _ancestors_of(root: Tag, wanted: Callable[[Tag], bool]) -> set[int]:
    """Ids of the elements under ``root`` holding an element ``wanted`` accepts."""
    found: set[int] = set()
    for tag in [t for t in tags(root) if wanted(t)]:
        for parent in tag.parents:
            if id(parent) in found or parent is root:
                break
            found.add(id(parent))
    return found


def tidy(root: Tag) -> None:
    """Unwrap leftovers and keep only attributes the converter uses."""
    _trim_tail(root)
    for tag in tags(root):
        if gone(tag):
            continue
        _clean_attrs(tag)
    for para in tags(root, ("p", "span", "strong", "em", "b", "i")):
        if not gone(para) and not text_of(para) and not para.find(_MEDIA):
            para.decompose()
    for link in tags(root, ("a",)):
        href = link.get("href")
        if isinstance(href, str) and _SAFE_HREF_RE.match(href):
            del link["href"]
        if not link.get("href"):
            link.unwrap()


def _trim_tail(root: Tag) -> None:
    """Rules and breaks left dangling at the end (before the footnotes) go."""
    children = [c for c in _children(root)
                if not c.has_attr("data-footnotes")]
    for child in reversed(children):
        if child.name not in ("hr", "br") and (text_of(child) or child.find(_MEDIA)):
            break
        if child.name in ("hr", "br") or not text_of(child):
            child.decompose()


def _clean_attrs(tag: Tag) -> None:
    keep = {k: v for k, v in tag.attrs.items() if k in rules.KEEP_ATTRS and k != "class"}
    if tag.name in ("pre", "code", "div", "span"):
        code_classes = [c for c in classes(tag) if _CODE_CLASS_RE.match(c)]
        if code_classes:
            keep["class"] = " ".join(code_classes)
    if tag.name not in ("img", "source", "td", "th", "ol"):
        keep = {k: v for k, v in keep.items()
                if k not in ("width", "height", "srcset", "type", "start", "reversed")
                or tag.name == "ol"}
    keep.pop("id", None)
    tag.attrs = keep
