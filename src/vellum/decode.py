"""Bytes -> text for HTML pages: content types, HTML sniffing and the charset cascade.

Shared by fetch (responses, with their Content-Type) and extract (pages read from
disk or stdin, without one).

Order (the HTML standard's, which browsers follow): a byte order mark, then the
charset of the Content-Type header, then a ``<meta>`` declaration near the top
of the document, then statistical detection, finally UTF-8 with replacement
characters. Decoding never raises: bad bytes become U+FFFD.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

HTML_TYPES = ("text/html", "application/xhtml+xml")

# How far into the body a <meta charset> or an HTML signature is looked for.
PRESCAN_BYTES = 4096

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels the web uses for windows-1252 (the HTML standard maps them so: real pages
# labelled latin-1 routinely contain curly quotes in 0x80-0x9F).
WINDOWS_1252_ALIASES = ("ascii", "iso8859-1", "cp1252")
# A <meta> cannot truthfully declare UTF-16: the parser read the tag as ASCII.
# Browsers refuse UTF-7 (it smuggles markup past filters); treat it as unknown.
REFUSED_CODECS = ("utf-7",)
META_UTF16 = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")

# Tags whose presence at the very start identifies an HTML document
# (the HTML-signature table of the WHATWG MIME sniffing standard).
HTML_SIGNATURES = (
    "<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font",
    "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--",
)
TAG_END = (" ", ">", "\t", "\n", "\r", "\f")

# A declared charset is trusted despite decode errors while they stay below this
# share of the well-decoded non-ASCII characters (a stray byte in a real UTF-8 page);
# a windows-1252 page labelled UTF-8 has almost no well-decoded ones.
MAX_ERROR_RATIO = 0.5

# Highest "chaos" (charset_normalizer's measure of implausible text) accepted for
# windows-1252; other code pages read as windows-1252 score well above 1.
WESTERN_CHAOS = 0.3
TAG = re.compile(rb"<[^>]*>")

CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE)
META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE
)


# Formats that misconfigured servers (or traps) send as text/html; checked on the first bytes.
BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"), (b"\x7fELF", "an executable"), (b"\x00\x00\x01\x00", "an icon"),
)
# Text never has NUL bytes (outside UTF-16/32) and hardly any other C0 controls;
# random or compressed bytes have one in eight.
BINARY_SAMPLE = 8192
TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
MAX_CONTROL_SHARE = 0.02


def binary_kind(body: bytes, content_type: str | None = None) -> str | None:
    """What binary ``body`` is ("a PNG image", "binary data"), or None for text."""
    sample = body[:BINARY_SAMPLE]
    named = next((what for mark, what in BINARY_SIGNATURES if sample.startswith(mark)), None)
    if named:
        return named
    bom = _bom(sample)
    wide = (bom[1] if bom else "") + (codec_name(_header_charset(content_type)) or "")
    if "16" in wide or "32" in wide or _utf16_shaped(sample):
        return None
    if b"\x00" in sample:
        return "binary data with NUL bytes"
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in TEXT_CONTROLS)
    if sample and controls > len(sample) * MAX_CONTROL_SHARE:
        return "binary data"
    return None


def _utf16_shaped(sample: bytes) -> bool:
    """Mostly-ASCII text in UTF-16 without a BOM: NUL in every other byte."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 16:
        return False
    return max(even.count(0), odd.count(0)) > 0.4 * len(odd) > 10 * min(even.count(0),
                                                                        odd.count(0))


def media_type(content_type: str | None) -> str:
    """The bare, lower-case media type of a Content-Type header ('' when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_like_html(body: bytes) -> bool:
    """True when the first bytes of ``body`` open an HTML document."""
    bom = _bom(body)
    head = body[len(bom[0]) :] if bom else body
    text = head[:1024].decode(bom[1] if bom else "latin-1", errors="replace")
    text = text.lstrip(" \t\r\n\f").lower()
    if text.startswith("<?xml"):
        return "<html" in text
    return any(
        text.startswith(sig) and text[len(sig) : len(sig) + 1] in TAG_END
        for sig in HTML_SIGNATURES
    )


def codec_name(label: str | None) -> str | None:
    """The Python codec for a charset label, or None for unknown or non-text codecs."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
        b"x".decode(name, errors="replace")  # rejects bytes-to-bytes codecs such as base64
    except (LookupError, ValueError):
        return None
    if name in REFUSED_CODECS:
        return None
    return "cp1252" if name in WINDOWS_1252_ALIASES else name


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode an HTML body; returns (text, Python codec name used)."""
    bom = _bom(body)
    if bom:
        return body[len(bom[0]) :].decode(bom[1], errors="replace"), bom[1]
    declared = [codec_name(_header_charset(content_type)), _meta_charset(body)]
    for name in declared:
        text = _decode_declared(body, name) if name else None
        if text is not None and name:
            return text, name
    detected = _detect(body)
    if detected:
        return body.decode(detected, errors="replace"), detected
    return body.decode("utf-8", errors="replace"), "utf-8"


def _bom(body: bytes) -> tuple[bytes, str] | None:
    return next(((mark, name) for mark, name in BOMS if body.startswith(mark)), None)


def _header_charset(content_type: str | None) -> str | None:
    match = CHARSET_PARAM.search(content_type or "")
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:PRESCAN_BYTES])
    if not match:
        return None
    name = codec_name(match.group(1).decode("ascii"))
    return "utf-8" if name in META_UTF16 else name


def _decode_declared(body: bytes, name: str) -> str | None:
    """``body`` in the declared codec, or None when that codec plainly does not fit."""
    try:
        return body.decode(name)
    except UnicodeDecodeError:
        pass
    text = body.decode(name, errors="replace")
    errors = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ch > "\x7f") - errors
    return text if errors <= non_ascii * MAX_ERROR_RATIO else None


def _detect(body: bytes) -> str | None:
    """Guess the charset of an undeclared body from its text (markup would skew the guess)."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = TAG.sub(b" ", body)
    # Undeclared legacy pages are overwhelmingly Western; the statistical guess alone
    # confuses single-byte code pages that share most letters (cp1252 vs cp1257).
    western = charset_normalizer.from_bytes(text, cp_isolation=["cp1252"], threshold=WESTERN_CHAOS)
    if western.best():
        return "cp1252"
    guesses = [m.encoding for m in charset_normalizer.from_bytes(text)]
    if b"\x00" not in body:  # without NUL bytes a body cannot be UTF-16/32
        guesses = [g for g in guesses if not g.startswith(("utf_16", "utf_32"))]
    return codec_name(guesses[0]) if guesses else None
