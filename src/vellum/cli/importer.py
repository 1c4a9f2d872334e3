"""``vellum import``: archive a list of URLs (file, stdin, sitemap, feed) politely and fast."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import defaults
from ..defaults import MAX_IMAGE_BYTES, MAX_POST_BYTES
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
    echo_failure,
    echo_json,
    echo_record,
    errors_to_exit,
    fail,
    progress_settings,
    shown_path,
    stderr_is_terminal,
)
from .assets import AssetsOption, MaxImageOption, MaxPostImagesOption
from .options import CookiesOption, HeaderOption, UserAgentOption, settled

if TYPE_CHECKING:
    from ..commands.importer import ImportSummary
    from ..feeds import ListedURL
    from ..fetch.crawl import CrawlOptions

INTERRUPTED = 130  # 128 + SIGINT, the shell's convention for a run stopped by Ctrl-C


@app.command("import")
def import_command(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Argument(
        metavar="FILE|-", show_default=False,
        help="URL list (one per line, # comments), CSV with a url column, sitemap, "
             "RSS/Atom/JSON feed or OPML file; - reads stdin.")] = None,
    from_sitemap: Annotated[list[str] | None, typer.Option(
        "--from-sitemap", metavar="URL", help="Fetch this sitemap (or sitemap index) and "
        "import its URLs. Repeatable.")] = None,
    from_feed: Annotated[list[str] | None, typer.Option(
        "--from-feed", metavar="URL", help="Fetch this feed and import its posts. "
        "Repeatable.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight at once.")]
    = defaults.CONCURRENCY,
    per_host: Annotated[int, typer.Option(min=1, help="Requests in flight per host.")]
    = defaults.PER_HOST,
    delay: Annotated[float, typer.Option(min=0.0, help="Seconds between two requests "
                                         "to one host.")] = defaults.DELAY,
    retries: Annotated[int, typer.Option(min=0, help="Retries after connection errors, "
                                         "timeouts, 429 and 5xx.")] = defaults.RETRIES,
    ignore_robots: Annotated[bool, typer.Option("--ignore-robots", help="Do not read "
                                                "robots.txt.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Fetch again URLs already in the "
                                        "archive.")] = False,
    profile: ProfileOption = "default",
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    allow_private: AllowPrivateOption = False,
    assets: AssetsOption = None,
    max_image_bytes: MaxImageOption = MAX_IMAGE_BYTES,
    max_post_image_bytes: MaxPostImagesOption = MAX_POST_BYTES,
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    as_json: JsonOption = False,
    user_agent: UserAgentOption = None,
    headers: HeaderOption = None,
    cookies: CookiesOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Archive many posts: a list of URLs, a sitemap or a feed, politely and resumably.

    Already archived URLs are skipped, so an interrupted import continues where it
    stopped. Failures are saved to <archive>/.vellum/failed-<time>.txt, a list you can
    import again. Exit 0: all archived or skipped; 1: some failed; 2: unusable input.

    Example: vellum import bookmarks.txt --per-host 1 --delay 2
    """
    from ..commands.importer import import_urls
    from ..commands.settings import asset_options, crawl_options
    from ..store import Store

    values = settled(ctx, archive, concurrency=concurrency, per_host=per_host, delay=delay,
                     retries=retries, ignore_robots=ignore_robots, profile=profile,
                     user_agent=user_agent, headers=headers, cookies=cookies, timeout=timeout,
                     allow_private=allow_private, assets=assets, max_image_bytes=max_image_bytes,
                     max_post_image_bytes=max_post_image_bytes)
    profile = check_profile(values["profile"], archive)
    options = crawl_options(values)
    with errors_to_exit():
        listed = _listed(source, from_sitemap or [], from_feed or [], options)
        name = "stdin" if source == "-" else source or "input"
        urls = _report_invalid(listed, name, as_json)
        invalid = len(listed) - len(urls)
        if not urls:
            raise fail("no URLs to import", ExitCode.USAGE)
        with Store(archive) as store:
            results = import_urls(urls, store, options=options, profile=profile, force=force,
                                  assets=asset_options(values))
            summary = _report(_progress(results, len(urls)), store.root, as_json, invalid,
                              verbose)
    if summary.interrupted:
        raise typer.Exit(INTERRUPTED)
    raise typer.Exit(ExitCode.FAILED if summary.failed or invalid else ExitCode.OK)


