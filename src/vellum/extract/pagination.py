"""Posts that go on elsewhere: a teaser's "Read more" link, an article's next page.

Extract only detects (it never fetches): ``read_head`` keeps the ``<link rel=next/prev>``
hints before the never-content cleanup drops ``<link>`` tags, and ``inspect`` looks in
and around the chosen article box for a continuation or in-article pagination, and
removes the page-number boxes (chrome on every page of a split post). The archive
layer fetches what is found here and joins the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from ..errors import InputError, NotArticleError
from ..rules import extract as rules
from ..urls import absolute, check_url, url_key
from .dom import (
    attr_string,
    class_set,
    first,
    gone,
    links,
    strings_matching,
    tags,
    tags_and_strings,
    text_of,
)

__all__ = ["Hints", "Paging", "inspect", "page_number", "read_head", "same_site"]

# -- rules ------------------------------------------------------------------------------------

# Class tokens of a teaser's link to its post (on the link or its wrapper): WordPress
# ``a.more-link``, Blogger ``.jump-link``, theme "read more" buttons.
READ_MORE_CLASSES = frozenset({
    "more-link", "jump-link", "read-more", "readmore", "read-more-link", "continue-reading",
    "post-more", "entry-more", "excerpt-more", "moretag", "more-tag", "read-more-button",
    "btn-readmore", "readmore-link", "weiterlesen", "lire-la-suite", "leer-mas",
})
OTHER_POSTS_TAGS = ("aside", "nav")
PROSE_TAGS = frozenset(("p", "li", "blockquote"))  # blocks of prose after a teaser link
# One post's box on a blog page (the teaser and its link live inside it).
POST_BOX_CLASSES = frozenset({
    "post", "hentry", "h-entry", "post-outer", "post-card", "post-entry", "entry", "type-post",
    "blog-post", "post-preview", "post-summary", "summary", "excerpt", "post-item",
})
POST_BOX_DEPTH = 4
# A box this long is an article, whatever links it ends with.
TEASER_MAX = 2500
# A link in a box holding less than this share of the post's text, with the same target's
# title link, is another post's card.
CARD_SHARE = 0.5
# Cards of different posts making up this share of a box: a list of teasers.
LIST_SHARE = 0.6
# Prose this long after the link: the link sits inside an article, not at a teaser's end.
TRAILING_PROSE = 120

# Boxes of page numbers inside an article (WordPress ``<!--nextpage-->`` renders
# ``.page-links`` of ``.post-page-numbers``); removed from every page's body.
PAGE_BOX_CLASSES = frozenset({
    "page-links", "wp-block-post-page-numbers", "pagination", "pager", "paging",
    "article-pagination", "pagination-links", "multipage", "page-nav", "pagenav",
    "article-pager", "story-pagination", "seitennavigation", "post-pagination",
    "entry-pagination", "paginator",
})
PAGE_LINK_CLASSES = frozenset({"post-page-numbers", "page-numbers", "page-link"})
PAGE_BOX_MAX = 300
POST_TITLE_TAGS = ("h1", "h2", "h3")
# Query parameters that number the pages of one article (``p`` is WordPress's post id).
PAGE_PARAMS = frozenset({"page", "pg", "seite", "pagina", "paged", "pagenum", "pn", "pag"})
WEAK_PAGE_PARAMS = frozenset({"p"})


@dataclass(frozen=True)
class Hints:
    """``<link rel=next/prev>`` of the page's head, read before ``<link>`` tags go."""

    next: str | None = None
    prev: str | None = None


@dataclass(frozen=True)
class Paging:
    """Where the post goes on: see ``Article.continuation_url`` and friends."""

    continuation: str | None = None
    next_page: str | None = None
    first_page: str | None = None


def read_head(soup: BeautifulSoup, base: str | None,
              everything: list[Tag] | None = None) -> Hints:
    """rel=next/prev links; ``everything`` is ``tags(soup)`` when the caller has it."""
    found: dict[str, str] = {}
    heads = tags(soup, ("link",)) if everything is None else [
        t for t in everything if t.name == "link"]
    for link in heads:
        if not link.has_attr("href"):
            continue
        for rel in _rels(link):
            if rel in ("next", "prev", "previous"):
                found.setdefault(rel[:4], absolute(str(link["href"]).strip(), base))
    return Hints(found.get("next"), found.get("prev"))


