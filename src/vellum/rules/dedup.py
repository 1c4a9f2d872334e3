"""Rules of the dedup stage: what marks mojibake, markup, chrome and dates in a post."""

from __future__ import annotations

import re

DATE = (r"(?:(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
        r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
        r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}|\d{4}-\d{2}-\d{2})")


# A UTF-8 lead byte read as cp1252/Latin-1 (Ã©, â€™) or Mac Roman (√©, ‚Äô) followed by a
# continuation byte read the same way: pairs that correct text almost never contains.
LEADS = "\u00c2\u00c3\u00c5\u00ce\u00cf\u00d0\u00d1\u00e2\u00e5\u221a"
CONTINUATIONS = ("\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                  "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")
# Elements that are never the post's text, and elements that end a line.
HTML_DROP = ("script", "style", "noscript", "template", "svg", "nav", "aside", "footer",
             "form", "button", "iframe", "select")
HTML_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
    "th", "pre", "blockquote", "section", "article", "figure", "figcaption", "header",
    "main", "dt", "dd", "hr", "table", "details", "summary",
})
ATTRIBUTE = r"""(?:[.#][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+))"""

BREAK = "vellumchromebreak"
# Whole lines (case-insensitive, written in lowercase) that are chrome, by platform
# family, as (family, pattern, needles): a rule with needles is only tried on a text
# holding one of them (its pattern starts with a wildcard, costly at every line).
LINE_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # Any platform: navigation, dates and reading time in the header, footers.
    ("any", r"skip to (?:main )?content|menu|home|search|back to top|toggle navigation", ()),
    ("any", rf"(?:(?:posted|published|updated)\s*(?:on)?|on)?:?\s*{DATE}"
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
MARKS = r"[ \t]*(?:(?:#{1,6}|[*+-]|>)[ \t]+)*"


# dedup/normalize.py
# One character class first (every lead), the rest checked behind it: the regex engine
# scans for the class in C instead of trying three alternatives at every position.
MOJIBAKE_HINT = re.compile(
    f"[{LEADS}\u201a\u00ef](?:(?<=[{LEADS}])[{CONTINUATIONS}]"
    "|(?<=\u201a)\u00c4|(?<=\u00ef)\u00bf\u00bd)"
)

# The misread UTF-8 lead bytes of ``MOJIBAKE_HINT``, and its two other hints whole: a text
# holding none of the leads (one with "naïve" in it) has mojibake only if it holds one
# of the pairs, found by substring search instead of the regex.
MOJIBAKE_LEADS = LEADS
MOJIBAKE_PAIRS = ("\u201a\u00c4", "\u00ef\u00bf\u00bd")

# Front matter read key by key (``dedup.front_matter``): the opening and closing
# delimiter lines, a top-level ``key: value`` line, a nested ``- item`` (also at the
# key's own indentation, as YAML dumpers write lists) or ``sub: value`` line, quoted
# scalars (escapes as YAML defines them), a flow list of simple words, a plain date,
# and the line breaks YAML has beyond ``\n``.
FRONT_MATTER_OPEN = re.compile(r"---[^\S\n]*\n")
FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)
FRONT_MATTER_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(\S.*?))? *")
FRONT_MATTER_NESTED_LINE = re.compile(
    r"( *)(?:- +(\S.*?)|(?<=\s)([A-Za-z_][A-Za-z0-9_-]*):(?: +(\S.*?))?) *")
YAML_DOUBLE_QUOTED = re.compile(
    r'"(?:[^"\\]|\\(?:[0abtnvfre "/\\N_LP]|x[0-9A-Fa-f]{2}|u(?![dD][89a-fA-F])[0-9A-Fa-f]{4}'
    r'|U(?:000[0-9A-Fa-f]|0010)[0-9A-Fa-f]{4}))*"')
