"""Rules of the feeds stage: the patterns that read feed fields and URL lists."""

from __future__ import annotations

import re

# feeds.py
TAG = re.compile(r"<[^>]*>")

INLINE_COMMENT = re.compile(r"\s+#.*$")

# What may precede an XML document's root element, and the root element's name.
XML_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
ROOT_TAG = re.compile(r"<\s*([A-Za-z_][\w.:-]*)")
