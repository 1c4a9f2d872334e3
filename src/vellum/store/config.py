"""The followed sources: ``<archive>/vellum.yml``, a YAML list people edit by hand.

Each source is a feed with a name and optional settings::

    sources:
    - name: ada
      feed: https://ada.example.com/feed.xml
      url: https://ada.example.com/
      tag: ada
      profile: jekyll          # optional: front-matter profile for its new posts
      category: [python, sql]  # optional: only posts in one of these categories
    sites:                     # optional: hosts that are one site (canonical links join them)
    - [ada.example.com, ada.substack.com]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, StoreError
from ..models import PROFILES
from ..urls import check_url, host_dir, url_key
from .files import atomic_write
from .paths import SOURCES_FILE

SOURCE_FACT = "source"
"""The side fact recording which source a post was archived from: {name, feed}."""
KEYS = ("name", "feed", "url", "tag", "profile", "category", "assets")
HEADER = (
    "# Sources followed by `vellum refresh`. Edit freely: `vellum follow` and `vellum unfollow`\n"
    "# rewrite this file (keeping its other settings). Keys: name, feed (required), url, tag,\n"
    "# profile (default, mkdocs, jekyll or one under profiles:), category (only posts in one\n"
    "# of these feed categories), assets (true: copy the posts' images, as --assets). See the\n"
    "# README's Profiles section for profiles:.\n"
    "# Optional top-level `sites:` lists hosts that are one site, e.g. - [a.example, b.example]:\n"
    "# a page's canonical link may name another host of its group (never any other host).\n"
)


@dataclass(frozen=True)
class Source:
    """One followed feed."""

    name: str
    feed: str
    url: str = ""
    """The site the feed belongs to."""
    tag: str = ""
    """A label for the source (the jekyll profile's ``author_tag``)."""
    profile: str | None = None
    category: tuple[str, ...] = ()
    """Only feed entries in one of these categories are archived (all when empty)."""
    assets: bool = False
    """Copy the posts' images into the archive (``--assets`` for this source)."""

    def wants(self, categories: Iterable[str]) -> bool:
        """True when a feed entry with ``categories`` passes this source's filter."""
        if not self.category:
            return True
        wanted = {c.casefold() for c in self.category}
        return any(c.casefold() in wanted for c in categories)

    def recorded(self, fact: object) -> bool:
        """True when ``fact`` (a post's ``SOURCE_FACT``) names this source, by its feed
        or, for a feed that moved, by its name."""
        if not isinstance(fact, dict):
            return False
        feed = fact.get("feed")
        if isinstance(feed, str) and feed and url_key(feed) == url_key(self.feed):
            return True
        return bool(fact.get("name")) and fact.get("name") == self.name

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "feed": self.feed}
        if self.url:
            data["url"] = self.url
        if self.tag:
            data["tag"] = self.tag
        if self.profile:
            data["profile"] = self.profile
        if self.category:
            data["category"] = list(self.category)
        if self.assets:
            data["assets"] = True
        return data


def sources_path(root: Path) -> Path:
    return Path(root) / SOURCES_FILE


def read_settings(root: Path) -> dict[str, Any]:
    """The whole ``vellum.yml`` as a mapping ({} when there is none); a bare list is the
    older form of ``sources:``."""
    path = sources_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as err:
        raise InputError(str(path), f"not UTF-8 text (byte {err.start})") from err
    except OSError as err:
        raise StoreError(str(path), f"cannot read ({err.strerror or err})") from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InputError(str(path), f"not valid YAML ({_yaml_problem(err)})") from err
    if data is None:
        return {}
    return data if isinstance(data, dict) else {"sources": data}


def load_sites(root: Path) -> tuple[tuple[str, ...], ...]:
    """The host groups declared as one site under ``sites:`` (a canonical link may join
    URLs across the hosts of one group)::

        sites:
        - [blog.example.com, example.substack.com]
    """
    groups = read_settings(root).get("sites")
    if groups is None:
        return ()
    if not isinstance(groups, list) or not all(
            isinstance(g, list) and all(isinstance(h, str) for h in g) for g in groups):
        raise InputError(str(sources_path(root)), "'sites' must be a list of host lists, e.g. "
                         "- [blog.example.com, example.substack.com]")
    return tuple(tuple(h.strip().lower() for h in group if h.strip()) for group in groups)


def load_sources(root: Path) -> list[Source]:
    """The sources of the archive at ``root`` ([] when it follows nothing yet)."""
    path = sources_path(root)
    settings = read_settings(root)
    items = settings.get("sources")
    if items is None:
        return []
    if not isinstance(items, list):
        raise InputError(str(path), "expected a list of sources under 'sources:'")
    profiles = settings.get("profiles")
    known = {*PROFILES, *(profiles if isinstance(profiles, dict) else {})}
    sources = [_source(item, f"{path}: source {n}", known)
               for n, item in enumerate(items, start=1)]
    _check_unique(sources, str(path))
    return sources


