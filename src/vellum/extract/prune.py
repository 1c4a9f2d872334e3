"""Pruning the chosen article by shape: lines and blocks that are chrome whatever
their class names say.

Runs after the class rules of ``noise.strip_chrome``: photo credits in captions,
"Read more:" and chrome-phrase lines, datelines, link lists, teaser cards, runs of
headline links, and the headings those removals leave with nothing under them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from bs4 import Tag
from bs4.element import Comment, NavigableString

from ..rules import extract as rules
from .dom import (
    ancestor,
    child_tags,
    classes,
    descendants,
    first,
    gone,
    inside,
    link_density,
    links,
    next_tag,
    previous_tag,
    strings_matching,
    tags,
    text_of,
    text_within,
)

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
MEDIA = ("img", "picture", "video", "audio", "iframe", "table", "pre", "math", "hr", "br")
_READ_MORE_BLOCKS = frozenset({"p", "div", "li", "h3", "h4", "strong", "blockquote"})
_PROTECTED = frozenset({"pre", "code", "math", "blockquote"})
_CODE = ("pre", "code")
_PHRASE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "figcaption", "strong",
                "small", "a")
_BLOCKS = ("p", "div", "section", "ul", "ol", "table", "figure", "blockquote")
_CREDIT_GLUE = " ,;|/–—-"  # what joined a credit to its caption
_CREDIT_STRINGS = 4  # text and link pieces a credit may run over
_INLINE_WRAPPERS = frozenset({"a", "span", "em", "i", "b", "strong", "small", "u", "sub", "sup"})
_CREDIT_PIECE = 30  # ... each a link or a short bit of glue ("| CC BY 2.0")
_CAPTION_TAGS = ("div", "span", "p", "small", "h2", "h3", "h4", "h5", "h6")
_LINE_TAGS = frozenset(("p", "div", "span"))  # a caption without caption markup
_META_TAGS = ("p", "div")  # lines, not a date inline in a sentence
_CTA_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li")
_CTA_CHILDREN = ("p", "div", "ul", "ol", "table", "img", "picture", "figure", "h2", "h3")
_CTA_MAX = 320  # a call to action is a line or two; a paragraph that long is the story
_CTA_OPENING_MAX = 700


def prune(root: Tag, everything: list[Tag] | None = None,
          strings: list[NavigableString] | None = None) -> None:
    """Remove the chrome lines and blocks left in ``root``, in an order where each
    pass sees what the earlier ones left.

    ``everything`` is ``tags(root)`` when the caller has it (and ``strings`` its text
    nodes, from the same walk): the passes only remove elements (never add one), so
    each takes its tags from that one walk, skipping what the passes before it
    removed."""
    every = Tags(tags(root) if everything is None else everything)
    outside = Tags(_prunable(root, every.all))
    if _drop_credits(outside.named(None)):
        strings = None  # a credit cut rewrote a string: the list no longer holds it
    # first: the phrase rule would take "Read more:" and leave the link
    _drop_read_more(root, strings)
    _drop_chrome_phrases(outside.named(_PHRASE_TAGS))
    _drop_calls_to_action(outside.named(_CTA_TAGS))
    _drop_datelines(root, outside.named(("time",)))
    _drop_meta_lines(every.named(_META_TAGS))
    _clean_conditionally(root, every)
    _drop_card_lists(root, every.named(("ul", "ol", "div", "section")))
    _drop_link_runs(root, every.named(("div", "section", "article")))
    _drop_orphan_headings(root, every.named(HEADINGS))


class Tags:
    """The tags of one walk, handed out by name, without those removed since."""

    def __init__(self, found: list[Tag]) -> None:
        self.all = found

    def named(self, names: Iterable[str] | None) -> list[Tag]:
        if names is None:
            return [t for t in self.all if not gone(t)]
        wanted = frozenset(names)
        return [t for t in self.all if not gone(t) and t.name in wanted]


def _prunable(root: Tag, everything: list[Tag]) -> list[Tag]:
    """The tags of ``everything`` (``tags(root)``) outside code: in a ``pre`` or ``code``
    element, words like "Comment", "contact" or "image:" are the program's, never
    chrome lines."""
    found: list[Tag] = []
    after: Tag | None = None  # the code element being skipped
    for tag in everything:
        if gone(tag):
            continue
        if after is not None:
            if tag is not after and inside(tag, after):
                continue
            after = None
        if tag.name in _CODE:
            after = tag
            continue
        found.append(tag)
    return found


def _drop_credits(prunable: list[Tag]) -> bool:
    """Photo credits at the end of image captions go; the caption itself stays.
    True when a string was cut or taken out (not only elements decomposed)."""
    captions = [t for t in prunable if _is_caption(t)]
    edited = False
    for caption in captions:
        if gone(caption):
            continue
        strings = [node for node in descendants(caption)
                   if isinstance(node, NavigableString) and node.strip()]
        count = len(strings)
        while strings and _cut_credit(strings):
            while strings and not strings[-1].strip(_CREDIT_GLUE + "(["):  # "(" + credit
                _clear(strings.pop())
        edited = edited or len(strings) != count  # every cut takes strings off the list
        if not text_of(caption) and not first(caption, MEDIA):
            caption.decompose()
    return edited


def _cut_credit(strings: list[NavigableString]) -> bool:
    """Cut the credit closing ``strings``, which may run over a few of them ("Foto: ",
    <a>Jane Doe</a>, " | flickr"). True when it took whole strings, so that the
    string left before it may close with a credit of its own."""
    for count in range(1, min(len(strings), _CREDIT_STRINGS) + 1):
        tail = strings[-count:]
        values = [rules.SPACES_RE.sub(" ", str(string)) for string in tail]
        value = "".join(values)
        if not holds_a_hint(value, rules.CREDIT_HINTS):
            continue
        found = rules.CREDIT_RE.search(value)
        if found is None or (count > 1 and not _credit_pieces(tail, values, found.start())):
            continue
        del strings[-count:]
        start, emptied = found.start(), True
        for string, text in zip(tail, values, strict=True):
            if start >= len(text):  # wholly before the credit
                strings.append(string)
            else:
                kept = text[:max(start, 0)].rstrip(_CREDIT_GLUE)
                if kept.strip():
                    string.replace_with(kept)
                    emptied = False
                else:
                    _clear(string)
            start -= len(text)
        return emptied
    return False


def _clear(string: NavigableString) -> None:
    """Remove ``string`` and the inline elements it leaves empty (a credit's link)."""
    parent = string.parent
    string.extract()
    while parent is not None and parent.name in _INLINE_WRAPPERS and not text_of(parent) \
            and first(parent, MEDIA) is None:
        above = parent.parent
        parent.decompose()
        parent = above


def _credit_pieces(tail: list[NavigableString], values: list[str], start: int) -> bool:
    """True when a credit found over several strings is one: its own words in the string
    it starts in ("Foto: "), then only links and short glue inside the same element
    ("Jane Doe", " | CC BY"), not the caption's text in a box of its own."""
    index = 0
    while start >= len(values[index]):
        start -= len(values[index])
        index += 1
    if not holds_a_hint(values[index][start:], rules.CREDIT_HINTS):
        return False  # a caption's last words glued to a credit set apart ("TierShutterstock")
    box = tail[index].parent
    return box is not None and all(
        (len(piece.strip()) <= _CREDIT_PIECE or ancestor(string, "a") is not None)
        and box in string.parents
        for string, piece in zip(tail[index + 1:], values[index + 1:], strict=True))


def holds_a_hint(text: str, hints: tuple[str, ...]) -> bool:
    """True when the lowercased ``text`` holds one of ``hints``: the cheap necessary
    condition checked before a costly case-insensitive regex."""
    lowered = text.lower()
    for hint in hints:  # noqa: SIM110 - any() over a generator costs twice as much
        if hint in lowered:
            return True
    return False


def _is_caption(tag: Tag) -> bool:
    """Caption markup, or a short line that reads as one: under a picture, or ending
    with a stock agency's credit."""
    name = tag.name
    if name == "figcaption" or (name in _CAPTION_TAGS and any(
            rules.CAPTION_CLASS_RE.search(c) for c in classes(tag))):
        return True
    if name not in _LINE_TAGS or first(tag, _BLOCKS) is not None:
        return False
    text = text_within(tag, 300)
    if text is None:
        return False
    return _under_a_picture(tag) or (
        name != "span" and bool(rules.STOCK_CREDIT_RE.search(text)))


def _under_a_picture(tag: Tag) -> bool:
    """A line (a short block, see ``_is_caption``) in a figure or right after an image,
    outside any caption markup: the picture's caption."""
    if ancestor(tag, "figure") is not None:
        return True
    before = previous_tag(tag)
    return before is not None and (before.name in ("img", "picture", "figure") or (
        not text_of(before) and first(before, ("img", "picture")) is not None))


def _drop_read_more(root: Tag, strings: list[NavigableString] | None) -> None:
    """Paragraphs like "Read more: <a>Another story</a>" between the body's paragraphs."""
    for string in strings_matching(root, rules.READ_MORE_START_RE, strings):
        if ancestor(string, _CODE) is not None:
            continue
        tag = string.parent
        while isinstance(tag, Tag) and tag is not root and not gone(tag):
            if tag.name in _READ_MORE_BLOCKS:
                text = text_of(tag)
                if len(text) > 250 or not rules.READ_MORE_PREFIX_RE.match(text) or tag.find(
                        ("p", "div", "img", "ul", "ol", "table")):
                    break
                if first(tag, "a"):
                    tag.decompose()
                    break
            tag = tag.parent


def _drop_chrome_phrases(candidates: list[Tag]) -> None:
    """Headings and short lines that only say "Related", "Share this", "Anzeige"...

    A heading, or a label ending in a colon, takes the link list that follows it
    along (set as a list, a box or a paragraph of links)."""
    for tag in candidates:
        if gone(tag):
            continue
        text = text_within(tag, 80)
        if not text or not rules.CHROME_TEXT_RE.match(text):
            continue
        if tag.name in ("div", "span", "strong") and first(tag, ("p", "img", "ul")):
            continue
        if first(tag, ("img", "picture", "video")):
            continue  # a picture with its credit line ("Credit: example.com") stays
        if tag.name in _INLINE_WRAPPERS and _in_a_sentence(tag, text):
            continue  # "(source: <a>sync.yml</a>)" inside a paragraph is not a line
        if tag.name.startswith("h") or text.endswith(":"):
            _drop_links_after(tag)
        tag.decompose()


def _in_a_sentence(tag: Tag, text: str) -> bool:
    """An inline element inside a paragraph of prose (five words beside it)."""
    block = tag.parent
    while isinstance(block, Tag) and block.name in _INLINE_WRAPPERS:
        block = block.parent
    if not isinstance(block, Tag) or block.name not in ("p", "li", "td", "dd"):
        return False
    return len(text_of(block).split()) - len(text.split()) >= 5


def _drop_links_after(label: Tag) -> None:
    """The link list after a widget label: a list, a box of links or of teaser cards,
    or a run of link lines."""
    following = _next_block(label)
    while isinstance(following, Tag) and following.name in ("ul", "ol", "div", "p") and (
            link_density(following) > 0.5 or _holds_only_cards(following)):
        after, name = _next_block(following), following.name
        following.decompose()
        if name != "p":
            return
        following = after


def _next_block(tag: Tag) -> Tag | None:
    """The next element after ``tag``, line breaks and rules skipped."""
    following = next_tag(tag)
    while following is not None and following.name in ("br", "hr"):
        following = next_tag(following)
    return following


def _holds_only_cards(box: Tag) -> bool:
    """A box of teaser cards, however few (a label said what they are)."""
    items = child_tags(box)
    return bool(items) and all(_is_card(item) for item in items)


def _drop_calls_to_action(candidates: list[Tag]) -> None:
    """Short lines addressed to the reader on the publisher's behalf: subscribe, follow
    us, support our work, get the app, ad and affiliate disclosures, reprint terms."""
    for tag in candidates:
        if gone(tag) or first(tag, _CTA_CHILDREN) is not None or _in_admonition(tag):
            continue
        text = text_within(tag, _CTA_OPENING_MAX)
        if not text or not holds_a_hint(text, rules.CALL_TO_ACTION_HINTS):
            continue
        found = rules.CALL_TO_ACTION_RE.search(text)
        # A longer paragraph goes only when it opens with the call ("Gefällt dir unser
        # Magazin? Wir haben keine Paywall, ...").
        if found and (len(text) <= _CTA_MAX or found.start() < 4):
            tag.decompose()


def _in_admonition(tag: Tag) -> bool:
    """Inside a callout box the author set in the post (Docusaurus ``:::note``, Material
    ``!!! tip``): its "Follow us on..." lines are the author's own words."""
    for parent in tag.parents:
        if any(rules.CONTENT_WIDGET_RE.match(name) for name in classes(parent)):
            return True
    return False


def _drop_datelines(root: Tag, times: list[Tag]) -> None:
    """A ``<time>`` that is most of its line is the byline's date, not the story's."""
    for time in times:
        if gone(time) or not rules.DATE_RE.search(str(time.get("datetime") or text_of(time))):
            continue  # a duration (cooking time), not a date
        block: Tag = time
        while isinstance(block.parent, Tag) and block.parent is not root and (
                block.name not in rules.BLOCK_TAGS or block.name == "li"):
            block = block.parent
        if block is not root and len(text_of(block)) <= min(100, len(text_of(time)) + 60):
            block.decompose()


def _drop_meta_lines(candidates: list[Tag]) -> None:
    """A line that is a date with post-meta words around it (a byline's date, "last
    modified", a category label), and at most an author's name besides.

    List items and table cells are spared (a timeline's dates come with their events),
    and so are code and quotes."""
    for tag in candidates:
        if gone(tag) or first(tag, _CTA_CHILDREN) is not None:
            continue
        text = text_within(tag, 80)
        if not text or not rules.META_DATE_RE.search(text):
            continue
        if ancestor(tag, ("li", "td", "th", "table", *_PROTECTED)) is not None:
            continue
        rest = rules.META_WORDS_RE.sub(" ", rules.META_DATE_RE.sub(" ", text))
        # Words left over are the author's name after a "by", or the line is content
        # ("Termin: 29.02.2020, 19 Uhr").
        allowed = 2 if rules.BYLINE_WORD_RE.search(text) else 0
        if len(rules.WORDS_RE.findall(rest)) <= allowed:
            tag.decompose()


def _clean_conditionally(root: Tag, every: Tags) -> None:
    """Drop link lists and widget blocks that slipped through the class rules.

    A link list that is most of the article (a link round-up post) stays."""
    # The article's text length, read when first needed: before any removal but of
    # boxes without text, which leave the text as it was.
    total = -1
    protected = _ancestors_of(root, every.named(None),
                              lambda t: t.name in _PROTECTED or t.has_attr(rules.EMBED_MARK))
    for tag in every.named(("ul", "ol", "div", "section", "table", "dl"))[::-1]:
        if gone(tag) or id(tag) in protected:
            continue
        text = text_of(tag)
        if not text:
            if not first(tag, ("img", "picture", "video", "audio", "iframe", "figure", "hr")):
                tag.decompose()
            continue
        density = link_density(tag, len(text))
        commas = text.count(",") + text.count("،")
        if not (density > 0.6 and commas < 10 and tag.name != "table"):
            continue
        total = len(text_of(root)) if total < 0 else total
        if len(text) < min(1500, 0.4 * total) and not _cites_sources(tag) \
                and not _introduced(tag):
            tag.decompose()


def _introduced(box: Tag) -> bool:
    """A list the post itself introduces: right under a heading its Markdown made (with
    an anchor id: Hugo, Jekyll, Hexo, MkDocs and Docusaurus all write one), or under a
    short label line of its own ("For more information:", "**Resources:**"), or as a
    sub-list of one of its items. Widget headings ("Related posts") come from templates
    without ids, and the chrome-phrase rule took the labelled widget lists already."""
    if box.name not in ("ul", "ol"):
        return False
    if isinstance(box.parent, Tag) and box.parent.name == "li":
        return True  # a sub-list: its item introduces it ("hexo: _config.yml" > a link)
    before = previous_tag(box)
    if before is None:
        return False
    if before.name in HEADINGS:
        return before.has_attr("id")
    text = text_of(before)
    return before.name == "p" and text.endswith((":", "：")) and len(text) <= 60 \
        and first(before, "a") is None


def _cites_sources(box: Tag) -> bool:
    """A list of titled links to as many different sites as links: the author's
    references ("Further reading", "參考"). A site's own link lists (related posts,
    categories, archives) point home; share buttons have a network's name, not a title."""
    if box.name not in ("ul", "ol"):
        return False
    anchors = links(box)
    hosts = {urlsplit(str(a.get("href") or "")).netloc.lower().removeprefix("www.")
             for a in anchors}
    hosts.discard("")
    titled = [a for a in anchors if len(text_of(a).split()) >= 2 or len(text_of(a)) >= 8]
    return len(anchors) >= 2 and len(hosts) >= max(2, 0.6 * len(anchors)) \
        and len(titled) >= 0.8 * len(anchors)


def _ancestors_of(root: Tag, everything: list[Tag], wanted: Callable[[Tag], bool]) -> set[int]:
    """Ids of the elements under ``root`` holding an element ``wanted`` accepts."""
    found: set[int] = set()
    for tag in [t for t in everything if wanted(t)]:
        for parent in tag.parents:
            if id(parent) in found or parent is root:
                break
            found.add(id(parent))
    return found


def _drop_card_lists(root: Tag, boxes: list[Tag]) -> None:
    """Lists of teaser cards (a linked title over an image or an excerpt) that are not
    the bulk of the article: "more stories", recommendations, related products."""
    total = -1  # the article's text length, read when first needed: before any removal
    for box in boxes[::-1]:
        if gone(box):
            continue
        items = child_tags(box)
        if len(items) < 3 or len({item.name for item in items}) > 1 or not all(
                _is_card(item) for item in items):
            continue
        total = len(text_of(root)) if total < 0 else total
        if len(text_of(box)) >= 0.4 * total:
            continue
        box.decompose()


def _is_card(item: Tag) -> bool:
    """A linked title with an image or a heading, and at most a short excerpt."""
    link = item.find("a", href=True)
    if link is None or len(text_of(item)) > 400:
        return False
    title = first(item, HEADINGS)
    if title is not None:
        return bool(links(title)) or ancestor(title, "a") is not None
    return first(item, ("img", "picture")) is not None and len(text_of(link)) >= 15


def _drop_link_runs(root: Tag, boxes: list[Tag]) -> None:
    """Two or more blocks in a row that are each nothing but a link: headlines of
    other stories set as paragraphs, outside any list the link-list rule would see."""
    runs: list[list[Tag]] = []
    for parent in [root, *boxes]:
        run: list[Tag] = []
        for child in child_tags(parent):
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
    if tag.name not in ("p", "div", "h3", "h4", "h5", "h6") or first(tag, "a") is None:
        return False
    text = text_of(tag)
    # A headline has words; a bare "link" or a file name set on its own line is content.
    return (0 < len(text) <= 150 and text.count(" ") >= 2
            and link_density(tag, len(text)) >= 0.9 and first(tag, MEDIA) is None)


def _drop_orphan_headings(root: Tag, headings: list[Tag]) -> None:
    """Headings left with nothing under them: the label of a widget whose links
    were cleaned away ("Most read", "Latest comments"), or of an empty section.

    Walked from the end, so a run of such labels at the bottom goes as a whole."""
    for heading in headings[::-1]:
        if gone(heading) or first(heading, _BLOCKS) or not rules.LABEL_RE.match(text_of(heading)):
            continue  # a sentence set in heading tags (or one wrapping the article)
        following = _next_content(heading, root)
        if following is None or (following.name in HEADINGS
                                 and following.name <= heading.name):
            heading.decompose()


def _next_content(tag: Tag, root: Tag) -> Tag | None:
    """The first element with text or media after ``tag`` in reading order within
    ``root`` (a heading when the next box opens with one); ``None`` at the end."""
    node: Tag | None = tag
    while node is not None and node is not root:
        for sibling in node.next_siblings:
            if isinstance(sibling, Tag):
                if sibling.name in HEADINGS:
                    return sibling
                if text_of(sibling) or first(sibling, MEDIA) or sibling.name in MEDIA:
                    opening = first(sibling, HEADINGS)
                    return opening if opening is not None and not _text_before(sibling, opening) \
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
        if isinstance(node, Tag) and node.name in MEDIA:
            return True
    return False
