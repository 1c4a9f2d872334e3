"""The archive on disk: Markdown files, raw HTML, sidecars and the SQLite index."""

from .facade import Store
from .files import atomic_write

__all__ = ["Store", "atomic_write"]
