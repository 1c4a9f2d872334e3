"""Front matter profiles, as data: which keys, mapped from which of vellum's fields, in which
order and date format, and where the post's file goes.

A profile is written as a mapping (the built-ins below; users add their own under
``profiles:`` in ``<archive>/vellum.yml``)::

    obsidian:
      extends: default            # optional: start from another profile
      path: "notes/{yyyy}/{slug}.md"
      date_format: "%Y-%m-%d"     # yaml (a YAML timestamp), date, iso, or a strftime pattern
      sort_keys: false
      fields:                     # front matter key: vellum field (see fields.FIELDS)
        title: title
        created: published
        tags: keywords
        source: url
        type: {value: clipping}   # a fixed value
        saved: {field: archived_at, format: iso}

Empty values are left out, fixed values always written. ``path`` is a template of
the variables in ``PATH_VARIABLES``; it is checked so that no value of any post
can make a file name leave the archive.

``default``  everything vellum knows, in a readable order.
``mkdocs``   Material for MkDocs blog posts: date (a date), authors, categories,
             title, description (the URL stays in vellum's side data).
``jekyll``   a Jekyll aggregator ("planet") post under ``_posts/YYYY-MM-DD-slug.md``:
             keys sorted, the date a quoted ``'YYYY-MM-DD HH:MM:SS +ZZZZ'`` string.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..rules.convert import (
    DASH_RUN_RE,
    HTML_EXTENSION_RE,
    NAME_RE,
    NOT_SLUG_CHARS_RE,
    SLUG_SPLIT_RE,
)
from .fields import FIELDS, Context

DATE_FORMATS = ("yaml", "date", "iso")
PATH_VARIABLES = ("host", "yyyy", "yy", "mm", "dd", "m", "d", "slug", "feed_id", "author_tag",
                  "source_tag", "category")
DATE_VARIABLES = frozenset({"yyyy", "yy", "mm", "dd", "m", "d"})
PROFILE_KEYS = ("extends", "path", "date_format", "sort_keys", "fields")
FIELD_KEYS = ("field", "value", "format")
DEFAULT_PATH = "{host}/{yyyy}/{slug}.md"


@dataclass(frozen=True)
class Field:
    key: str
    source: str = ""
    """The vellum field the value comes from ('' for a fixed value)."""
    value: Any = None
    date_format: str | None = None
    """This key's own date format (else the profile's)."""


@dataclass(frozen=True)
class Profile:
    name: str
    fields: tuple[Field, ...]
    sort_keys: bool = False
    date_format: str = "yaml"
    path: str = DEFAULT_PATH

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


BUILTIN_SPECS: dict[str, dict[str, Any]] = {
    "default": {"fields": {
        "title": "title", "date": "published", "updated": "updated", "authors": "authors",
        "categories": "categories", "tags": "tags", "description": "description",
        "original_url": "url", "slug": "slug", "blog_title": "site_name",
        "blog_url": "site_url", "image": "image", "language": "language",
        "archived_at": "archived_at",
    }},
    "mkdocs": {"date_format": "date", "fields": {
        "date": "published", "authors": "authors", "categories": "categories",
        "title": "title", "description": "description",
    }},
    "jekyll": {
        "path": "_posts/{yyyy}-{mm}-{dd}-{slug}.md", "sort_keys": True,
        "date_format": "%Y-%m-%d %H:%M:%S %z",
        "fields": {
            "author": "author_or_site", "author_tag": "author_tag",
            "blog_subtitle": "site_description", "blog_title": "site_name",
            "blog_url": "site_url", "category": "jekyll_category", "date": "published",
            "layout": {"value": "post"}, "original_url": "url", "slug": "slug",
            "title": "title",
        },
    },
}


# -- reading profiles -----------------------------------------------------------------------


def parse_profiles(specs: object, where: str,
                   base: Mapping[str, Profile] | None = None) -> dict[str, Profile]:
    """The profiles of a ``profiles:`` mapping; ``base`` are the ones ``extends`` can name."""
    if not isinstance(specs, dict):
        raise InputError(where, "'profiles' must map profile names to their settings")
    known: dict[str, dict[str, Any]] = {**BUILTIN_SPECS}
    parsed: dict[str, Profile] = {}
    for name, spec in specs.items():
        here = f"{where}: profile {name!r}"
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise InputError(here, "a profile name is lowercase letters, digits, - and _")
        if not isinstance(spec, dict):
            raise InputError(here, "expected a mapping (path, fields, date_format...)")
        merged = _extended(spec, known, here)
        known[name] = merged
        parsed[name] = profile_from_spec(name, merged, here)
    return parsed


def _extended(spec: dict[str, Any], known: dict[str, dict[str, Any]], where: str
              ) -> dict[str, Any]:
    unknown = sorted(str(k) for k in spec if k not in PROFILE_KEYS)
    if unknown:
        raise InputError(where, f"unknown setting {', '.join(map(repr, unknown))} "
                         f"(known: {', '.join(PROFILE_KEYS)})")
    parent = spec.get("extends")
    if parent is None:
        return dict(spec)
    if parent not in known:
        raise InputError(where, f"extends an unknown profile {parent!r}")
    merged = {**known[parent], **{k: v for k, v in spec.items() if k != "extends"}}
    if isinstance(spec.get("fields"), dict):
        merged["fields"] = {**known[parent].get("fields", {}), **spec["fields"]}
    return merged


def profile_from_spec(name: str, spec: Mapping[str, Any], where: str) -> Profile:
    fields = spec.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise InputError(where, "'fields' must map front matter keys to vellum fields")
    date_format = spec.get("date_format", "yaml")
    _check_date_format(date_format, where)
    sort_keys = spec.get("sort_keys", False)
    if not isinstance(sort_keys, bool):
        raise InputError(where, "'sort_keys' must be true or false")
    path = spec.get("path", DEFAULT_PATH)
    check_path_template(path, where)
    return Profile(name, tuple(_field(str(k), v, where) for k, v in fields.items()),
                   sort_keys=sort_keys, date_format=date_format, path=path)


def _field(key: str, spec: object, where: str) -> Field:
    here = f"{where}: key {key!r}"
    if isinstance(spec, str):
        spec = {"field": spec}
    if not isinstance(spec, dict):
        raise InputError(here, "expected a vellum field name or {field: ..., format: ...} "
                         "or {value: ...}")
    unknown = sorted(str(k) for k in spec if k not in FIELD_KEYS)
    if unknown:
        raise InputError(here, f"unknown setting {', '.join(map(repr, unknown))} "
                         f"(known: {', '.join(FIELD_KEYS)})")
    if "value" in spec:
        return Field(key, value=spec["value"])
    source = spec.get("field")
    if source not in FIELDS:
        raise InputError(here, f"unknown vellum field {source!r} (known: {', '.join(FIELDS)})")
    date_format = spec.get("format")
    if date_format is not None:
        _check_date_format(date_format, here)
    return Field(key, str(source), date_format=date_format)


def _check_date_format(value: object, where: str) -> None:
    if not isinstance(value, str) or not (value in DATE_FORMATS or "%" in value):
        raise InputError(where, f"date format {value!r} is none of {', '.join(DATE_FORMATS)} "
                         "nor a strftime pattern such as '%Y-%m-%d'")


def check_path_template(template: object, where: str) -> None:
    """Refuse a file-name template that could name a file outside the archive (or none)."""
    if not isinstance(template, str) or not template.endswith(".md"):
        raise InputError(where, "'path' must be a template ending in .md")
    used: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as err:
        raise InputError(where, f"'path' is not a valid template ({err})") from err
    for literal, name, spec, conversion in parsed:
        if "\\" in literal or "\x00" in literal:
            raise InputError(where, "'path' must use / between folders")
        if name is None:
            continue
        if name not in PATH_VARIABLES or spec or conversion:
            raise InputError(where, f"'path' has an unknown variable {{{name}}} "
                             f"(known: {', '.join(PATH_VARIABLES)})")
        used.append(name)
    if not {"slug", "feed_id"} & set(used):
        raise InputError(where, "'path' must contain {slug} or {feed_id}")
    segments = template.split("/")
    if template.startswith("/") or any(s in ("", ".", "..") or s.startswith(".")
                                       for s in segments):
        raise InputError(where, "'path' must stay inside the archive (no /, .., or "
                         "hidden folders at the start of a name)")


PROFILES: dict[str, Profile] = {
    name: profile_from_spec(name, spec, f"built-in profile {name!r}")
    for name, spec in BUILTIN_SPECS.items()
}


# -- using a profile ------------------------------------------------------------------------


def values(profile: Profile, context: Context) -> dict[str, Any]:
    """The front matter mapping of ``profile`` for ``context``, empty values left out."""
    data: dict[str, Any] = {}
    for field in profile.fields:
        if not field.source:
            data[field.key] = field.value
            continue
        value = FIELDS[field.source](context)
        if value in (None, "", [], ()):
            continue
        data[field.key] = _dated(value, field.date_format or profile.date_format)
    return data


def _dated(value: Any, date_format: str) -> Any:
    if not isinstance(value, dt.date) or date_format == "yaml":
        return value
    if date_format == "date":
        return value.date() if isinstance(value, dt.datetime) else value
    if date_format == "iso":
        return value.isoformat()
    return value.strftime(date_format).strip()


def file_name(profile: Profile, context: Context, host: str, slug: str) -> str:
    """The relative path ``profile.path`` gives the post (checked again by the store)."""
    article = context.article
    when = article.published
    name_part = profile.path.rsplit("/", 1)[-1]
    if when is None and any(f"{{{v}}}" in name_part for v in DATE_VARIABLES):
        when = context.archived_at  # a dated file name (Jekyll) needs some date
    variables = {
        "host": host, "slug": slug, "feed_id": _token(context.feed_id) or slug,
        "author_tag": _token(FIELDS["author_tag"](context)),
        "source_tag": _token(context.source_tag), "category": _token(FIELDS["category"](context)),
        "yyyy": f"{when.year:04d}" if when else "", "yy": f"{when.year % 100:02d}" if when else "",
        "mm": f"{when.month:02d}" if when else "", "dd": f"{when.day:02d}" if when else "",
        "m": str(when.month) if when else "", "d": str(when.day) if when else "",
    }
    segments = [_tidy(s.format(**variables)) for s in profile.path.split("/")]
    return "/".join(s for s in segments if s)


def _token(value: str) -> str:
    """``value`` as one safe file-name piece: a feed id's last part, tags as slugs."""
    value = HTML_EXTENSION_RE.sub("", value.strip().lower())
    parts = [p for p in SLUG_SPLIT_RE.split(value) if p]
    return NOT_SLUG_CHARS_RE.sub("-", parts[-1] if parts else "").strip("-")[:80]


def _tidy(segment: str) -> str:
    """A path segment without the separators an empty variable left behind."""
    segment = DASH_RUN_RE.sub("-", segment).strip("- ")
    return "" if segment in ("md", ".md") or segment.startswith(".") else segment
