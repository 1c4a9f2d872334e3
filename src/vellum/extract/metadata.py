"""The metadata cascade: each field from the most reliable source that has it.

JSON-LD first, then OpenGraph/Twitter/Dublin Core meta tags, then the page itself
(``<h1>``, ``<time>``, bylines, ``<title>``), then the URL.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from ..marks import FOOTNOTE
from ..rules import extract as rules
from ..rules.extract import GENERIC_SECTIONS, PERMALINK_TEXT, POST_META_TOKENS, TITLE_SEPARATORS_RE
from ..soup import tags as walk_tags
from ..urls import absolute
from . import jsonld, postmeta
from .dates import parse_date
from .dom import classes, norm_space, text_of

# Byline elements, most reliable first (what each rank matches is in ``_byline_ranks``):
# [itemprop=author] [itemprop=name], [itemprop=author], .p-author, a[rel=author],
# .byline .author, .byline, .author-name, .author, .post-author, .article-byline,
# then any class or id with a byline word.
_BYLINE_CLASS_RANKS = (("p-author", 2), ("byline", 5), ("author-name", 6), ("author", 7),
                       ("post-author", 8), ("article-byline", 9))
_BYLINE_RANKS, _BYLINE_PER_RANK = 11, (5,) * 10 + (10,)
_BYLINE_ALL_RANKS = 2  # itemprop=author ranks: Docusaurus lists several authors so
_DATE_METAS = (
    "article:published_time", "og:published_time", "date", "dc.date", "dc.date.issued",
    "dcterms.date", "dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date",
    "pubdate", "publishdate", "publish-date", "publication_date", "datepublished",
    "article.published", "cxenseparse:recs:publishtime", "og:article:published_time",
    "citation_publication_date", "citation_date",
)
_UPDATED_METAS = ("article:modified_time", "og:updated_time", "dcterms.modified",
                  "last-modified", "datemodified", "og:article:modified_time")
_INDEXED_TAGS = ("meta", "script", "link", "base", "time", "h1", "article", "a")
_AUTHOR_METAS = ("dc.creator", "author", "article:author", "og:article:author",
                 "parsely-author", "sailthru.author", "byl", "twitter:creator")
_DESCRIPTION_METAS = ("dc.description", "dcterms.description", "description",
                      "og:description", "twitter:description")
# The first-paragraph description: its limits and where a paragraph is not the lead.
_LEAD_MIN, _LEAD_MIN_CUT, _LEAD_MAX, _LEAD_SCAN = 20, 80, 300, 40
_LEAD_SKIP_PARENTS = ("blockquote", "figure", "figcaption", "table", "li", "aside", "header",
                      "footer", "nav")
_LEAD_PROSE_LEN = 100  # shorter lines must end like a sentence to count as prose
_BLOCK_TAGS = ("p", "div", "ul", "ol", "table", "pre", "blockquote", "figure", "section",
               "h1", "h2", "h3", "h4", "h5", "h6", "article", "dl", "hr", "img", "picture")


@dataclass
class Metadata:
    title: str = ""
    authors: tuple[str, ...] = ()
    published: dt.datetime | dt.date | None = None
    updated: dt.datetime | dt.date | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    site_name: str = ""
    site_url: str = ""
    canonical: str = ""
    language: str = ""
    image: str = ""
    base_url: str = ""
    article_body: str = ""
    """The schema.org ``articleBody`` (plain text), for pages whose HTML lacks it."""


class _Page:
    """The parsed page plus its meta tags, read once."""

    def __init__(self, soup: BeautifulSoup, url: str | None,
                 everything: list[Tag] | None = None) -> None:
        self.soup = soup
        self.url = url
        self.tags: dict[str, list[Tag]] = {name: [] for name in _INDEXED_TAGS}
        self.dated: list[Tag] = []
        self.meta_boxes: list[Tag] = []
        # One walk of the page instead of a find_all per field.
        self.everything = walk_tags(soup) if everything is None else everything
        indexed = self.tags
        for node in self.everything:
            bucket = indexed.get(node.name)
            if bucket is not None:
                bucket.append(node)
            attrs = node.attrs
            if not attrs:
                continue
            itemprop = attrs.get("itemprop")
            if itemprop and rules.DATE_PUBLISHED_RE.search(str(itemprop)):
                self.dated.append(node)
            names = attrs.get("class")
            if names and not POST_META_TOKENS.isdisjoint(names):
                self.meta_boxes.append(node)
        self.article = self.tags["article"][0] if self.tags["article"] else None
        self.post = postmeta.post_container(self.tags["article"], self.tags["h1"])
        self.ld = jsonld.from_scripts(self.tags["script"])
        self.meta: dict[str, list[str]] = {}
        named: dict[str, list[str]] = {}
        for tag in self.tags["meta"]:
            prop = tag.get("property")
            key = prop or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
            value = tag.get("content")
            if not (isinstance(key, str) and isinstance(value, str) and value.strip()):
                continue
            # RDFa ``property`` is the declared form; ``name=og:...`` copies are often stale.
            into = self.meta if isinstance(prop, str) and prop else named
            value = _unescape_twice(value)
            for name in key.lower().split():
                name = rules.DC_PREFIX_RE.sub(r"\1.", name)
                into.setdefault(name, []).append(value)
        for name, values in named.items():
            self.meta.setdefault(name, []).extend(values)

    @cached_property
    def shown(self) -> postmeta.Terms:
        """The tags and categories the post shows: asked only when the page declares none."""
        shown = postmeta.shown_terms(self.tags["a"], self.post)
        if not (shown.tags or shown.categories):
            shown = postmeta.term_lines(self.meta_boxes, self.post)
        return shown

    @cached_property
    def byline_tags(self) -> list[Tag]:
        """The tags ``_byline_ranks`` can rank (every class it ranks matches
        rules.BYLINE_CLASS_RE), in page order: asked only when no author is declared."""
        found = []
        for node in self.everything:
            attrs = node.attrs
            if not attrs:
                continue
            if "itemprop" in attrs or (node.name == "a" and "rel" in attrs):
                found.append(node)
                continue
            value = attrs.get("class")
            if value and _byline_class(value if isinstance(value, str) else " ".join(value)):
                found.append(node)
        return found

    def in_article(self, name: str) -> list[Tag]:
        """The ``name`` tags inside the first <article> (all of them when there is none)."""
        tags = self.tags[name]
        if self.article is None:
            return tags
        held = id(self.article)
        return [t for t in tags if any(id(p) == held for p in t.parents)]

    def first_meta(self, *keys: str) -> str:
        for key in keys:
            values = self.meta.get(key)
            if values:
                return values[0]
        return ""


def read_metadata(soup: BeautifulSoup, url: str | None,
                  everything: list[Tag] | None = None) -> Metadata:
    """The page's metadata; ``everything`` is ``tags(soup)`` when the caller has it."""
    page = _Page(soup, url, everything)
    base = _base_url(page)
    canonical = _canonical(page, base)
    site_name = _site_name(page)
    title = _title(page, site_name)
    language = _language(page)
    return Metadata(
        title=title,
        authors=_authors(page),
        published=_published(page, canonical, language),
        updated=_updated(page),
        description=_description(page),
        tags=_tags(page),
        categories=_categories(page),
        site_name=site_name or _site_from_title(page, title),
        site_url=_site_url(canonical or url or ""),
        canonical=canonical,
        language=language,
        image=_image(page, base),
        base_url=base,
        article_body=_article_body(page),
    )


