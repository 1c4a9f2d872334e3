"""URL rules, all pure: validation, identity keys, slugs and archive-safe names."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList
from slugify import slugify

from .errors import InputError

ALLOWED_SCHEMES = ("http", "https")

# Query parameters that identify a campaign or a click, never the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|"
    r"mkt_tok|igshid|yclid|twclid|ref_src|ref_url|s_kwcid|vero_id|__s|oly_enc_id|oly_anon_id|"
    r"rss|source|ref)$",
    re.IGNORECASE,
)

SLUG_MAX = 80
HOST_MAX = 100


def check_url(url: str) -> str:
    """Return ``url`` stripped if it is an absolute http(s) URL, else raise ``InputError``."""
    candidate = url.strip()
    try:
        parts = urlsplit(candidate)
    except ValueError as err:
        raise InputError(candidate or repr(url), f"not a valid URL ({err})") from err
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        reason = f"unsupported scheme '{parts.scheme}'" if parts.scheme else "not an absolute URL"
        raise InputError(candidate or repr(url), f"{reason}; only http and https URLs are archived")
    if not parts.hostname:
        raise InputError(candidate, "URL has no host")
    if any(c.isspace() for c in candidate):
        raise InputError(candidate, "URL contains whitespace")
    return candidate


def strip_tracking(url: str) -> str:
    """Drop the fragment and tracking parameters (``utm_*``, ``fbclid``...)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def url_key(url: str) -> str:
    """The identity of a post's URL: equal for the same post reached in different ways.

    Scheme, ``www.``, default ports, a trailing slash, ``index.html``, tracking
    parameters, the fragment and the order of the query are all ignored.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = f"{host}:{port}" if port else host
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    path = re.sub(r"/(index|default)\.(html?|php|aspx?)$", "/", path, flags=re.IGNORECASE)
    path = path.rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not TRACKING_PARAMS.match(k))
    key = netloc + path
    return f"{key}?{urlencode(query)}" if query else key


def absolute(url: str, base: str | None) -> str:
    """Resolve ``url`` against ``base``; unparseable URLs are returned unchanged."""
    if not base:
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host (what front matter may carry)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname) \
        and not any(c.isspace() or ord(c) < 32 for c in url.strip())


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    # The list bundled with the package: no network, the same answer on every run.
    return PublicSuffixList()


def host_of(url: str) -> str:
    """The lower-case host of ``url`` without a trailing dot ('' if none or unparseable)."""
    try:
        return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def registrable_domain(host: str) -> str:
    """The part of ``host`` its owner registered (``blog.example.co.uk`` → ``example.co.uk``),
    per the Public Suffix List; an IP address or a bare name is its own site."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    return _suffixes().privatesuffix(host) or host


def same_site(url: str, other: str, sites: Iterable[Iterable[str]] = ()) -> bool:
    """True when both URLs are on one site: the same registrable domain (so ``a.blogspot.com``
    and ``b.blogspot.com`` are two sites), or hosts the user declared as one site."""
    a, b = host_of(url), host_of(other)
    if not a or not b:
        return False
    if registrable_domain(a) == registrable_domain(b):
        return True
    for group in sites:
        hosts = {h.lower().rstrip(".").removeprefix("www.") for h in group}
        if a.removeprefix("www.") in hosts and b.removeprefix("www.") in hosts:
            return True
    return False


def host_dir(url: str) -> str:
    """A folder name for the site of ``url``: its host, made safe for any file system."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    safe = re.sub(r"[^a-z0-9.-]+", "-", host).strip(".-")
    return safe[:HOST_MAX] or "unknown-host"


def make_slug(title: str, url: str | None = None) -> str:
    """A file-name slug from the title, else the URL's last path segment, else ``post``.

    The result is lowercase ASCII letters, digits and single hyphens, at most
    ``SLUG_MAX`` characters: it can never contain a path separator or ``..``.
    """
    slug = slugify(title or "", max_length=SLUG_MAX, word_boundary=True) if title else ""
    if not slug and url:
        segments = [s for s in urlsplit(url).path.split("/") if s]
        last = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1]) if segments else ""
        slug = slugify(last, max_length=SLUG_MAX, word_boundary=True)
    return slug or "post"
