"""Content-Encoding decoded from the raw stream, never more than a bounded piece at a time.

httpx's decoders inflate each network chunk whole: a 16 KB brotli bomb becomes
gigabytes before any size cap sees it. Here every decoder is asked for at most
``PIECE`` bytes per call (zlib's ``max_length``, brotli's ``output_buffer_limit``),
and the caller stops as soon as the decoded total passes its cap, so peak memory
stays near the cap whatever the compression ratio. zstd is not offered (the
``Accept-Encoding`` header says so); an unknown coding is passed through as httpx does.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli

PIECE = 64 * 1024
ACCEPTED = ("gzip", "deflate", "br")


class DecodeFailed(Exception):
    """The body does not decode as its Content-Encoding says."""


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self.wbits = wbits
        self.gzip = wbits > zlib.MAX_WBITS
        self.raw_fallback = wbits == zlib.MAX_WBITS  # "deflate" is raw deflate on some servers
        self.obj = zlib.decompressobj(wbits)
        self.started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self.obj.decompress(data, PIECE)
            except zlib.error as err:
                if self.raw_fallback and not self.started:
                    self.obj, self.raw_fallback = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise DecodeFailed(str(err)) from err
            self.started = True
            if piece:
                yield piece
            data = self.obj.unconsumed_tail
            if self.obj.eof and self.gzip and self.obj.unused_data:
                data = self.obj.unused_data  # a second gzip member follows
                self.obj = zlib.decompressobj(self.wbits)


class _Brotli:
    def __init__(self) -> None:
        self.obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            piece = self.obj.process(data, output_buffer_limit=PIECE)
            while True:
                if piece:
                    yield piece
                if self.obj.can_accept_more_data() or self.obj.is_finished():
                    return
                piece = self.obj.process(b"", output_buffer_limit=PIECE)
        except brotli.error as err:
            raise DecodeFailed(str(err)) from err


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data


Stage = _Zlib | _Brotli | _Identity


def _stage(coding: str) -> Stage:
    if coding in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if coding == "br":
        return _Brotli()
    return _Identity()


class Inflater:
    """Decodes a body whose Content-Encoding is ``header`` (codings applied in order)."""

    def __init__(self, header: str | None) -> None:
        codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
        # The last coding applied is the first to undo.
        self.stages = [_stage(c) for c in reversed(codings)]

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield from self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self.stages):
            if data:
                yield data
            return
        for piece in self.stages[index].feed(data):
            yield from self._through(index + 1, piece)
