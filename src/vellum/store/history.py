"""Earlier versions of archived posts, kept when a refresh rewrites them.

A post at ``<host>/<YYYY>/<slug>.md`` keeps each replaced version as
``.vellum/history/<host>/<YYYY>/<slug>/<YYYYMMDDTHHMMSSZ>.md``, the time being when
that version was archived (its ``archived_at``, else the file's modification time).
Plain Markdown files again: they can be read, grepped and diffed like the archive.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import frontmatter
from ..errors import StoreError
from ..rules.store import STAMP_NAME
from .files import atomic_write
from .paths import HISTORY_DIR

STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Version:
    """One kept version of a post."""

    path: str
    """The copy's path relative to the archive root, ``/`` separated."""
    archived_at: dt.datetime


def history_dir(rel: str) -> PurePosixPath:
    """The folder holding the versions of the post at ``rel`` (relative to the archive)."""
    post = PurePosixPath(rel)
    if post.is_absolute() or ".." in post.parts or not post.parts:
        raise StoreError(rel, "not a path inside the archive")
    return HISTORY_DIR / post.with_suffix("")


def keep(root: Path, rel: str, text: str, archived_at: dt.datetime | None = None) -> str | None:
    """Copy ``text`` (the version of ``rel`` about to be replaced) into the history.

    Returns the copy's relative path, or ``None`` when the newest kept version is
    already this text (a run interrupted after keeping it, then run again).
    """
    when = _utc(archived_at or frontmatter.archived_at(text) or _mtime(root / rel))
    folder = root / history_dir(rel)
    existing = versions(root, rel)
    if existing and _holds(root / existing[-1].path, text):
        return None
    name = when.strftime(STAMP)
    target = folder / f"{name}.md"
    n = 1
    while target.exists():
        target = folder / f"{name}-{n}.md"
        n += 1
    atomic_write(target, text)
    return target.relative_to(root).as_posix()


def versions(root: Path, rel: str) -> list[Version]:
    """The kept versions of ``rel``, oldest first (the current file is not among them)."""
    folder = root / history_dir(rel)
    found: list[tuple[dt.datetime, int, str]] = []
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    for name in names:
        match = STAMP_NAME.match(name)
        if not match:
            continue
        stamp = dt.datetime.strptime(match.group(1), STAMP).replace(tzinfo=dt.timezone.utc)
        found.append((stamp, int(match.group(2) or 0), name))
    found.sort()
    base = history_dir(rel)
    return [Version((base / name).as_posix(), stamp) for stamp, _, name in found]


def diff(old: str, new: str, old_label: str = "before", new_label: str = "after") -> str:
    """A unified diff of two versions of a post ('' when they are equal)."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 old_label, new_label)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


    return None


def _holds(path: Path, text: str) -> bool:
    """True when the file at ``path`` is exactly ``text``; bytes are compared, so a kept
    version that is damaged or not UTF-8 only counts as different, never stops a run."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _mtime(path: Path) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    except OSError:
        return dt.datetime.now(dt.timezone.utc)


def _utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def read_version(root: Path, rel: str) -> str:
    """The text of a kept version (``rel`` as listed by ``versions``)."""
    path = PurePosixPath(rel)
    if path.parts[:2] != HISTORY_DIR.parts or ".." in path.parts:
        raise StoreError(rel, "not a kept version")
    try:
        return (root / path).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise StoreError(rel, f"this kept version is not UTF-8 text (byte {err.start}); "
                         "it was damaged or edited by another program") from err
    except OSError as err:
        raise StoreError(rel, f"cannot read ({err.strerror or err})") from err
