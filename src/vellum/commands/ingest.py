"""``vellum ingest``: bring existing files (Markdown, raw text, saved pages) into the archive.

Each file becomes one archive entry carrying whatever metadata it has: its own
front matter, the first-line title and ``Posted on:`` date of raw text, the
canonical URL of a saved page. The format is detected from the content
(``dedup.normalize``), not the extension. HTML (a saved page, or the HTML body
of an aggregator copy) goes through the normal extract + convert pipeline.

The original is never modified. The entry records where it came from
(``ingested_from``) and the SHA-256 of the original (``source_sha256``): a file
whose bytes were ingested before is skipped, so ingesting twice does nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from .. import frontmatter
from ..dedup import fingerprint, normalize
from ..dedup.groups import date_key
from ..errors import InputError, StoreError
from ..models import Entry, Outcome
from ..pipeline.dedupdb import DedupDB
from ..pipeline.flow import convert_html, now_utc
from ..pipeline.runner import run_one
from ..store import Store
from ..store.lock import ArchiveLock
from ..urls import make_slug

# Files never worth reading as posts, whatever their content.
SKIP_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".pdf", ".zip",
                 ".gz", ".tar", ".db", ".sqlite", ".json", ".css", ".js", ".woff", ".woff2")
MAX_BYTES = 20 * 1024 * 1024
SOURCE_KEY = "source_sha256"
FROM_KEY = "ingested_from"


def source_files(paths: Iterable[str | os.PathLike[str]], skip: Path | None = None
                 ) -> Iterator[Path]:
    """Every file named by ``paths``, folders walked recursively (hidden ones skipped),
    leaving out ``skip`` (the archive itself) and files that cannot be posts."""
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.exists():
            raise InputError(str(raw), "no such file or folder")
        if path.is_file():
            yield path
            continue
        for folder, dirs, names in os.walk(path):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and not (skip and _inside(here / d, skip)))
            for name in sorted(names):
                if not name.startswith(".") and not name.lower().endswith(SKIP_SUFFIXES):
                    yield here / name


def ingest(paths: Iterable[str | os.PathLike[str]], store: Store) -> Iterator[Outcome]:
    """Ingest every file under ``paths``; one ``Outcome`` per file (``url`` is its path)."""
    with ArchiveLock(store.root), DedupDB(store.root) as db:
        if db.empty_sources:
            db.rebuild_sources(_archived_sources(store))
        for path in source_files(paths, skip=store.root):
            yield run_one(str(path), partial(_ingest_one, path, store, db))


def _ingest_one(path: Path, store: Store, db: DedupDB) -> Outcome:
    data = _read(path)
    digest = hashlib.sha256(data).hexdigest()
    known = db.source(digest)
    if known is not None:
        return Outcome(str(path), "skipped", known)
    if b"\0" in data[:8192]:
        return Outcome(str(path), "skipped", error=f"{path}: not a text file")
    text = _decode(data)
    meta, body = post_to_markdown(text)
    if not body.strip():
        return Outcome(str(path), "skipped", error=f"{path}: no text in this file")
    meta[FROM_KEY] = str(path.resolve())
    meta[SOURCE_KEY] = digest
    url = str(meta.get("original_url") or meta.get("canonical_url") or meta.get("url") or "")
    taken = bool(url) and store.find(url) is not None
    date = date_key(str(meta.get("date") or ""))
    rel = store.new_path(url, make_slug(str(meta.get("title") or ""), url or None),
                         int(date[:4]) if date else None)
    entry = Entry(
        path=rel, url="" if taken else url, canonical_url="" if taken else url,
        title=str(meta.get("title") or ""), date=str(meta.get("date") or ""),
        fetched_at=now_utc().isoformat(), status="ok", profile="default",
    )
    written = frontmatter.join(meta, body)
    stored = store.save(entry, written)
    db.add_source(digest, stored.path)
    if db.index_built:  # so that a later ``add`` of the same post finds this copy
        db.index_entry(stored.path, fingerprint(written))
    return Outcome(str(path), "written", stored.path)


def post_to_markdown(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, Markdown body) for any form of a post."""
    doc = normalize(text)
    data, body = frontmatter.split(text)
    meta: dict[str, Any] = {k: frontmatter.plain(v) for k, v in (data or {}).items()}
    if doc.format == "html":
        converted = convert_html(text, doc.url or None)
        page_meta, body = frontmatter.split(converted)
        meta = {**(page_meta or {}), **meta}
    elif doc.format == "html-front-matter":
        _, body = frontmatter.split(convert_html(body, doc.url or None))
    elif data is None:
        body = _without_header(text, doc.title, doc.date, doc.url)
    for key, value in (("title", doc.title), ("date", doc.date), ("url", doc.url)):
        if value and not any(k in meta for k in (key, f"original_{key}", f"canonical_{key}")):
            meta[key] = value
    return meta, body.strip("\n") + "\n"


def _without_header(text: str, title: str, date: str, url: str) -> str:
    """Raw text minus the title, ``Posted on:`` and ``URL:`` lines that became metadata."""
    lines = text.replace("\r\n", "\n").removeprefix("\ufeff").split("\n")
    kept: list[str] = []
    header = True
    for line in lines:
        stripped = line.strip().lstrip("#").strip()
        if header and (not stripped or (title and stripped == title)
                       or (date and stripped.endswith(date) and len(stripped) < 60)
                       or (url and url in stripped and len(stripped) < len(url) + 30)):
            continue
        header = False
        kept.append(line)
    return "\n".join(kept)


def _read(path: Path) -> bytes:
    try:  # unbuffered, sized from the open file: half the cost of stat() and read_bytes()
        with open(path, "rb", buffering=0) as file:
            if os.fstat(file.fileno()).st_size > MAX_BYTES:
                raise InputError(str(path), f"larger than {MAX_BYTES:,} bytes")
            return file.read()
    except OSError as err:
        raise InputError(str(path), f"cannot read ({err.strerror or err})") from err


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _archived_sources(store: Store) -> Iterator[tuple[str, str]]:
    """(source hash, entry path) of every entry that was ingested, read from the files."""
    for entry in store.entries():
        try:
            data, _ = frontmatter.split(store.read(entry.path))
        except StoreError:
            continue
        if data and isinstance(data.get(SOURCE_KEY), str):
            yield data[SOURCE_KEY], entry.path


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
