"""Any copy of a post -> the same comparable text.

A post reaches the archive in many forms: a Markdown source with static-site
syntax (MkDocs annotations, attribute lists, emoji shortcodes), the text of its
rendered page (``¶`` after headings, lists as bullets, emoji gone), raw text
scraped years ago (title on the first line, a ``Posted on:`` line), an aggregator
copy (front matter over an HTML body) or a saved HTML page. ``normalize`` detects
which from the content alone, pulls out the metadata the copy carries (title,
URL, date) and reduces the rest to lowercase words without markup, so that two
copies of one post compare equal word for word wherever their wording is equal.
"""

from __future__ import annotations

import codecs
import html as html_lib
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
import lxml.html
import numpy as np
from lxml import etree

from ..rules.dedup import (
    ANY_TAG,
    CLASS_ATTRIBUTE,
    HTML_BLOCK,
    HTML_BLOCK_TAG,
    HTML_BLOCKS,
    HTML_COMMENT,
    HTML_DOC,
    HTML_DROP,
    HTML_TAG,
    ISO_DATE,
    LIST_MARKERS,
    MARKDOWN_HINT,
    MARKDOWN_HINT_LEADS,
    MARKDOWN_LINE_HINT,
    MARKDOWN_LIST,
    MARKDOWN_RULES,
    MOJIBAKE_HINT,
    MOJIBAKE_LEADS,
    MOJIBAKE_PAIRS,
    NEEDS_PARSER,
    POSTED_ON,
    READ_MORE,
    SPACES,
    TEXT_RULES,
    URL_LINE,
)
from . import front_matter
from .chrome import BREAK, strip_chrome
from .front_matter import COPY_KEYS, DATE_KEYS, EDIT_KEYS, TITLE_KEYS, URL_KEYS

Format = Literal["markdown-front-matter", "html-front-matter", "text-front-matter", "html",
                 "markdown", "text"]

# Richer forms rank higher when a group's canonical member is chosen.
FORMAT_RANK: dict[str, int] = {
    "markdown-front-matter": 5,
    "html-front-matter": 4,
    "text-front-matter": 3,
    "markdown": 2,
    "html": 1,
    "text": 0,
}

HINT_SPAN = 20_000

HTML_DROP_CLASSES = ("headerlink", "footnote-ref", "footnote-backref", "screen-reader-text",
                     "sharedaddy", "share", "sidebar", "comments", "post-meta")
DROP_BY_CLASS = etree.XPath(" | ".join(
    f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    for name in HTML_DROP_CLASSES))
# Where a saved page records its metadata, in order of trust.
HEAD_FIELDS = tuple((name, etree.XPath(path)) for name, path in (
    ("url", "//link[@rel='canonical']/@href"),
    ("url", "//meta[@property='og:url']/@content"),
    ("title", "//meta[@property='og:title']/@content"),
    ("title", "//title/text()"),
    ("date", "//meta[@property='article:published_time']/@content"),
    ("date", "//time/@datetime"),
))



# ASCII punctuation and the typographic marks of prose, to spaces (\w keeps the rest).
PUNCTUATION_CHARS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\x7f" + "".join(
    map(chr, range(10))) + "".join(map(chr, range(11, 32))))
# Bytes of folded text: uppercase ASCII to lowercase, punctuation, control characters
# and line breaks to spaces; the bytes of other UTF-8 characters pass untouched.
FOLD_TABLE = bytes(0x20 if chr(b) in PUNCTUATION_CHARS or b == 10 else
                   b + 32 if 65 <= b <= 90 else b for b in range(256))