def inspect(root: Tag, url: str | None, base: str | None, canonical: str | None,
            hints: Hints) -> Paging:
    """Continuation and pages of the article in ``root``; removes its page-number boxes.

    Raises ``NotArticleError`` when ``root`` is one short teaser among others that
    lead to different posts (a small index page).
    """
    if not url:
        return Paging()
    base = base or url
    everything, strings = tags_and_strings(root)  # one walk for boxes, headings, links, lines
    post = _post_box(root)
    # page numbers often follow the body
    page_boxes = _page_boxes(post, everything if post is root else tags(post))
    next_page, first_page = _pages(root, everything, page_boxes, url, base, hints)
    for box in page_boxes:
        if not gone(box):
            box.decompose()
    _drop_page_of_lines(root, strings)
    continuation = None
    if next_page is None and first_page is None:
        continuation = _continuation(root, everything, url, base, canonical)
        own = _own_number(url)
        # "Weiterlesen" to page 2; from a numbered path only with the series guard above.
        if continuation and (_page_of(continuation, url) or 0) > own and (
                own == 1 or urlsplit(url).query):
            next_page, continuation = continuation, None
    return Paging(continuation, next_page, first_page)


# -- same site, page numbers ------------------------------------------------------------------


def same_site(a: str, b: str) -> bool:
    """Both URLs on one registrable host (``www.x.org`` and ``blog.x.org`` are one site).

    Without a public suffix list, the registrable part is the last two labels, or
    three under a short second-level label (``example.co.uk``).
    """
    return _site(a) == _site(b) != ""


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) < 3 or host.replace(".", "").isdigit() or ":" in host:
        return host
    short_sld = len(labels[-1]) == 2 and labels[-2] in ("co", "com", "net", "org", "gov", "ac",
                                                          "edu", "ne", "or", "go", "gv")
    return ".".join(labels[-3:] if short_sld else labels[-2:])


def page_number(url: str) -> tuple[str, int]:
    """The identity of the article ``url`` is a page of, and the page's number (1 if none)."""
    numbered = _numbered_param(url, PAGE_PARAMS)
    if numbered is not None:
        return numbered
    parts = urlsplit(url)
    found = rules.PAGE_PATH_RE.search(parts.path)
    if found:
        stem = parts.path[:found.start()] + ("." + found["ext"] if found["ext"] else "/")
        number = int(found["n"] or found["m"])
        # Page 1 of a split post is the bare URL: ``/episode/1/`` is an episode, not a page.
        if number > 1 and not rules.INDEX_STEM_RE.search(parts.path[:found.start()]):
            return url_key(urlunsplit((parts.scheme, parts.netloc, stem, parts.query, ""))), number
    return url_key(url), 1


def _page_of(target: str, url: str) -> int | None:
    """The page number of ``target`` when it is a page of the article at ``url``."""
    stem, number = page_number(target)
    own_stem, _ = page_number(url)
    if stem == own_stem:
        return number
    if stem == url_key(url) and number > 1:  # ``post-12.html`` → ``post-12-2.html``
        return number
    return _weak_page(target, url)


def _weak_page(target: str, url: str) -> int | None:
    """``?p=2`` on the article's own path: a page number. On the site's root ``p`` is
    WordPress's post id (``/?p=123``), so it only counts under a real path."""
    t_stem, t_number = _without_weak(target)
    u_stem, _ = _without_weak(url)
    if t_number is None or t_stem != u_stem or urlsplit(url).path.strip("/") == "":
        return None
    return t_number


def _without_weak(url: str) -> tuple[str, int | None]:
    return _numbered_param(url, WEAK_PAGE_PARAMS) or (url_key(url), None)


