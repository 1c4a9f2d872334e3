"""Embedded posts, pens, gists and players become links (tweets and toots stay quotes).

Runs before scripts and frames are dropped: the embed's address often lives only in
a ``<script src>``, an ``<iframe src>`` or a ``data-*`` attribute.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit, urlunsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from ..rules import extract as rules
from .dom import classes, gone, inside, norm_space, text_of

TWEET_CLASSES = frozenset({"twitter-tweet", "twitter-video"})
TOOT_CLASSES = frozenset({"mastodon-embed"})
PEN_CLASSES = frozenset({"codepen"})
EMBED_CLASSES = TWEET_CLASSES | TOOT_CLASSES | PEN_CLASSES
YOUTUBE_ELEMENTS = frozenset({"lite-youtube", "lite-yt-embed"})


def convert(soup: BeautifulSoup, everything: list[Tag]) -> None:
    """Replace every recognised embed of the page in place. ``everything`` is the
    page's tags, listed before the passes that ran since (those add no embed)."""
    found = [n for n in everything if not gone(n) and _is_embed(n) and inside(n, soup)]
    for tag in found:
        if gone(tag) or tag.parent is None:
            continue
        names = set(classes(tag))
        if tag.name == "script":
            _gist(soup, tag)
        elif tag.name == "iframe":
            _frame(soup, tag)
        elif tag.name in YOUTUBE_ELEMENTS:
            _lite_youtube(soup, tag)
        elif names & TWEET_CLASSES or names & TOOT_CLASSES:
            _quoted_post(soup, tag)
        elif names & PEN_CLASSES:
            _pen(soup, tag)


def _is_embed(tag: Tag) -> bool:
    if tag.name == "script":
        return bool(rules.GIST_SRC_RE.match(str(tag.get("src") or "")))
    if tag.name in ("iframe", *YOUTUBE_ELEMENTS):
        return True
    value = tag.attrs.get("class")
    if not value:
        return False
    return not EMBED_CLASSES.isdisjoint(value.split() if isinstance(value, str) else value)


def _link_para(soup: BeautifulSoup, href: str, label: str) -> Tag:
    para = soup.new_tag("p", attrs={rules.EMBED_MARK: ""})
    link = soup.new_tag("a", href=href)
    link.string = label
    para.append(link)
    return para


def _frame(soup: BeautifulSoup, frame: Tag) -> None:
    src = str(frame.get("src") or frame.get("data-src") or frame.get("data-lazy-src") or "")
    for pattern, template, fallback in rules.FRAME_RULES:
        match = pattern.search(src.strip())
        if match:
            groups = match.groups()
            title = norm_space(str(frame.get("title") or ""))
            label = title if title and not rules.GENERIC_TITLES_RE.match(title) else \
                fallback.format(*groups)
            frame.replace_with(_link_para(soup, template.format(*groups), label))
            return
    # Other frames are left to the noise rules (they drop them).


def _lite_youtube(soup: BeautifulSoup, tag: Tag) -> None:
    video = str(tag.get("videoid") or tag.get("data-id") or "")
    if not rules.VIDEO_ID_RE.fullmatch(video):
        tag.decompose()
        return
    title = norm_space(str(tag.get("playlabel") or tag.get("title") or "")) or "YouTube video"
    tag.replace_with(_link_para(soup, f"https://www.youtube.com/watch?v={video}", title))


def _gist(soup: BeautifulSoup, script: Tag) -> None:
    match = rules.GIST_SRC_RE.match(str(script.get("src")))
    assert match is not None
    following = script.find_next_sibling()
    if isinstance(following, Tag) and "gist" in classes(following):
        script.decompose()  # the page was saved rendered: the gist's table is there
        return
    user, gist = match.groups()
    query = parse_qs(urlsplit(str(script["src"])).query)
    file = (query.get("file") or [""])[0]
    href = f"https://gist.github.com/{user}/{gist}"
    label = f"{file} (GitHub gist by {user})" if file else f"GitHub gist by {user}"
    script.replace_with(_link_para(soup, href, label))


def _pen(soup: BeautifulSoup, box: Tag) -> None:
    user = str(box.get("data-user") or "")
    slug = str(box.get("data-slug-hash") or "")
    link = box.find("a", href=rules.PEN_LINK_RE)
    if user and slug:
        href = f"https://codepen.io/{user}/pen/{slug}"
    elif isinstance(link, Tag):
        href = str(link["href"])
    else:
        return
    title = norm_space(str(box.get("data-pen-title") or "")) or (
        text_of(link) if isinstance(link, Tag) else "") or f"CodePen by {user}"
    box.replace_with(_link_para(soup, href, title))


def _quoted_post(soup: BeautifulSoup, box: Tag) -> None:
    """A tweet or toot: its text as a quote, closed by a link to the post."""
    status = _status_url(box)
    paras = [p for p in box.find_all("p") if text_of(p)]
    if not paras:
        frame = box.find("iframe")
        label = next((text_of(d) for d in box.find_all("div") if text_of(d)), "") or "Post"
        if status:
            box.replace_with(_link_para(soup, status, label))
        elif isinstance(frame, Tag):  # saved after the widget script rendered it
            box.replace_with(frame.extract())
            _frame(soup, frame)
        else:
            box.decompose()
        return
    quote = soup.new_tag("blockquote", attrs={rules.EMBED_MARK: ""})
    for para in paras:
        para.attrs = {}
        quote.append(para.extract())
    credit = norm_space("".join(str(s) for s in box.find_all(string=True)
                                if isinstance(s, NavigableString)
                                and s.find_parent("a") is None)).strip(" —-")
    dated = box.find("a", href=rules.STATUS_LINK_RE)
    tail = soup.new_tag("p")
    tail.append(f"— {credit} " if credit else "— ")
    link = soup.new_tag("a", href=status)
    link.string = text_of(dated) if isinstance(dated, Tag) and text_of(dated) else "post"
    tail.append(link)
    if status:
        quote.append(tail)
    box.replace_with(quote)


def _status_url(box: Tag) -> str:
    embed = str(box.get("data-embed-url") or "")
    if embed:
        return _clean_url(rules.EMBED_SUFFIX_RE.sub("", embed))
    for link in box.find_all("a", href=True):
        href = str(link["href"])
        if rules.SOCIAL_POST_PATH_RE.search(href):
            return _clean_url(href)
    return ""


def _clean_url(url: str) -> str:
    """The post's address without the embed's tracking parameters."""
    parts = urlsplit(url.strip())
    kept = [p for p in parts.query.split("&") if p and not rules.TRACKING_QUERY_RE.match(
        p.split("=", 1)[0])]
    return urlunsplit(parts._replace(query="&".join(kept)))
