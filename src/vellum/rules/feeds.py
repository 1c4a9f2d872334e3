"""Rules of the feeds stage: the patterns that read feed fields and URL lists."""

from __future__ import annotations

import re

# feeds.py
TAG = re.compile(r"<[^>]*>")

INLINE_COMMENT = re.compile(r"\s+#.*$")
