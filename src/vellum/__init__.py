"""vellum: archive blog posts and articles as clean Markdown with YAML front matter."""

from __future__ import annotations

from ._version import __version__

__all__ = ["__version__"]
