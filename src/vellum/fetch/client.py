"""Fetch one HTML page over HTTP(S): redirects, size caps, conditional GET, decoding."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import httpx

from .. import defaults
from .._version import __version__
from ..decode import HTML_TYPES, binary_kind, decode_html, looks_like_html, media_type
from ..errors import (
    BlockedError,
    ContentTypeError,
    FeedError,
    FetchError,
    HTTPStatusError,
    InputError,
    NotTextError,
    OutOfTimeError,
    TooLargeError,
)
from ..models import Page
from ..rules.fetch import FEED_START
from ..urls import absolute, check_url
from .cookies import load_cookies
from .inflate import ACCEPTED, DecodeFailed, Inflater
from .netguard import (
    REACH_EXTENSION,
    AddressPolicy,
    AddressRefused,
    GuardedTransport,
    Via,
    proxy_mounts,
    same_host,
)

__all__ = ["FetchOptions", "decode_html", "fetch", "make_client"]

# The project's own page, named in the User-Agent so that a site owner can find us.
PROJECT_URL = "https://github.com/vellum-archiver/vellum"
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
# Only what ``inflate`` decodes in bounded pieces (not zstd, which httpx would offer).
ACCEPT_ENCODING = ", ".join(ACCEPTED)
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
    """Longest wait for one read (a silent server)."""
    deadline: float = defaults.DEADLINE
    """Longest time one response may take in all (a tarpit sending 1 byte every 5 s)."""
    max_bytes: int = defaults.MAX_PAGE_BYTES
    """Cap on a body, once decompressed."""
    max_redirects: int = 10
    user_agent: str = f"vellum/{__version__} (+{PROJECT_URL})"
    extra_headers: tuple[tuple[str, str], ...] = ()
    """Sent with every request (``--header``), after and over the defaults."""
    cookies: str | None = None
    """A Netscape cookies.txt file (``--cookies``), loaded into each client made."""
    policy: AddressPolicy = field(default_factory=AddressPolicy)

    @property
    def timeout(self) -> httpx.Timeout:
        return self.timeout_within(self.deadline)

    def timeout_within(self, seconds: float) -> httpx.Timeout:
        """The timeouts of a request that must be over within ``seconds``."""
        left = max(0.01, seconds)
        return httpx.Timeout(min(self.read_timeout, left),
                             connect=min(self.connect_timeout, left))

    @property
    def headers(self) -> dict[str, str]:
        base = {"User-Agent": self.user_agent, "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING}
        given = {name.lower() for name, _ in self.extra_headers}
        return {**{k: v for k, v in base.items() if k.lower() not in given},
                **dict(self.extra_headers)}


def make_client(
    options: FetchOptions = FetchOptions(), *, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client configured from ``options``; redirects are left to ``fetch``.

    The default transport enforces ``options.policy`` on the resolved addresses.
    """
    return httpx.Client(
        headers=options.headers, timeout=options.timeout, follow_redirects=False,
        transport=transport or GuardedTransport(options.policy),
        mounts=None if transport else proxy_mounts(httpx.HTTPTransport),
        cookies=load_cookies(options.cookies),
    )


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    options: FetchOptions = FetchOptions(),
    etag: str | None = None,
    last_modified: str | None = None,
    via: Via = "user",
) -> Page:
    """Fetch ``url`` and decode it; raises ``InputError`` or a ``FetchError`` subclass.

    With ``etag``/``last_modified`` the request is conditional and an unchanged
    page comes back as a ``Page`` with status 304 and empty ``html``. Headers and
    timeouts come from ``options`` even when ``client`` is passed in. ``via`` says
    who named the URL: the user, or a page (``Page.found_on``) it was found in.
    """
    url = check_url(url)
    sent = conditional_headers(etag, last_modified)
    if client is None:
        with make_client(options) as own:
            return _fetch(url, own, options, sent, via)
    return _fetch(url, client, options, sent, via)


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _fetch(url: str, client: httpx.Client, options: FetchOptions, extra: dict[str, str],
           via: Via) -> Page:
    headers = {**options.headers, **extra}
    current = url
    hops: list[tuple[int, str]] = []
    private = False
    while True:
        _check_requestable(url, current, first=not hops)
        reach = options.policy.reach(via, first=not hops, same_host=same_host(url, current),
                                     came_private=private)
        check_reach(url, current, options.policy.check_literal(current, reach))
        clock = Deadline(url, options.deadline)
        try:
            with client.stream("GET", current, headers=headers, follow_redirects=False,
                               timeout=options.timeout_within(clock.left()),
                               extensions={REACH_EXTENSION: reach}) as response:
                private = options.policy.served_privately(response)
                if response.status_code not in REDIRECT_STATUSES:
                    early = head_page(url, response, tuple(hops), extra, private=private)
                    if early is not None:
                        return early
                    check_length(url, response, options.max_bytes)
                    body = read_capped(url, response, options.max_bytes, clock)
                    return body_page(url, response, tuple(hops), body, private=private)
                current = next_hop(url, response)
        except AddressRefused as err:
            raise blocked(url, current, err.reason) from None
        except httpx.InvalidURL as err:
            # httpx parses Location itself even when not following, before we see it.
            raise FetchError(url, f"redirected to an invalid location, not an http(s) URL "
                                  f"({err})") from err
        except httpx.HTTPError as err:
            clock.check()
            raise FetchError(url, failure_reason(err, options)) from err
        hops.append((response.status_code, current))
        if len(hops) > options.max_redirects:
            raise FetchError(url, f"too many redirects (more than {options.max_redirects})")


