"""EXTRACT stage: one HTML page in, the article (clean body HTML + metadata) out.

Order matters: metadata and footnotes are read from the untouched page, then
never-content nodes go, the article container is chosen, its chrome removed,
and the footnotes numbered in the order the article references them.
"""

from __future__ import annotations

import html as html_lib
import unicodedata
from functools import partial

import ftfy
from bs4 import BeautifulSoup, NavigableString, Tag

from ..decode import decode_html
from ..errors import ExtractError, NotArticleError
from ..models import Article, Body
from ..rules import extract as rules
from ..soup import ancestor, parse_html, paused_gc, span, whole
from . import embeds, footnotes, media, noise, pagination
from .content import find_article, prose_box, teaser_index
from .dom import first, tags, tags_keeping_text, text_of, text_within, unchanging
from .lead import attach_lead
from .metadata import Metadata, lead_paragraph, read_metadata

__all__ = ["extract"]

MIN_TEXT = 60
_LD_BODY_MIN = 200  # shorter articleBody values are teasers, not the text
_MOJIBAKE_LEADS = "ÃÂâ√"  # every match starts with one; most pages have none of them
_SPACES = "\x20\x0a\x09\x0c\x0d"  # what HTML calls whitespace


# A page nested deeper than the tree walks can follow is refused, never archived cut short.
DAMAGED_DEEP = "damaged: nested too deeply to read whole (hundreds of levels); not archived"


def extract(html: str | bytes, url: str | None = None) -> Article:
    """The article of ``html`` (fetched from ``url``); no network access.

    Raises ``NotArticleError`` for pages that hold no article (error pages, login
    walls, JavaScript shells, indexes of teasers), ``ExtractError`` for input
    that cannot be parsed at all.
    """
    with paused_gc():
        try:
            return _extract(html, url)
        except RecursionError:  # nesting deeper than the tree walks can follow
            raise ExtractError(url or "<html>", DAMAGED_DEEP) from None


def _extract(html: str | bytes, url: str | None) -> Article:
    subject = url or "<html>"
    soup = _parse(html, subject)
    everything = tags(soup)  # what metadata, the head's links and the notes look for
    meta = read_metadata(soup, url, everything)
    hints = pagination.read_head(soup, meta.base_url or url, everything)
    notes = footnotes.collect(soup, everything)
    media.fix_math(soup, everything)
    media.fix_images(soup, everything)
    embeds.convert(soup, everything)
    noise.preclean(soup)
    with unchanging():  # choosing the article only reads the page
        root, page_len = _choose(soup, meta, subject)
    if root is None:  # the page's schema.org data carries the text a script renders
        return _article(_paragraphs(meta.article_body), meta, url, pagination.Paging())
    paging = pagination.inspect(root, url, meta.base_url, meta.canonical, hints)
    attach_lead(root)
    root = _clean(soup, root, meta.title, notes)
    if _emptied(root, page_len):
        # Cleaning emptied the chosen box (a placeholder, a widget): try the prose.
        fallback = prose_box(soup, [])
        whole(fallback)
        if fallback is None:
            raise NotArticleError(subject, "no meaningful text found")
        root = _clean(soup, fallback, meta.title, notes)
        if _emptied(root, page_len):
            raise NotArticleError(subject, "no meaningful text found")
    meta.description = meta.description or lead_paragraph(root)
    body = Body(_body(soup, root), soup, partial(_body_html, html, url))
    if paging.continuation or paging.next_page or paging.first_page:
        body.html  # noqa: B018 -- the post is gathered after convert took the tree: keep its text
    return _article(body, meta, url, paging)


def _choose(soup: BeautifulSoup, meta: Metadata, subject: str) -> tuple[Tag | None, int]:
    """The article box and the length of the page's text; no box when the page is not
    an article but its schema.org data carries the text (a script renders the post, or
    a wall hides it)."""
    # The page as find_article and teaser_index read it; _check_article reads the body's text.
    cleaned = tags_keeping_text(soup, soup.body or soup)
    root = find_article(soup, cleaned)
    whole(root)
    try:
        page_len = _check_article(soup, root, meta, subject)
    except NotArticleError:
        if len(meta.article_body) < _LD_BODY_MIN:
            raise
        return None, 0
    assert root is not None
    teasers = teaser_index(soup, root, cleaned)
    if teasers is not None:
        # Related-story cards around an article look like an index: a box of sustained
        # prose outside the cards is the article; without one, the page is an index.
        root = prose_box(soup, teasers.boxes)
        whole(root)
        if root is None:
            raise NotArticleError(subject,
                                  f"an index of {teasers.count} teasers, not an article")
    return root, page_len


def _clean(soup: BeautifulSoup, root: Tag, title: str, notes: footnotes.Notes) -> Tag:
    walked = noise.strip_chrome(root, title)
    added = footnotes.attach(soup, root, notes, walked)
    noise.tidy(root, None if added else walked)
    return root


