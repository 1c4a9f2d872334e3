"""Reading schema.org JSON-LD blocks: tolerant of @graph, lists and broken JSON."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from typing import Any

from bs4 import BeautifulSoup, Tag

from ..soup import tags

ARTICLE_TYPES: frozenset[str] = frozenset({
    "article", "newsarticle", "blogposting", "techarticle", "report", "scholarlyarticle",
    "socialmediaposting", "liveblogposting", "opinionnewsarticle", "reportagenewsarticle",
    "analysisnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "posting",
    "discussionforumposting", "review", "howto", "recipe", "creativework",
})
PAGE_TYPES: frozenset[str] = frozenset({"webpage", "itempage", "aboutpage", "qapage"})


def objects(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, flattened, article types first."""
    return from_scripts(tags(soup, ("script",)))


def from_scripts(scripts: Iterable[Tag]) -> list[dict[str, Any]]:
    """The JSON-LD objects of those ``scripts`` that hold JSON-LD, article types first."""
    found: list[dict[str, Any]] = []
    for script in scripts:
        kind = script.get("type")
        if not (isinstance(kind, str) and kind.strip().lower() == "application/ld+json"):
            continue
        data = _load(script.get_text())
        if data is not None:
            found.extend(_unquoted(obj) if _double_encoded(obj) else obj
                         for obj in _flatten(data))
    return sorted(found, key=_rank)


def _load(text: str) -> Any:
    text = text.strip()
    for prefix, suffix in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")):
        if text.startswith(prefix):
            text = text.removeprefix(prefix).strip().removesuffix(suffix).strip()
    text = text.rstrip(";")
    for candidate in (text, html.unescape(text)):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten(graph)


# Values no template writes with quotes of their own: a quoted one betrays the block.
_PLAIN_KEYS = ("datePublished", "dateModified", "dateCreated", "url", "@id", "mainEntityOfPage")


def _double_encoded(obj: dict[str, Any]) -> bool:
    """A Hugo template writing ``"{{ .Date | jsonify }}"`` quotes every value twice:
    ``"\"2024-05-01\""``. A date or URL in quotes shows the whole block is so."""
    return any(_quoted(obj.get(key)) for key in _PLAIN_KEYS)


def _quoted(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"'


def _unquoted(value: Any) -> Any:
    if _quoted(value):
        try:
            inner = json.loads(value, strict=False)
        except ValueError:
            return value[1:-1]
        return inner if isinstance(inner, str) else value[1:-1]
    if isinstance(value, dict):
        return {key: _unquoted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unquoted(item) for item in value]
    return value


def types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", "")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values}


def _rank(obj: dict[str, Any]) -> int:
    kinds = types(obj)
    if kinds & ARTICLE_TYPES:
        return 0
    if kinds & PAGE_TYPES:
        return 1
    return 2


def first(objs: list[dict[str, Any]], *keys: str, article_only: bool = False) -> Any:
    """The first non-empty value among ``keys`` in the ranked objects."""
    for obj in objs:
        if article_only and _rank(obj) > 1:
            continue
        for key in keys:
            value = obj.get(key)
            if value not in (None, "", [], {}):
                return value
    return None


def names(value: Any) -> list[str]:
    """Names from a person/organization value: dicts, lists or strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        return names(name) if name else []
    if isinstance(value, list):
        return [n for item in value for n in names(item)]
    return []


def url_of(value: Any) -> str:
    """A URL from an image-like value: a string, an ImageObject or a list of them."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return url_of(value.get("url") or value.get("contentUrl") or "")
    if isinstance(value, list) and value:
        return url_of(value[0])
    return ""
