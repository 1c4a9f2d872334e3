"""``vellum ingest`` and ``vellum dedup``: existing files in, the same post found in any form."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..models import Outcome
from .app import (
    DEFAULT_ARCHIVE,
    ArchiveOption,
    ExitCode,
    JsonOption,
    app,
    echo_json,
    errors_to_exit,
    report_outcomes,
    shown_path,
    with_progress,
)

if TYPE_CHECKING:
    from ..commands.dedup import DedupResult


@app.command("ingest")
def ingest_command(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", show_default=False,
        help="Files or folders (walked recursively): Markdown with or without front "
             "matter, raw text, saved HTML pages.")],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    as_json: JsonOption = False,
) -> None:
    """Bring existing files into the archive, one entry each, originals untouched.

    The format is detected from the content. Files ingested before (same bytes) are
    skipped. Exit 0: all ingested or skipped; 1: some failed; 2: unusable input.

    Example: vellum ingest ~/old-blog-export/ notes.txt
    """
    from ..commands.ingest import ingest
    from ..store import Store

    with errors_to_exit(), Store(archive) as store:
        outcomes = with_progress(ingest(paths, store), None, "Ingesting")
        counts = report_outcomes(outcomes, store.root, as_json, lambda o: _line(o, store.root))
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    typer.echo(f"ingested {sum(counts.values())} files: {summary or 'nothing to do'}", err=True)
    raise typer.Exit(ExitCode.FAILED if counts.get("failed") else ExitCode.OK)


@app.command("dedup")
def dedup_command(
    include: Annotated[list[Path] | None, typer.Option(
        "--include", metavar="PATH", help="Also compare these files or folders, as they "
        "are, without ingesting them. Repeatable.")] = None,
    apply: Annotated[bool, typer.Option(
        "--apply", help="Merge each group: the richest entry stays and gains the others' "
        "metadata and aliases; the others move to .vellum/duplicates/.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Processes that read and fingerprint files "
        "(default: the cores, up to 4).")] = min(os.cpu_count() or 1, 4),
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    as_json: JsonOption = False,
) -> None:
    """Find archive entries (and --include files) that are the same post in any form.

    Prints each group, the copy that is kept first, and for every other copy the
    evidence that it is the same post (same URL, same content, near-identical
    text, excerpt, edited version) with its containment: the share of the
    smaller copy's distinctive text found in the other. A file that cannot be
    read as a post is reported and skipped. Exit 0: done; 1: some files could
    not be read or merged; 2: unusable input.

    Example: vellum dedup --include ~/old-exports --json
    """
    from ..commands.dedup import dedup
    from ..store import Store

    with errors_to_exit(), Store(archive) as store:
        result = dedup(store, include or [], apply=apply, workers=workers)
        _report(result, store.root, as_json)
    raise typer.Exit(ExitCode.FAILED if result.failed else ExitCode.OK)


def _report(result: DedupResult, root: Path, as_json: bool) -> None:
    merged = {m.canonical: m for m in result.merges}
    for group in result.groups:
        if as_json:
            record = group.as_dict()
            if group.canonical in merged:
                record["moved"] = [new for _, new in merged[group.canonical].moved]
            echo_json(record)
            continue
        typer.echo(f"{len(group.members)} copies; weakest link: {group.reason}, "
                   f"containment {group.score:.2f}")
        evidence = {e.member: e for e in group.evidence}
        for member in group.members:
            if member == group.canonical:
                typer.echo(f"  * {_shown(root, member)}  (kept)")
                continue
            why = evidence.get(member)
            detail = f"  {why.reason}, containment {why.containment:.2f}" if why else ""
            typer.echo(f"    {_shown(root, member)}{detail}")
    for name, reason in result.failed:
        typer.echo(f"vellum: {reason}" if name in reason else f"vellum: {name}: {reason}",
                   err=True)
    action = f", merged {len(result.merges)}" if result.merges else ""
    typer.echo(f"compared {result.documents} documents ({result.computed} fingerprinted): "
               f"{len(result.groups)} duplicate groups{action}", err=True)


def _line(outcome: Outcome, root: Path) -> str:
    where = f" -> {shown_path(root, outcome.path)}" if outcome.path else ""
    return f"{outcome.status}: {outcome.url}{where}"


def _shown(root: Path, member: str) -> str:
    return shown_path(root, member) if not Path(member).is_absolute() and \
        (root / member).exists() else member
