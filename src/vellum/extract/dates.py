"""Parsing the dates pages carry: ISO 8601 variants, RFC 2822, plain day strings."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_ISO_RE = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?\s*$",
    re.IGNORECASE,
)
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*$")
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_WORDY_RE = re.compile(
    r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})|"
    r"([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
    re.IGNORECASE,
)


def parse_date(value: str) -> dt.datetime | dt.date | None:
    """A datetime (aware when the source had a zone), a date for a bare day, else None."""
    value = value.strip()
    if not value:
        return None
    for parse in (_iso, _compact, _rfc2822, _wordy):
        try:
            result = parse(value)
        except (ValueError, TypeError, OverflowError, IndexError):
            continue
        if result is not None and 1900 <= result.year <= 2100:
            return result
    return None


def _iso(value: str) -> dt.datetime | dt.date | None:
    match = _ISO_RE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    stamp = dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                        int(second or 0))
    return stamp.replace(tzinfo=_zone(zone)) if zone else stamp


def _zone(zone: str) -> dt.tzinfo:
    if zone.upper() in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _compact(value: str) -> dt.datetime | dt.date | None:
    match = _COMPACT_RE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))


def _rfc2822(value: str) -> dt.datetime | None:
    if "," not in value and not re.search(r"\d{2}:\d{2}", value):
        return None
    stamp = parsedate_to_datetime(value)
    return stamp


def _wordy(value: str) -> dt.date | None:
    match = _WORDY_RE.search(value)
    if not match:
        return None
    if match.group(1):
        day, month, year = match.group(1), match.group(2), match.group(3)
    else:
        month, day, year = match.group(4), match.group(5), match.group(6)
    number = _MONTHS.get(month.lower()[:3])
    return dt.date(int(year), number, int(day)) if number else None