@dataclass(frozen=True)
class NormalizedDoc:
    """One copy of a post reduced for comparison."""

    format: Format
    text: str
    """Comparable text: lowercase words without accents, markup or punctuation, separated
    by single spaces."""
    title: str = ""
    url: str = ""
    date: str = ""
    title_trusted: bool = False
    """The title comes from front matter, an HTML head or a ``# `` heading, not from a
    guess at the first line of raw text (which is often the blog's name)."""
    copied: bool = False
    """Front matter says the file was brought in from elsewhere (``COPY_KEYS``)."""
    edited: str = ""
    """The latest of the dates the copy carries (an ``updated:`` key, else ``date``)."""
    excerpt: bool = False
    """The text carries a feed excerpt's "Read more" line (removed from ``text``)."""

    @property
    def words(self) -> list[str]:
        return self.text.split()


def normalize(text: str) -> NormalizedDoc:
    """Detect the format of ``text``, take out its metadata and return comparable text."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:  # (a two-character search costs ~5 ns a character in most texts)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = repair(text)
    # Front matter opens the file or is absent: no need to split every text into lines.
    data, body = front_matter.read(text) if text.startswith("---") else (None, text)
    if data is not None:
        fmt: Format = "html-front-matter" if looks_like_html(body) else \
            "markdown-front-matter" if _markdown_hints(body) or not body.strip() else \
            "text-front-matter"  # raw text under front matter (an ingested scrape)
        plain = html_text(body)[1] if fmt == "html-front-matter" else markdown_text(body)
        title, url, date = (_first(data, keys) for keys in (TITLE_KEYS, URL_KEYS, DATE_KEYS))
        doc = _finish(fmt, plain, title, url, date, trusted=True)
        edited = _first(data, EDIT_KEYS)
        return replace(doc, copied=any(k in data for k in COPY_KEYS),
                       edited=edited if date_sort_key(edited) > date_sort_key(date) else date)
    if HTML_DOC.match(text) or looks_like_html(text):
        head, plain = html_text(text)
        return _finish("html", plain, head.get("title", ""), head.get("url", ""),
                       head.get("date", ""), trusted=True)
    fmt = "markdown" if _markdown_hints(text) >= 2 else "text"
    # The header is read before and after chrome is stripped: a "Posted on:" line is
    # both metadata and chrome, "Skip to content" is never the title.
    header, rest = _text_header(strip_chrome(text))
    dated = header.get("date") or _text_header(text)[0].get("date", "")
    plain = markdown_text(rest) if fmt == "markdown" else rest
    return _finish(fmt, plain, header.get("title", ""), header.get("url", ""),
                   dated, trusted="heading" in header,
                   excerpt=READ_MORE.search("\n" + text) is not None)  # before chrome took it


def _markdown_hints(text: str) -> int:
    """Markdown syntax found near the start of ``text``: 0, 1 or 2 (enough)."""
    sample = text[:HINT_SPAN]
    found = sum(1 for _ in itertools.islice(MARKDOWN_LINE_HINT.finditer("\n" + sample), 2))
    # Every inline hint starts with one of these: a text without any needs no scan.
    if found < 2 and any(lead in sample for lead in MARKDOWN_HINT_LEADS):
        found += sum(1 for _ in itertools.islice(
            MARKDOWN_HINT.finditer(text, 0, HINT_SPAN), 2 - found))
    return found


def looks_like_html(text: str) -> bool:
    """True for an HTML body: block tags open most lines, not just a few as Markdown allows."""
    if HTML_DOC.match(text):
        return True
    sample = text[:HINT_SPAN]
    if "<" not in sample:  # raw text and most Markdown: no need to count lines
        return False
    lines = sum(1 for line in sample.split("\n") if line.strip())
    return lines > 0 and len(HTML_BLOCK.findall("\n" + sample)) * 2 >= lines


def repair(text: str) -> str:
    """Repair mojibake ("fianc√©", "itâ€™s") run by run of non-ASCII characters.

    A mis-decoded UTF-8 character is a run of non-ASCII characters. Once the text
    shows a ``MOJIBAKE_HINT``, every run of two or more is encoded back with each
    wrong decoding's codec and decoded as UTF-8: the first that round-trips strictly
    is the repair (a correct run almost never does; runs are fixed one by one
    because one file can carry two wrong decodings). A run that no codec
    round-trips but that holds a hint or a lost byte goes to ftfy, which costs
    ~10 ms per 40 kB, so it only ever sees those runs.
    """
    if text.isascii() or not _has_hint(text):
        return text
    out: list[str] = []
    end = 0
    for start, stop in _non_ascii_runs(text):
        out += (text[end:start], _fix_run(text[start:stop]))
        end = stop
    out.append(text[end:])
    return "".join(out)


def _non_ascii_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of non-ASCII characters of ``text``.

    Found on the code points in numpy: a regular expression's character class costs
    ~15 ns a character of a text that is not ASCII, four times the encoding."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    high = np.zeros(len(codes) + 2, dtype=bool)
    np.greater(codes, 0x7F, out=high[1:-1])
    bounds = np.flatnonzero(high[1:] != high[:-1]).tolist()  # starts and ends, alternating
    return zip(bounds[0::2], bounds[1::2], strict=True)


def _has_hint(text: str) -> bool:
    # One character search per lead (~0.3 us each for 15 kB) before the regex (~6 ns a
    # character over a text that is not ASCII), which only a text holding a misread
    # lead byte needs: the other hints are two fixed pairs ("naïve" holds a lead of one).
    if any(lead in text for lead in MOJIBAKE_LEADS):
        return MOJIBAKE_HINT.search(text) is not None
    return any(pair in text for pair in MOJIBAKE_PAIRS)


# The wrong decodings of UTF-8 met in practice, most common first (the sloppy codec is
# ftfy's cp1252 that keeps the five bytes cp1252 leaves undefined).
MOJIBAKE_CODECS = ("sloppy-windows-1252", "mac_roman", "latin-1")


_FIXED_RUNS: dict[str, str] = {}


def _fix_run(run: str) -> str:
    """The repair of one run, memoised: a corpus has few distinct runs."""
    if len(run) < 2:
        return run
    fixed = _FIXED_RUNS.get(run)
    if fixed is None:
        if len(_FIXED_RUNS) > 100_000:  # bound the memory of a long run
            _FIXED_RUNS.clear()
        fixed = _FIXED_RUNS[run] = _repaired(run)
    return fixed


def _repaired(run: str) -> str:
    for codec in MOJIBAKE_CODECS:
        try:
            return run.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    if "\ufffd" in run or MOJIBAKE_HINT.search(run):
        return ftfy.fix_text(run, uncurl_quotes=False, normalization=None)
    return run


def markdown_text(body: str) -> str:
    """Markdown (with MkDocs/Jekyll syntax and inline HTML) reduced to its text."""
    return MARKDOWN_LIST.sub("\n ", "\n" + _apply(MARKDOWN_RULES, body))[1:]


def _apply(rules: tuple[tuple[str, re.Pattern[str], str], ...], text: str) -> str:
    # A needle is only looked for when each of its characters is in the text: a one-
    # character search is quick in any text (~0.5 us for 15 kB), a longer needle costs
    # ~1 ns a byte even in the UTF-8 bytes (in a text that is not ASCII, ~5 ns a
    # character in the text itself).
    seen: dict[str, bool] = {}
    data: bytes | None = None
    for needle, pattern, replacement in rules:
        if not all(seen[c] if c in seen else seen.setdefault(c, c in text) for c in needle):
            continue
        if len(needle) == 1 or text.isascii():
            present = True if len(needle) == 1 else needle in text
        else:
            if data is None:
                data = text.encode("utf-8", "surrogatepass")
            present = needle.encode("utf-8") in data
        if present:
            text, count = pattern.subn(replacement, text)
            if count:
                seen, data = {}, None
    return text


def html_text(html: str) -> tuple[dict[str, str], str]:
    """The text of an HTML page or fragment, one line per block, plus head metadata."""
    if not HTML_DOC.match(html) and not _needs_parser(html):
        return {}, _plain_fragment(html)
    try:
        root = lxml.html.document_fromstring(html) if HTML_DOC.match(html) else \
            lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return {}, ANY_TAG.sub(" ", html)
    head = _html_head(root)
    etree.strip_elements(root, *HTML_DROP, etree.Comment, with_tail=False)
    for element in DROP_BY_CLASS(root):
        element.drop_tree()
    for element in root.iter(*HTML_BLOCKS):  # a block starts and ends a line
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return head, str(root.text_content())


def _needs_parser(html: str) -> bool:
    if NEEDS_PARSER.search(html):
        return True
    # A case-insensitive search is slow: "class" is looked for in the ASCII-lowercased
    # bytes first (the long s is the one other character that case-folds to an "s").
    data = html.encode("utf-8", "surrogatepass").lower()
    return (b"class" in data or "\u017f" in html) and CLASS_ATTRIBUTE.search(html) is not None


def _plain_fragment(html: str) -> str:
    """The text of a fragment made only of plain markup (an aggregator's ``<p>``
    paragraphs): what the parser would give (blocks on their own lines, inline tags
    gone, entities decoded) at a tenth of its cost."""
    text = HTML_BLOCK_TAG.sub("\n", HTML_COMMENT.sub("", html))
    return html_lib.unescape(HTML_TAG.sub("", text))


def _html_head(root: Any) -> dict[str, str]:
    """URL, title and date from the head (first hit of each ``HEAD_FIELDS`` path); the
    head is then removed, so that its text is not the post's."""
    found: dict[str, str] = {}
    for name, path in HEAD_FIELDS:
        if name not in found:
            hits = path(root)
            if hits:
                found[name] = str(hits[0]).strip()
    for element in root.xpath("//head"):
        element.drop_tree()
    return found


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, dict):  # MkDocs: date: {created: ..., updated: ...}
            value = value.get("updated") or value.get("created")
        if value not in (None, "", [], {}):
            return str(value).strip()
    return ""




