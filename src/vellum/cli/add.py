"""``vellum add`` and ``vellum convert``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..archive import add, convert_html, convert_url
from ..archive.assets import MAX_IMAGE_BYTES, MAX_POST_BYTES
from ..errors import InputError, VellumError
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
from .assets import AssetsOption, MaxImageOption, MaxPostImagesOption, asset_options


@app.command("add")
def add_command(
    urls: Annotated[list[str], typer.Argument(help="URLs of the posts to archive.",
                                              show_default=False)],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    profile: ProfileOption = "default",
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the Markdown instead of "
                                         "writing it to the archive.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Fetch unconditionally, ignoring "
                                        "stored ETag/Last-Modified.")] = False,
    assets: AssetsOption = None,
    max_image_bytes: MaxImageOption = MAX_IMAGE_BYTES,
    max_post_image_bytes: MaxPostImagesOption = MAX_POST_BYTES,
    as_json: JsonOption = False,
) -> None:
    """Archive posts now: prints the path written, or 'unchanged'.

    Example: vellum add https://example.com/2024/05/my-post/ --assets
    """
    check_profile(profile)
    if stdout:
        raise typer.Exit(_print_markdown(urls, profile, as_json))
    with errors_to_exit(), Store(archive) as store:
        images = asset_options(assets, max_image_bytes, max_post_image_bytes)
        outcomes = with_progress(add(urls, store, profile=profile, force=force, assets=images),
                                 len(urls), "Archiving")
        counts = report_outcomes(outcomes, store.root, as_json, lambda o: _line(store.root, o))
    raise typer.Exit(ExitCode.FAILED if counts.get("failed") else ExitCode.OK)


def _line(root: Path, outcome: Outcome) -> str:
    path = shown_path(root, outcome.path)
    return path if outcome.status in ("written", "updated") else f"unchanged {path}"


def _print_markdown(urls: list[str], profile: str, as_json: bool) -> int:
    failed = False
    for url in urls:
        try:
            text = convert_url(url, profile=profile)
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