def _listed(source: str | None, sitemaps: list[str], feeds: list[str],
            options: CrawlOptions) -> list[ListedURL]:
    from ..commands.importer import fetch_listing, read_listing

    if source is None and not sitemaps and not feeds:
        raise fail("give a FILE, - for stdin, --from-sitemap URL or --from-feed URL",
                   ExitCode.USAGE)
    listed = read_listing(_read(source), options=options) if source is not None else []
    for url in sitemaps:
        listed += fetch_listing(url, "sitemap", options=options)
    for url in feeds:
        listed += fetch_listing(url, "feed", options=options)
    return listed


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        raise fail(f"{source}: no such file", ExitCode.USAGE) from None
    except OSError as err:
        raise fail(f"{source}: {err.strerror or err}", ExitCode.USAGE) from None


def _report_invalid(listed: list[ListedURL], name: str, as_json: bool) -> list[ListedURL]:
    """Report each unusable line (file:line: reason) and return the usable URLs."""
    urls = []
    for item in listed:
        if item.url is not None:
            urls.append(item)
            continue
        where = f"{name}:{item.line}: " if item.line else ""
        typer.echo(f"vellum: {where}{item.error}", err=True)
        if as_json:
            echo_json({"line": item.line or None, "status": "invalid", "error": item.error})
    return urls


def _report(results: Iterable[Outcome | ImportSummary], root: Path,
            as_json: bool, invalid: int, verbose: bool = False) -> ImportSummary:
    from ..commands.importer import ImportSummary

    summary = ImportSummary()
    for item in results:
        if isinstance(item, ImportSummary):
            summary = item
            continue
        for warning in item.warnings:
            typer.echo(f"vellum: warning: {warning}", err=True)
        if item.status == "failed":  # on stderr in every mode: scripts log it
            echo_failure(item.error, item.detail, verbose)
        if as_json:
            echo_record(item.as_dict(), root)
    if as_json:
        record = summary.as_dict()
        record["failed_file"] = shown_path(root, summary.failed_file) or None
        record["invalid"] = invalid
        echo_json(record)
    typer.echo(_summary_line(summary, root, invalid), err=True)
    return summary


def _summary_line(summary: ImportSummary, root: Path, invalid: int) -> str:
    parts = [f"{n} {name}" for name, n in (
        ("written", summary.written), ("updated", summary.updated),
        ("unchanged", summary.unchanged), ("skipped", summary.skipped),
        ("failed", summary.failed)) if n]
    rate = summary.total / summary.seconds if summary.seconds else 0.0
    line = (f"imported {summary.total} URLs in {summary.seconds:.1f} s ({rate:.1f}/s): "
            f"{', '.join(parts) or 'nothing to do'}")
    if invalid:
        line += f"; {invalid} invalid {'line' if invalid == 1 else 'lines'} skipped"
    if summary.interrupted:
        line += "; interrupted: run the same command again to continue"
    if summary.failed_file:
        line += f"\nretry the failures with: vellum import {shown_path(root, summary.failed_file)}"
    return line


def _progress(results: Iterable[Outcome | ImportSummary],
              total: int) -> Iterator[Outcome | ImportSummary]:
    """A progress bar with done, failed and skipped counts, rate and ETA (terminals only)."""
    if not stderr_is_terminal() or total < 2:
        yield from results
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("Importing"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[failed]} failed, {task.fields[skipped]} skipped"),
               TextColumn("{task.fields[rate]:.1f}/s"), TimeRemainingColumn())
    with Progress(*columns, **progress_settings()) as progress:
        task = progress.add_task("import", total=total, failed=0, skipped=0, rate=0.0)
        counts = {"failed": 0, "skipped": 0}
        for item in results:
            if isinstance(item, Outcome):
                if item.status in counts:
                    counts[item.status] += 1
                progress.advance(task)
                elapsed = progress.tasks[0].elapsed or 0.0
                done = progress.tasks[0].completed
                progress.update(task, failed=counts["failed"], skipped=counts["skipped"],
                                rate=done / elapsed if elapsed else 0.0)
            yield item
