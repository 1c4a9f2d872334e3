"""Fetch a post's images, through the crawl engine: the politeness, robots.txt, retries,
redirect and size rules of page fetches apply to images too.

Only images are kept: the response's type must be an image type (or missing) and
the bytes must look like one, so an HTML error page served with ``image/png`` is
refused. The type of a kept image is what its bytes say, not what the server said.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

import httpx

from ..decode import media_type
from ..errors import ContentTypeError, FetchError, VellumError
from ..rules.fetch import SVG_START
from .crawl import CrawlOptions, CrawlRequest, crawl_sync
from .netguard import Via

# (magic bytes at offset 0, media type); WebP and AVIF are checked apart (offset 8 / 4).
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
SNIFF_BYTES = 2048


@dataclass(frozen=True)
class Image:
    url: str
    data: bytes
    media_type: str
    """What the bytes are (sniffed), e.g. ``image/png``."""
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class ImageResult:
    url: str
    image: Image | None
    error: VellumError | None
    not_modified: bool = False
    """The server answered 304 to the validators sent: the stored copy is current."""


Validators = tuple[str | None, str | None]
"""An image's (ETag, Last-Modified) from an earlier fetch."""


def sniff(data: bytes) -> str | None:
    """The image type of ``data`` from its first bytes, or None when it is no image."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "image/avif"
    if SVG_START.match(data[:SNIFF_BYTES]):
        return "image/svg+xml"
    return None


def image_options(options: CrawlOptions, max_bytes: int) -> CrawlOptions:
    """The crawl options of a page fetch, with the per-image size cap."""
    return replace(options, fetch=replace(options.fetch, max_bytes=max_bytes))


def fetch_images(urls: Iterable[str], options: CrawlOptions, *, via: Via = "public",
                 client: httpx.AsyncClient | None = None,
                 validators: Mapping[str, Validators] | None = None) -> Iterator[ImageResult]:
    """Fetch each image URL, yielding one result each (in completion order).

    ``via`` is what the page showing the images may reach (``Page.found_on``): an image
    is a link found in content, so one on a public page never reaches a private address.
    An image with ``validators`` is asked for conditionally (If-None-Match /
    If-Modified-Since); a 304 comes back as ``not_modified``, without bytes.
    """
    known = validators or {}
    requests = [CrawlRequest(url, *known.get(url, (None, None)), kind="image", via=via)
                for url in dict.fromkeys(urls)]
    for result in crawl_sync(requests, options, client=client):
        url = result.request.url
        if result.page is None:
            yield ImageResult(url, None, _explained(result.error, url))
            continue
        page = result.page
        if page.not_modified:
            yield ImageResult(url, None, None, not_modified=True)
            continue
        kind = sniff(page.data)
        if kind is None:
            declared = media_type(page.content_type) or "missing"
            yield ImageResult(url, None, FetchError(
                url, f"not an image (content type {declared}, and the bytes are no image)"))
            continue
        yield ImageResult(url, Image(url, page.data, kind, page.etag, page.last_modified), None)


def _explained(error: VellumError | None, url: str) -> VellumError:
    if isinstance(error, ContentTypeError):
        return FetchError(url, f"not an image (content type {error.content_type or 'missing'})")
    return error or FetchError(url, "not fetched")
