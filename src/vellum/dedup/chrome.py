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

import re

BREAK = "vellumchromebreak"
"""A word no text contains: shingles never span it."""

_DATE = (r"(?:(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
         r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
         r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}|\d{4}-\d{2}-\d{2})")

# Whole lines (case-insensitive, written in lowercase) that are chrome, by platform
# family, as (family, pattern, needles): a rule with needles is only tried on a text
# holding one of them (its pattern starts with a wildcard, costly at every line).
LINE_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # Any platform: navigation, dates and reading time in the header, footers.
    ("any", r"skip to (?:main )?content|menu|home|search|back to top|toggle navigation", ()),
    ("any", rf"(?:(?:posted|published|updated)\s*(?:on)?|on)?:?\s*{_DATE}"
            r"(?:\s+by\s+.{1,40})?", ()),
    ("any", r"\d{1,3}\s+min(?:ute)?s?\s+read|in\s+[\w-]+(?:,\s*[\w-]+)*", ()),
    ("any", r"(?:©|\(c\)|copyright)\s.{0,80}", ()),
    ("any", r"[\w .-]{1,30}(?:\s/\s[\w .-]{1,30}){2,}", (" / ",)),  # Blog / Archive / 2022
    ("any", r"(?:tags|labels|categories|filed under|posted in)\s*:.{0,200}", ()),
    ("any", r"(?:previous|next|newer|older)(?:\s+(?:post|posts|article|entry))?\s*:?", ()),
    ("any", r"(?:←|«|‹)\s.{1,120}|.{1,120}\s(?:→|»|›)", ("←", "«", "‹", "→", "»", "›")),
    ("any", r"previous\s.{1,120}\snext\s.{1,120}", ()),
    # WordPress: share and like widgets, comments.
    ("wordpress", r"menu(?:\s+[\w-]+){1,8}", ()),  # the theme's menu toggle and its items
    ("wordpress", r"share this:?|like this:?|loading\.*|…|related|leave a (?:reply|comment)",
     ()),
    ("wordpress", r"twitter|facebook|linkedin|reddit|email|print|pinterest|mastodon", ()),
    ("wordpress", r"\d+\s+(?:thoughts?|responses?|comments?)\s+(?:on|to)\s.{1,200}", ()),
    ("wordpress", r"proudly powered by wordpress.{0,40}|powered by wordpress.{0,40}", ()),
    # Blogger: post footer and the standard gadgets' headings.
    ("blogger", r"posted by .{1,60} at \d{1,2}:\d{2}\s*(?:am|pm)?", ()),
    ("blogger", r"\d+\s+comments?:?|no comments?:?", ()),
    ("blogger", r"email this\s*blogthis!.*|subscribe to:.{1,60}", ()),
    ("blogger", r"(?:►|▼)\s.{1,40}", ()),
    # Jekyll themes (minima and friends).
    ("jekyll", r"powered by jekyll.{0,40}", ()),
    ("jekyll", r".{0,60}\. powered by jekyll\.?", ("powered by jekyll",)),
    ("jekyll", r"related posts", ()),
    ("jekyll", r"[\w’' ]{1,40}about archive tags", ("about archive tags",)),
    # Material for MkDocs.
    ("mkdocs", r"made with material for mkdocs|copyright.{0,80}", ()),
)
# Sidebar sections: their heading, then short lines (other posts' titles, counts).
SECTION_HEADINGS = (
    "popular posts", "recent posts", "related posts", "related", "blog archive", "archives",
    "labels", "categories", "tags", "about me", "about", "recent comments", "meta",
    "follow", "subscribe", "followers",
)
SECTION_ITEM_WORDS = 16  # a sidebar item (a title, "► 2024 (6)") is shorter than this
SECTION_LINES = 12

# A heading that is one link home: the blog's name as html2text writes it (Blogger, Jekyll).
_SITE_NAME = re.compile(r"^[ \t]*#{1,6}[ \t]+\[[^\]\n]*\]\((?:/|\.|https?://[^/)\s]+/?)\)[ \t]*$",
                        re.MULTILINE)