def date_sort_key(value: str) -> str:
    """``YYYY-MM-DD HH:MM`` from an ISO date or timestamp, else ``""``: for ordering."""
    match = ISO_DATE.search(value)
    if not match:
        return ""
    year, month, day, hour, minute = match.groups()
    return f"{year}-{month}-{day} {hour or '00'}:{minute or '00'}"


def _text_header(text: str) -> tuple[dict[str, str], str]:
    """Header fields of raw text or bare Markdown (a first-line title, a ``Posted on:``
    line, a ``URL:`` line, in any order) and the rest of the text.

    Lines are found one at a time: splitting a whole text to read four lines of it
    cost more than the reading."""
    found: dict[str, str] = {}
    start = _past_blank_lines(text, 0)
    for _ in range(4):
        if start > len(text):  # past the last line
            break
        end = text.find("\n", start)
        line = (text[start:] if end == -1 else text[start:end]).strip()
        posted, link = POSTED_ON.match(line), URL_LINE.match(line)
        if posted and "date" not in found:
            found["date"] = posted.group(1)
        elif link and "url" not in found:
            found["url"] = link.group(1)
        elif "title" not in found and _is_title(line, followed=end != -1):
            found["title"] = line.lstrip("#").strip()
            if line.startswith("# ") and "](" not in line:  # not a site-name link
                found["heading"] = "yes"
        else:
            break
        start = _past_blank_lines(text, len(text) + 1 if end == -1 else end + 1)
    return found, text[start:]


