"""Rules of the fetch stage: how a response body is recognised before it is decoded."""

from __future__ import annotations

import re

# fetch/client.py
FEED_START = re.compile(
    rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?((<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*"
    rb"<(rss|feed|rdf:RDF)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


# fetch/images.py
SVG_START = re.compile(
    rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?((<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>]",
    re.IGNORECASE | re.DOTALL)


# fetch/robots.py
PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")

# robots.txt: the product token of a User-agent line (RFC 9309 2.2.1).
USER_AGENT_TOKEN = re.compile(r"[A-Za-z_-]+")
