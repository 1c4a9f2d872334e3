"""Page chrome that HTML-to-text tools leave around a post, as line rules.

Raw text scraped from a page carries the blog platform's furniture: "Skip to
content", "Posted by … at 2:03 PM", share widgets, "Newer Post / Older Post",
"Previous / Next" links, and sidebar sections listing the blog's other posts.
Document frequency removes what recurs across many pages, but lines that mix a
stock phrase with the page's own date, author or title are unique to the page,
and in short posts they can outweigh the post itself. ``strip_chrome`` drops
such lines and marks where they were with ``BREAK``, so that no shingle is
made of chrome words on one side and post words on the other.

Every rule names the platform family it serves; lines are matched whole, after
Markdown heading and bullet marks are taken off (html2text writes them).
"""

from __future__ import annotations

from ..rules.dedup import (
    BREAK,
    BREAKS,
    CHROME,
    HEADING,
    HEADING_AT,
    LINKS,
    NEEDLE_RULES,
    SITE_NAME,
)

"""A word no text contains: shingles never span it."""


# The letters outside ASCII whose lowercase holds an ASCII letter.
ASCII_LOWERCASE_OUTSIDE = "\u0130\u212a"
SECTION_ITEM_WORDS = 16  # a sidebar item (a title, "► 2024 (6)") is shorter than this
SECTION_LINES = 12
LONG_NEEDLE = 8
"""Characters from which a needle is looked for in the text itself, not its bytes."""





def strip_chrome(text: str) -> str:
    """``text`` without chrome lines and sidebar sections, each gap marked by ``BREAK``.

    A sidebar section is a heading from ``SECTION_HEADINGS`` followed by short
    lines; if it runs past ``SECTION_LINES`` of them it was the post after all
    (html2text wraps every paragraph into short lines) and is kept. Whole-text
    regular expressions find both, so that a post without chrome costs two scans.
    """
    # (Most raw text has no "]": one character is looked for before the pair, which in a
    # text that is not ASCII is looked for in its UTF-8 bytes, ~25 us.)
    if "]" in text and ("](" in text if text.isascii()
                        else b"](" in text.encode("utf-8", "surrogatepass")):
        text = LINKS.sub(r"\1", SITE_NAME.sub(BREAK, text))
    lower = _framed_lower(text)
    heading = HEADING_AT.search(lower)
    if heading is not None:
        start = heading.start()  # the framing newline: the heading line's start in text
        tail = _sections(text[start:])
        text = text[:start] + tail
        # Only the tail changed: its lowercase is joined to the head's, unless the text
        # needs the lowercase of every character (``_framed_lower``), done whole alike.
        lower = _framed_lower(text) if _unicode_lower(text) else \
            lower[:start + 1] + _framed_lower(tail)[1:]
    out: list[str] = []
    end = 0
    for start, stop in _chrome_spans(lower):  # offsets in the frame are one past text's
        if start >= end:
            out += (text[end:start], BREAK)
            end = stop - 1
    if out:
        text = "".join(out) + text[end:]
    return BREAKS.sub(BREAK, text) if BREAK in text else text


def _chrome_spans(lower: str) -> list[tuple[int, int]]:
    """(framing newline, end) of each chrome line of a framed lowercase text, in order."""
    spans = [match.span() for match in CHROME.finditer(lower)]
    data: bytes | None = None
    for rule, needles in NEEDLE_RULES:
        for needle in needles:
            # A one-character search is quick in any text, and so is a long needle (the
            # search skips ahead by its length); a short one is looked for in the UTF-8
            # bytes first (in a text that is not ASCII it costs ~1 ns a character there,
            # ~5 in the text, and the encoding ~1.5).
            if len(needle) > 1 and not all(c in lower for c in needle):
                at = -1  # (one-character searches cost ~0.2 us)
            elif 1 < len(needle) < LONG_NEEDLE and not lower.isascii():
                data = data or lower.encode("utf-8", "surrogatepass")
                at = lower.find(needle) if needle.encode("utf-8") in data else -1
            else:
                at = lower.find(needle)
            while at != -1:
                start, stop = lower.rfind("\n", 0, at), lower.find("\n", at)
                if rule.fullmatch(lower, start + 1, stop):
                    spans.append((start, stop))
                at = lower.find(needle, stop)
    return sorted(spans) if len(spans) > 1 else spans


def _framed_lower(text: str) -> str:
    """``text`` lowercased between two newlines, its offsets kept (shifted by one).

    The rules' letters are all ASCII, and what they match beyond them (``\\w``, ``.``,
    arrows, ``©``) matches a letter in either case: outside ASCII only the two
    letters whose lowercase has an ASCII letter (Kelvin's K, a dotted I) need a
    Unicode lowercase. So a text that is not ASCII is lowercased through its UTF-8
    bytes (``str.lower`` over such a text costs ~5 ns a character).
    """
    if text.isascii():
        lower = text.lower()
    elif not _unicode_lower(text):
        lower = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    else:
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return f"\n{lower}\n"


def _unicode_lower(text: str) -> bool:
    """Whether ``text`` holds a letter outside ASCII whose lowercase is an ASCII one."""
    return any(letter in text for letter in ASCII_LOWERCASE_OUTSIDE)


def _sections(text: str) -> str:
    out: list[str] = []
    section: list[str] | None = None
    for line in text.split("\n"):
        bare = line.strip()
        if section is not None and HEADING.fullmatch(line):  # the next gadget
            out.append(BREAK)
            section = None
        if section is not None:
            if not bare or bare == BREAK or len(bare.split()) < SECTION_ITEM_WORDS:
                section.append(line)
                if sum(1 for x in section if x.strip()) <= SECTION_LINES:
                    continue
                out.extend(section)  # too long for a sidebar gadget
                section = None
                continue
            out.append(BREAK)
            section = None
        if HEADING.fullmatch(line):
            section = [line]
        else:
            out.append(line)
    if section is not None:
        out.append(BREAK)
    return "\n".join(out)
