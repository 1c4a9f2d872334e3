"""The archive's files: safe paths, atomic writes, raw HTML, sidecars, reading entries back.

File system only: no SQL here. Every path handed in from outside goes through
``resolve``, so nothing a URL or a title contains can reach outside the root.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from .. import frontmatter
from ..errors import StoreError
from ..models import Entry
from ..rules.store import SAFE_SEGMENT, TEMP_NAME
from ..urls import make_slug
from .paths import STATE_DIR

MD_SUFFIX = ".md"
NEW_FILE_MODE = 0o644

# Device names Windows refuses as file names, whatever the extension.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)]
)

# Front matter keys read back by ``reindex`` -> Entry fields.
FRONT_MATTER_FIELDS = (("original_url", "url"), ("canonical_url", "canonical_url"),
                       ("title", "title"), ("date", "date"), ("status", "status"))
SIDECAR_FIELDS = tuple(f.name for f in fields(Entry) if f.name != "path")
# Sidecar key of a canonical link that names another site: kept, never used as identity.
CANONICAL_HINT = "canonical_hint"


# -- paths --------------------------------------------------------------------------------


def resolve(root: Path, rel: str) -> Path:
    """``root/rel`` as an absolute path; ``StoreError`` if it is not safely inside ``root``."""
    if not rel or "\x00" in rel or "\\" in rel:
        raise StoreError(repr(rel), "not a valid archive path")
    posix = PurePosixPath(rel)
    if posix.is_absolute() or PureWindowsPath(rel).drive or ".." in posix.parts:
        raise StoreError(rel, "path escapes the archive")
    path = root / posix
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        raise StoreError(rel, "path escapes the archive (through a symbolic link)")
    return path


def clean_slug(slug: str) -> str:
    """``slug`` made safe again: one portable file-name segment, never ``..`` or a device."""
    cleaned = make_slug(slug)
    return f"{cleaned}-post" if cleaned in WINDOWS_RESERVED else cleaned


def portable(rel: str) -> str:
    """``rel`` with each segment that is a Windows device name (``con``, ``aux.md``...)
    given a suffix: such names cannot be created there."""
    parts = rel.split("/")
    for i, part in enumerate(parts):
        stem, dot, rest = part.partition(".")
        if stem.lower() in WINDOWS_RESERVED:
            parts[i] = f"{stem}-post{dot}{rest}"
    return "/".join(parts)


def md_rel(host: str, year: int | None, slug: str, n: int = 1) -> str:
    """The relative path of the ``n``-th candidate file for a post."""
    if not SAFE_SEGMENT.match(host):
        raise StoreError(host, "not a safe host folder name")
    name = f"{slug}-{n}" if n > 1 else slug
    folder = f"{host}/{year:04d}" if year is not None and 0 < year < 10_000 else host
    return f"{folder}/{name}{MD_SUFFIX}"


def state_path(root: Path, kind: str, rel: str, suffix: str) -> Path:
    """Where the ``kind`` (raw, meta) file of the post at ``rel`` lives."""
    stem = rel.removesuffix(MD_SUFFIX)
    return resolve(root, f"{STATE_DIR}/{kind}/{stem}{suffix}")


def markdown_files(root: Path) -> Iterator[str]:
    """Relative paths of every Markdown file under ``root``, sorted, hidden folders skipped."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(folder).relative_to(root)
        for name in files:
            if name.endswith(MD_SUFFIX) and not name.startswith("."):
                found.append((base / name).as_posix())
    for rel in sorted(found):
        with contextlib.suppress(StoreError):  # a symlink out of the archive is not ours
            resolve(root, rel)
            yield rel


# -- writing ------------------------------------------------------------------------------


