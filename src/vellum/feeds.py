"""URL inputs, all pure parsing without network: feeds, sitemaps, OPML, CSV and URL lists.

RSS 0.9x/1.0/2.0 and Atom go through feedparser (the maintained parser for the
many dialects found in the wild); JSON Feed is plain JSON. Sitemaps and OPML are
read with lxml with entity expansion and network access turned off.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import html
import io
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import feedparser
from bs4 import BeautifulSoup
from lxml import etree

from .errors import InputError
from .rules.feeds import INLINE_COMMENT, ROOT_TAG, TAG, XML_PROLOG
from .urls import absolute, check_url

InputKind = Literal["sitemap", "feed", "opml", "csv", "list"]

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
# Root elements (local names) that identify each XML input.
SITEMAP_ROOTS = ("urlset", "sitemapindex")
FEED_ROOTS = ("rss", "feed", "rdf", "channel")
OPML_ROOTS = ("opml",)
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
# Column names accepted for the URL of a CSV row (first match wins; case-insensitive).
CSV_URL_COLUMNS = ("url", "link", "href", "uri")
# A decompressed sitemap may not exceed this (the protocol caps them at 50 MB).
MAX_SITEMAP_BYTES = 60_000_000
GZIP_MAGIC = b"\x1f\x8b"
XML_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False, "no_network": True, "recover": True, "huge_tree": False,
}


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    content_html: str = ""
    summary: str = ""
    id: str = ""


@dataclass(frozen=True)
class Feed:
    url: str
    title: str = ""
    subtitle: str = ""
    link: str = ""
    authors: tuple[str, ...] = ()
    entries: tuple[FeedEntry, ...] = ()


@dataclass(frozen=True)
class Sitemap:
    urls: tuple[str, ...] = ()
    """Page URLs of a ``<urlset>``."""
    sitemaps: tuple[str, ...] = ()
    """Child sitemap URLs of a ``<sitemapindex>``."""


@dataclass(frozen=True)
class ListedURL:
    """One input line: a checked URL, or the reason the line is not one."""

    line: int
    url: str | None
    error: str | None = None
    via: Literal["user", "private", "public"] = "user"
    """Named by the user (a file they gave), or found on a fetched sitemap or feed served
    from a private or a public address (what the URL may reach: ``fetch.netguard``)."""


# -- detection ------------------------------------------------------------------------------


def detect_input(data: bytes | str) -> InputKind:
    """What kind of URL input ``data`` is, judged by its content."""
    text = _text(data).lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "feed" if _json_feed(text) is not None else "list"
    if text.startswith("<"):
        root = _root_name(text)
        if root in SITEMAP_ROOTS:
            return "sitemap"
        if root in OPML_ROOTS:
            return "opml"
        if root in FEED_ROOTS:
            return "feed"
    return "csv" if _csv_url_column(_first_line(text)) is not None else "list"


def _root_name(text: str) -> str:
    """Local name of the first element of an XML document, lower-case ('' if none)."""
    body = XML_PROLOG.sub("", text[:20_000])
    match = ROOT_TAG.search(body)
    return match.group(1).rsplit(":", 1)[-1].lower() if match else ""


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line
    return ""


# -- URL lists and CSV ----------------------------------------------------------------------


def parse_url_list(text: str) -> list[ListedURL]:
    """One URL per line; blank lines and ``#`` comments skipped, bad lines reported."""
    listed = []
    for number, raw in enumerate(_text(text).splitlines(), start=1):
        line = INLINE_COMMENT.sub("", raw.strip().lstrip("\ufeff"))
        if line and not line.startswith("#"):
            listed.append(_listed(number, line))
    return listed


def parse_csv(text: str | bytes) -> list[ListedURL]:
    """URLs from the ``url`` column of a CSV with a header row; bad rows reported by line."""
    reader = csv.reader(io.StringIO(_text(text).lstrip("\ufeff")))
    header = next(reader, None)
    column = _csv_url_column(",".join(header)) if header else None
    if header is None or column is None:
        raise InputError("CSV", f"no column named {' or '.join(CSV_URL_COLUMNS)}")
    listed = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        value = row[column].strip() if column < len(row) else ""
        listed.append(_listed(reader.line_num, value) if value
                      else ListedURL(reader.line_num, None, "no URL in this row"))
    return listed


