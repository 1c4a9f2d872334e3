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

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..convert.imagelinks import image_urls, relink
from ..fetch.crawl import CrawlOptions
from ..fetch.images import fetch_images, image_options
from ..fetch.netguard import Via
from ..store import Store
from ..store import assets as blobs
from ..store.assets import Asset

MAX_IMAGE_BYTES = 10_000_000
MAX_POST_BYTES = 50_000_000


@dataclass(frozen=True)
class AssetOptions:
    enabled: bool | None = None
    """True: copy the images; False: remote links, the post's map dropped; None: as
    the post had it (copies if it has a map, else nothing)."""
    max_image_bytes: int = MAX_IMAGE_BYTES
    max_post_bytes: int = MAX_POST_BYTES
    offline: bool = False
    """Use the copies already stored, fetch nothing (``rebuild``)."""
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
    todo = [] if offline else [url for url in urls if url not in kept]
    fetched, warnings = _fetch(store, todo, options, sum(a.size for a in kept.values()),
                               found_on)
    kept.update(fetched)
    ordered = [kept[url] for url in urls if url in kept]
    if not options.dry_run:
        blobs.write_map(root, path, ordered)
    links = {a.url: blobs.link(path, a.path) for a in ordered}
    return Localized(relink(text, links), tuple(ordered), len(fetched), tuple(warnings), links)


def _fetch(store: Store, urls: Iterable[str], options: AssetOptions,
           used: int, found_on: Via) -> tuple[dict[str, Asset], list[str]]:
    urls = list(urls)
    if not urls:
        return {}, []
    found: dict[str, Asset] = {}
    warnings: list[str] = []
    crawl = image_options(options.crawl, options.max_image_bytes)
    for result in fetch_images(urls, crawl, via=found_on):
        if result.image is None:
            warnings.append(f"image not saved, remote link kept: {result.error}")
            continue
        image = result.image
        if used + len(image.data) > options.max_post_bytes:
            warnings.append(f"image not saved, remote link kept: {image.url}: the post's "
                            f"images pass the per-post cap of {options.max_post_bytes:,} bytes")
            continue
        used += len(image.data)
        rel = blobs.put(store.root, image.data, image.media_type, image.url)
        found[image.url] = Asset(image.url, rel, blobs.digest(image.data), len(image.data),
                                 image.media_type, image.etag, image.last_modified)
    return found, sorted(warnings)
