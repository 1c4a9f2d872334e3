"""Fetching pages over HTTP(S)."""

from .client import FetchOptions, decode_html, fetch, make_client

__all__ = ["FetchOptions", "decode_html", "fetch", "make_client"]
