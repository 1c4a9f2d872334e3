"""Parsing the dates pages carry: ISO 8601 variants, RFC 2822, plain day strings.

Dates shown as text in other languages or in numeric day/month order
(``5. März 2024``, ``14 mai 2024``, ``14/05/2024``) are read as ``dateparser`` reads
them with the page's language. The common forms in English and the major European
languages are read here from a copy of its month names and date orders
(``rules.dates``); only what that cannot decide goes to dateparser, whose locale data
is large (imported on first use, then ~0.1 s per new language and a few ms per call).
"""

from __future__ import annotations

import calendar
import datetime as dt
from email.utils import parsedate_to_datetime

from ..rules import dates as names
from ..rules import extract as rules

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


_TEXT_DATE_MAX = 200  # longer text is prose, not a dateline
_REQUIRED_PARTS = {"REQUIRE_PARTS": ["day", "month", "year"]}


def parse_text_date(text: str, language: str = "") -> dt.datetime | dt.date | None:
    """A date shown as text ("Posted on July 22, 2021", "5. März 2024", "14/05/2024"),
    read with the page's ``language`` (``fr``, ``en-GB``...) deciding names and the
    day/month order of numeric dates."""
    text = " ".join(text.split())
    if not text or len(text) > _TEXT_DATE_MAX:
        return None
    found = parse_date(text)
    if found is not None:
        return found
    for match in rules.TEXT_DATE_RE.finditer(text):
        found = _localized(match.group(0), language)
        if found is not None:
            return found
    return None


def _localized(span: str, language: str) -> dt.date | None:
    numeric = span[0].isdigit() and span[-1].isdigit() and not _has_letters(span)
    if not numeric:
        found = _wordy(span)  # English month names need no locale data
        if found is not None:
            return found
    code = language.strip().replace("_", "-")
    if numeric and not code and _ambiguous(span):
        return None  # 02.11.2021 on a page that names no language: either day first
    primary = code.split("-")[0].lower() or "en"
    known = (_numeric if numeric else _named)(span, code, primary)
    return known if not isinstance(known, _Unknown) else _by_dateparser(span, code, primary)


def _by_dateparser(span: str, code: str, primary: str) -> dt.date | None:
    """The span read by dateparser: with the page's locale when it knows it (``en-GB``),
    else with its language."""
    import dateparser  # noqa: PLC0415 - heavy (locale data): only for text the fast paths miss

    attempts: list[dict[str, list[str]]] = [{"languages": [primary]}]
    if "-" in code:
        attempts.insert(0, {"locales": [code]})
    for kwargs in attempts:
        try:
            stamp = dateparser.parse(span, settings=_REQUIRED_PARTS, **kwargs)
        except (ValueError, KeyError, TypeError, OverflowError):
            continue  # a locale or language dateparser does not know
        if stamp is not None and 1900 <= stamp.year <= 2100:
            return stamp.date()
        if stamp is None:
            return None
    return None


class _Unknown:
    """What the readers below return for a span dateparser must read."""


_UNKNOWN = _Unknown()
_READINGS = ("DMY", "MDY")


def _numeric(span: str, code: str, primary: str) -> dt.date | None | _Unknown:
    """``19.11.2021`` as dateparser reads it: in a day-first language the day must come
    first; a month-first one takes the other order when the first cannot be."""
    match = names.NUMERIC_DATE_RE.fullmatch(span)
    if match is None or primary not in names.DATE_ORDERS:
        return _UNKNOWN
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    order = names.LOCALE_DATE_ORDERS.get(code) or names.DATE_ORDERS[primary]
    if order not in _READINGS or not 1900 <= year <= 2100:
        return _UNKNOWN  # year first (sv, en-CA): dateparser's own rules
    readings = ((first, second),) if order == "DMY" else ((second, first), (first, second))
    for day, month in readings:
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return dt.date(year, month, day)
    return None


def _named(span: str, code: str, primary: str) -> dt.date | _Unknown:
    """``5. März 2024`` with a month name the page's language (or locale) knows."""
    match = names.WORD_DATE_RE.fullmatch(span)
    months = names.MONTH_NAMES.get(primary)
    if match is None or months is None:
        return _UNKNOWN
    parts = match.groupdict()
    if (parts["of"] or parts["of2"]) and primary not in names.OF_LANGUAGES or \
            parts["nth"] and primary not in names.ORDINAL_LANGUAGES:
        return _UNKNOWN
    word = (parts["month"] or parts["month2"]).lower()
    month = months.get(word) or names.LOCALE_MONTH_NAMES.get(code, {}).get(word)
    day, year = int(parts["day"] or parts["day2"]), int(parts["year"] or parts["year2"])
    if month is None or not 1900 <= year <= 2100 or \
            not 1 <= day <= calendar.monthrange(year, month)[1]:
        return _UNKNOWN
    return dt.date(year, month, day)


def _ambiguous(span: str) -> bool:
    """Both of the first two numbers could be the month."""
    first, second = (int(n) for n in rules.DIGITS_RE.findall(span)[:2])
    return first <= 12 and second <= 12 and first != second


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


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
    match = rules.ISO_RE.match(value)
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
    match = rules.COMPACT_RE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))


def _rfc2822(value: str) -> dt.datetime | None:
    if "," not in value and not rules.CLOCK_TIME_RE.search(value):
        return None
    stamp = parsedate_to_datetime(value)
    return stamp


def _wordy(value: str) -> dt.date | None:
    match = rules.WORDY_RE.search(value)
    if not match:
        return None
    if match.group(1):
        day, month, year = match.group(1), match.group(2), match.group(3)
    else:
        month, day, year = match.group(4), match.group(5), match.group(6)
    number = _MONTHS.get(month.lower()[:3])
    return dt.date(int(year), number, int(day)) if number else None
