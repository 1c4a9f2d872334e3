"""Fetch one HTML page over HTTP(S): redirects, size caps, conditional GET, decoding."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import httpx

from .._version import __version__
from ..decode import HTML_TYPES, decode_html, looks_like_html, media_type
from ..errors import (
    ContentTypeError,
    FeedError,
    FetchError,
    HTTPStatusError,
    InputError,
    TooLargeError,
)
from ..models import Page
from ..urls import absolute, check_url

__all__ = ["FetchOptions", "decode_html", "fetch", "make_client"]

ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
# Only what we can decode: httpx would otherwise also offer zstd when it is installed.
ACCEPT_ENCODING = "gzip, deflate, br"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# Feeds are told apart from other non-HTML so that ``add`` can point at ``follow``;
# plain XML is read to see whether it is one.
FEED_MEDIA_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
                    "application/feed+json")
XML_MEDIA_TYPES = ("text/xml", "application/xml")
# What an image request accepts (a post's <img>); the bytes are checked too (images.py).
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
               "image/svg+xml", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon",
               "image/tiff")
FEED_START = re.compile(
    rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?((<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*"
    rb"<(rss|feed|rdf:RDF)[\s>]",
    re.IGNORECASE | re.DOTALL,
)
# Substrings of low-level connection errors -> the reason shown to the user.
CONNECT_REASONS = (
    ("refused", "connection refused"),
    ("name or service not known", "host not found"),
    ("nodename nor servname", "host not found"),
    ("getaddrinfo failed", "host not found"),
    ("no address associated", "host not found"),
    ("temporary failure in name resolution", "host not found (DNS failure)"),
    ("certificate", "TLS certificate verification failed"),
    ("ssl", "TLS handshake failed"),
    ("network is unreachable", "network unreachable"),
    ("no route to host", "no route to host"),
    ("reset by peer", "connection reset by the server"),
)


@dataclass(frozen=True)
class FetchOptions:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 20_000_000
    max_redirects: int = 10
    user_agent: str = f"vellum/{__version__} (+https://pypi.org/project/vellum/)"

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.read_timeout, connect=self.connect_timeout)

    @property
    def headers(self) -> dict[str, str]:
        return {"User-Agent": self.user_agent, "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING}


def make_client(
    options: FetchOptions = FetchOptions(), *, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client configured from ``options``; redirects are left to ``fetch``."""
    return httpx.Client(
        headers=options.headers, timeout=options.timeout, follow_redirects=False,
        transport=transport,
    )


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    options: FetchOptions = FetchOptions(),
    etag: str | None = None,
    last_modified: str | None = None,
) -> Page:
    """Fetch ``url`` and decode it; raises ``InputError`` or a ``FetchError`` subclass.

    With ``etag``/``last_modified`` the request is conditional and an unchanged
    page comes back as a ``Page`` with status 304 and empty ``html``. Headers and
    timeouts come from ``options`` even when ``client`` is passed in.
    """
    url = check_url(url)
    if client is None:
        with make_client(options) as own:
            return _fetch(url, own, options, conditional_headers(etag, last_modified))
    return _fetch(url, client, options, conditional_headers(etag, last_modified))


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _fetch(url: str, client: httpx.Client, options: FetchOptions, extra: dict[str, str]) -> Page:
    headers = {**options.headers, **extra}
    current = url
    hops: list[tuple[int, str]] = []
    while True:
        _check_requestable(url, current, first=not hops)
        try:
            with client.stream("GET", current, headers=headers, timeout=options.timeout,
                               follow_redirects=False) as response:
                if response.status_code not in REDIRECT_STATUSES:
                    early = head_page(url, response, tuple(hops), extra)
                    if early is not None:
                        return early
                    check_length(url, response, options.max_bytes)
                    body = _read_capped(url, response, options.max_bytes)
                    return body_page(url, response, tuple(hops), body)
                current = next_hop(url, response)
        except httpx.InvalidURL as err:
            # httpx parses Location itself even when not following, before we see it.
            raise FetchError(url, f"redirected to an invalid location, not an http(s) URL "
                                  f"({err})") from err
        except httpx.HTTPError as err:
            raise FetchError(url, failure_reason(err, options)) from err
        hops.append((response.status_code, current))
        if len(hops) > options.max_redirects:
            raise FetchError(url, f"too many redirects (more than {options.max_redirects})")


def _check_requestable(url: str, current: str, *, first: bool) -> None:
    """Reject what passed ``check_url`` but httpx cannot request (a port out of range...)."""
    try:
        httpx.URL(current)
        urlsplit(current).port  # noqa: B018 - raises ValueError when out of range
    except (httpx.InvalidURL, ValueError) as err:
        if first:
            raise InputError(url, f"not a valid URL ({err})") from err
        raise FetchError(url, f"redirected to an invalid URL {current!r} ({err})") from err


