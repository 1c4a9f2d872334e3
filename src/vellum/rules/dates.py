"""Month names and numeric date orders: the dates pages show, read without dateparser.

A copy of the part of dateparser's locale data (``dateparser.data``) that
``extract.dates`` needs to read ``5. März 2024``, ``14 mai 2024`` or ``19.11.2021``
itself, for English and the major European languages. dateparser is still asked
about everything else (other languages, forms these patterns do not cover), so the
copy must say what dateparser would: tests/test_extract_dates.py rebuilds these
tables from dateparser's data and compares them, and compares the readings.
"""

from __future__ import annotations

import re

# A date with its month in words, the whole span (``TEXT_DATE_RE`` found it):
# ``5. März 2024``, ``5 de marzo de 2024``, ``07 Dezember, 2022``, ``March 5th, 2024``.
WORD_DATE_RE = re.compile(
    r"(?P<day>\d{1,2})\.?\s*(?:(?P<of>de)\s+)?(?P<month>[^\W\d_]+)\.?,?\s*"
    r"(?:(?P<of2>de)\s+)?(?P<year>\d{4})|"
    r"(?P<month2>[^\W\d_]+)\.?\s+(?P<day2>\d{1,2})(?P<nth>st|nd|rd|th)?,?\s+(?P<year2>\d{4})"
)
# A numeric date, one separator throughout: ``19.11.2021``, ``14/05/2024``.
NUMERIC_DATE_RE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})")
# Languages whose dateparser data skips ``de`` ("5 de marzo de 2024") and the English
# ordinal suffixes ("March 5th"); elsewhere those words make dateparser give up.
OF_LANGUAGES = frozenset({"es", "pt"})
ORDINAL_LANGUAGES = frozenset({"en"})