def _csv_url_column(header_line: str) -> int | None:
    if "," not in header_line and header_line.strip().lower() not in CSV_URL_COLUMNS:
        return None
    cells = [c.strip().strip("\"'").lower() for c in next(csv.reader([header_line]), [])]
    return next((cells.index(name) for name in CSV_URL_COLUMNS if name in cells), None)


def _listed(number: int, value: str) -> ListedURL:
    try:
        return ListedURL(number, check_url(value))
    except InputError as err:
        return ListedURL(number, None, str(err))


# -- sitemaps and OPML ----------------------------------------------------------------------


def parse_sitemap(data: bytes | str) -> Sitemap:
    """Page URLs of a ``<urlset>`` and child sitemaps of a ``<sitemapindex>`` (gzip accepted)."""
    root = _xml_root(_gunzip(data), "sitemap")
    if _local(root.tag) not in SITEMAP_ROOTS:
        raise InputError("sitemap", f"not a sitemap (root element <{_local(root.tag)}>)")
    urls: list[str] = []
    sitemaps: list[str] = []
    for element in root.iter():
        if _local(element.tag) == "loc" and element.text and element.getparent() is not None:
            parent = _local(element.getparent().tag)
            target = sitemaps if parent == "sitemap" else urls if parent == "url" else None
            if target is not None:
                target.append(element.text.strip())
    return Sitemap(tuple(_unique(urls)), tuple(_unique(sitemaps)))


def parse_opml(data: bytes | str) -> list[str]:
    """The feed URLs (``xmlUrl`` of each ``<outline>``) of an OPML subscription list."""
    root = _xml_root(data, "OPML")
    found = []
    for element in root.iter():
        if _local(element.tag) != "outline":
            continue
        attrs = {k.lower(): v for k, v in element.attrib.items()}
        if attrs.get("xmlurl", "").strip():
            found.append(attrs["xmlurl"].strip())
    return _unique(found)


def _xml_root(data: bytes | str, what: str) -> Any:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    parser = etree.XMLParser(**XML_PARSER_OPTIONS)
    try:
        root = etree.fromstring(raw.lstrip(), parser=parser)
    except etree.XMLSyntaxError as err:
        raise InputError(what, f"not valid XML ({err})") from err
    if root is None:
        raise InputError(what, "empty or not XML")
    return root