def save_sources(root: Path, sources: Iterable[Source]) -> None:
    """Write the source list (atomically: a reader never sees half a file), keeping the
    file's other settings (``defaults:``, ``profiles:``, ``sites:``...) as they are."""
    settings = {**read_settings(root), "sources": [s.as_dict() for s in sources]}
    body = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=10_000)
    atomic_write(sources_path(root), HEADER + body)


def make_source(feed: str, *, name: str = "", url: str = "", tag: str = "",
                profile: str | None = None, category: Iterable[str] = ()) -> Source:
    """A checked source; the name defaults to the site's host."""
    feed = check_url(feed)
    name = name.strip() or host_dir(url or feed)
    return _source({"name": name, "feed": feed, "url": url or None, "tag": tag or None,
                    "profile": profile, "category": list(category) or None}, feed, None)


def with_source(sources: list[Source], source: Source) -> tuple[list[Source], bool]:
    """``sources`` with ``source`` added, or replacing the one with the same feed.

    Returns the new list and whether an existing source was replaced.
    """
    key = url_key(source.feed)
    kept = [s for s in sources if url_key(s.feed) != key]
    replaced = len(kept) != len(sources)
    if any(s.name == source.name for s in kept):
        raise InputError(source.name, "another followed source already has this name; "
                         "choose one with --name")
    if replaced:
        index = next(i for i, s in enumerate(sources) if url_key(s.feed) == key)
        return [*sources[:index], source, *sources[index + 1:]], True
    return [*sources, source], False


def without_source(sources: list[Source], which: str) -> tuple[list[Source], Source]:
    """``sources`` without the one named ``which`` (or whose feed or site URL it is)."""
    for i, source in enumerate(sources):
        if _matches(source, which):
            return [*sources[:i], *sources[i + 1:]], source
    raise InputError(which, "not a followed source (see `vellum sources`)")


def select(sources: list[Source], which: Iterable[str]) -> list[Source]:
    """The sources named by ``which`` (names or URLs); all of them when it is empty."""
    wanted = list(which)
    if not wanted:
        return sources
    missing = [w for w in wanted if not any(_matches(s, w) for s in sources)]
    if missing:
        raise InputError(", ".join(missing), "not a followed source (see `vellum sources`)")
    return [s for s in sources if any(_matches(s, w) for w in wanted)]


def _matches(source: Source, which: str) -> bool:
    if source.name == which:
        return True
    if "://" not in which:
        return False
    key = url_key(which)
    return key in (url_key(source.feed), url_key(source.url) if source.url else "")


def _source(item: object, where: str, profiles: set[str] | None) -> Source:
    """A checked source; ``profiles`` are the profile names it may use (None: any, checked
    by whoever uses it)."""
    if not isinstance(item, dict):
        raise InputError(where, "expected a mapping with at least 'name' and 'feed'")
    unknown = sorted(str(k) for k in item if k not in KEYS)
    if unknown:
        raise InputError(where, f"unknown key {', '.join(map(repr, unknown))} "
                         f"(known: {', '.join(KEYS)})")
    name, feed = _text(item, "name", where), _text(item, "feed", where)
    if not name or not feed:
        raise InputError(where, "'name' and 'feed' are required")
    profile = _text(item, "profile", where) or None
    if profile and profiles is not None and profile not in profiles:
        raise InputError(where, f"unknown profile '{profile}' (choose from "
                         f"{', '.join(sorted(profiles))})")
    site = _text(item, "url", where)
    try:
        feed, site = check_url(feed), check_url(site) if site else ""
    except InputError as err:
        raise InputError(where, err.reason + f": {err.subject}") from err
    return Source(name=name, feed=feed, url=site, tag=_text(item, "tag", where),
                  profile=profile, category=_categories(item.get("category"), where),
                  assets=_flag(item, "assets", where))


def _flag(item: dict[Any, Any], key: str, where: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise InputError(where, f"'{key}' must be true or false")
    return value


def _text(item: dict[Any, Any], key: str, where: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise InputError(where, f"'{key}' must be a single value")


def _categories(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, (str, int, float)) for v in values):
        raise InputError(where, "'category' must be a name or a list of names")
    return tuple(str(v).strip() for v in values if str(v).strip())


def _check_unique(sources: list[Source], where: str) -> None:
    seen: dict[str, str] = {}
    for source in sources:
        for key in (f"name {source.name!r}", f"feed {url_key(source.feed)}"):
            if key in seen:
                raise InputError(where, f"two sources have the same {key}")
            seen[key] = source.name


def _yaml_problem(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or "syntax error"
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)
