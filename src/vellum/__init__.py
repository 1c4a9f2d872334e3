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

They load on first use (PEP 562 ``__getattr__``): ``import vellum`` and every ``vellum``
command that needs no stage (``--help``, ``search``, ``list``) stay clear of the
parsers and the HTTP client, which cost about a second of CPU to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
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
from .models import Article, Document, Entry, Outcome, Page

if TYPE_CHECKING:
    from .commands import add, convert_url, rebuild, reindex
    from .commands.dedup import dedup as dedup_archive
    from .commands.importer import import_urls
    from .commands.ingest import ingest
    from .commands.refresh import RefreshOptions, refresh
    from .convert import html_to_markdown, render
    from .extract import extract as extract_article
    from .fetch import FetchOptions
    from .fetch import fetch as fetch_page
    from .pipeline import convert_html
    from .store import Store

# Each public name loaded on first use: (module, name in it).
LAZY: dict[str, tuple[str, str]] = {
    "add": (".commands.add", "add"),
    "convert_url": (".commands.add", "convert_url"),
    "rebuild": (".commands.maintain", "rebuild"),
    "reindex": (".commands.maintain", "reindex"),
    "dedup_archive": (".commands.dedup", "dedup"),
    "import_urls": (".commands.importer", "import_urls"),
    "ingest": (".commands.ingest", "ingest"),
    "RefreshOptions": (".commands.refresh", "RefreshOptions"),
    "refresh": (".commands.refresh", "refresh"),
    "html_to_markdown": (".convert", "html_to_markdown"),
    "render": (".convert", "render"),
    "extract_article": (".extract", "extract"),
    "FetchOptions": (".fetch", "FetchOptions"),
    "fetch_page": (".fetch", "fetch"),
    "convert_html": (".pipeline", "convert_html"),
    "Store": (".store", "Store"),
}


def __getattr__(name: str) -> Any:
    if name not in LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = LAZY[name]
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *LAZY})


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