def atomic_write(path: Path, data: bytes | str, *, sync_folder: bool = True) -> None:
    """Write ``data`` to ``path`` all at once: readers see the old file or the new one.

    The data is always flushed to disk before the rename, so a crash never leaves a
    short file. ``sync_folder=False`` skips making the rename itself durable: for
    side data that can be rebuilt, where a rename lost to a power cut only means
    the previous version is still there, it saves an fsync per write.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise StoreError(str(path), f"cannot write ({err.strerror or err})") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise StoreError(str(path), f"cannot write ({err.strerror or err})") from err
        raise
    if sync_folder:
        _sync_folder(path.parent)


# Temp files never swept: vellum.yml is written by `follow`, which takes no archive lock.
UNLOCKED_FILES = frozenset({"vellum.yml"})


def sweep_temp(root: Path) -> int:
    """Delete the temporary files a killed run left (``atomic_write`` half done); returns
    how many. Only for a run holding the archive lock: then no other writer is running."""
    swept = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            match = TEMP_NAME.match(name)
            if not match or (folder == str(root) and match.group("name") in UNLOCKED_FILES):
                continue
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                swept += 1
    return swept


def write_if_changed(path: Path, data: str, *, sync_folder: bool = True) -> bool:
    """Atomically write ``data`` unless the file already holds exactly it; True if written."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if path.read_bytes() == data.encode("utf-8"):
            return False
    atomic_write(path, data, sync_folder=sync_folder)
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- reading ------------------------------------------------------------------------------


def read_text(path: Path, rel: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise StoreError(rel, "no such file in the archive") from err
    except (OSError, UnicodeDecodeError) as err:
        raise StoreError(rel, f"cannot read ({err})") from err


def write_raw(path: Path, html: str) -> None:
    # mtime=0: the same page always gives the same bytes.
    atomic_write(path, gzip.compress(html.encode("utf-8"), mtime=0), sync_folder=False)


def read_raw(path: Path, rel: str) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StoreError(rel, f"cannot read the raw HTML ({err})") from err
    try:
        return gzip.decompress(data).decode("utf-8", errors="replace")
    except (OSError, EOFError) as err:
        raise StoreError(rel, f"the stored raw HTML is damaged ({err})") from err


# -- sidecars -----------------------------------------------------------------------------


def sidecar_json(entry: Entry, aliases: Iterable[str],
                 facts: dict[str, Any] | None = None, canonical_hint: str = "") -> str:
    data: dict[str, Any] = {k: v for k, v in asdict(entry).items() if k != "path"}
    data["aliases"] = list(aliases)
    if canonical_hint:
        data[CANONICAL_HINT] = canonical_hint
    if facts:
        data["facts"] = {k: v for k, v in facts.items() if v not in (None, "", [], {})}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_sidecar(path: Path) -> dict[str, Any]:
    """The sidecar's data, or ``{}`` when it is missing or unreadable (files stay the truth)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def sidecar_hint(data: dict[str, Any]) -> str:
    """The canonical link to another site the page gave (recorded, not followed), or ''."""
    hint = data.get(CANONICAL_HINT)
    return hint if isinstance(hint, str) else ""


def sidecar_aliases(data: dict[str, Any]) -> list[str]:
    aliases = data.get("aliases")
    return [a for a in aliases if isinstance(a, str) and a] if isinstance(aliases, list) else []


def sidecar_facts(data: dict[str, Any]) -> dict[str, Any]:
    facts = data.get("facts")
    return dict(facts) if isinstance(facts, dict) else {}


def entry_from_file(rel: str, text: str, sidecar: dict[str, Any]) -> Entry:
    """The entry for a Markdown file: its front matter wins over the sidecar, and the hash
    is always recomputed from the text (the file may have been edited by hand)."""
    values = {name: _scalar(sidecar.get(name)) for name in SIDECAR_FIELDS}
    data, _ = frontmatter.split(text)
    for key, name in FRONT_MATTER_FIELDS:
        value = _scalar((data or {}).get(key))
        if value:
            values[name] = value
    defaults = Entry(path=rel)
    chosen = {k: v if v is not None else getattr(defaults, k) for k, v in values.items()}
    chosen["content_hash"] = frontmatter.content_hash(text)
    return Entry(path=rel, **chosen)


def _scalar(value: Any) -> str | None:
    """A front matter / JSON value as index text (dates as ISO 8601)."""
    if isinstance(value, dict):  # e.g. mkdocs ``date: {created: ...}``
        value = value.get("created") or next(iter(value.values()), None)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (list, dict)):
        return None
    return str(value)
