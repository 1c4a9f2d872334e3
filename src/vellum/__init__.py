"""vellum: archive blog posts and articles as clean Markdown with YAML front matter.

The library API, stage by stage and as whole commands::

    from vellum import convert_html
    markdown = convert_html(html, url="https://blog.example.com/a-post/")

    from vellum import Store, add
    with Store("archive") as store:
        for outcome in add(["https://blog.example.com/a-post/"], store):
            print(outcome.status, outcome.path)

The stages' subpackages keep their names (``vellum.fetch``, ``vellum.extract``,
``vellum.dedup``...); their entry points are re-exported under names of their own
(``fetch_page``, ``extract_article``, ``dedup_archive``), which hide no subpackage.
"""

from __future__ import annotations

from ._version import __version__
from .commands import add, convert_url, rebuild, reindex
from .commands.dedup import dedup as dedup_archive
from .commands.importer import import_urls
from .commands.ingest import ingest
from .commands.refresh import RefreshOptions, refresh
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
from .extract import extract as extract_article
from .fetch import FetchOptions
from .fetch import fetch as fetch_page
from .models import Article, Document, Entry, Outcome, Page
from .pipeline import convert_html
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
    "dedup_archive",
    "extract_article",
    "fetch_page",
    "html_to_markdown",
    "import_urls",
    "ingest",
    "rebuild",
    "refresh",
    "reindex",
    "render",
]