YAML_SINGLE_QUOTED = re.compile(r"'(?:[^']|'')*'")
YAML_FLOW_WORDS = re.compile(
    r"\[(?: *[A-Za-z0-9_][A-Za-z0-9_. -]*?(?: *, *[A-Za-z0-9_][A-Za-z0-9_. -]*?)* *)?\]")
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")

HTML_DOC = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>])", re.IGNORECASE)

# A line opened by a block tag, matched after a newline (the text is framed by one) so
# that the regex engine jumps from line to line.
HTML_BLOCK = re.compile(
    r"\n\s*</?(?:p|div|h[1-6]|ul|ol|li|figure|section|article|blockquote|table|pre|br)\b"
    r"[^>]*>", re.IGNORECASE)

# Syntax that plain text (bullets and numbered lists included) does not have: at the
# start of a line (matched after a newline), and inline (the underscore's lookbehind
# comes after it, so that every alternative starts with a literal character and the
# regex engine skips to candidates instead of trying every position).
MARKDOWN_LINE_HINT = re.compile(r"\n(?:#{1,6}\s|```|~~~)")

MARKDOWN_HINT = re.compile(
    r"\[[^\]\n]+\]\([^)\s]+\)|\*\*\S|_(?<!\w_)\S[^_\n]*_(?!\w)|\{\s*[.:]\w|\[\^\w+\]")
MARKDOWN_HINT_LEADS = "[*_{"  # the first character of every MARKDOWN_HINT

URL_LINE = re.compile(
    r"^\s*(?:url|link|permalink|source|original(?:ly published at)?|canonical)\s*:\s*"
    r"<?(https?://[^\s>]+)>?\s*$", re.IGNORECASE)

# The line a feed excerpt or teaser ends with ("Read more »", "Continue reading →").
# Matched after a newline (``_read_more``), so the engine jumps from line to line.
READ_MORE = re.compile(
    r"\n[ \t]*\[?(?:read more|continue reading|read the (?:full|rest)[\w ]{0,20}|keep reading)"
    r"\b[^\n]{0,40}$", re.IGNORECASE | re.MULTILINE)

POSTED_ON = re.compile(
    r"^\s*(?:posted|published|written|updated)(?:\s+on)?\s*:?\s*(.{4,40}?)\s*$", re.IGNORECASE
)

# What only the parser handles: elements dropped whole or by class, head metadata,
# CDATA. A fragment with neither a tag nor a class attribute takes ``_plain_fragment``.
# Two patterns that each start with a literal character, so that the regex engine skips
# to candidates (one alternation led by ``\s`` was tried at every position: 0.4 ms for
# an aggregator's 15 kB body).
NEEDS_PARSER = re.compile(
    rf"<(?:{'|'.join(HTML_DROP)}|time|meta|link|title|head|html|!doctype|!\[cdata)\b",
    re.IGNORECASE)
CLASS_ATTRIBUTE = re.compile(r"c(?<=\sc)lass\s*=", re.IGNORECASE)

HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")

HTML_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(HTML_BLOCKS))})\b[^>]*>", re.IGNORECASE)