def _article_body(page: _Page) -> str:
    value = jsonld.first(page.ld, "articleBody", article_only=True)
    return html.unescape(value).strip() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return norm_space(html.unescape(value)) if isinstance(value, str) else ""


def _title(page: _Page, site_name: str) -> str:
    """The first declared title that agrees with the page's h1 or <title>, else the first."""
    declared = [strip_site_suffix(t, site_name, exact_only=True) for t in (
        _text(jsonld.first(page.ld, "headline", article_only=True)),
        page.first_meta("dc.title", "dcterms.title"), page.first_meta("og:title"),
        page.first_meta("twitter:title"), page.first_meta("parsely-title"),
        _text(jsonld.first(page.ld, "name", article_only=True)))
        if t and t.casefold() != site_name.casefold()]
    heading = _heading(page)
    head_title = text_of(page.soup.title) if page.soup.title else ""
    for title in declared:
        if heading and len(heading) > 3 and title.startswith(heading) and \
                TITLE_SEPARATORS_RE.match(title[len(heading):]):
            return heading
        if _agrees(title, heading, head_title):
            return title
    if heading and head_title and _agrees(heading, "", head_title):
        return heading
    if declared:
        return declared[0]
    return strip_site_suffix(head_title, site_name) if head_title else heading


def _heading(page: _Page) -> str:
    """The text of the first h1 (inside the article when there is one), without ¶ marks."""
    h1s = page.in_article("h1") or page.tags["h1"]
    if not h1s:
        return ""
    h1 = h1s[0]
    return norm_space("".join(s for s in h1.find_all(string=True)
                              if s.strip() not in PERMALINK_TEXT))


