"""The use cases: one module per command of the CLI (add, import, refresh, follow,
ingest, dedup, browse, maintain...), each a call the CLI makes into this package.

A command plans its work and reports outcomes; the order page → article → document
→ archived entry is the pipeline's (``vellum.pipeline``), never written out here.
"""

from __future__ import annotations

from .add import add, convert_url
from .maintain import rebuild, reindex

__all__ = ["add", "convert_url", "rebuild", "reindex"]
