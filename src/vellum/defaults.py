"""Built-in defaults the CLI shows in ``--help`` and the stages use, as plain values.

A module that imports nothing, so ``vellum --help`` can print them without loading the
stages that own them (``fetch`` brings in httpx, ``pipeline`` the parsers).
"""

from __future__ import annotations

DEADLINE = 120.0
"""Longest time one response may take in all, in seconds (``FetchOptions.deadline``)."""
MAX_PAGE_BYTES = 20_000_000
"""Cap on a page's body, once decompressed (``FetchOptions.max_bytes``)."""
CONCURRENCY = 16
"""Requests in flight at once over all hosts (``CrawlOptions.concurrency``)."""
PER_HOST = 2
"""Requests in flight at once on one host (``CrawlOptions.per_host``)."""
DELAY = 0.5
"""Minimum seconds between two request starts on one host (``CrawlOptions.delay``)."""
RETRIES = 3
"""Extra attempts after a connection error, a timeout, 429 or 5xx (``CrawlOptions.retries``)."""
MAX_IMAGE_BYTES = 10_000_000
"""``--assets``: an image larger than this is not copied."""
MAX_POST_BYTES = 50_000_000
"""``--assets``: a post's images past this total are not copied."""