def _agrees(title: str, heading: str, head_title: str) -> bool:
    wanted = title.casefold()
    return wanted == heading.casefold() or (bool(head_title) and wanted in head_title.casefold())


def strip_site_suffix(title: str, site_name: str = "", exact_only: bool = False) -> str:
    """``Post | Site`` -> ``Post``; without a known site name only a short tail goes."""
    wanted = site_name.strip().lower()
    if wanted and title.lower().startswith(wanted + ":"):
        return title[len(wanted) + 1:].strip()
    bracket = rules.BRACKET_SITE_RE.search(title)
    if bracket and (not exact_only or bracket.group(1).lower() == wanted):
        return strip_site_suffix(title[: bracket.start()], site_name, exact_only)
    parts = TITLE_SEPARATORS_RE.split(title)
    if len(parts) < 2:
        return title
    if wanted:
        if parts[-1].strip().lower() == wanted:
            return _join_until(title, len(parts) - 1)
        if parts[0].strip().lower() == wanted:
            return TITLE_SEPARATORS_RE.split(title, maxsplit=1)[1]
    if exact_only:
        return title
    head = _join_until(title, len(parts) - 1)
    if len(head.split()) >= 3 and len(parts[-1].split()) <= 4:
        return head
    return title


def _join_until(title: str, count: int) -> str:
    seps = list(TITLE_SEPARATORS_RE.finditer(title))
    return title[: seps[count - 1].start()].strip()


def _authors(page: _Page) -> tuple[str, ...]:
    found = [n for n in jsonld.names(jsonld.first(page.ld, "author", "creator",
                                                  article_only=True))]
    if not any(map(_clean_name, found)):
        found = [v for key in _AUTHOR_METAS for v in page.meta.get(key, [])[:3]
                 if not rules.URLISH_RE.match(v) and not v.startswith("@")]
    if not any(map(_clean_name, found)):
        found = postmeta.theme_authors(page.meta_boxes)
    if not any(map(_clean_name, found)):
        found = _byline(page.byline_tags)
    return _unique(n for name in found for n in split_authors(name))


def split_authors(text: str) -> list[str]:
    """``By A, B and C`` -> ``[A, B, C]``; junk (URLs, dates, "Staff") gives nothing."""
    text = rules.BYLINE_PREFIX_RE.sub("", norm_space(text))
    parts = rules.AUTHOR_SPLIT_RE.split(text)
    if len(parts) > 1 or "," in text:
        commas = [p for part in parts for p in part.split(",")]
        # "Smith, John" is one name; "Ann Lee, Bo Chu" is two.
        if all(len(p.split()) >= 2 for p in commas if p.strip()):
            parts = commas
    names = [_clean_name(p) for p in parts]
    return [n for n in names if n]


def _byline(candidates: list[Tag]) -> list[str]:
    """Names from the best-ranked byline element among ``candidates`` (the page's
    tags that ``_byline_ranks`` can rank)."""
    ranked: list[list[Tag]] = [[] for _ in range(_BYLINE_RANKS)]
    for tag in candidates:
        for rank in _byline_ranks(tag):
            if len(ranked[rank]) < _BYLINE_PER_RANK[rank]:
                ranked[rank].append(tag)
    for rank, tags in enumerate(ranked):
        if rank < _BYLINE_ALL_RANKS:  # schema.org authors: each one names a co-author
            names = [n for tag in tags for n in _byline_names(tag)]
            if names:
                return names
        for tag in tags:
            names = _byline_names(tag)
            if names:
                return names
    return []


def _byline_class(names: str) -> bool:
    """``rules.BYLINE_CLASS_RE.search(names)``, asked of every classed element."""
    if names.isascii():
        return rules.BYLINE_CLASS_LOWER_RE.search(names.lower()) is not None
    return rules.BYLINE_CLASS_RE.search(names) is not None  # its case rules beyond ASCII


def _byline_ranks(tag: Tag) -> list[int]:
    ranks: list[int] = []
    itemprop = tag.get("itemprop")
    if itemprop == "name" and tag.find_parent(attrs={"itemprop": "author"}) is not None:
        ranks.append(0)
    if itemprop == "author":
        ranks.append(1)
    if tag.name == "a" and "author" in (tag.get("rel") or ()) and not _home_link(tag):
        ranks.append(3)
    names = classes(tag)
    if names:
        if "author" in names and tag.find_parent(class_="byline") is not None:
            ranks.append(4)
        ranks += [rank for name, rank in _BYLINE_CLASS_RANKS if name in names]
        if rules.BYLINE_CLASS_RE.search(" ".join(names)):
            ranks.append(10)
    return sorted(ranks)