def _numbered_param(url: str, names: frozenset[str]) -> tuple[str, int] | None:
    """The identity of ``url`` without its page-number parameter, and the number."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key.lower() in names and value.isdigit() and len(value) <= 2:
            rest = urlencode(query[:i] + query[i + 1:])
            stem = urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))
            return url_key(stem), int(value)
    return None


def _link(href: object, base: str, url: str) -> str | None:
    """The absolute same-site http(s) target of ``href``, without its fragment."""
    if not isinstance(href, str) or not href.strip() or href.strip().startswith("#"):
        return None
    try:
        target = check_url(absolute(href.strip(), base).split("#", 1)[0])
    except InputError:
        return None
    return target if same_site(target, url) else None


# -- pages of a split article ------------------------------------------------------------------


def _page_boxes(root: Tag, everything: list[Tag]) -> list[Tag]:
    boxes: list[Tag] = []
    for tag in [t for t in everything if "class" in t.attrs]:
        names = class_set(tag)
        if names & PAGE_LINK_CLASSES and isinstance(tag.parent, Tag) and tag.parent is not root:
            tag = tag.parent
        elif not names & PAGE_BOX_CLASSES:
            continue
        if tag is root or any(b is tag or _inside(tag, b) for b in boxes):
            continue
        if first(tag, ("a",)) is not None and len(text_of(tag)) <= PAGE_BOX_MAX:
            boxes.append(tag)
    return boxes


def _pages(root: Tag, everything: list[Tag], page_boxes: list[Tag], url: str, base: str,
           hints: Hints) -> tuple[str | None, str | None]:
    """The next page and (on page 2 or later) the first page of the article
    (``everything`` is ``tags(root)``)."""
    if _lists_posts(everything, base, url):
        return None, None  # an index's pagination, whatever its URLs look like
    own = _own_number(url)
    nexts: list[str | None] = [hints.next]
    numbered: list[tuple[str, int]] = []
    firsts: list[str | None] = [hints.prev] if own == 2 else []
    found = [a for box in page_boxes for a in links(box)]
    seen = {id(a) for a in found}
    found += [a for a in _links(everything) if id(a) not in seen and _says_next(a)]
    for a in found:
        target = _link(a.get("href"), base, url)
        if target is None:
            continue
        if "next" in _rels(a) or _says_next(a):
            nexts.append(target)
        number = rules.NUMBER_RE.match(text_of(a))
        if number:
            numbered.append((target, int(number[1])))
        firsts.append(target)
    first_page = _first_page_of(firsts, url, lambda n: n == 1) if own > 1 else None
    if own > 1 and first_page is None:
        # A numbered URL that does not link its bare first page: an episode of a series
        # (``/lesson/3/`` → ``/lesson/4/``), not a page of one post.
        return None, None
    next_page = _first_page_of(nexts, url, lambda n: n > own)
    if next_page is None:
        next_page = _first_page_of([t for t, n in numbered if n == own + 1], url,
                                   lambda n: n == own + 1)
    if next_page is not None:
        _drop_next_lines(root, url, base)
    return next_page, first_page


def _links(everything: list[Tag]) -> list[Tag]:
    """``links(root)`` out of ``tags(root)``, without what was removed since."""
    return [a for a in everything if not gone(a) and a.name == "a" and a.has_attr("href")]


def _lists_posts(everything: list[Tag], base: str, url: str) -> bool:
    """Headings that link to other pages: a list of posts (an index that passed as an
    article because it shows few or whole posts), not one article."""
    targets = set()
    for heading in [t for t in everything if t.name in POST_TITLE_TAGS]:
        for a in ([heading.parent] if heading.parent and heading.parent.name == "a" else []) + \
                links(heading):
            target = _link(a.get("href"), base, url)
            if target is not None and url_key(target) != url_key(url):
                targets.add(url_key(target))
    return len(targets) >= 2


def _own_number(url: str) -> int:
    number = page_number(url)[1]
    if number == 1 and urlsplit(url).path.strip("/"):
        return _without_weak(url)[1] or 1
    return number


def _first_page_of(targets: list[str | None], url: str,
                   wanted: Callable[[int], bool]) -> str | None:
    for target in targets:
        if target is None or url_key(target) == url_key(url):
            continue
        number = _page_of(target, url)
        if number is not None and wanted(number):
            return target
    return None


def _says_next(a: Tag) -> bool:
    text = text_of(a)
    return len(text) <= 40 and bool(rules.NEXT_PAGE_RE.match(text)) \
        and not rules.NUMBER_RE.match(text)


def _drop_next_lines(root: Tag, url: str, base: str) -> None:
    """Short lines that only link to the next page ("Weiter auf Seite 2 »")."""
    for a in links(root):
        if gone(a) or not _says_next(a):
            continue
        target = _link(a.get("href"), base, url)
        if target is None or _page_of(target, url) is None:
            continue
        block = a
        while isinstance(block.parent, Tag) and block.parent is not root \
                and len(text_of(block.parent)) <= 80:
            block = block.parent
        block.decompose()


def _drop_page_of_lines(root: Tag, strings: list[NavigableString]) -> None:
    """"Page 2 of 3" lines: found by their text node, dropped with their short block
    (``strings`` are ``root``'s, from a walk only removals followed)."""
    for string in strings_matching(root, rules.PAGE_OF_WORDS_RE, strings):
        tag = string.parent
        if isinstance(tag, Tag) and tag is not root and not gone(tag) \
                and tag.name in ("p", "div", "span", "small") \
                and rules.PAGE_OF_RE.match(text_of(tag)):
            tag.decompose()


# -- teasers -----------------------------------------------------------------------------------


def _continuation(root: Tag, everything: list[Tag], url: str, base: str,
                  canonical: str | None) -> str | None:
    """The full post's URL when ``root`` (whose tags were ``everything``) is only its
    teaser."""
    box = _post_box(root)
    own = {url_key(url), url_key(canonical)} if canonical else {url_key(url)}
    anchors = _links(everything) if box is root else links(box)
    if not _read_more_links(box, base, url, own, anchors) or len(text_of(root)) > TEASER_MAX:
        return None
    scope: Tag | None = root
    for _ in range(POST_BOX_DEPTH + 1):
        if scope is None or scope.name in ("body", "html", "[document]"):
            break
        if _teaser_list(scope, base, url, own):
            raise NotArticleError(url, "a page of post teasers, not an article")
        scope = scope.parent
    here = _read_more_targets(box, base, url, own)
    return next(iter(here.values())) if len(here) == 1 else None


def _post_box(root: Tag) -> Tag:
    tag: Tag = root
    for _ in range(POST_BOX_DEPTH):
        if tag.name == "article" or class_set(tag) & POST_BOX_CLASSES:
            return tag
        if not isinstance(tag.parent, Tag) or tag.parent.name in ("body", "html", "main"):
            break
        tag = tag.parent
    return root


def _read_more_targets(box: Tag, base: str, url: str, own: set[str]) -> dict[str, str]:
    """The teaser links that end ``box``'s text (not another post's card), by target."""
    targets: dict[str, str] = {}
    for a, target in _read_more_links(box, base, url, own):
        card = _card(a, box, target, base)
        if _prose_after(a, box) or (card is not None and
                                    len(text_of(card)) < CARD_SHARE * len(text_of(box))):
            continue
        targets.setdefault(url_key(target), target)
    return targets


def _read_more_links(box: Tag, base: str, url: str, own: set[str],
                     anchors: list[Tag] | None = None) -> list[tuple[Tag, str]]:
    found = []
    for a in links(box) if anchors is None else anchors:
        if not _says_read_more(a) or _in_other_posts(a, box):
            continue
        target = _link(a.get("href"), base, url)
        if target is not None and url_key(target) not in own:
            found.append((a, target))
    return found


def _teaser_list(scope: Tag, base: str, url: str, own: set[str]) -> bool:
    """``scope`` is mostly cards of different posts, each with its "read more" link."""
    cards: dict[str, Tag] = {}
    for a, target in _read_more_links(scope, base, url, own):
        card = _card(a, scope, target, base)
        cards.setdefault(url_key(target), card or a)
    if len(cards) < 2:
        return False
    return sum(len(text_of(c)) for c in cards.values()) >= LIST_SHARE * len(text_of(scope))


def _says_read_more(a: Tag) -> bool:
    text = text_of(a)
    if len(text) > 160:
        return False
    if rules.TEASER_LINK_RE.match(text):
        return True
    marked = class_set(a) | (class_set(a.parent) if isinstance(a.parent, Tag) else frozenset())
    return bool(marked & READ_MORE_CLASSES) and bool(
        rules.TEASER_LINK_START_RE.match(text) or not text)


def _in_other_posts(a: Tag, box: Tag) -> bool:
    for parent in a.parents:
        if parent is box:
            return False
        if parent.name in OTHER_POSTS_TAGS or rules.OTHER_POSTS_RE.search(attr_string(parent)):
            return True
    return False


def _card(a: Tag, box: Tag, target: str, base: str) -> Tag | None:
    """The smallest box around ``a`` that also links ``target`` (a post card's title)."""
    key = url_key(target)
    for parent in a.parents:
        if any(o is not a and url_key(absolute(str(o["href"]), base).split("#", 1)[0]) == key
               for o in links(parent)):
            return parent
        if parent is box:
            break
    return None


def _prose_after(a: Tag, box: Tag) -> bool:
    node = a.next_element
    while node is not None:  # find_all_next, stopping at the first block outside the box
        if type(node) is Tag and node.name in PROSE_TAGS:
            if not _inside(node, box):
                return False
            if len(text_of(node)) >= TRAILING_PROSE:
                return True
        node = node.next_element
    return False


def _inside(node: Tag, box: Tag) -> bool:
    return any(parent is box for parent in node.parents)


def _rels(tag: Tag) -> list[str]:
    value = tag.get("rel")
    if not value:
        return []
    return [r.lower() for r in (value.split() if isinstance(value, str) else value)]
