"""A key-only front-matter reader: the few keys dedup needs, without a YAML parse.

``normalize`` needs a handful of front-matter keys (``KEYS``: title, URL, dates,
the ingest mark), not the whole block; a YAML parse of the block and a split of
the whole text into lines cost more than the rest of reading an aggregator copy's
metadata. ``read`` therefore reads the block itself when every line of it is in
a small grammar whose YAML meaning is certain:

- ``key: value`` at the start of a line (a plain key of ASCII letters, digits,
  ``_`` and ``-``), or ``key:`` followed by lines all indented alike that are all
  ``- value`` (a list, also at the key's own indentation) or all ``sub: value``
  (a mapping, MkDocs' ``date: {created, updated}``), or blank lines;
- each value one line: double-quoted (escapes only as YAML defines them, and none
  in a value that is returned), single-quoted, or plain (no indicator first, no
  ``: ``, no `` #``, not ending in ``:``); a key that is not returned may also
  hold a flow list of simple words, or a plain value going on over indented
  lines (an author's bio).

Values of the keys it returns are what YAML gives: the quoted or plain text, None
for a null; a plain date (``2015-03-01``) is returned as its text, which is what
``str()`` of the date gives and what the lenient loader keeps for an impossible
one. Anything else (a tab, a comment, a flow collection, an anchor or tag, a block
or multi-line scalar, a quoted key, a repeated key, a value of another type under
a key it returns, a character YAML refuses) goes to the YAML parse of
``frontmatter.split``, so a block it reads is never judged otherwise than YAML
would: a broken block is still no front matter.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.reader import Reader

from .. import frontmatter
from ..rules.dedup import (
    FRONT_MATTER_CLOSE,
    FRONT_MATTER_KEY_LINE,
    FRONT_MATTER_NESTED_LINE,
    FRONT_MATTER_OPEN,
    PLAIN_DATE,
    YAML_DOUBLE_QUOTED,
    YAML_FLOW_WORDS,
    YAML_LINE_BREAKS,
    YAML_SINGLE_QUOTED,
)

TITLE_KEYS = ("title", "name", "headline")
# Front-matter keys, in order of trust, that record where the post lives.
URL_KEYS = ("canonical_url", "canonical", "original_url", "url", "link", "permalink",
            "source_url", "source")
DATE_KEYS = ("date", "published", "pubDate", "pub_date", "created", "updated", "modified")
EDIT_KEYS = ("updated", "modified", "last_modified", "lastmod", "date_modified")
# Keys that mark a file as a copy brought in from elsewhere (``vellum ingest``).
COPY_KEYS = ("ingested_from",)
KEYS = frozenset(TITLE_KEYS + URL_KEYS + DATE_KEYS + EDIT_KEYS + COPY_KEYS)

INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
STR, NULL, TIMESTAMP = (f"tag:yaml.org,2002:{name}" for name in ("str", "null", "timestamp"))
_RESOLVER = yaml.resolver.Resolver()


class _Unsure(Exception):
    """The block leaves the grammar: YAML decides."""


def read(text: str) -> tuple[dict[str, Any] | None, str]:
    """``(front matter, body)`` as ``frontmatter.split`` gives them, except that the
    front matter holds only ``KEYS`` when the block could be read without YAML."""
    opened = FRONT_MATTER_OPEN.match(text)
    if opened is None:
        return None, text
    closed = FRONT_MATTER_CLOSE.search(text, opened.end())
    if closed is None:
        return None, text
    try:
        data = _keys(text[opened.end():closed.start()])
    except _Unsure:
        return frontmatter.split(text)
    return data, text[closed.end() + 1:].lstrip("\n")


def _keys(block: str) -> dict[str, Any]:
    if "\t" in block or Reader.NON_PRINTABLE.search(block) or YAML_LINE_BREAKS.search(block):
        raise _Unsure
    data: dict[str, Any] = {}
    seen: set[str] = set()
    key: str | None = None  # the key whose nested lines are being read
    nested: list[tuple[str, str | None, str]] = []  # (indent, sub-key or None, value)
    plain = False  # the last key's value is a plain scalar that may go on
    for line in block.split("\n"):
        if not line.strip(" "):
            continue
        top = FRONT_MATTER_KEY_LINE.fullmatch(line)
        if top is None:
            if plain and line.startswith(" "):
                _continuation(line)
                continue
            inner = FRONT_MATTER_NESTED_LINE.fullmatch(line)
            if inner is None or key is None:
                raise _Unsure
            indent, item, sub, value = inner.groups()
            nested.append((indent, sub, item if sub is None else value or ""))
            continue
        if key is not None:
            _store(data, key, _nested(key, nested))
        name, value = top.group(1), top.group(2)
        if name in seen:
            raise _Unsure
        seen.add(name)
        key, nested, plain = (name, [], False) if value is None else (None, [], False)
        if value is not None:
            _store(data, name, _scalar(value, wanted=name in KEYS))
            # A plain value of a key that is not read may go on over indented lines.
            plain = name not in KEYS and value[0] not in "\"'["
    if key is not None:
        _store(data, key, _nested(key, nested))
    return data


def _continuation(line: str) -> None:
    """Check a further line of a plain scalar (its text does not matter)."""
    text = line.strip(" ")
    if text.startswith("#") or ": " in text or " #" in text or text.endswith(":"):
        raise _Unsure


def _store(data: dict[str, Any], key: str, value: Any) -> None:
    if key in KEYS:
        data[key] = value


def _nested(key: str, lines: list[tuple[str, str | None, str]]) -> Any:
    """The value of ``key:`` from its nested lines: None, a list or a mapping."""
    if not lines:
        return None
    if len({indent for indent, _, _ in lines}) > 1:
        raise _Unsure
    wanted = key in KEYS
    if all(sub is None for _, sub, _ in lines):
        if wanted:  # a list under a key that is read: YAML says what str() of it is
            raise _Unsure
        for _, _, value in lines:
            _scalar(value, wanted=False)
        return None
    if any(sub is None or not value for _, sub, value in lines):
        raise _Unsure  # items and keys mixed, or a deeper level
    subs = [sub for _, sub, _ in lines]
    if len(set(subs)) < len(subs):
        raise _Unsure
    return {sub: _scalar(value, wanted=wanted) for _, sub, value in lines}


def _scalar(value: str, *, wanted: bool) -> str | None:
    """The YAML value of a one-line scalar (checked only, None, when not ``wanted``)."""
    first = value[0]
    if first == '"':
        if not YAML_DOUBLE_QUOTED.fullmatch(value) or (wanted and "\\" in value):
            raise _Unsure  # (escapes are only checked, not decoded)
        return value[1:-1] if wanted else None
    if first == "'":
        if not YAML_SINGLE_QUOTED.fullmatch(value):
            raise _Unsure
        return value[1:-1].replace("''", "'")
    if first == "[" and not wanted and YAML_FLOW_WORDS.fullmatch(value):
        return None
    if first in INDICATORS or ": " in value or " #" in value or value.endswith(":"):
        raise _Unsure
    if not wanted:
        return None
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    if tag == STR:
        return value
    if tag == NULL:
        return None
    if tag == TIMESTAMP and PLAIN_DATE.fullmatch(value):
        return value
    raise _Unsure  # a number, a boolean, a timestamp: YAML says what str() of it is