_LINKS = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_MARKS = r"[ \t]*(?:(?:#{1,6}|[*+-]|>)[ \t]+)*"
_HEADING = re.compile(
    rf"^(?![ \t]*(?:[*+-]|\d+[.)])[ \t])[ \t]*(?:#{{1,6}}[ \t]+)?"
    rf"(?:{'|'.join(map(re.escape, SECTION_HEADINGS))})[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
# The two searches over a whole text run on its lowercase copy, framed by newlines: a
# pattern that starts with a newline and then literal text lets the regex engine jump
# from line to line and drop most alternatives at their first character, which case-
# insensitive matching would prevent.
_HEADING_AT = re.compile(
    rf"\n(?![ \t]*(?:[*+-]|\d+[.)])[ \t])[ \t]*(?:#{{1,6}}[ \t]+)?"
    rf"(?:{'|'.join(map(re.escape, SECTION_HEADINGS))})[ \t]*:?[ \t]*(?=\n)")


_CHROME = re.compile(
    rf"\n{_MARKS}(?:{'|'.join(f'(?:{p})' for _, p, wanted in LINE_RULES if not wanted)})"
    r"[ \t]*:?[ \t]*(?=\n)")
# The rules with needles, each tried only on the lines that hold one of its needles.
_NEEDLE_RULES = tuple((re.compile(rf"{_MARKS}(?:{p})[ \t]*:?[ \t]*"), wanted)
                      for _, p, wanted in LINE_RULES if wanted)
_BREAKS = re.compile(rf"{BREAK}(?:\s*{BREAK})+")


def strip_chrome(text: str) -> str:
    """``text`` without chrome lines and sidebar sections, each gap marked by ``BREAK``.

    A sidebar section is a heading from ``SECTION_HEADINGS`` followed by short
    lines; if it runs past ``SECTION_LINES`` of them it was the post after all
    (html2text wraps every paragraph into short lines) and is kept. Whole-text
    regular expressions find both, so that a post without chrome costs two scans.
    """
    if "](" in text if text.isascii() else b"](" in text.encode("utf-8", "surrogatepass"):
        text = _LINKS.sub(r"\1", _SITE_NAME.sub(BREAK, text))
    lower = _framed_lower(text)
    heading = _HEADING_AT.search(lower)
    if heading is not None:
        start = heading.start()  # the framing newline: the heading line's start in text
        text = text[:start] + _sections(text[start:])
        lower = _framed_lower(text)
    out: list[str] = []
    end = 0
    for start, stop in _chrome_spans(lower):  # offsets in the frame are one past text's
        if start >= end:
            out += (text[end:start], BREAK)
            end = stop - 1
    if out:
        text = "".join(out) + text[end:]
    return _BREAKS.sub(BREAK, text) if BREAK in text else text


def _chrome_spans(lower: str) -> list[tuple[int, int]]:
    """(framing newline, end) of each chrome line of a framed lowercase text, in order."""
    spans = [match.span() for match in _CHROME.finditer(lower)]
    data = lower.encode("utf-8", "surrogatepass")  # needles are looked for in bytes first:
    for rule, needles in _NEEDLE_RULES:  # a search in text that is not ASCII is slow
        for needle in needles:
            at = lower.find(needle) if needle.encode("utf-8") in data else -1
            while at != -1:
                start, stop = lower.rfind("\n", 0, at), lower.find("\n", at)
                if rule.fullmatch(lower, start + 1, stop):
                    spans.append((start, stop))
                at = lower.find(needle, stop)
    return sorted(spans) if len(spans) > 1 else spans


def _framed_lower(text: str) -> str:
    """``text`` lowercased between two newlines, its offsets kept (shifted by one)."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lowercase is longer ("İ"): char by char
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return f"\n{lower}\n"


def _sections(text: str) -> str:
    out: list[str] = []
    section: list[str] | None = None
    for line in text.split("\n"):
        bare = line.strip()
        if section is not None and _HEADING.fullmatch(line):  # the next gadget
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
        if _HEADING.fullmatch(line):
            section = [line]
        else:
            out.append(line)
    if section is not None:
        out.append(BREAK)
    return "\n".join(out)