def _past_blank_lines(text: str, start: int) -> int:
    """The start of the first line from ``start`` on that is neither blank nor a chrome
    break (``len(text) + 1`` when there is none)."""
    while start <= len(text):
        end = text.find("\n", start)
        if (text[start:] if end == -1 else text[start:end]).strip() not in ("", BREAK):
            return start
        start = len(text) + 1 if end == -1 else end + 1
    return start


def _is_title(line: str, *, followed: bool) -> bool:
    if line.startswith("# "):
        return True
    if line.startswith("#") or not followed or len(line) > 150 or len(line.split()) > 20:
        return False
    return not line.endswith((".", ",", ";", ":")) and not line.startswith(("-", "*", ">"))


def _finish(fmt: Format, plain: str, title: str, url: str, date: str, *, trusted: bool,
            excerpt: bool = False) -> NormalizedDoc:
    plain, title = _drop_leading_title(plain, title)
    plain, cut = READ_MORE.subn("\n", "\n" + plain)
    return NormalizedDoc(fmt, fold(plain), title.strip(), url, date,
                         excerpt=excerpt or cut > 0,
                         title_trusted=trusted and bool(title.strip()))


def _drop_leading_title(plain: str, title: str) -> tuple[str, str]:
    """A body that repeats its title (a rendered page's ``<h1>``) loses it; the heading
    wins over a ``<title>`` that appends the site name."""
    first, _, rest = plain.lstrip().partition("\n")
    first_folded, title_folded = fold(first.lstrip("#").strip()), fold(title)
    if not first_folded or not title_folded:
        return plain, title
    if first_folded == title_folded:
        return rest, title
    if len(first_folded) >= 10 and title_folded.startswith(first_folded):
        return rest, first.lstrip("#").strip()
    return plain, title


