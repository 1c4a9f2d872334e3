"""The typer application, shared options and the translation of errors to exit codes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .. import defaults
from .._version import __version__
from ..errors import InputError, LockedError, VellumError
from ..models import PROFILES, Outcome

app = typer.Typer(
    name="vellum",
    help="Archive blog posts and articles as clean Markdown files with YAML front matter.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    LOCKED = 3


ArchiveOption = Annotated[
    Path,
    typer.Option(
        "--archive",
        "-a",
        envvar="VELLUM_ARCHIVE",
        help="Archive folder (default ./archive, or $VELLUM_ARCHIVE).",
        show_default=False,
    ),
]
DEFAULT_ARCHIVE = Path("archive")

ProfileOption = Annotated[
    str,
    typer.Option("--profile", "-p", help=f"Front-matter profile: {', '.join(PROFILES)}, or "
                 "one under profiles: in the archive's vellum.yml."),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object per line on stdout.")
]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also print the traceback of an internal "
                       "error (a bug in vellum, worth reporting).")
]
TimeoutOption = Annotated[
    float,
    typer.Option("--timeout", min=0.1, metavar="SECONDS",
                 help="Give up a response that takes longer than this in all (a server "
                      "trickling bytes)."),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option("--allow-private", help="Also fetch link-local and cloud metadata "
                 "addresses, and let redirects and found links reach loopback and private "
                 "ones (see Security in the README)."),
]
DEFAULT_TIMEOUT = defaults.DEADLINE


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"vellum {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
) -> None:
    """Archive blog posts and articles as clean Markdown files with YAML front matter."""


def fail(message: str, code: ExitCode) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the exit to raise."""
    typer.echo(f"vellum: {message}", err=True)
    return typer.Exit(int(code))


def exit_code_for(err: VellumError) -> ExitCode:
    if isinstance(err, InputError):
        return ExitCode.USAGE
    if isinstance(err, LockedError):
        return ExitCode.LOCKED
    return ExitCode.FAILED


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn a ``VellumError`` escaping a command into its one-line message and exit code."""
    try:
        yield
    except VellumError as err:
        raise fail(str(err), exit_code_for(err)) from None


def check_profile(profile: str, archive: Path | None = None) -> str:
    """``profile`` if it is a built-in or (given ``archive``) one of its vellum.yml."""
    names: tuple[str, ...] = PROFILES
    if archive is not None:
        from ..pipeline.profiles import profile_names  # loads convert: only when it is needed

        with errors_to_exit():
            names = profile_names(archive)
    if profile not in names:
        raise fail(f"unknown profile '{profile}' (choose from {', '.join(names)})",
                   ExitCode.USAGE)
    return profile


def echo_failure(message: str | None, detail: str | None, verbose: bool) -> None:
    """A failed input: its one line on stderr, and a bug's traceback with ``--verbose``."""
    typer.echo(f"vellum: {message}", err=True)
    if verbose and detail:
        typer.echo(detail, err=True)


def echo_json(obj: dict[str, Any]) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, default=str))


def echo_record(record: dict[str, Any], root: Path) -> None:
    """Print one result as a JSON line, its archive ``path`` shown as the user would type it."""
    echo_json({**record, "path": shown_path(root, record.get("path")) or None})


def shown_path(root: Path, rel: str | None) -> str:
    """A path to print: relative to the working directory when the archive is below it."""
    if rel is None:
        return ""
    if Path(rel).is_absolute():
        try:
            return str(Path(rel).resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return rel
    return str(_shown_root(root, Path.cwd()) / rel)


@lru_cache(maxsize=16)
def _shown_root(root: Path, cwd: Path) -> Path:
    """The archive root as printed from ``cwd``, resolved once per command: resolving each
    post's path (a stat per folder) made ``list`` of 20,000 posts take seconds."""
    try:
        return root.resolve().relative_to(cwd.resolve())
    except ValueError:
        return root


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


T = TypeVar("T")


def with_progress(items: Iterable[T], total: int | None, label: str) -> Iterator[T]:
    """Yield ``items`` under a progress bar on stderr, only when stderr is a terminal."""
    if not stderr_is_terminal() or (total is not None and total < 2):
        yield from items
        return
    from rich.progress import Progress

    with Progress(**progress_settings()) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)


def progress_settings() -> dict[str, Any]:
    """Keyword arguments for a ``rich.progress.Progress`` drawn on stderr.

    Lines printed meanwhile go above the bar only when stdout is the terminal too;
    redirected (``--json > report.jsonl``), they must stay on stdout.
    """
    from rich.console import Console

    return {"console": Console(stderr=True), "transient": True,
            "redirect_stdout": sys.stdout.isatty()}


def report_outcomes(
    outcomes: Iterable[Outcome], root: Path, as_json: bool, on_line: Callable[[Outcome], str],
    verbose: bool = False,
) -> dict[str, int]:
    """Print each outcome (JSON line or ``on_line`` text; failures also on stderr); count them."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        for warning in outcome.warnings:
            typer.echo(f"vellum: warning: {warning}", err=True)
        if outcome.status == "failed":  # on stderr in every mode: scripts log it
            echo_failure(outcome.error, outcome.detail, verbose)
        if as_json:
            echo_record(outcome.as_dict(), root)
        elif outcome.status != "failed":
            typer.echo(on_line(outcome))
    return counts
