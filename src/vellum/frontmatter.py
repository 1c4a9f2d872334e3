"""Reading and writing YAML front matter blocks (pure; no knowledge of profiles).

Shared by ``convert`` (writes), ``store`` (reindex reads) and ``dedup`` (reads), so
that none of those stages has to import another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import yaml

DELIMITER = "---"
# libyaml's safe loader when PyYAML was built with it: ~20x faster, same results.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml's safe dumper: several times faster than the Python one, and byte for byte
# the same only on some data. libyaml escapes characters above U+FFFF (emoji) that the
# Python emitter writes as they are, treats U+0085/U+2028/U+2029, U+FEFF, CR and
# control characters its own way, measures a simple key in bytes, not characters, and
# wraps a double-quoted scalar longer than the width elsewhere. So it writes only data
# whose keys are short printable ASCII and whose strings hold none of those characters.
C_SAFE_DUMPER = getattr(yaml, "CSafeDumper", None)
_C_UNEQUAL_RE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_C_KEY_RE = re.compile("[\x20-\x7e]{1,100}")
_C_LONGEST = 4_000  # characters: escaped, at most twice that, under the dump's width


class _LenientLoader(yaml.SafeLoader):
    """The safe loader, except that an impossible date (``2015-50-01``) stays a string."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_LenientLoader.add_constructor("tag:yaml.org,2002:timestamp",
                               _LenientLoader.construct_yaml_timestamp)


def dump(data: dict[str, Any], *, sort_keys: bool = False) -> str:
    """The front matter block for ``data``, delimiters included, always safe-dumped."""
    dumper = C_SAFE_DUMPER if C_SAFE_DUMPER is not None and _c_equal(data) else yaml.SafeDumper
    text = yaml.dump(data, Dumper=dumper, sort_keys=sort_keys, allow_unicode=True,
                     default_flow_style=False, width=10_000)
    return f"{DELIMITER}\n{text}{DELIMITER}\n"


def _c_equal(value: Any) -> bool:
    """Whether libyaml dumps ``value`` exactly as the Python dumper does (see above)."""
    if isinstance(value, str):
        return len(value) <= _C_LONGEST and _C_UNEQUAL_RE.search(value) is None
    if isinstance(value, dict):
        return all(isinstance(key, str) and _C_KEY_RE.fullmatch(key) is not None
                   and _c_equal(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_c_equal(item) for item in value)
    # numbers, booleans, None, dates: written alike by the representer both share
    return value is None or isinstance(value, (int, float, dt.date))


def join(data: dict[str, Any], body: str, *, sort_keys: bool = False) -> str:
    """A complete file: front matter, a blank line, the body ending in one newline."""
    block = dump(data, sort_keys=sort_keys) if data else ""
    body = body.strip("\n")
    if not block:
        return f"{body}\n" if body else ""
    return f"{block}\n{body}\n" if body else block


def split(text: str) -> tuple[dict[str, Any] | None, str]:
    """Split ``text`` into (front matter, body).

    Returns ``(None, text)`` when there is no front matter block or it is not a
    YAML mapping; the body loses the blank lines that separate it from the block.
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != DELIMITER:
        return None, text
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (DELIMITER, "..."):
            block = "\n".join(lines[1:i])
            try:
                data = yaml.load(block, Loader=SAFE_LOADER)  # noqa: S506
            except ValueError:  # a date that does not exist; rare, so parsed again
                try:
                    data = yaml.load(block, Loader=_LenientLoader)  # noqa: S506
                except (yaml.YAMLError, ValueError):
                    return None, text
            except yaml.YAMLError:
                return None, text
            if data is None:
                data = {}
            if not isinstance(data, dict):
                return None, text
            return data, "\n".join(lines[i + 1 :]).lstrip("\n")
    return None, text


def body_hash(body: str) -> str:
    """The content hash of a Markdown body: what tells a real change from a re-fetch."""
    normalised = "\n".join(line.rstrip() for line in body.strip().splitlines())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# Keys that change on every archiving run without the post changing.
VOLATILE_KEYS = frozenset({"archived_at"})


def content_hash(text: str) -> str:
    """The hash of a whole file that ignores volatile keys such as ``archived_at``.

    Two conversions of an unchanged post hash the same; an edit to the body or to
    any metadata (title, tags, dates...) changes it.
    """
    data, body = split(text)
    stable = {k: v for k, v in (data or {}).items() if k not in VOLATILE_KEYS}
    header = yaml.safe_dump(stable, sort_keys=True, allow_unicode=True) if stable else ""
    return body_hash(f"{header}\n{body}")


def archived_at(text: str) -> dt.datetime | None:
    """When the file's version was archived (its ``archived_at`` key), if it says."""
    data, _ = split(text)
    value = (data or {}).get("archived_at")
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def plain(value: Any) -> Any:
    """A front-matter value with dates as ISO 8601 text and keys as strings: what JSON
    holds, and what ``safe_dump`` writes back the same whatever the reader's resolver."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
