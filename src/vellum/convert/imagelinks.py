"""The image links of a converted Markdown body: listing them and pointing them elsewhere.

Works on the Markdown ``convert`` writes (``![alt](url "title")``, the URL never
holding spaces or unbalanced parentheses); fenced code blocks are left alone, since
an image link there is text being shown, not an image.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..rules.convert import (
    FENCE,
    IMAGE_LINK,
    REMOTE,
)


def image_urls(markdown: str) -> list[str]:
    """The remote (http/https) image URLs of ``markdown``, in order, each once."""
    found: dict[str, None] = {}

    def note(match: re.Match[str]) -> str:
        url = match.group("url").strip("<>")
        if REMOTE.match(url):
            found[url] = None
        return match.group(0)

    _outside_code(markdown, lambda text: IMAGE_LINK.sub(note, text))
    return list(found)


def relink(markdown: str, targets: Mapping[str, str]) -> str:
    """``markdown`` with each image URL found in ``targets`` replaced by its target."""
    if not targets:
        return markdown

    def swap(match: re.Match[str]) -> str:
        url = match.group("url").strip("<>")
        target = targets.get(url)
        if target is None:
            return match.group(0)
        return f"{match.group('head')}{target}{match.group('tail')}"

    return _outside_code(markdown, lambda text: IMAGE_LINK.sub(swap, text))


def _outside_code(markdown: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the stretches of ``markdown`` outside fenced code blocks."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        opening = FENCE.match(line)
        if fence is None and opening:
            out.append(change("".join(prose)))
            prose = []
            fence = opening.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = None
        else:
            prose.append(line)
    out.append(change("".join(prose)))
    return "".join(out)
