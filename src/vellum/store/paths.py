"""Every path inside an archive folder, defined here and nowhere else.

::

    <archive>/
      vellum.yml                       the user's defaults, followed sources, profiles
      <host>/<YYYY>/<slug>.md          the posts (the archive itself)
      assets/<xx>/<hash>-<name>        images copied with --assets (visible on purpose)
      .vellum/                         what vellum keeps beside the posts
        index.db                       the SQLite index (rebuilt from the files)
        lock                           held by the run that writes
        raw/<stem>.html.gz             each post's fetched HTML (for rebuild)
        meta/<stem>.json               each post's side facts
        images/<stem>.json             each post's image map (remote URL -> asset)
        history/<stem>/<stamp>.md      the versions a later run replaced
        duplicates/<path>              entries dedup merged away (never deleted)
        feeds/<host>-<hash>.json       what refresh remembers of each followed feed
        checked.json                   when refresh last checked each post
        dedup.db                       dedup's fingerprints (a rebuildable cache)
        failed-<time>.txt              the URLs an import could not archive

Relative paths (``PurePosixPath``, or a folder name where a module joins per-post
names onto it): join them onto the archive root.
"""

from __future__ import annotations

from pathlib import PurePosixPath

SOURCES_FILE = "vellum.yml"
ASSETS_DIR = "assets"
STATE_DIR = ".vellum"

_STATE = PurePosixPath(STATE_DIR)
INDEX_FILE = _STATE / "index.db"
LOCK_FILE = _STATE / "lock"
# Per-post side files: ``<STATE_DIR>/<kind>/<post stem><suffix>``.
RAW_KIND = "raw"
META_KIND = "meta"
IMAGES_KIND = "images"
HISTORY_DIR = _STATE / "history"
DUPLICATES_DIR = _STATE / "duplicates"
FEEDS_DIR = _STATE / "feeds"
CHECKED_FILE = _STATE / "checked.json"
DEDUP_DB = _STATE / "dedup.db"
FAILED_DIR = _STATE
"""Where ``import`` writes ``failed-<time>.txt``."""
