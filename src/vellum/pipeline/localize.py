"""Offline images (``--assets``): a post's images copied into the archive, its links
pointed at the copies.

The converted Markdown always links the remote images; ``localize`` then fetches
the ones the post's map does not hold yet (politely, through the crawl engine),
stores them content-addressed (``store.assets``), records the post's map (remote
URL -> copy) and relinks. An image that fails keeps its remote link and becomes a
warning, never a failure of the post. Without network (``offline``, for
``rebuild``) only the map is used, so a rebuilt post links the same copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..convert.imagelinks import image_urls, relink
from ..defaults import MAX_IMAGE_BYTES, MAX_POST_BYTES
from ..fetch.crawl import CrawlOptions
from ..fetch.images import fetch_images, image_options
from ..fetch.netguard import Via
from ..store import Store
from ..store import assets as blobs
from ..store.assets import Asset

RECHECK_AFTER = dt.timedelta(days=7)
"""How long a stored image without ETag / Last-Modified is trusted before a refresh
downloads it again to compare its bytes (one with validators is asked each refresh,
conditionally, which costs a 304 and no body)."""


@dataclass(frozen=True)
class AssetOptions:
    enabled: bool | None = None
    """True: copy the images; False: remote links, the post's map dropped; None: as
    the post had it (copies if it has a map, else nothing)."""
    max_image_bytes: int = MAX_IMAGE_BYTES
    max_post_bytes: int = MAX_POST_BYTES
    offline: bool = False
    """Use the copies already stored, fetch nothing (``rebuild``)."""
    revalidate: bool = False
    """Ask again for images already stored (``refresh``): conditionally when their
    ETag / Last-Modified are known (a 304 keeps the copy), else in full, and a copy
    whose bytes changed is replaced (see ``localize``)."""
    dry_run: bool = False
    """Offline, and the post's map left untouched (``refresh --dry-run`` compares only)."""
    crawl: CrawlOptions = field(default_factory=CrawlOptions)


@dataclass(frozen=True)
class Localized:
    text: str
    assets: tuple[Asset, ...] = ()
    fetched: int = 0
    warnings: tuple[str, ...] = ()
    links: dict[str, str] = field(default_factory=dict)
    """Remote URL -> the relative link that replaced it."""


def for_source(options: AssetOptions | None, source_wants: bool) -> AssetOptions | None:
    """``options`` with a followed source's ``assets: true`` applied (the flag wins)."""
    if source_wants and (options is None or options.enabled is None):
        return replace(options or AssetOptions(), enabled=True)
    return options


def localize(store: Store, path: str, text: str, options: AssetOptions, *,
             found_on: Via = "public") -> Localized:
    """``text`` (the post at ``path``) with its images copied and relinked per ``options``.

    ``found_on`` is the kind of address the post's page came from: its images are links
    found in content, so the SSRF policy treats them as such (``CrawlRequest.via``).
    """
    root = store.root
    known = {a.url: a for a in blobs.read_map(root, path) if (root / a.path).is_file()}
    if options.enabled is False or (options.enabled is None and not known):
        if options.enabled is False and not options.dry_run:
            blobs.write_map(root, path, [])
        return Localized(text)
    urls = image_urls(text)
    kept = {url: known[url] for url in urls if url in known}
    offline = options.offline or options.dry_run
    now = dt.datetime.now(dt.timezone.utc)
    todo = [] if offline else [url for url in urls if url not in kept
                               or (options.revalidate and _due(kept[url], now))]
    fetched, warnings = _fetch(store, todo, options, kept, found_on,
                               now.isoformat(timespec="seconds"))
    kept.update(fetched)
    ordered = [kept[url] for url in urls if url in kept]
    if not options.dry_run:
        blobs.write_map(root, path, ordered)
    links = {a.url: blobs.link(path, a.path) for a in ordered}
    changed = sum(1 for url, asset in fetched.items()
                  if url not in known or asset.sha256 != known[url].sha256)
    return Localized(relink(text, links), tuple(ordered), changed, tuple(warnings), links)


def _due(asset: Asset, now: dt.datetime) -> bool:
    """Whether a stored image is asked for again (see ``RECHECK_AFTER``)."""
    if asset.etag or asset.last_modified:
        return True
    try:
        checked = dt.datetime.fromisoformat(asset.checked or "")
    except ValueError:
        return True
    if checked.tzinfo is None:
        checked = checked.replace(tzinfo=dt.timezone.utc)
    return now - checked >= RECHECK_AFTER


def _fetch(store: Store, urls: Iterable[str], options: AssetOptions, kept: dict[str, Asset],
           found_on: Via, stamp: str) -> tuple[dict[str, Asset], list[str]]:
    """Fetch ``urls``: the new images, and (revalidating) the ``kept`` ones asked again.

    A kept image that answers 304, or fails now, keeps its copy: the archive's copy
    outlives the remote one. One whose bytes changed is stored anew (content-addressed:
    the old blob stays until no post uses it, ``reindex --prune``).
    """
    urls = list(urls)
    if not urls:
        return {}, []
    asked = set(urls)
    used = sum(a.size for url, a in kept.items() if url not in asked)
    found: dict[str, Asset] = {}
    warnings: list[str] = []
    crawl = image_options(options.crawl, options.max_image_bytes)
    validators = {url: (a.etag, a.last_modified) for url, a in kept.items() if url in asked}
    for result in fetch_images(urls, crawl, via=found_on, validators=validators):
        old = kept.get(result.url)
        if result.image is None:
            if old is not None:
                used += old.size
                if result.not_modified:
                    found[result.url] = replace(old, checked=stamp)
                else:
                    warnings.append(f"image not re-checked, local copy kept: {result.error}")
            else:
                warnings.append(f"image not saved, remote link kept: {result.error}")
            continue
        image = result.image
        if used + len(image.data) > options.max_post_bytes:
            kept_as = "local copy" if old is not None else "remote link"
            warnings.append(f"image not saved, {kept_as} kept: {image.url}: the post's "
                            f"images pass the per-post cap of {options.max_post_bytes:,} bytes")
            continue
        used += len(image.data)
        rel = blobs.put(store.root, image.data, image.media_type, image.url)
        found[image.url] = Asset(image.url, rel, blobs.digest(image.data), len(image.data),
                                 image.media_type, image.etag, image.last_modified, stamp)
    return found, sorted(warnings)