def _gunzip(data: bytes | str) -> bytes | str:
    if isinstance(data, bytes) and data.startswith(GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                out = stream.read(MAX_SITEMAP_BYTES + 1)
        except (OSError, EOFError) as err:
            raise InputError("sitemap", f"broken gzip data ({err})") from err
        if len(out) > MAX_SITEMAP_BYTES:
            raise InputError("sitemap", f"larger than {MAX_SITEMAP_BYTES:,} bytes")
        return out
    return data


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


# -- feeds ----------------------------------------------------------------------------------


def parse_feed(data: bytes | str, url: str | None = None) -> Feed:
    """An RSS, Atom or JSON Feed document; links resolved against ``url``.

    Raises ``InputError`` when ``data`` is not a feed.
    """
    subject = url or "feed"
    if _text(data[:200]).lstrip("\ufeff \r\n\t").startswith("{"):
        document = _json_feed(_text(data))
        if document is None:
            raise InputError(subject, "JSON, but not a JSON Feed")
        return _from_json_feed(document, url)
    headers = {"content-location": url} if url else None
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.get("entries"):
        raise InputError(subject, "not an RSS, Atom or JSON feed")
    meta = parsed.feed
    return Feed(
        url=url or "",
        title=_plain(meta.get("title")),
        subtitle=_clean(meta.get("subtitle")),
        link=absolute(_clean(meta.get("link")), url) if meta.get("link") else "",
        authors=_authors(meta),
        entries=tuple(e for e in (_entry(item, url) for item in parsed.entries) if e.url),
    )


def _entry(item: Any, base: str | None) -> FeedEntry:
    link = _clean(item.get("link"))
    if not link and str(item.get("id", "")).startswith(("http://", "https://")):
        link = item["id"]  # RSS guid isPermaLink, or an Atom id that is a URL
    content = item.get("content") or []
    return FeedEntry(
        url=absolute(link, base) if link else "",
        title=_plain(item.get("title")),
        authors=_authors(item),
        categories=tuple(_unique(_clean(t.get("term")) for t in item.get("tags") or [])),
        published=_struct_time(item.get("published_parsed")),
        # dict.get: feedparser's own get() falls back to the published date here.
        updated=_struct_time(dict.get(item, "updated_parsed")),
        content_html=_clean(content[0].get("value")) if content else "",
        summary=_clean(item.get("summary")),
        id=_clean(item.get("id")),
    )


def _authors(meta: Any) -> tuple[str, ...]:
    names = [_clean(a.get("name")) for a in meta.get("authors") or [] if isinstance(a, dict)]
    if not any(names) and meta.get("author"):
        names = [_clean(meta.get("author"))]
    return tuple(_unique(names))


def _struct_time(value: time.struct_time | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.timezone.utc)
    except (TypeError, ValueError):
        return None


def _json_feed(text: str) -> dict[str, Any] | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if isinstance(document, dict) and str(document.get("version", "")).startswith(
        JSON_FEED_VERSION
    ):
        return document
    return None


def _from_json_feed(document: dict[str, Any], url: str | None) -> Feed:
    base = url or _clean(document.get("feed_url")) or None
    entries = []
    for item in document.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = _clean(item.get("url")) or _clean(item.get("external_url"))
        if not link and str(item.get("id", "")).startswith(("http://", "https://")):
            link = str(item["id"])
        if not link:
            continue
        entries.append(FeedEntry(
            url=absolute(link, base),
            title=_clean(item.get("title")),
            authors=_json_authors(item) or _json_authors(document),
            categories=tuple(_unique(_clean(t) for t in item.get("tags") or [])),
            published=_iso_date(item.get("date_published")),
            updated=_iso_date(item.get("date_modified")),
            content_html=_clean(item.get("content_html")),
            summary=_clean(item.get("summary")),
            id=_clean(item.get("id")),
        ))
    return Feed(
        url=url or _clean(document.get("feed_url")),
        title=_clean(document.get("title")),
        subtitle=_clean(document.get("description")),
        link=absolute(_clean(document.get("home_page_url")), base)
        if document.get("home_page_url") else "",
        authors=_json_authors(document),
        entries=tuple(entries),
    )


def _json_authors(obj: dict[str, Any]) -> tuple[str, ...]:
    people = obj.get("authors") or ([obj["author"]] if isinstance(obj.get("author"), dict) else [])
    return tuple(_unique(_clean(p.get("name")) for p in people if isinstance(p, dict)))


def _iso_date(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    text = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


# -- discovery ------------------------------------------------------------------------------


def find_feed_links(html: str, base_url: str) -> list[str]:
    """Absolute URLs of the feeds a page announces with ``<link rel="alternate">``."""
    soup = BeautifulSoup(html, "lxml")
    base_tag = soup.find("base", href=True)
    base = absolute(str(base_tag["href"]), base_url) if base_tag else base_url
    found = []
    for link in soup.find_all("link", href=True):
        rel: str | list[str] = link.get("rel") or []
        rels = {r.lower() for r in (rel.split() if isinstance(rel, str) else rel)}
        kind = str(link.get("type", "")).split(";", 1)[0].strip().lower()
        if "alternate" in rels and kind in FEED_TYPES:
            target = absolute(str(link["href"]).strip(), base)
            if target.startswith(("http://", "https://")):
                found.append(target)
    return _unique(found)


# -- helpers --------------------------------------------------------------------------------


def _text(data: bytes | str) -> str:
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _plain(value: object) -> str:
    """Text of a title that feedparser hands over as HTML (Atom ``type="html"``)."""
    return html.unescape(TAG.sub("", _clean(value))).strip()


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))