# Markdown and site-generator syntax that renders to nothing, as (a substring every
# match contains, pattern, replacement): the substring test skips most passes.
MARKDOWN_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("<!--", re.compile(r"<!--.*?-->", re.DOTALL), " "),
    ("```", re.compile(r"^\s*```.*$", re.MULTILINE), " "),
    ("~~~", re.compile(r"^\s*~~~.*$", re.MULTILINE), " "),
    # Attribute lists: `{ .annotate }`, `{: #id .cls }`, `{ align=right width="35%"}`.
    ("{", re.compile(rf"\{{:?\s*{ATTRIBUTE}(?:\s+{ATTRIBUTE})*\s*\}}"), " "),
    ("![", re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), " "),  # images: rendered text has none
    ("![", re.compile(r"!\[[^\]\n]*\]\[[^\]\n]*\]"), " "),
    ("[^", re.compile(r"\[\^[^\]\s]+\](?!:)"), " "),  # footnote references
    ("[^", re.compile(r"^\[\^[^\]\s]+\]:", re.MULTILINE), " "),  # definitions keep text
    ("]:", re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE), " "),  # link defs
    ("](", re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links keep their text
    ("][", re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]"), r"\1"),  # reference links
    ("<http", re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    ("<", re.compile(r"</?[a-zA-Z][\w-]*(?:\s[^<>]*)?/?>"), " "),  # inline HTML tags
    ("!!!", re.compile(r"^\s*!!!\s*\w+", re.MULTILINE), " "),  # admonition openers
    ("???", re.compile(r"^\s*\?\?\?\+?\s*\w+", re.MULTILINE), " "),
    ("^", re.compile(r"\^([^^\s]{1,20})\^"), r"\1"),  # superscript ^TM^
)

# List markers, matched after a newline like ``LIST_MARKERS``.
MARKDOWN_LIST = re.compile(r"\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")

# Rules for every format once it is plain text.
TEXT_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("¶", re.compile(r"¶(?=\s|$)"), " "),  # heading permalinks
    ("§", re.compile(r"§(?=\s|$)"), " "),
    # Annotation markers: `short.(1)` (the lookbehind follows the parenthesis, so that
    # the pattern starts with a literal character the regex engine can skip to).
    ("(", re.compile(r"\((?<=[^\s(]\()\d{1,2}\)"), " "),
    (":", re.compile(r":[a-z][a-z0-9_+-]*:"), " "),  # emoji shortcodes :sparkles:
)

# Bullets and numbers of rendered lists, matched after a newline (a literal first
# character lets the regex engine skip to candidates instead of trying every position).
LIST_MARKERS = re.compile(r"\n[ \t]*(?:[-*•·]|\d{1,3}[.)])[ \t]+")

SPACES = re.compile(rb"  +")

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


# dedup/chrome.py
# A heading that is one link home: the blog's name as html2text writes it (Blogger, Jekyll).
SITE_NAME = re.compile(r"^[ \t]*#{1,6}[ \t]+\[[^\]\n]*\]\((?:/|\.|https?://[^/)\s]+/?)\)[ \t]*$",
                        re.MULTILINE)

LINKS = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")

HEADING = re.compile(
    rf"^(?![ \t]*(?:[*+-]|\d+[.)])[ \t])[ \t]*(?:#{{1,6}}[ \t]+)?"
    rf"(?:{'|'.join(map(re.escape, SECTION_HEADINGS))})[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)

# The two searches over a whole text run on its lowercase copy, framed by newlines: a
# pattern that starts with a newline and then literal text lets the regex engine jump
# from line to line and drop most alternatives at their first character, which case-
# insensitive matching would prevent.
HEADING_AT = re.compile(
    rf"\n(?![ \t]*(?:[*+-]|\d+[.)])[ \t])[ \t]*(?:#{{1,6}}[ \t]+)?"
    rf"(?:{'|'.join(map(re.escape, SECTION_HEADINGS))})[ \t]*:?[ \t]*(?=\n)")

CHROME = re.compile(
    rf"\n{MARKS}(?:{'|'.join(f'(?:{p})' for _, p, wanted in LINE_RULES if not wanted)})"
    r"[ \t]*:?[ \t]*(?=\n)")

# The rules with needles, each tried only on the lines that hold one of its needles.
NEEDLE_RULES = tuple((re.compile(rf"{MARKS}(?:{p})[ \t]*:?[ \t]*"), wanted)
                      for _, p, wanted in LINE_RULES if wanted)

BREAKS = re.compile(rf"{BREAK}(?:\s*{BREAK})+")


# dedup/groups.py
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")

# Any tag, for HTML fragments simple enough to need no parser.
ANY_TAG = re.compile(r"<[^>]*>")
# "March 3rd, 2024": the ordinal suffix a date parser does not take.
ORDINAL_SUFFIX = re.compile(r"(\d)(st|nd|rd|th)\b")
