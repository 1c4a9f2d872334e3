"""The command-line interface: typer commands only, each a call into ``vellum.commands``.

Each module registers its commands on the shared ``app``; importing them here is
what makes them part of the CLI.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers the commands)
    add,
    browse,
    config,
    dedup,
    importer,
    maintain,
    refresh,
)
from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
