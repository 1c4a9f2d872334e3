"""When a re-fetched page must not overwrite the post archived from it.

A post that now extracts to far less text than before is, far more often than a
real edit, a paywall, a cookie or login wall, an error page served with 200 or a
parked domain. Such a page is reported as suspect and the archived post is kept.
Pure functions on Markdown text; no I/O.
"""

from __future__ import annotations

import re

from .. import frontmatter

# The new text must keep at least this share of the old words...
MIN_RATIO = 0.5
# ...or this share when it reads like a wall (a short edit rarely says "log in").
WALL_RATIO = 0.8
# Posts shorter than this are too small for a ratio to mean anything.
MIN_WORDS = 40
# Phrases of walls and parked domains, matched case-insensitively on the new text only.
WALL_PHRASES = (
    r"\b(log|sign)\s?in\b.{0,40}\b(to|and)\s+(continue|read|view|see|access)",
    r"\bplease\s+(log|sign)\s?in\b",
    r"\bsubscribe\s+(now\s+)?to\s+(continue|keep)\s+reading",
    r"\bsubscribers?[- ]only\b",
    r"\bthis\s+(post|article|content)\s+is\s+for\s+(paid\s+)?(subscribers|members)",
    r"\bcreate\s+a\s+free\s+account\b",
    r"\b(accept|enable)\s+(all\s+)?cookies\s+to\b",
    r"\bthis\s+domain\s+(name\s+)?(is|may\s+be)\s+for\s+sale\b",
    r"\bbuy\s+this\s+domain\b",
    r"\bdomain\s+(has\s+)?expired\b",
    r"\b(page|post)\s+not\s+found\b",
    r"\baccess\s+denied\b",
)
WALL = re.compile("|".join(WALL_PHRASES), re.IGNORECASE | re.DOTALL)
# Markdown syntax that is not prose: images, link targets, emphasis and list marks.
MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[#>*_`|~\[\]-]+")
WORD = re.compile(r"\w+", re.UNICODE)


def word_count(markdown: str) -> int:
    """Words of prose in a Markdown body (link targets and markup not counted)."""
    return len(WORD.findall(MARKUP.sub(" ", markdown)))


def shrink_reason(old_text: str, new_text: str) -> str | None:
    """Why ``new_text`` must not replace ``old_text`` (both whole files), or ``None``."""
    _, old_body = frontmatter.split(old_text)
    _, new_body = frontmatter.split(new_text)
    old_words, new_words = word_count(old_body), word_count(new_body)
    if old_words < MIN_WORDS:
        return None
    walled = WALL.search(new_body) is not None
    needed = WALL_RATIO if walled else MIN_RATIO
    if new_words >= old_words * needed:
        return None
    what = "reads like a login, paywall or error page" if walled else "has far less text"
    return f"page now {what} ({new_words} words, was {old_words}); archived post kept"
