"""Local copies of the images posts show: a content-addressed folder and one map per post.

Layout (relative to the archive root)::

    assets/<h2>/<h16>-<name>.<ext>      the image bytes; <h2><h16…> is their SHA-256
    .vellum/images/<host>/<YYYY>/<slug>.json   the post's map: remote URL -> asset

The blobs sit in a *visible* top-level folder rather than under ``.vellum/``:
Obsidian, Jekyll, MkDocs and most static site generators skip dot-folders, so an
image there would not show. One folder for the whole archive (not one beside
each post) stores an image shown by many posts once. The map keeps each image's
original URL, so ``rebuild`` (offline) and ``--no-assets`` can put links back.

File system only: no SQL, no network.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from ..errors import StoreError
from ..rules.store import SAFE_NAME
from .files import MD_SUFFIX, atomic_write, resolve, state_path
from .paths import ASSETS_DIR, IMAGES_KIND, STATE_DIR

HASH_CHARS = 16
NAME_MAX = 40
# Extensions by media type: the file's extension says what it is, whatever the URL said.
EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "image/avif": ".avif", "image/svg+xml": ".svg", "image/bmp": ".bmp",
    "image/x-icon": ".ico", "image/vnd.microsoft.icon": ".ico", "image/tiff": ".tiff",
}


@dataclass(frozen=True)
class Asset:
    """One image of a post, stored locally."""

    url: str
    """The image's original (remote) URL, as the converted Markdown links it."""
    path: str
    """The blob, relative to the archive root (``assets/...``)."""
    sha256: str
    size: int
    media_type: str
    etag: str | None = None
    last_modified: str | None = None
    checked: str | None = None
    """When the remote image was last fetched or found unchanged (ISO 8601, UTC)."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(root: Path, data: bytes, media_type: str, url: str) -> str:
    """Store ``data`` once (by its hash) and return its path relative to ``root``."""
    hexdigest = digest(data)
    existing = find_blob(root, hexdigest)
    if existing is not None:
        return existing
    rel = (f"{ASSETS_DIR}/{hexdigest[:2]}/{hexdigest[2:2 + HASH_CHARS]}-{_name(url)}"
           f"{EXTENSIONS.get(media_type, '')}")
    atomic_write(resolve(root, rel), data, sync_folder=False)
    return rel


def find_blob(root: Path, hexdigest: str) -> str | None:
    """The stored blob whose hash is ``hexdigest``, if any."""
    folder = root / ASSETS_DIR / hexdigest[:2]
    prefix = f"{hexdigest[2:2 + HASH_CHARS]}-"
    with contextlib.suppress(OSError):
        for name in sorted(os.listdir(folder)):
            if name.startswith(prefix):
                return f"{ASSETS_DIR}/{hexdigest[:2]}/{name}"
    return None


def _name(url: str) -> str:
    """A readable, safe stem from the URL's last path segment ("image" when none)."""
    last = PurePosixPath(url.split("?", 1)[0].split("#", 1)[0]).stem.lower()
    return SAFE_NAME.sub("-", last).strip("-")[:NAME_MAX].strip("-") or "image"


def link(post: str, asset: str) -> str:
    """The link from the post at ``post`` to ``asset`` (both relative to the root)."""
    # posixpath: a Markdown link uses "/" whatever the system.
    return posixpath.relpath(asset, PurePosixPath(post).parent.as_posix())


# -- per-post maps ------------------------------------------------------------------------


def map_path(root: Path, post: str) -> Path:
    return state_path(root, IMAGES_KIND, post, ".json")


def read_map(root: Path, post: str) -> list[Asset]:
    """The images stored for ``post`` ([] when none or the map is unreadable)."""
    try:
        data = json.loads(map_path(root, post).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    items = data.get("images") if isinstance(data, dict) else None
    assets = []
    for item in items if isinstance(items, list) else []:
        with contextlib.suppress(TypeError):
            assets.append(Asset(**item))
    return assets


def write_map(root: Path, post: str, assets: Iterable[Asset]) -> None:
    """Record ``post``'s images (an empty list removes the map)."""
    items = [asdict(a) for a in assets]
    path = map_path(root, post)
    if not items:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    text = json.dumps({"images": items}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write(path, text, sync_folder=False)


def maps(root: Path) -> Iterator[tuple[str, Path]]:
    """Every post map: (the post's relative path, the map file)."""
    base = root / STATE_DIR / IMAGES_KIND
    for folder, _, names in os.walk(base):
        for name in names:
            if name.endswith(".json"):
                path = Path(folder) / name
                stem = path.relative_to(base).as_posix().removesuffix(".json")
                yield stem + MD_SUFFIX, path


def referenced(root: Path, skip: str | None = None) -> set[str]:
    """The blobs some post's map points at (``skip``'s map not counted)."""
    used: set[str] = set()
    for post, _ in maps(root):
        if post != skip:
            used.update(a.path for a in read_map(root, post))
    return used


def blobs(root: Path) -> Iterator[str]:
    """Every stored blob, relative to the root."""
    base = root / ASSETS_DIR
    for folder, _, names in os.walk(base):
        for name in sorted(names):
            if not name.startswith("."):
                yield (Path(folder) / name).relative_to(root).as_posix()


def delete_blob(root: Path, rel: str) -> bool:
    """Remove one blob (and its folder once empty); True if it was there."""
    if not rel.startswith(f"{ASSETS_DIR}/"):
        raise StoreError(rel, "not an asset of the archive")
    path = resolve(root, rel)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as err:
        raise StoreError(rel, f"cannot remove ({err.strerror or err})") from err
    with contextlib.suppress(OSError):
        path.parent.rmdir()
    return True
