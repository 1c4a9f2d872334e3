"""Shown dates read without dateparser must be read as dateparser reads them.

``rules.dates`` copies dateparser's month names and numeric date orders; these tests
rebuild that copy from dateparser's own locale data, and compare the fast readers'
answers with dateparser's on a table of forms in every language the copy covers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from typing import Any

import pytest

from vellum.extract import dates
from vellum.extract.dates import parse_text_date
from vellum.rules import dates as names

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_ORDINALS = ("st", "nd", "rd", "th")


def _info(language: str) -> dict[str, Any]:
    return importlib.import_module(f"dateparser.data.date_translation_data.{language}").info


def _numbered(info: dict[str, Any], leave_out: frozenset[str] = frozenset()) -> dict[str, int]:
    return {name.lower(): number for number, month in enumerate(_MONTHS, 1)
            for name in info.get(month, ()) if name.isalpha() and name.lower() not in leave_out}


def _locales(language: str) -> list[tuple[str, dict[str, Any]]]:
    from dateparser.data.languages_info import language_locale_dict

    known = language_locale_dict[language]
    return [(code, info) for code, info in _info(language).get("locale_specific", {}).items()
            if code in known]


def test_month_names_are_dateparsers() -> None:
    for language, months in names.MONTH_NAMES.items():
        assert months == _numbered(_info(language)), language


def test_locale_month_names_are_dateparsers() -> None:
    expected = {}
    for language in names.MONTH_NAMES:
        own = frozenset(_numbered(_info(language)))
        for code, info in _locales(language):
            added = _numbered(info, leave_out=own)
            if added:
                expected[code] = added
    assert expected == names.LOCALE_MONTH_NAMES


def test_no_name_means_two_months() -> None:
    for language in names.MONTH_NAMES:
        for code, info in [(language, {}), *_locales(language)]:
            months: dict[str, set[int]] = {}
            for number, month in enumerate(_MONTHS, 1):
                for name in _info(language)[month] + info.get(month, []):
                    months.setdefault(name.lower(), set()).add(number)
            assert all(len(found) == 1 for found in months.values()), code


def test_date_orders_are_dateparsers() -> None:
    languages = {lang: _info(lang)["date_order"] for lang in names.MONTH_NAMES}
    assert languages == names.DATE_ORDERS
    locales = {code: info["date_order"] for lang in names.MONTH_NAMES
               for code, info in _locales(lang)
               if info.get("date_order", languages[lang]) != languages[lang]}
    assert locales == names.LOCALE_DATE_ORDERS


def test_skipped_words_are_dateparsers() -> None:
    skipped = {lang: set(_info(lang)["skip"]) for lang in names.MONTH_NAMES}
    assert {lang for lang, words in skipped.items() if "de" in words} == names.OF_LANGUAGES
    assert {lang for lang, words in skipped.items()
            if set(_ORDINALS) <= words} == names.ORDINAL_LANGUAGES


# The forms a page shows a named month in; each month name of each language is tried
# in one of them (in turn), with the first letter in the case pages use.
_WORD_FORMS = ("{d}. {w} {y}", "{d} {w} {y}", "{dd} {w}, {y}", "{d}.{w} {y}", "{d} {w}. {y}",
               "{w} {d}, {y}", "{w}. {d} {y}", "{d} de {w} de {y}", "{w} {d}th, {y}",
               "{dd}. {W} {y}")


def _word_table() -> list[tuple[str, str]]:
    table: list[tuple[str, str]] = []
    for language in names.MONTH_NAMES:
        codes = [language] + [code for code in names.LOCALE_MONTH_NAMES
                              if code.startswith(language + "-")]
        for code in codes:
            months = names.LOCALE_MONTH_NAMES.get(code) or names.MONTH_NAMES[language]
            for turn, (word, month) in enumerate(sorted(months.items())):
                day = (turn * 7) % 31 + 1  # now and then a day the month has not
                form = _WORD_FORMS[(turn + len(table)) % len(_WORD_FORMS)]
                table.append((form.format(d=day, dd=f"{day:02d}", w=word.capitalize(),
                                          W=word.upper(), y=2000 + month), code))
    return table


_NUMERIC = ("19.11.2021", "5.3.2024", "05/06/2024", "21/04/2022", "04/21/2022", "13-13-2020",
            "31.04.2021", "29.02.2020", "29.02.2021", "00.10.2021", "1.12.2019", "12/1/2019")
_NUMERIC_CODES = ("en", "en-US", "en-GB", "en-gb", "en-AE", "en-CA", "de", "de-DE", "de-AT",
                  "fr", "fr-CA", "es", "es-PA", "it", "pt-PT", "nl", "pl", "sv", "da", "nb",
                  "fi", "cs", "ru-UA", "")


def _read(span: str, code: str) -> tuple[object, dt.date | None]:
    primary = code.split("-")[0].lower() or "en"
    reader = dates._named if any(ch.isalpha() for ch in span) else dates._numeric
    return reader(span, code, primary), dates._by_dateparser(span, code, primary)


@pytest.mark.parametrize(("span", "code"), _word_table())
def test_named_months_read_as_dateparser_reads_them(span: str, code: str) -> None:
    fast, slow = _read(span, code)
    assert fast is dates._UNKNOWN or fast == slow
    if slow is not None and (" de " not in span or code in names.OF_LANGUAGES) and \
            ("th," not in span or code in names.ORDINAL_LANGUAGES):
        assert fast == slow  # a form the table covers is read without dateparser


@pytest.mark.parametrize("code", _NUMERIC_CODES)
def test_numeric_dates_read_as_dateparser_reads_them(code: str) -> None:
    for span in _NUMERIC:
        fast, slow = _read(span, code)
        language = code.split("-")[0] or "en"
        if names.LOCALE_DATE_ORDERS.get(code, names.DATE_ORDERS.get(language)) in ("DMY", "MDY"):
            assert fast == slow, (span, code)
        else:
            assert fast is dates._UNKNOWN, (span, code)


@pytest.mark.parametrize(("text", "lang", "day"), [
    ("Veröffentlicht am 5. April 2017", "de-DE", dt.date(2017, 4, 5)),
    ("07 Dezember, 2022", "de", dt.date(2022, 12, 7)),
    ("18. Nov 2021", "de", dt.date(2021, 11, 18)),
    ("5. Jänner 2022", "de-AT", dt.date(2022, 1, 5)),
    ("Publié le 14 mai 2024", "fr", dt.date(2024, 5, 14)),
    ("3 juill. 2023", "fr-CA", dt.date(2023, 7, 3)),
    ("Jueves, 21 de Abril de 2022", "es", dt.date(2022, 4, 21)),
    ("Publicado: Jueves, 21 Abril 2022 04:45", "es-es", dt.date(2022, 4, 21)),
    ("Pubblicato il 3 maggio 2023", "it", dt.date(2023, 5, 3)),
    ("12 de março de 2023", "pt-BR", dt.date(2023, 3, 12)),
    ("Geplaatst op 4 mei 2021", "nl", dt.date(2021, 5, 4)),
    ("Opublikowano 5 maja 2021 r.", "pl", dt.date(2021, 5, 5)),
    ("Publicerad 7 mars 2022", "sv", dt.date(2022, 3, 7)),
    ("Udgivet 9. marts 2022", "da", dt.date(2022, 3, 9)),
    ("Publisert 9. desember 2022", "nb", dt.date(2022, 12, 9)),
    ("Julkaistu 19. helmikuuta 2020", "fi", dt.date(2020, 2, 19)),
    ("Publikováno 8. června 2021", "cs", dt.date(2021, 6, 8)),
    ("15 августа 2016, 13:43", "ru", dt.date(2016, 8, 15)),
    ("Veröffentlicht am 06.10.2023", "de", dt.date(2023, 10, 6)),
    ("19.2.2020 klo 14.00", "fi", dt.date(2020, 2, 19)),
    ("Actualizado 27/04/2022 00:00", "es", dt.date(2022, 4, 27)),
    ("Posted 05/06/2024", "en-GB", dt.date(2024, 6, 5)),
    ("Posted 05/06/2024", "en-US", dt.date(2024, 5, 6)),
    ("Posted 21/04/2022", "en", dt.date(2022, 4, 21)),
    ("Publicado 04/21/2022", "es-PA", dt.date(2022, 4, 21)),
])
def test_shown_dates_read_without_dateparser(text: str, lang: str, day: dt.date,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dateparser", None)  # importing it now fails
    assert parse_text_date(text, lang) == day


@pytest.mark.parametrize(("text", "lang"), [
    ("Publié le 04/21/2022", "fr"),  # day first, and there is no 21st month
    ("Posted 31/31/2022", "en"),
])
def test_numeric_dates_no_order_can_read(text: str, lang: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dateparser", None)
    assert parse_text_date(text, lang) is None


@pytest.mark.parametrize(("text", "lang", "day"), [
    ("2018年12月2日", "zh-TW", dt.date(2018, 12, 2)),  # no copy of these languages' data
    ("Publicerad 2022-3-7", "sv", None),
    ("21 de Abril de 2022", "en", None),  # a Spanish month on a page said to be English
])
def test_other_forms_still_go_to_dateparser(text: str, lang: str, day: dt.date | None) -> None:
    assert parse_text_date(text, lang) == day
