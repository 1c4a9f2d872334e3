"""The pipeline, written once: fetched page → article → document → archived entry.

``flow`` holds the two halves (``convert_page``: CPU only, runs in worker processes;
``store_converted``: the I/O, run by the one process that writes); the rest is what
the flow needs around it: the worker pool, split posts (``multipage``), the feed's
metadata (``feedfill``, ``feedstate``), offline images (``localize``), profiles and
the dedup fingerprint index.
"""

from __future__ import annotations

from .flow import (
    Archived,
    Converted,
    Hooks,
    archive_converted,
    archive_fetched,
    convert_html,
    convert_page,
    store_converted,
)

__all__ = [
    "Archived",
    "Converted",
    "Hooks",
    "archive_converted",
    "archive_fetched",
    "convert_html",
    "convert_page",
    "store_converted",
]
