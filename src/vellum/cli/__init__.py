"""The command-line interface: typer commands only, each a call into ``vellum.commands``.

Each module registers its commands on the shared ``app``; importing them here is
what makes them part of the CLI. They import ``vellum.commands`` (and through it the
stages) inside each command's function, never at the top: ``vellum --help``,
``search`` and ``list`` would otherwise pay a second of CPU for parsers and an HTTP
client they never use (tests/test_startup.py holds that). Defaults shown in ``--help``
come from ``vellum.defaults`` for the same reason.
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
