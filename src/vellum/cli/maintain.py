"""``vellum reindex`` and ``vellum rebuild``: archive upkeep without network."""

from __future__ import annotations

from typing import Annotated

import typer

from ..archive import rebuild, reindex
from ..archive.browse import orphans
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
def reindex_command(
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    prune: Annotated[bool, typer.Option("--prune", help="Also delete the orphaned side data "
                                        "(raw HTML, metadata, history, images) it reports.")
                     ] = False,
    as_json: JsonOption = False,
) -> None:
    """Rebuild the SQLite index (and search) from the Markdown files, the source of truth;
    report side data left by deleted posts.

    Example: vellum reindex --archive ~/notes/archive --prune
    """
    with errors_to_exit(), Store(archive) as store:
        count = reindex(store)
        left = orphans(store, prune=prune)
    if as_json:
        echo_json({"entries": count, "orphans": left, "pruned": prune})
        return
    typer.echo(f"indexed {count} entries")
    for rel in left:
        typer.echo(f"{'pruned' if prune else 'orphan'} {rel}", err=True)
    if left and not prune:
        typer.echo(f"{len(left)} orphaned side files: remove them with vellum reindex --prune",
                   err=True)


@app.command("rebuild")
def rebuild_command(
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Convert with this "
                                                "profile instead of each file's own.")] = None,
    no_assets: Annotated[bool, typer.Option("--no-assets", help="Link the remote images "
                                            "again instead of the local copies.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Re-convert every archived post from its stored raw HTML, without network.

    Example: vellum rebuild
    """
    if profile is not None:
        check_profile(profile)
    with errors_to_exit(), Store(archive) as store:
        total = sum(1 for _ in store.entries())
        work = rebuild(store, profile=profile, assets=False if no_assets else None)
        outcomes = with_progress(work, total, "Rebuilding")
        counts = report_outcomes(outcomes, store.root, as_json,
                                 lambda o: f"{o.status} {shown_path(store.root, o.path)}")
        if not as_json:
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            typer.echo(f"rebuilt {total} entries: {summary or 'nothing to do'}", err=True)
    raise typer.Exit(ExitCode.FAILED if counts.get("failed") else ExitCode.OK)
