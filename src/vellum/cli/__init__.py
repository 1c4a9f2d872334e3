"""The command-line interface: typer commands only, each a call into ``vellum.archive``.

Each module registers its commands on the shared ``app``; importing them here is
what makes them part of the CLI.
"""

from __future__ import annotations

from . import add, browse, dedup, importer, maintain, refresh  # noqa: F401  (registers the commands)
from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
