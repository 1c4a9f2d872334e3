"""Frozen dataclasses that flow between the stages.

``Page`` (fetch) → ``Article`` (extract) → ``Document`` (convert) → ``Entry`` (store);
``Outcome`` is what the archive reports for one input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Profile = Literal["default", "mkdocs", "jekyll"]
PROFILES: tuple[str, ...] = ("default", "mkdocs", "jekyll")


@dataclass(frozen=True)
class Page:
    """One fetched HTML page, decoded to text."""

    url: str
    """The URL as requested."""
    final_url: str
    """The URL after redirects."""
    html: str
    status: int = 200
    content_type: str = "text/html"
    encoding: str = "utf-8"
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    redirects: tuple[tuple[int, str], ...] = ()
    """Each redirect hop as (status, location), in order."""
    private_origin: bool = False
    """Served from a loopback, private or link-local address: only then may the links
    found in it lead to such addresses (see ``fetch.netguard``)."""
    data: bytes = b""
    """The body as received, for a fetch that is not a page (an image); else empty."""

    @property
    def fetched_stamp(self) -> str:
        """``fetched_at`` to the second, as stored in the index and sidecars."""
        return self.fetched_at.replace(microsecond=0).isoformat()

    @property
    def found_on(self) -> Literal["private", "public"]:
        """What a link found in this page may reach (``CrawlRequest.via``)."""
        return "private" if self.private_origin else "public"

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def permanently_moved(self) -> bool:
        """True when every hop was a permanent redirect (301/308)."""
        return bool(self.redirects) and all(s in (301, 308) for s, _ in self.redirects)


@dataclass(frozen=True)
class Article:
    """The article found in a page: clean body HTML plus metadata.

    ``body_html`` is the article alone, chrome and noise removed. Footnotes use
    the contract shared with ``convert``: a reference is
    ``<sup data-footnote-ref="ID"></sup>`` and the definitions are
    ``<section data-footnotes><div data-footnote="ID">…</div>…</section>``
    at the end of the body.
    """

    body_html: str
    title: str = ""
    url: str | None = None
    """The canonical URL (``link rel=canonical``, else the final URL)."""
    final_url: str | None = None
    base_url: str | None = None
    """The URL relative links resolve against (``<base href>`` or the final URL)."""
    authors: tuple[str, ...] = ()
    published: dt.datetime | dt.date | None = None
    updated: dt.datetime | dt.date | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    site_name: str = ""
    site_url: str = ""
    site_description: str = ""
    """The blog's tagline (a feed's subtitle): the jekyll profile's ``blog_subtitle``."""
    language: str = ""
    image: str = ""
    continuation_url: str | None = None
    """The page is a teaser: the full post is there ("Read more", "Continue reading")."""
    next_page_url: str | None = None
    """The article goes on on this page (a post split over pages)."""
    first_page_url: str | None = None
    """The page is page 2 or later of a split post that starts there."""


@dataclass(frozen=True)
class Document:
    """A converted article: front matter values and Markdown body."""

    front_matter: dict[str, Any]
    body: str
    text: str
    """The complete file: front matter block followed by the body."""
    profile: str = "default"
    sort_keys: bool = False
    """The profile writes its keys sorted (so keys added later must be too)."""
    path: str = ""
    """Where the profile files a new post, relative to the archive (before de-duplication)."""


@dataclass(frozen=True)
class Entry:
    """One archived post as the index knows it."""

    path: str
    """Path of the Markdown file, relative to the archive root, with ``/`` separators."""
    url: str = ""
    canonical_url: str = ""
    title: str = ""
    date: str = ""
    content_hash: str = ""
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str = ""
    status: str = "ok"
    profile: str = "default"


OutcomeStatus = Literal["written", "updated", "unchanged", "skipped", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one input of a command."""

    url: str
    status: OutcomeStatus
    path: str | None = None
    error: str | None = None
    http_status: int | None = None
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    """Problems that did not fail the input (an image not saved by ``--assets``)."""
    detail: str | None = None
    """The traceback of a bug met on this input (``pipeline.runner``), for ``--verbose``."""

    def as_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "url": self.url,
            "status": self.status,
            "path": self.path,
            "error": self.error,
            "http_status": self.http_status,
            "seconds": round(self.seconds, 3),
        }
        if self.warnings:
            record["warnings"] = list(self.warnings)
        return record
