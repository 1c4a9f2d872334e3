"""The archive: the only layer that knows the pipeline order.

Every command of the CLI is one call into this package.
"""

from __future__ import annotations

from .add import add, convert_url
from .maintain import rebuild, reindex
from .pipeline import (
    Archived,
    Converted,
    archive_page,
    convert_html,
    convert_page,
    store_converted,
)

__all__ = [
    "Archived",
    "Converted",
    "add",
    "archive_page",
    "convert_html",
    "convert_page",
    "convert_url",
    "rebuild",
    "reindex",
    "store_converted",
]