def _parse(html: str | bytes, subject: str) -> BeautifulSoup:
    if isinstance(html, bytes):  # a saved page: its BOM or <meta charset>, else a guess
        html = decode_html(html, None)[0]
    # One spelling per character in the archive (é is U+00E9, never e + U+0301), so a
    # grep or a diff finds what the eye sees; the title and metadata too, not just the body.
    html = unicodedata.normalize("NFC", html)
    if not html.strip():
        raise ExtractError(subject, "empty document")
    if any(lead in html for lead in _MOJIBAKE_LEADS) and rules.MOJIBAKE_RE.search(html):
        html = ftfy.fix_text(html, unescape_html=False, fix_character_width=False,
                             uncurl_quotes=False)
    try:
        soup = parse_html(html, lean=True)
    except Exception as err:  # lxml and bs4 raise assorted errors on garbage input
        raise ExtractError(subject, f"unparseable HTML ({err})") from err
    if soup.find("html") is None and soup.find("body") is None:
        raise ExtractError(subject, "no HTML document found")
    whole(soup, soup.html, soup.body)
    return soup


def _check_article(soup: BeautifulSoup, root: Tag | None, meta: Metadata, subject: str) -> int:
    """The length of the page's text, once the page passed as an article."""
    page_text = text_of(soup.body or soup)
    text = text_of(root) if root is not None else ""
    if len(page_text) < 600 and rules.SHELL_RE.search(page_text):
        raise NotArticleError(subject, "a JavaScript shell without content")
    if len(text) < 800 and rules.LOGIN_RE.search(page_text):
        raise NotArticleError(subject, "a login wall")
    if len(text) < 1000 and any(rules.ERROR_RE.search(text_of(h))
                                for h in tags(soup, ("title", "h1"), limit=3)):
        raise NotArticleError(subject, "an error page")
    if root is None or _too_little(text, len(page_text), root):
        raise NotArticleError(subject, "no meaningful text found")
    return len(page_text)


def _emptied(root: Tag, page_len: int) -> bool:
    """``_too_little`` of the cleaned box: its text is read only as far as ``MIN_TEXT``
    characters, the most that test looks at."""
    text = text_within(root, MIN_TEXT - 1)
    return text is not None and _too_little(text, page_len, root)


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, one per line."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(f"<p>{html_lib.escape(line)}</p>" for line in lines if line)


def _too_little(text: str, page_len: int, root: Tag) -> bool:
    """Too little text for an article. A page whose whole text is this short is a
    short post (a one-line note) and kept, unless it is a loading placeholder."""
    if len(text) >= MIN_TEXT or first(root, ("img",)) is not None:
        return False
    if page_len >= MIN_TEXT:
        return True
    return not rules.WORD_RE.search(text) or bool(rules.PLACEHOLDER_RE.match(text))


def _body(soup: BeautifulSoup, root: Tag) -> Tag:
    """The article as convert reads it: a ``body`` element out of the page (the box's
    children when the box is a plain container, else the box itself)."""
    if root.name in ("html", "[document]"):
        root = first(root, ("body",)) or soup.new_tag("body")
    if root.name in ("body", "div", "article", "main", "section"):
        body = root.extract()
        body.name = "body"
        body.attrs = {}
    else:
        body = soup.new_tag("body")
        body.append(root.extract())
    _settle(body)
    return body


def _settle(body: Tag) -> None:
    """Text nodes as a parse of the body's HTML would give them: neighbours that the
    cleaning left side by side joined into one, whitespace-only ones outside ``<pre>``
    one space or newline. Convert reads the text a node at a time (what starts a line,
    what needs escaping)."""
    node, stop = span(body)
    while node is not stop and node is not None:
        if type(node) is NavigableString:
            node = _settled(node)
        node = node.next_element


def _settled(node: NavigableString) -> NavigableString:
    text = str(node)
    run = []
    after = node.next_sibling
    while type(after) is NavigableString:
        text += after
        run.append(after)
        after = after.next_sibling
    if text in (" ", "\n") or text.strip(_SPACES):
        if not run:
            return node
    elif ancestor(node, rules.PRESERVE_SPACE) is None:
        text = "\n" if "\n" in text else " "
    if text == node and not run:
        return node
    new = NavigableString(text)
    node.replace_with(new)
    for string in run:
        string.extract()
    return new


def _body_html(html: str | bytes, url: str | None) -> str:
    """The body's text when its tree is gone (convert took it): the page extracted again."""
    return extract(html, url).body_html


def _article(body: str | Body, meta: Metadata, url: str | None,
             paging: pagination.Paging) -> Article:
    return Article(
        body_html=body,
        title=meta.title,
        url=meta.canonical or url,
        final_url=url,
        base_url=meta.base_url or url,
        authors=meta.authors,
        published=meta.published,
        updated=meta.updated,
        description=meta.description,
        tags=meta.tags,
        categories=meta.categories,
        site_name=meta.site_name,
        site_url=meta.site_url,
        language=meta.language,
        image=meta.image,
        continuation_url=paging.continuation,
        next_page_url=paging.next_page,
        first_page_url=paging.first_page,
    )
