"""``vellum reindex`` and ``vellum rebuild``: archive upkeep without network."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .app import (
    DEFAULT_ARCHIVE,
    ArchiveOption,
    ExitCode,
    JsonOption,
    app,
    check_profile,
    echo_json,
    errors_to_exit,
    fail,
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
    from ..commands.browse import orphans
    from ..commands.maintain import reindex
    from ..store import Store

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
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Convert posts to another "
                                      "--profile without asking.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Re-convert every archived post from its stored raw HTML, without network.

    Front matter keys the page does not give (feed metadata, dedup aliases, status)
    are kept. Rebuilding into another --profile asks first (or takes --yes).

    Example: vellum rebuild
    """
    from ..commands.maintain import profile_changes, rebuild
    from ..store import Store

    if profile is not None:
        check_profile(profile, archive)
    with errors_to_exit(), Store(archive) as store:
        _confirm_profile_change(profile_changes(store, profile), profile, yes)
        total = sum(1 for _ in store.entries())
        work = rebuild(store, profile=profile, assets=False if no_assets else None)
        outcomes = with_progress(work, total, "Rebuilding")
        counts = report_outcomes(outcomes, store.root, as_json,
                                 lambda o: f"{o.status} {shown_path(store.root, o.path)}")
        if not as_json:
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            typer.echo(f"rebuilt {total} entries: {summary or 'nothing to do'}", err=True)
    raise typer.Exit(ExitCode.FAILED if counts.get("failed") else ExitCode.OK)


def _confirm_profile_change(count: int, profile: str | None, yes: bool) -> None:
    """Changing a post's profile rewrites its front matter: only when the user says so."""
    if not count or yes:
        return
    question = (f"rebuild {count} post{'s' if count != 1 else ''} into the '{profile}' "
                "profile (their front matter keys change)?")
    if not sys.stdin.isatty():
        raise fail(f"{question.rstrip('?')} needs --yes when not run interactively",
                   ExitCode.USAGE)
    if not typer.confirm(question.capitalize(), default=False, err=True):
        raise fail("nothing rebuilt", ExitCode.USAGE)
