"""Side data that belongs to a post, and side data that no longer belongs to any.

A post at ``<stem>.md`` owns ``.vellum/raw/<stem>.html.gz``, ``.vellum/meta/<stem>.json``,
``.vellum/images/<stem>.json`` and the folder ``.vellum/history/<stem>/``; its images
live in ``assets/`` as long as some post's map points at them. Deleting a ``.md``
by hand leaves all that behind: ``orphans`` finds it. File system only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ..errors import StoreError
from . import assets
from .files import MD_SUFFIX
from .history import STAMP_NAME, history_dir
from .paths import HISTORY_DIR, IMAGES_KIND, META_KIND, RAW_KIND, STATE_DIR

# (folder under .vellum, suffix) of the per-post side files.
SIDE_FILES = ((RAW_KIND, ".html.gz"), (META_KIND, ".json"), (IMAGES_KIND, ".json"))


def owned(root: Path, post: str) -> list[str]:
    """The side data of ``post`` that exists, relative to the root."""
    stem = post.removesuffix(MD_SUFFIX)
    found = [f"{STATE_DIR}/{kind}/{stem}{suffix}" for kind, suffix in SIDE_FILES
             if (root / STATE_DIR / kind / f"{stem}{suffix}").is_file()]
    history = history_dir(post).as_posix()
    if (root / history).is_dir():
        found.append(history)
    return found


def delete(root: Path, rels: list[str]) -> None:
    """Remove files and folders (relative to ``root``), then the folders they emptied."""
    for rel in rels:
        path = root / rel
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except OSError as err:
            raise StoreError(rel, f"cannot remove ({err.strerror or err})") from err
        _drop_empty_parents(root, path.parent)


def _drop_empty_parents(top: Path, folder: Path) -> None:
    with contextlib.suppress(OSError, ValueError):
        while folder != top and folder.is_relative_to(top):
            folder.rmdir()  # fails (and stops) at the first folder that is not empty
            folder = folder.parent


def orphans(root: Path) -> list[str]:
    """Side data whose post is gone, and blobs no post's map points at."""
    found: list[str] = []
    for kind, suffix in SIDE_FILES:
        base = root / STATE_DIR / kind
        for folder, _, names in os.walk(base):
            for name in names:
                if name.endswith(suffix) and not name.startswith("."):
                    rel = (Path(folder) / name).relative_to(base).as_posix()
                    if not (root / (rel.removesuffix(suffix) + MD_SUFFIX)).is_file():
                        found.append(f"{STATE_DIR}/{kind}/{rel}")
    found += _orphan_histories(root)
    used = {a.path for post, _ in assets.maps(root) if (root / post).is_file()
            for a in assets.read_map(root, post)}
    found += [blob for blob in assets.blobs(root) if blob not in used]
    return sorted(found)


def _orphan_histories(root: Path) -> list[str]:
    base = root / HISTORY_DIR
    found = []
    for folder, _, names in os.walk(base):
        if any(STAMP_NAME.match(n) for n in names):
            stem = Path(folder).relative_to(base).as_posix()
            if not (root / (stem + MD_SUFFIX)).is_file():
                found.append(f"{HISTORY_DIR.as_posix()}/{stem}")
    return found