def _home_link(tag: Tag) -> bool:
    """``<a class="site-title" rel="author" href="/">`` (Jekyll's minima, Pelican themes
    copying it) names the site, not the post's author."""
    href = tag.get("href")
    return isinstance(href, str) and urlsplit(href.strip()).path in ("", "/")


def _byline_names(tag: Tag) -> list[str]:
    text = text_of(tag)
    if not 0 < len(text) <= 120 or tag.find_parent(("footer", "nav")):
        return []
    if any(rules.COMMENT_RE.search(" ".join(p.get("class") or [])) for p in tag.parents):
        return []
    links = [text_of(a) for a in tag.find_all("a", href=rules.AUTHOR_HREF_RE)]
    names = [n for n in (_clean_name(link) for link in links) if n]
    return names or ([text] if _clean_name(text) else [])


def _clean_name(name: str) -> str:
    name = rules.BYLINE_PREFIX_RE.sub("", rules.LINK_IN_NAME_RE.sub(" ", norm_space(name)))
    date = rules.DATEISH_RE.search(name)
    if date:  # "Nathan Willis March 25, 2015": the name is what comes before the date
        name = name[:date.start()]
    name = rules.BYLINE_CUT_RE.sub("", name).strip(" ,;:(")
    if not 1 < len(name) <= 80 or rules.URLISH_RE.match(name) or "@" in name:
        return ""
    if rules.NOT_A_NAME_RE.match(name) or not rules.LETTER_RE.search(name):
        return ""
    return name


def _unique(values: Any) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.lower(), value)
    return tuple(seen.values())


def _published(page: _Page, canonical: str, language: str) -> dt.datetime | dt.date | None:
    for value in (jsonld.first(page.ld, "datePublished", "dateCreated", article_only=True),
                  page.first_meta(*_DATE_METAS)):
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed:
            return parsed
    for tag in page.dated[:3]:
        parsed = parse_date(str(tag.get("content") or tag.get("datetime") or tag.get("title")
                                or text_of(tag)))
        if parsed:
            return parsed
    for time in [t for t in page.in_article("time") if not postmeta.in_listing(t)][:5]:
        parsed = parse_date(str(time.get("datetime") or time.get("content") or ""))
        if parsed:
            return parsed
    return _url_date(canonical) or _url_date(page.url or "") or postmeta.shown_date(
        page.post, language)


def _updated(page: _Page) -> dt.datetime | dt.date | None:
    for value in (jsonld.first(page.ld, "dateModified", article_only=True),
                  page.first_meta(*_UPDATED_METAS)):
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed:
            return parsed
    return None


def _url_date(url: str) -> dt.date | None:
    match = rules.URL_DATE_RE.search(urlsplit(url).path + "/")
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3) or "1"
    try:
        return dt.date(int(year), int(month), int(day)) if match.group(3) else None
    except ValueError:
        return None


def _description(page: _Page) -> str:
    declared = [d for d in (page.first_meta(key) for key in _DESCRIPTION_METAS) if d]
    chosen = declared[0] if declared else _text(
        jsonld.first(page.ld, "description", article_only=True))
    stem = rules.CUT_TAIL_RE.sub("", chosen)
    for other in declared[1:]:
        # A cut-off copy ("... to the...", or broken at a quote) loses to the whole text.
        if len(other) > len(chosen) and other.startswith(stem):
            chosen = other
    return chosen


def lead_paragraph(root: Tag) -> str:
    """The article's first real paragraph, cut at a sentence end near ``_LEAD_MAX`` chars.

    The description of last resort (as reader modes do): pages without a declared
    summary still get one that reads like the post's opening.
    """
    for para in root.find_all(("p", "div"), limit=_LEAD_SCAN):
        if para.name == "div" and para.find(_BLOCK_TAGS) is not None:
            continue  # a div is a paragraph only when it holds text, not blocks
        if para.find_parent(_LEAD_SKIP_PARENTS) is not None or para.find_parent(
                attrs={FOOTNOTE: True}) is not None:
            continue
        text = text_of(para)
        if _reads_like_lead(text):
            return _trim_sentence(text)
    return ""


