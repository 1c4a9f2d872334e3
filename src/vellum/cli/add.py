"""``vellum add`` and ``vellum convert``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..defaults import MAX_IMAGE_BYTES, MAX_PAGE_BYTES, MAX_POST_BYTES
from ..errors import InputError, NotTextError, TooLargeError, VellumError
from ..models import Outcome
from .app import (
    DEFAULT_ARCHIVE,
    DEFAULT_TIMEOUT,
    AllowPrivateOption,
    ArchiveOption,
    ExitCode,
    JsonOption,
    ProfileOption,
    TimeoutOption,
    VerboseOption,
    app,
    check_profile,
    echo_json,
    errors_to_exit,
    fail,
    report_outcomes,
    shown_path,
    with_progress,
)
from .assets import AssetsOption, MaxImageOption, MaxPostImagesOption
from .options import CookiesOption, HeaderOption, UserAgentOption, settled

if TYPE_CHECKING:
    from ..fetch import FetchOptions

SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]?b)?", re.IGNORECASE)
SIZE_UNITS = {"b": 1, "kb": 1_000, "mb": 1_000_000, "gb": 1_000_000_000}


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
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    allow_private: AllowPrivateOption = False,
    assets: AssetsOption = None,
    max_image_bytes: MaxImageOption = MAX_IMAGE_BYTES,
    max_post_image_bytes: MaxPostImagesOption = MAX_POST_BYTES,
    as_json: JsonOption = False,
    user_agent: UserAgentOption = None,
    headers: HeaderOption = None,
    cookies: CookiesOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Archive posts now: prints the path written, or 'unchanged'.

    Example: vellum add https://example.com/2024/05/my-post/ --assets
    """
    from ..commands.add import add
    from ..commands.settings import asset_options, fetch_options
    from ..store import Store

    values = settled(ctx, archive, profile=profile, user_agent=user_agent, headers=headers,
                     cookies=cookies, timeout=timeout, allow_private=allow_private,
                     assets=assets, max_image_bytes=max_image_bytes,
                     max_post_image_bytes=max_post_image_bytes)
    profile = check_profile(values["profile"], None if stdout else archive)
    urls = with_stdin(urls)
    options = fetch_options(values)
    if stdout:
        raise typer.Exit(_print_markdown(urls, profile, as_json, options))
    with errors_to_exit(), Store(archive) as store:
        outcomes = with_progress(add(urls, store, profile=profile, force=force, options=options,
                                     assets=asset_options(values)),
                                 len(urls), "Archiving")
        counts = report_outcomes(outcomes, store.root, as_json, lambda o: _line(store.root, o),
                                 verbose)
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
    from ..commands.add import convert_url

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
    max_size: Annotated[str, typer.Option(
        "--max-size", metavar="SIZE", help="Refuse a page larger than this (20MB, 500KB, "
        "1GB; 0: no limit).")] = f"{MAX_PAGE_BYTES // 1_000_000}MB",
) -> None:
    """Convert a local HTML page to Markdown on stdout (no archive involved).

    Example: vellum convert page.html --url https://example.com/post/ > post.md
    """
    from ..decode import binary_kind
    from ..pipeline import convert_html

    check_profile(profile)
    limit = _size(max_size)
    with errors_to_exit():
        html = _read_source(source, limit)
        what = binary_kind(html)
        if what:
            raise NotTextError(source, what)
        typer.echo(convert_html(html, url, profile), nl=False)


def _size(text: str) -> int:
    """Bytes of ``20MB``, ``500KB``, ``1GB`` or a plain number (0: no limit)."""
    match = SIZE.fullmatch(text.strip())
    if not match:
        raise fail(f"'{text}' is not a size (examples: 20MB, 500KB, 0 for no limit)",
                   ExitCode.USAGE)
    number, unit = match.groups()
    return int(float(number) * SIZE_UNITS[(unit or "b").lower()])


def _read_source(source: str, limit: int) -> bytes:
    """The page's bytes, refused past ``limit`` (0: none) like a fetched body."""
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1) if limit else sys.stdin.buffer.read()
    else:
        data = _read_file(source, limit)
    if limit and len(data) > limit:
        raise TooLargeError(source, limit, what="page", option="--max-size")
    return data


def _read_file(source: str, limit: int) -> bytes:
    path = Path(source)
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1) if limit else handle.read()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, not an HTML file") from None
    except OSError as err:
        raise fail(f"{source}: {err.strerror or err}", ExitCode.USAGE) from None
