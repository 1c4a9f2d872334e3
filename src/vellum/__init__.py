"""vellum: archive blog posts and articles as clean Markdown with YAML front matter.

The library API, stage by stage and as whole commands::

    from vellum import convert_html
    markdown = convert_html(html, url="https://blog.example.com/a-post/")

    from vellum import Store, add
    with Store("archive") as store:
        for outcome in add(["https://blog.example.com/a-post/"], store):
            print(outcome.status, outcome.path)
"""

from __future__ import annotations

from ._version import __version__
from .archive import add, convert_html, convert_url, rebuild, reindex
from .archive.dedup import dedup
from .archive.importer import import_urls
from .archive.ingest import ingest
from .archive.refresh import RefreshOptions, refresh
from .convert import html_to_markdown, render
from .errors import (
    ContentTypeError,
    ExtractError,
    FetchError,
    HTTPStatusError,
    InputError,
    LockedError,
    NotArticleError,
    StoreError,
    TooLargeError,
    VellumError,
)
from .extract import extract
from .fetch import FetchOptions, fetch
from .models import Article, Document, Entry, Outcome, Page
from .store import Store

__all__ = [
    "Article",
    "ContentTypeError",
    "Document",
    "Entry",
    "ExtractError",
    "FetchError",
    "FetchOptions",
    "HTTPStatusError",
    "InputError",
    "LockedError",
    "NotArticleError",
    "Outcome",
    "Page",
    "RefreshOptions",
    "Store",
    "StoreError",
    "TooLargeError",
    "VellumError",
    "__version__",
    "add",
    "convert_html",
    "convert_url",
    "dedup",
    "extract",
    "fetch",
    "html_to_markdown",
    "import_urls",
    "ingest",
    "rebuild",
    "refresh",
    "reindex",
    "render",
]
