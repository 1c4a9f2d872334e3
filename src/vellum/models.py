"""Frozen dataclasses that flow between the stages.

``Page`` (fetch) → ``Article`` (extract) → ``Document`` (convert) → ``Entry`` (store);
``Outcome`` is what the archive reports for one input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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


class Body:
    """An extracted article body: the cleaned tree, handed to convert once in the same
    process, its HTML text made only when something asks for it.

    ``tree`` is a ``body`` element out of its page (a bs4 ``Tag``) and ``soup`` the
    document that made it (convert makes new tags with it). Convert rewrites the tree
    as it renders, so ``take`` gives it out once; the text asked for after that is
    made by ``remake`` (extracting the page again: rare, a post rendered twice).
    Pickled (a worker process's result), a body is its HTML text.
    """

    __slots__ = ("_html", "_remake", "_soup", "_tree")

    def __init__(self, tree: Any, soup: Any, remake: Callable[[], str]) -> None:
        self._tree = tree
        self._soup = soup
        self._remake = remake
        self._html: str | None = None

    @property
    def html(self) -> str:
        if self._html is None:
            made = (self._tree.decode_contents().strip() if self._tree is not None
                    else self._remake())
            self._html = _Text(made)
            self._html.body = self
        return self._html

    def take(self) -> tuple[Any, Any] | None:
        """The tree and its soup, the first time; None after."""
        tree, soup = self._tree, self._soup
        if tree is None:
            return None
        self._tree = self._soup = None
        return tree, soup

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        if self._html is None and self._tree is None:  # taken: the text is made on demand
            return Body, (None, None, self._remake)
        return str, (str(self.html),)


class _Text(str):
    """A ``Body``'s text, which knows its body: ``dataclasses.replace`` reads
    ``body_html`` and passes it on, and the new article keeps the tree."""

    body: Body | None = None

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return str, (str(self),)


class _BodyHtml:
    """``Article.body_html``: the text given, or a ``Body``'s text, made when first read."""

    def __get__(self, article: Any, owner: Any = None) -> str:
        if article is None:
            return ""  # the field's default
        body = article.__dict__["_body"]
        return body if isinstance(body, str) else body.html

    def __set__(self, article: Any, value: str | Body) -> None:
        if type(value) is _Text and value.body is not None:
            value = value.body
        article.__dict__["_body"] = value


@dataclass(frozen=True)
class Article:
    """The article found in a page: clean body HTML plus metadata.

    ``body_html`` is the article alone, chrome and noise removed. Footnotes use
    the contract shared with ``convert``: a reference is
    ``<sup data-footnote-ref="ID"></sup>`` and the definitions are
    ``<section data-footnotes><div data-footnote="ID">…</div>…</section>``
    at the end of the body. ``extract`` gives a ``Body``, whose tree ``convert`` takes
    (``body_tree``) without its HTML ever being written out and parsed again.
    """

    body_html: _BodyHtml = _BodyHtml()
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

    def body_tree(self) -> tuple[Any, Any] | None:
        """The extracted tree (a ``body`` element, its soup), once; None when the body is
        text (made by hand, joined, unpickled) or the tree was taken before."""
        body = self.__dict__["_body"]
        return body.take() if isinstance(body, Body) else None

    def replaced(self, **changes: Any) -> Article:
        """``dataclasses.replace``, keeping an extracted body as it is (replace reads
        ``body_html``, which writes the tree out as text)."""
        changes.setdefault("body_html", self.__dict__["_body"])
        return replace(self, **changes)


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