SHORT_FOLD = 200
"""Texts up to this long (titles, first lines) are folded through a cache: each document
folds its title two or three times, and the copies of a post share it."""


def fold(text: str) -> str:
    """Lowercase words without accents, emoji, markup leftovers or punctuation."""
    return _fold_short(text) if len(text) <= SHORT_FOLD else _fold(text)


@lru_cache(maxsize=65_536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = _apply(TEXT_RULES, text)
    text = LIST_MARKERS.sub("\n ", "\n" + text)[1:]
    # Encoded as ASCII, each run of other characters folded by ``_fold_runs`` (the codec
    # finds the runs in C), the rest by one byte table (``FOLD_TABLE``); then the words,
    # one space apart. All on bytes: a Unicode lower() or split() costs several times more.
    data = _collapse_spaces(text.encode("ascii", FOLD_ERRORS).translate(FOLD_TABLE))
    return data.strip(b" ").decode("utf-8", "surrogatepass")


SPACES_BY_ARRAY = 2_000
"""Bytes from which runs of spaces are collapsed in numpy: a folded text has a run
after most punctuation, and a regex substitution pays for each match (~3x the cost)."""


def _collapse_spaces(data: bytes) -> bytes:
    """``data`` with each run of spaces made one space."""
    if len(data) < SPACES_BY_ARRAY:
        return SPACES.sub(b" ", data)
    codes = np.frombuffer(data, dtype=np.uint8)
    space = codes == 0x20
    keep = np.ones(len(codes), dtype=bool)
    np.logical_not(space[1:] & space[:-1], out=keep[1:])  # a space after a space goes
    return codes[keep].tobytes()


_FOLDED_RUNS: dict[str, bytes] = {}


def _fold_runs(error: UnicodeError) -> tuple[bytes, int]:
    """The ``FOLD_ERRORS`` handler: a run of non-ASCII characters folded to UTF-8 bytes:
    compatibility forms (NFKC), case, accents off (NFKD, marks dropped), anything else
    that is not a letter or digit (quotes, dashes, emoji) to a space. Memoised: a
    corpus has few distinct runs."""
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start:error.end]
    folded = _FOLDED_RUNS.get(run)
    if folded is None:
        if len(_FOLDED_RUNS) > 100_000:  # bound the memory of a long run
            _FOLDED_RUNS.clear()
        decomposed = unicodedata.normalize(
            "NFKD", unicodedata.normalize("NFKC", run).casefold())
        folded = "".join(c if c.isalnum() else "" if unicodedata.category(c)[0] == "M"
                         else " " for c in decomposed).encode("utf-8", "surrogatepass")
        _FOLDED_RUNS[run] = folded
    return folded, error.end


FOLD_ERRORS = "vellum-dedup-fold"
codecs.register_error(FOLD_ERRORS, _fold_runs)