def next_hop(url: str, response: httpx.Response) -> str:
    """The absolute, checked target of a redirect response."""
    location = response.headers.get("Location", "").strip()
    if not location:
        raise FetchError(url, f"HTTP {response.status_code} redirect without a Location header")
    target = absolute(location, str(response.url))
    try:
        return check_url(target)
    except InputError as err:
        raise FetchError(url, f"redirected to {target!r}, which is not an http(s) URL") from err


def head_page(url: str, response: httpx.Response, hops: tuple[tuple[int, str], ...],
              sent: dict[str, str], types: tuple[str, ...] = HTML_TYPES) -> Page | None:
    """The page decided by the status line and headers alone (304), else None to read the body.

    Raises for error statuses and for content types not in ``types``.
    """
    status = response.status_code
    if status == 304:
        # A 304 may omit the validators; the ones we sent are still the current ones.
        return _make_page(url, response, hops, etag=sent.get("If-None-Match"),
                          last_modified=sent.get("If-Modified-Since"))
    if status >= 400:
        where = f" at {response.url}" if hops else ""
        reason = f"HTTP {status} {response.reason_phrase}".rstrip() + where
        raise HTTPStatusError(url, status, reason)
    content_type = response.headers.get("Content-Type")
    kind = media_type(content_type)
    if content_type and kind not in types:
        if kind in FEED_MEDIA_TYPES:
            raise FeedError(url, kind)
        if kind not in XML_MEDIA_TYPES:
            raise ContentTypeError(url, kind)
    return None


def body_page(url: str, response: httpx.Response, hops: tuple[tuple[int, str], ...],
              body: bytes, sniff_html: bool = True) -> Page:
    """The page from a body read after ``head_page`` let it through.

    With ``sniff_html`` (a request for a web page), a feed is a ``FeedError`` whatever
    its content type, and other XML a ``ContentTypeError``.
    """
    content_type = response.headers.get("Content-Type")
    kind = media_type(content_type)
    if sniff_html and FEED_START.match(body[:4096]):
        raise FeedError(url, kind if kind and kind not in HTML_TYPES else "")
    if sniff_html and kind in XML_MEDIA_TYPES:
        raise ContentTypeError(url, kind)
    if not content_type and sniff_html and not looks_like_html(body):
        raise ContentTypeError(url, "")
    text, encoding = decode_html(body, content_type)
    return _make_page(url, response, hops, html=text, encoding=encoding,
                      content_type=media_type(content_type) or "text/html")


def binary_page(url: str, response: httpx.Response, hops: tuple[tuple[int, str], ...],
                body: bytes) -> Page:
    """A fetched body kept as bytes (an image), after ``head_page`` let its type through."""
    page = _make_page(url, response, hops,
                      content_type=media_type(response.headers.get("Content-Type")))
    return replace(page, data=body)


def _make_page(url: str, response: httpx.Response, hops: tuple[tuple[int, str], ...], *,
               html: str = "", content_type: str = "text/html", encoding: str = "utf-8",
               etag: str | None = None, last_modified: str | None = None) -> Page:
    return Page(
        url=url, final_url=str(response.url), html=html, status=response.status_code,
        content_type=content_type, encoding=encoding, redirects=hops,
        etag=response.headers.get("ETag") or etag,
        last_modified=response.headers.get("Last-Modified") or last_modified,
    )


def check_length(url: str, response: httpx.Response, limit: int) -> None:
    """Refuse a body announced larger than ``limit`` before reading any of it."""
    length = response.headers.get("Content-Length", "").strip()
    if length.isdigit() and int(length) > limit:
        raise TooLargeError(url, limit)


def _read_capped(url: str, response: httpx.Response, limit: int) -> bytes:
    """The decoded body, giving up as soon as it grows past ``limit`` bytes."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise TooLargeError(url, limit)
    return bytes(body)


def failure_reason(err: httpx.HTTPError, options: FetchOptions) -> str:
    """A short human reason for a transport failure."""
    if isinstance(err, httpx.ConnectTimeout):
        return f"connection timed out after {options.connect_timeout:g} s"
    if isinstance(err, httpx.TimeoutException):
        return f"timed out after {options.read_timeout:g} s"
    detail = str(err).strip() or type(err).__name__
    lowered = detail.lower()
    if isinstance(err, httpx.ConnectError):
        return next((r for s, r in CONNECT_REASONS if s in lowered),
                    f"could not connect ({detail})")
    if isinstance(err, httpx.DecodingError):
        return f"could not decode the compressed body ({detail})"
    if isinstance(err, httpx.RemoteProtocolError) and "location header" in lowered:
        return f"redirected to an invalid location, not an http(s) URL ({detail})"
    if isinstance(err, httpx.RemoteProtocolError):
        return f"connection broken ({detail})"
    return f"request failed ({detail})"
