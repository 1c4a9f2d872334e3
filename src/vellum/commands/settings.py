"""Defaults for the commands: the ``defaults:`` mapping of ``<archive>/vellum.yml``.

::

    defaults:
      profile: jekyll
      delay: 2              # seconds between two requests to one host
      per_host: 1
      concurrency: 8
      user_agent: "my-archiver/1.0 (+https://me.example/)"
      headers: {Accept-Language: "de, en;q=0.5"}
      cookies: cookies.txt  # relative to the archive folder
      assets: true          # copy each post's images into the archive (--assets)

A flag typed on the command line wins over these, and these over the built-in defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..fetch import FetchOptions
from ..fetch.crawl import CrawlOptions
from ..fetch.netguard import AddressPolicy
from ..models import PROFILES
from ..pipeline.localize import MAX_IMAGE_BYTES, MAX_POST_BYTES, AssetOptions
from ..store.config import read_settings, sources_path

_CRAWL, _FETCH = CrawlOptions(), FetchOptions()
# Every key ``defaults:`` may set, with its built-in value (None: decided at run time).
BUILT_IN: dict[str, Any] = {
    "profile": "default",
    "delay": _CRAWL.delay,
    "per_host": _CRAWL.per_host,
    "concurrency": _CRAWL.concurrency,
    "retries": _CRAWL.retries,
    "ignore_robots": not _CRAWL.respect_robots,
    "workers": None,
    "user_agent": _FETCH.user_agent,
    "headers": (),
    "cookies": None,
    "timeout": _FETCH.deadline,
    "allow_private": _FETCH.policy.allow_private,
    "assets": None,
    "max_image_bytes": MAX_IMAGE_BYTES,
    "max_post_image_bytes": MAX_POST_BYTES,
}
NUMBERS: dict[str, tuple[type, float]] = {  # key -> (type, smallest value allowed)
    "delay": (float, 0.0), "per_host": (int, 1), "concurrency": (int, 1), "retries": (int, 0),
    "workers": (int, 0), "timeout": (float, 0.1),
    "max_image_bytes": (int, 1), "max_post_image_bytes": (int, 1),
}
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Setting:
    value: Any
    origin: str
    """Where the value comes from: ``built-in``, ``vellum.yml`` or the flag typed."""


def load_defaults(root: Path) -> dict[str, Any]:
    """The checked ``defaults:`` of the archive at ``root`` ({} when there are none)."""
    path = sources_path(root)
    data = read_settings(root)
    found = data.get("defaults")
    if found is None:
        return {}
    where = f"{path}: defaults"
    if not isinstance(found, dict):
        raise InputError(where, "expected a mapping of settings")
    checked = {}
    for key, value in found.items():
        name = str(key).replace("-", "_")
        if name not in BUILT_IN:
            raise InputError(where, f"unknown setting {key!r} (known: {', '.join(BUILT_IN)})")
        checked[name] = _checked(name, value, f"{where}: {key}", path.parent)
    return checked


def _checked(name: str, value: Any, where: str, base: Path) -> Any:
    if name in NUMBERS:
        kind, least = NUMBERS[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                kind is int and not isinstance(value, int)) or value < least:
            raise InputError(where, f"expected {'a whole number' if kind is int else 'a number'}"
                             f" of at least {least:g}")
        return kind(value)
    if name in ("ignore_robots", "allow_private", "assets"):
        if not isinstance(value, bool):
            raise InputError(where, "expected true or false")
        return value
    if name == "headers":
        return _headers(value, where)
    if not isinstance(value, str) or not value.strip():
        raise InputError(where, "expected a text")
    if name == "profile" and value not in PROFILES:
        raise InputError(where, f"unknown profile '{value}' (choose from {', '.join(PROFILES)})")
    if name == "cookies":
        return str(base / Path(value).expanduser())
    return value.strip()


def _headers(value: Any, where: str) -> Headers:
    """``{Name: value}`` or a list of ``"Name: value"`` texts."""
    if isinstance(value, dict):
        return tuple(check_header(str(k), str(v), where) for k, v in value.items())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(parse_header(v, where) for v in value)
    raise InputError(where, "expected a mapping of header names to values, or a list of "
                            "'Name: value' texts")


def parse_header(text: str, where: str | None = None) -> tuple[str, str]:
    """``Name: value`` as typed after ``--header``."""
    name, colon, value = text.partition(":")
    if not colon:
        raise InputError(where or text, "a header is written 'Name: value'")
    return check_header(name.strip(), value.strip(), where or text)


def check_header(name: str, value: str, where: str) -> tuple[str, str]:
    if not HEADER_NAME.match(name):
        raise InputError(where, f"{name!r} is not a valid HTTP header name")
    if "\r" in value or "\n" in value:
        raise InputError(where, f"the value of header {name!r} spans lines")
    return name, value


def merged_headers(*groups: Headers) -> Headers:
    """The headers of all ``groups``, a later one replacing an earlier one of the same name."""
    merged: dict[str, tuple[str, str]] = {}
    for group in groups:
        for name, value in group:
            merged[name.lower()] = (name, value)
    return tuple(merged.values())


def resolve(root: Path, typed: dict[str, Any]) -> dict[str, Setting]:
    """Every setting: typed on the command line, else from vellum.yml, else built in.

    ``typed`` holds the values of the flags the user typed, by setting name; headers
    typed are added to those of vellum.yml (replacing one of the same name).
    """
    defaults = load_defaults(root)
    settled = {}
    for name, built_in in BUILT_IN.items():
        flag = "--" + name.replace("_", "-").removesuffix("s" if name == "headers" else "")
        if name == "headers" and "headers" in typed and "headers" in defaults:
            value = merged_headers(defaults["headers"], typed["headers"])
            settled[name] = Setting(value, f"vellum.yml and {flag}")
        elif name in typed:
            settled[name] = Setting(typed[name], flag)
        elif name in defaults:
            settled[name] = Setting(defaults[name], "vellum.yml")
        else:
            settled[name] = Setting(built_in, "built-in")
    return settled


def fetch_options(values: dict[str, Any]) -> FetchOptions:
    return FetchOptions(user_agent=values["user_agent"], extra_headers=values["headers"],
                        cookies=values["cookies"], deadline=values["timeout"],
                        policy=AddressPolicy(allow_private=values["allow_private"]))


def asset_options(values: dict[str, Any]) -> AssetOptions:
    """The offline-image settings (``--assets``); the page fetch's options are added by the
    command that fetches the images."""
    return AssetOptions(enabled=values["assets"], max_image_bytes=values["max_image_bytes"],
                        max_post_bytes=values["max_post_image_bytes"])


def crawl_options(values: dict[str, Any], **fixed: Any) -> CrawlOptions:
    """The crawl settings of ``values``; ``fixed`` ones are not the user's to choose."""
    chosen = {"concurrency": values["concurrency"], "per_host": values["per_host"],
              "delay": values["delay"], "retries": values["retries"],
              "respect_robots": not values["ignore_robots"]}
    return CrawlOptions(**{**chosen, **fixed}, fetch=fetch_options(values))
