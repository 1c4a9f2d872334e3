"""``vellum add`` and ``vellum convert``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..archive import add, convert_html, convert_url
from ..archive.settings import fetch_options
from ..errors import InputError, VellumError
from ..fetch import FetchOptions
from ..models import Outcome
from ..store import Store
from .app import (
    DEFAULT_ARCHIVE,
    ArchiveOption,
    ExitCode,
    JsonOption,
    ProfileOption,
    app,
    check_profile,
    echo_json,
    errors_to_exit,
    fail,
    report_outcomes,
    shown_path,
    with_progress,
)
from .options import CookiesOption, HeaderOption, UserAgentOption, settled


@app.command("add")
def add_command(
    ctx: typer.Context,
    urls: Annotated[list[str], typer.Argument(
        metavar="URL...|-", show_default=False,
        help="URLs of the posts to archive; - reads them from stdin, one per line.")],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    profile: ProfileOption = "default",
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the Markdown instead of "
                                         "writing it to the archive.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Fetch unconditionally, ignoring "
                                        "stored ETag/Last-Modified.")] = False,
    as_json: JsonOption = False,
    user_agent: UserAgentOption = None,
    headers: HeaderOption = None,
    cookies: CookiesOption = None,
) -> None:
    """Archive posts now: prints the path written, or 'unchanged'.

    Example: vellum add https://example.com/2024/05/my-post/
    """
    values = settled(ctx, archive, profile=profile, user_agent=user_agent, headers=headers,
                     cookies=cookies)
    profile = check_profile(values["profile"], None if stdout else archive)
    urls = with_stdin(urls)
    options = fetch_options(values)
    if stdout:
        raise typer.Exit(_print_markdown(urls, profile, as_json, options))
    with errors_to_exit(), Store(archive) as store:
        outcomes = with_progress(add(urls, store, profile=profile, force=force, options=options),
                                 len(urls), "Archiving")
        counts = report_outcomes(outcomes, store.root, as_json, lambda o: _line(store.root, o))
    raise typer.Exit(ExitCode.FAILED if counts.get("failed") else ExitCode.OK)


def with_stdin(urls: list[str]) -> list[str]:
    """``urls`` with ``-`` replaced by the lines of stdin (blank lines and # comments skipped)."""
    if "-" not in urls:
        return urls
    listed = [line.strip() for line in sys.stdin.read().splitlines()]
    from_stdin = [line for line in listed if line and not line.startswith("#")]
    if not from_stdin:
        raise fail("no URLs on stdin", ExitCode.USAGE)
    return [u for url in urls for u in (from_stdin if url == "-" else [url])]


def _line(root: Path, outcome: Outcome) -> str:
    path = shown_path(root, outcome.path)
    return path if outcome.status in ("written", "updated") else f"unchanged {path}"


def _print_markdown(urls: list[str], profile: str, as_json: bool, options: FetchOptions) -> int:
    failed = False
    for url in urls:
        try:
            text = convert_url(url, profile=profile, options=options)
        except VellumError as err:
            failed = True
            typer.echo(f"vellum: {err}", err=True)
            if as_json:
                echo_json({"url": url, "status": "failed", "error": str(err)})
            continue
        if as_json:
            echo_json({"url": url, "status": "converted", "markdown": text})
        else:
            typer.echo(text, nl=False)
    return ExitCode.FAILED if failed else ExitCode.OK


@app.command("convert")
def convert_command(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="HTML file, or - for stdin.")],
    url: Annotated[str | None, typer.Option("--url", help="The page's URL, to resolve links "
                                            "and fill original_url.")] = None,
    profile: ProfileOption = "default",
) -> None:
    """Convert a local HTML page to Markdown on stdout (no archive involved).

    Example: vellum convert page.html --url https://example.com/post/ > post.md
    """
    check_profile(profile)
    with errors_to_exit():
        html = _read_source(source)
        typer.echo(convert_html(html, url, profile), nl=False)


def _read_source(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not an HTML file") from None
    except OSError as err:
        raise fail(f"{source}: {err.strerror or err}", ExitCode.USAGE) from None