def check_reach(url: str, current: str, refusal: str | None) -> None:
    """Refuse, before any connection, a URL whose IP address ``reach`` may not reach."""
    if refusal is not None:
        raise blocked(url, current, refusal)


def blocked(url: str, current: str, reason: str) -> BlockedError:
    where = "" if current == url else f" {current}"
    return BlockedError(url, f"refused{where}: {reason}")


class Deadline:
    """The overall deadline of one response (``FetchOptions.deadline``)."""

    def __init__(self, url: str, seconds: float) -> None:
        self.url, self.seconds = url, seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        if self.left() <= 0:
            raise self.error()

    def error(self) -> OutOfTimeError:
        return OutOfTimeError(self.url, f"gave up after {self.seconds:g} s: the response "
                                        "took longer than the deadline (--timeout)")


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
              sent: dict[str, str], types: tuple[str, ...] = HTML_TYPES, *,
              private: bool = False) -> Page | None:
    """The page decided by the status line and headers alone (304), else None to read the body.

    Raises for error statuses and for content types not in ``types``.
    """
    status = response.status_code
    if status == 304:
        # A 304 may omit the validators; the ones we sent are still the current ones.
        return _make_page(url, response, hops, etag=sent.get("If-None-Match"),
                          last_modified=sent.get("If-Modified-Since"), private=private)
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
              body: bytes, sniff_html: bool = True, *, private: bool = False) -> Page:
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
    what = binary_kind(body, content_type)
    if what:
        raise NotTextError(url, f"{what} served as {kind or 'an untyped body'}")
    text, encoding = decode_html(body, content_type)
    return _make_page(url, response, hops, html=text, encoding=encoding,
                      content_type=media_type(content_type) or "text/html", private=private)


def binary_page(url: str, response: httpx.Response, hops: tuple[tuple[int, str], ...],
                body: bytes, *, private: bool = False) -> Page:
    """A fetched body kept as bytes (an image), after ``head_page`` let its type through."""
    page = _make_page(url, response, hops,
                      content_type=media_type(response.headers.get("Content-Type")),
                      private=private)
    return replace(page, data=body)


def _make_page(url: str, response: httpx.Response, hops: tuple[tuple[int, str], ...], *,
               html: str = "", content_type: str = "text/html", encoding: str = "utf-8",
               etag: str | None = None, last_modified: str | None = None,
               private: bool = False) -> Page:
    return Page(
        url=url, final_url=str(response.url), html=html, status=response.status_code,
        content_type=content_type, encoding=encoding, redirects=hops, private_origin=private,
        etag=response.headers.get("ETag") or etag,
        last_modified=response.headers.get("Last-Modified") or last_modified,
    )


def check_length(url: str, response: httpx.Response, limit: int) -> None:
    """Refuse a body announced larger than ``limit`` before reading any of it."""
    length = response.headers.get("Content-Length", "").strip()
    if length.isdigit() and int(length) > limit:
        raise TooLargeError(url, limit)


def read_capped(url: str, response: httpx.Response, limit: int, clock: Deadline) -> bytes:
    """The decoded body, giving up as soon as it grows past ``limit`` bytes or the
    deadline passes; decompressed in bounded pieces (see ``inflate``)."""
    body = bytearray()
    inflater = inflater_for(response)
    raw: Iterable[bytes] = [response.content] if response.is_stream_consumed else (
        response.iter_raw())
    for chunk in raw:
        clock.check()
        add_decoded(url, inflater, chunk, body, limit)
    return bytes(body)


def inflater_for(response: httpx.Response) -> Inflater:
    # A body read already (a mock transport's) was decoded by httpx.
    done = response.is_stream_consumed
    return Inflater(None if done else response.headers.get("Content-Encoding"))


def add_decoded(url: str, inflater: Inflater, chunk: bytes, body: bytearray, limit: int) -> None:
    """Append the decoded ``chunk`` to ``body``; ``TooLargeError`` past ``limit``."""
    try:
        for piece in inflater.feed(chunk):
            body += piece
            if len(body) > limit:
                raise TooLargeError(url, limit, decoded=bool(inflater.stages))
    except DecodeFailed as err:
        raise FetchError(url, f"could not decode the compressed body ({err})") from err


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