# One entry per month, January first: the names dateparser knows for it, lowercased.
_MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
        "aug august", "sep september sept", "oct october", "nov november", "dec december",
    ),
    "de": (
        "jan januar jänner", "feb februar feber", "mär märz mrz", "apr april", "mai",
        "jun juni", "jul juli", "aug august", "sep sept september", "okt oktober",
        "nov november", "dez dezember",
    ),
    "fr": (
        "janv janvier jan", "févr février fév", "mars", "avr avril", "mai", "juin jun",
        "juil juillet jul", "août aoû", "sept septembre sep", "oct octobre", "nov novembre",
        "déc décembre",
    ),
    "es": (
        "ene enero", "feb febrero", "mar marzo", "abr abril", "may mayo", "jun junio",
        "jul julio", "ago agosto", "sept septiembre setiembre sep set", "oct octubre",
        "nov noviembre", "dic diciembre",
    ),
    "it": (
        "gen gennaio", "feb febbraio", "mar marzo", "apr aprile", "mag maggio", "giu giugno",
        "lug luglio", "ago agosto", "set settembre", "ott ottobre", "nov novembre",
        "dic dicembre",
    ),
    "pt": (
        "jan janeiro", "fev fevereiro", "mar março", "abr abril", "mai maio", "jun junho",
        "jul julho", "ago agosto", "set setembro septembro", "out outubro", "nov novembro",
        "dez dezembro",
    ),
    "nl": (
        "jan januari", "feb februari", "maart mrt", "apr april", "mei", "jun juni", "jul juli",
        "aug augustus", "sep september", "okt oktober", "nov november", "dec december",
    ),
    "pl": (
        "sty styczeń stycznia styczen styczniu", "lut lutego luty lutym",
        "mar marca marzec marcu", "kwi kwiecień kwietnia kwiecien kwietniu kwie",
        "maj maja maju", "cze czerwca czerwiec czerwcu", "lip lipca lipiec lipcu",
        "sie sierpień sierpnia sierpien sierpniu",
        "wrz wrzesień września wrzesien wrzesnia wrześniu wrzesniu",
        "paź październik października pazdziernik pazdziernika październiku pazdzierniku paz",
        "lis listopad listopada listopadzie", "gru grudnia grudzień grudzien grudniu",
    ),
    "sv": (
        "jan januari", "feb februari", "mars", "apr april", "maj", "juni jun", "juli jul",
        "aug augusti", "sep september sept", "okt oktober", "nov november", "dec december",
    ),
    "da": (
        "jan januar", "feb februar", "mar marts", "apr april", "maj", "jun juni", "jul juli",
        "aug august", "sep september", "okt oktober", "nov november", "dec december",
    ),
    "nb": (
        "jan januar", "feb februar", "mar mars", "apr april", "mai", "jun juni", "jul juli",
        "aug august", "sep september", "okt oktober", "nov november", "des desember",
    ),
    "fi": (
        "tammi tammik tammikuu tammikuuta tammikuussa",
        "helmi helmik helmikuu helmikuuta helmikuussa",
        "maalis maalisk maaliskuu maaliskuuta maaliskuussa",
        "huhti huhtik huhtikuu huhtikuuta huhtikuussa",
        "touko toukok toukokuu toukokuuta toukokuussa",
        "kesä kesäk kesäkuu kesäkuuta kesäkuussa",
        "heinä heinäk heinäkuu heinäkuuta heinäkuussa", "elo elok elokuu elokuuta elokuussa",
        "syys syysk syyskuu syyskuuta syyskuussa", "loka lokak lokakuu lokakuuta lokakuussa",
        "marras marrask marraskuu marraskuuta marraskuussa",
        "joulu jouluk joulukuu joulukuuta joulukuussa",
    ),
    "cs": (
        "led leden ledna lednu", "úno únor února únr únoru", "bře březen března březnu",
        "dub duben dubna dubnu", "kvě květen května květnu", "červen června čvn čer červnu",
        "července červenec čvc črc červenci črv", "srp srpen srpna srpnu", "zář září",
        "říj říjen října říjnu", "lis listopad listopadu", "pro prosince prosinec prosinci",
    ),
    "ru": (
        "янв январь января", "февр февраль февраля фев", "мар март марта", "апр апрель апреля",
        "май мая", "июн июнь июня", "июл июль июля", "авг август августа",
        "сент сентябрь сентября сен", "окт октябрь октября", "нояб ноябрь ноября ноя",
        "дек декабрь декабря",
    ),
}
# Names a locale adds to its language's (dateparser merges the two lists).
_LOCALE_MONTHS: dict[str, tuple[str, ...]] = {
    "de-AT": ("jän", "", "", "", "", "", "", "", "", "", "", ""),
    "de-IT": ("jän", "", "", "", "", "", "", "", "", "", "", ""),
    "fr-CA": ("", "", "", "", "", "", "juill", "", "", "", "", ""),
    "fr-MA": ("", "", "mar", "", "", "jui", "", "", "", "", "", ""),
}
# The order dateparser reads a numeric date in (``05/06/2024``): the language's...
DATE_ORDERS: dict[str, str] = {
    "en": "MDY", "de": "DMY", "fr": "DMY", "es": "DMY", "it": "DMY", "pt": "DMY", "nl": "DMY",
    "pl": "DMY", "sv": "YMD", "da": "DMY", "nb": "DMY", "fi": "DMY", "cs": "DMY", "ru": "DMY",
}
# ...unless the page names one of these locales (exactly as written: ``en-gb`` is no locale
# to dateparser, which then reads it as ``en``).
_LOCALE_ORDERS: dict[str, str] = {
    "DMY": (
        "en-001 en-150 en-AG en-AI en-AT en-AU en-BB en-BE en-BM en-BS en-BW en-BZ en-CC "
        "en-CH en-CK en-CM en-CX en-CY en-DE en-DG en-DK en-DM en-ER en-FI en-FJ en-FK en-FM "
        "en-GB en-GD en-GG en-GH en-GI en-GM en-GY en-HK en-IE en-IL en-IM en-IN en-IO en-JE "
        "en-JM en-KE en-KI en-KN en-KY en-LC en-LR en-LS en-MG en-MO en-MS en-MT en-MU en-MW "
        "en-MY en-NA en-NF en-NG en-NL en-NR en-NU en-NZ en-PG en-PK en-PN en-PW en-RW en-SB "
        "en-SC en-SD en-SG en-SH en-SI en-SL en-SS en-SX en-SZ en-TC en-TK en-TO en-TT en-TV "
        "en-TZ en-UG en-VC en-VG en-VU en-WS en-ZM en-ZW"
    ),
    "YMD": "en-CA en-SE en-ZA fr-CA",
    "MDY": "es-PA es-PR",
}


def _numbered(months: tuple[str, ...]) -> dict[str, int]:
    return {name: number for number, names in enumerate(months, 1) for name in names.split()}


MONTH_NAMES: dict[str, dict[str, int]] = {lang: _numbered(m) for lang, m in _MONTHS.items()}
LOCALE_MONTH_NAMES: dict[str, dict[str, int]] = {
    locale: _numbered(m) for locale, m in _LOCALE_MONTHS.items()}
LOCALE_DATE_ORDERS: dict[str, str] = {
    locale: order for order, locales in _LOCALE_ORDERS.items() for locale in locales.split()}
