"""``vellum search``, ``list``, ``export`` and ``remove``: using the archive offline."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import (
    DEFAULT_ARCHIVE,
    ArchiveOption,
    ExitCode,
    JsonOption,
    app,
    echo_json,
    errors_to_exit,
    fail,
    shown_path,
)

if TYPE_CHECKING:
    from ..store.search import Filters, Hit

HostOption = Annotated[str, typer.Option("--host", help="Only posts from this site "
                                         "(example.com also matches its subdomains).")]
TagOption = Annotated[str, typer.Option("--tag", help="Only posts with this tag or category.")]
AuthorOption = Annotated[str, typer.Option("--author", help="Only posts whose author "
                                           "contains this.")]
SinceOption = Annotated[str, typer.Option("--since", metavar="DATE",
                                          help="Only posts dated on or after (YYYY[-MM[-DD]]).")]
UntilOption = Annotated[str, typer.Option("--until", metavar="DATE",
                                          help="Only posts dated on or before (YYYY[-MM[-DD]]).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV (with a header row).")]
# ANSI: bold yellow for the matched words, dim for the date.
HIGHLIGHT = ("\x1b[1;33m", "\x1b[0m")
DIM = ("\x1b[2m", "\x1b[0m")


def _filters(host: str, tag: str, author: str, since: str, until: str) -> Filters:
    from ..commands import browse

    return browse.filters(host=host, tag=tag, author=author, since=since, until=until)


def _styled() -> bool:
    return (sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
            and "NO_COLOR" not in os.environ)


def _snippet(text: str, styled: bool) -> str:
    from ..store.search import MARK_END, MARK_START

    on, off = HIGHLIGHT if styled else ("", "")
    return text.replace(MARK_START, on).replace(MARK_END, off)


def _line(root: Path, hit: Hit, styled: bool) -> str:
    date = hit.date[:10]
    if styled and date:
        date = f"{DIM[0]}{date}{DIM[1]}"
    parts = [shown_path(root, hit.path), hit.title or "(untitled)", date]
    if hit.snippet:
        parts.append(_snippet(hit.snippet, styled))
    return "\t".join(parts)


def _record(root: Path, hit: Hit) -> dict[str, Any]:
    from ..commands import browse

    record = browse.hit_record(hit)
    record["path"] = shown_path(root, hit.path)
    if "snippet" in record:
        record["snippet"] = _snippet(record["snippet"], False)
    return record


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Words (all must match), "a phrase", prefix*, '
                                         "OR, NOT, title:word.", show_default=False)],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    host: HostOption = "", tag: TagOption = "", author: AuthorOption = "",
    since: SinceOption = "", until: UntilOption = "",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Results to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Full-text search of the archive: path, title, date and a snippet per result, best first.

    Example: vellum search '"static site" hugo*' --host example.com --since 2023
    """
    from ..commands import browse
    from ..store import Store

    with errors_to_exit(), Store(archive) as store:
        hits = browse.search(store, query, _filters(host, tag, author, since, until), limit)
        styled = _styled() and not as_json
        for hit in hits:
            if as_json:
                echo_json(_record(store.root, hit))
            else:
                typer.echo(_line(store.root, hit, styled))
    if not hits and not as_json:
        typer.echo("no match", err=True)
    raise typer.Exit(ExitCode.OK)


@app.command("list")
def list_command(
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    host: HostOption = "", tag: TagOption = "", author: AuthorOption = "",
    since: SinceOption = "", until: UntilOption = "",
    sort: Annotated[str, typer.Option("--sort", help="date (newest first), title or host.")
                    ] = "date",
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most this "
                                              "many.")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the archived posts: path, title and date, newest first.

    Example: vellum list --tag python --sort title --csv > python-posts.csv
    """
    from ..commands import browse
    from ..store import Store

    if as_json and as_csv:
        raise fail("choose one of --json and --csv", ExitCode.USAGE)
    with errors_to_exit(), Store(archive) as store:
        hits = browse.listing(store, _filters(host, tag, author, since, until), sort, limit)
        if as_csv:
            _write_csv([_record(store.root, hit) for hit in hits])
            return
        for hit in hits:
            if as_json:
                echo_json(_record(store.root, hit))
            else:
                typer.echo(_line(store.root, hit, False))


@app.command("export")
def export_command(
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    host: HostOption = "", tag: TagOption = "", author: AuthorOption = "",
    since: SinceOption = "", until: UntilOption = "",
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV of the front matter, without "
                                         "the body.")] = False,
) -> None:
    """Export every post as JSON Lines (front matter keys + path + body), or CSV.

    Load it in one step: sqlite-utils insert posts.db posts export.jsonl --nl,
    or pandas.read_json("export.jsonl", lines=True).

    Example: vellum export > archive.jsonl
    """
    from ..commands import browse
    from ..store import Store

    with errors_to_exit(), Store(archive) as store:
        items = browse.export(store, _filters(host, tag, author, since, until))
        if as_csv:
            _write_csv([item.as_dict(body=False) for item in items])
            return
        for item in items:
            echo_json(item.as_dict())


def _write_csv(records: list[dict[str, Any]]) -> None:
    from ..commands import browse

    columns = browse.csv_columns(records)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([browse.csv_cell(record.get(c)) for c in columns])


@app.command("remove")
def remove_command(
    targets: Annotated[list[str], typer.Argument(metavar="URL|PATH...", show_default=False,
                                                 help="Archived posts, by URL or file path.")],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete posts with their raw HTML, metadata, history, index rows and unshared images.

    Example: vellum remove https://example.com/2024/05/my-post/ --yes
    """
    from ..commands import browse
    from ..store import Store

    with errors_to_exit(), Store(archive) as store:
        paths = browse.resolve_targets(store, targets)
        if not yes:
            _confirm(store.root, paths)
        for removed in browse.remove(store, paths):
            if as_json:
                echo_json({"path": shown_path(store.root, removed.path), "status": "removed",
                           "side": list(removed.side), "assets": list(removed.assets)})
            else:
                extra = len(removed.side) + len(removed.assets)
                typer.echo(f"removed {shown_path(store.root, removed.path)}"
                           + (f" (+{extra} side files)" if extra else ""))


def _confirm(root: Path, paths: list[str]) -> None:
    for rel in paths:
        typer.echo(f"will remove {shown_path(root, rel)}", err=True)
    try:
        agreed = typer.confirm(f"Remove {len(paths)} post(s)?", default=False, err=True)
    except typer.Abort:  # no answer (stdin closed): the safe side
        agreed = False
    if not agreed:
        raise fail("nothing removed (answer y, or pass --yes)", ExitCode.FAILED)
