"""``vellum reindex`` and ``vellum rebuild``: archive upkeep without network."""

from __future__ import annotations

from typing import Annotated

import typer

from ..archive import rebuild, reindex
from ..store import Store
from .app import (
    DEFAULT_ARCHIVE,
    ArchiveOption,
    ExitCode,
    JsonOption,
    app,
    check_profile,
    echo_json,
    errors_to_exit,
    report_outcomes,
    shown_path,
    with_progress,
)


@app.command("reindex")
def reindex_command(archive: ArchiveOption = DEFAULT_ARCHIVE, as_json: JsonOption = False) -> None:
    """Rebuild the SQLite index from the Markdown files (they are the source of truth).

    Example: vellum reindex --archive ~/notes/archive
    """
    with errors_to_exit(), Store(archive) as store:
        count = reindex(store)
    if as_json:
        echo_json({"entries": count})
    else:
        typer.echo(f"indexed {count} entries")


@app.command("rebuild")
def rebuild_command(
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Convert with this "
                                                "profile instead of each file's own.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Re-convert every archived post from its stored raw HTML, without network.

    Example: vellum rebuild
    """
    if profile is not None:
        check_profile(profile)
    with errors_to_exit(), Store(archive) as store:
        total = sum(1 for _ in store.entries())
        outcomes = with_progress(rebuild(store, profile=profile), total, "Rebuilding")
        counts = report_outcomes(outcomes, store.root, as_json,
                                 lambda o: f"{o.status} {shown_path(store.root, o.path)}")
        if not as_json:
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            typer.echo(f"rebuilt {total} entries: {summary or 'nothing to do'}", err=True)
    raise typer.Exit(ExitCode.FAILED if counts.get("failed") else ExitCode.OK)