def _reads_like_lead(text: str) -> bool:
    """Prose, not a tagline ("From Wikipedia, the free encyclopedia") or a byline."""
    if len(text) < _LEAD_MIN or (len(text.split()) < 3 and text.isascii()):
        return False
    if rules.LEAD_BYLINE_RE.match(text):
        return False
    return len(text) >= _LEAD_PROSE_LEN or bool(rules.SENTENCE_CLOSE_RE.search(text))


def _trim_sentence(text: str) -> str:
    if len(text) <= _LEAD_MAX:
        return text
    ends = [m.end() for m in rules.SENTENCE_END_RE.finditer(text, 0, _LEAD_MAX + 1)]
    ends = [e for e in ends if e >= _LEAD_MIN_CUT]
    if ends:
        return text[: ends[-1]].strip()
    cut = text.rfind(" ", 0, _LEAD_MAX)
    return text[: cut if cut > _LEAD_MIN_CUT else _LEAD_MAX].rstrip(" ,;:") + "…"


def _unescape_twice(value: str) -> str:
    """Meta content escaped twice by its CMS (``That&#039;s``) read as meant."""
    value = norm_space(value)
    return html.unescape(value) if rules.ENTITY_RE.search(value) else value


def _tags(page: _Page) -> tuple[str, ...]:
    # Pelican's themes write one <meta name="tags"> per tag.
    found = list(page.meta.get("article:tag", [])) + list(page.meta.get("tags", []))
    keywords = jsonld.first(page.ld, "keywords", article_only=True)
    if isinstance(keywords, str):
        found += keywords.split(",")
    elif isinstance(keywords, list):
        found += [k for k in keywords if isinstance(k, str)]
    if not found:
        found = list(page.shown.tags)
    if not found and rules.KEYWORD_TAG_GENERATORS_RE.match(page.first_meta("generator")):
        found = [k for value in page.meta.get("keywords", []) for k in value.split(",")]
    return _unique(t for t in (norm_space(t) for t in found) if t and len(t) <= 60)


def _categories(page: _Page) -> tuple[str, ...]:
    found: list[str] = []
    section = jsonld.first(page.ld, "articleSection", article_only=True)
    if isinstance(section, str):
        found.append(section)
    elif isinstance(section, list):
        found += [s for s in section if isinstance(s, str)]
    found += page.meta.get("article:section", [])
    found = [f for f in found if norm_space(f).casefold() not in GENERIC_SECTIONS]
    if not found:
        found = list(page.shown.categories)
    return _unique(t for t in (norm_space(t) for t in found) if t and len(t) <= 60)


def _site_name(page: _Page) -> str:
    publisher = jsonld.first(page.ld, "publisher")
    names = jsonld.names(publisher) if publisher else []
    website = next((o for o in page.ld if "website" in jsonld.types(o)), None)
    return page.first_meta("og:site_name") or (names[0] if names else "") or _text(
        website.get("name") if website else "") or page.first_meta("application-name")


def _site_from_title(page: _Page, title: str) -> str:
    """``Site: Post`` or ``Post | Site`` in <title> names the site when nothing else does."""
    head = text_of(page.soup.title) if page.soup.title else ""
    if not title or title == head or title not in head:
        return ""
    rest = head.replace(title, "\0")
    before, _, after = rest.partition("\0")
    lead = rules.TITLE_SEPARATOR_END_RE.sub("", before).strip()
    tail = rules.TITLE_SEPARATOR_START_RE.sub("", after).strip()
    if bool(lead) == bool(tail):
        return ""
    return lead or tail


def _site_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""


def _canonical(page: _Page, base: str) -> str:
    link = next((t for t in page.tags["link"] if "canonical" in (t.get("rel") or ())
                 and t.get("href")), None)
    href = str(link["href"]).strip() if isinstance(link, Tag) else ""
    href = href or page.first_meta("og:url")
    if href:
        return absolute(href, base or page.url)
    return page.url or ""


def _base_url(page: _Page) -> str:
    base = next((t for t in page.tags["base"] if t.get("href")), None)
    if isinstance(base, Tag):
        return absolute(str(base["href"]).strip(), page.url)
    return page.url or ""


def _language(page: _Page) -> str:
    html = page.soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    value = lang if isinstance(lang, str) and lang.strip() else (
        page.first_meta("og:locale", "content-language", "language", "dc.language"))
    return value.strip().replace("_", "-").split(",")[0]


def _image(page: _Page, base: str) -> str:
    value = page.first_meta("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                            "twitter:image:src") or jsonld.url_of(
        jsonld.first(page.ld, "image", "thumbnailUrl", article_only=True))
    return absolute(value, base or page.url) if value else ""
