"""``vellum reindex`` and ``vellum rebuild``: archive upkeep without network."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..archive import rebuild, reindex
from ..archive.maintain import profile_changes
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
    fail,
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
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Convert posts to another "
                                      "--profile without asking.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Re-convert every archived post from its stored raw HTML, without network.

    Front matter keys the page does not give (feed metadata, dedup aliases, status)
    are kept. Rebuilding into another --profile asks first (or takes --yes).

    Example: vellum rebuild
    """
    if profile is not None:
        check_profile(profile, archive)
    with errors_to_exit(), Store(archive) as store:
        _confirm_profile_change(profile_changes(store, profile), profile, yes)
        total = sum(1 for _ in store.entries())
        outcomes = with_progress(rebuild(store, profile=profile), total, "Rebuilding")
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
