"""``vellum follow``, ``unfollow``, ``sources``, ``refresh`` and ``history``."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import defaults
from ..defaults import MAX_IMAGE_BYTES, MAX_POST_BYTES
from .app import (
    DEFAULT_ARCHIVE,
    DEFAULT_TIMEOUT,
    AllowPrivateOption,
    ArchiveOption,
    ExitCode,
    JsonOption,
    TimeoutOption,
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
    from ..commands.refresh import Change

DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.IGNORECASE)
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# What a change line says, per status (dry run: what it would do).
DONE = {"new": "new", "updated": "updated", "gone": "gone", "unchanged": "unchanged"}
WOULD = {"new": "would archive", "updated": "would update", "gone": "would mark gone",
         "unchanged": "unchanged"}


# -- follow / unfollow / sources --------------------------------------------------------------


@app.command("follow")
def follow_command(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="FEED_OR_SITE_URL",
                                       help="A feed, or a site whose pages announce one.")],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    name: Annotated[str, typer.Option("--name", help="Short name (default: the site's host).")]
    = "",
    tag: Annotated[str, typer.Option("--tag", help="A label added to the tags of its posts.")]
    = "",
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Front-matter profile "
                                                "of its new posts.")] = None,
    category: Annotated[list[str] | None, typer.Option(
        "--category", help="Only archive posts in this feed category (repeatable).")] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    allow_private: AllowPrivateOption = False,
    as_json: JsonOption = False,
    user_agent: UserAgentOption = None,
    headers: HeaderOption = None,
    cookies: CookiesOption = None,
) -> None:
    """Follow a blog's feed: `vellum refresh` archives its new posts (archive/vellum.yml).

    Example: vellum follow https://blog.example.com/ --name example --tag example
    """
    from ..commands.follow import follow
    from ..commands.settings import crawl_options

    if profile is not None:
        check_profile(profile, archive)
    values = settled(ctx, archive, user_agent=user_agent, headers=headers, cookies=cookies,
                     timeout=timeout, allow_private=allow_private)
    # Finding the feed is a few quick requests: robots.txt is for crawling, not for this.
    options = crawl_options(values, respect_robots=False, retries=1)
    with errors_to_exit():
        done = follow(archive, url, name=name, tag=tag, profile=profile,
                      category=category or (), options=options)
    source, feed = done.source, done.feed
    if as_json:
        echo_json({**source.as_dict(), "title": feed.title, "entries": len(feed.entries),
                   "replaced": done.replaced})
        return
    verb = "updated" if done.replaced else "following"
    title = f" ({feed.title}, {len(feed.entries)} posts in the feed)" if feed.title else ""
    typer.echo(f"{verb} {source.name}: {source.feed}{title}")


@app.command("unfollow")
def unfollow_command(
    source: Annotated[str, typer.Argument(metavar="NAME_OR_URL",
                                          help="The source's name, feed or site URL.")],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
) -> None:
    """Stop following a source; the posts already archived from it are kept.

    Example: vellum unfollow example
    """
    from ..commands.follow import unfollow

    with errors_to_exit():
        removed = unfollow(archive, source)
    typer.echo(f"unfollowed {removed.name}: {removed.feed}")


@app.command("sources")
def sources_command(archive: ArchiveOption = DEFAULT_ARCHIVE, as_json: JsonOption = False) -> None:
    """List the followed sources (edit archive/vellum.yml by hand to change them).

    Example: vellum sources --json | jq -r .feed
    """
    from ..store.config import load_sources

    with errors_to_exit():
        sources = load_sources(archive)
    for source in sources:
        if as_json:
            echo_json(source.as_dict())
            continue
        extra = [f"{k}: {v}" for k, v in (("tag", source.tag), ("profile", source.profile),
                                          ("category", ", ".join(source.category))) if v]
        typer.echo(f"{source.name}\t{source.feed}" + (f"\t[{'; '.join(extra)}]" if extra else ""))
    if not sources and not as_json:
        typer.echo("no sources followed yet (see `vellum follow --help`)", err=True)


# -- refresh ----------------------------------------------------------------------------------


@app.command("refresh")
def refresh_command(
    ctx: typer.Context,
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    source: Annotated[list[str] | None, typer.Option(
        "--source", "-s", help="Only this followed source (repeatable).")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Only re-fetch posts dated since DATE (2024-05-01) or DURATION ago "
        "(30d).")] = None,
    older_than: Annotated[str | None, typer.Option(
        "--older-than", metavar="DURATION", help="Only re-fetch posts last checked longer ago "
        "than this (12h, 7d, 2w).")] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=0, help="Re-fetch at most N archived posts, the longest unchecked "
        "first.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fetch and compare, but write "
                                          "nothing: say what would change.")] = False,
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile of new posts from "
                                         "sources that set none.")] = "default",
    delay: Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between two "
                                         "requests to one host.")] = defaults.DELAY,
    workers: Annotated[int | None, typer.Option("--workers", min=0, help="Convert processes "
                                                "(default: one per CPU).")] = None,
    max_time: Annotated[str | None, typer.Option(
        "--max-time", metavar="DURATION", help="Stop fetching after this long (30m, 1h): "
        "what is left is reported and checked first next time (exit 1).")] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    allow_private: AllowPrivateOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print failures only.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every post and the "
                                          "summary, even when nothing changed, and the "
                                          "traceback of an internal error.")] = False,
    assets: AssetsOption = None,
    max_image_bytes: MaxImageOption = MAX_IMAGE_BYTES,
    max_post_image_bytes: MaxPostImagesOption = MAX_POST_BYTES,
    as_json: JsonOption = False,
    user_agent: UserAgentOption = None,
    headers: HeaderOption = None,
    cookies: CookiesOption = None,
) -> None:
    """Poll followed feeds and re-fetch archived posts; write only what changed.

    New posts are archived, edited ones rewritten (the old version kept, see
    `vellum history`), removed ones marked gone and kept. Cron-friendly: silent
    when nothing changed and stderr is not a terminal; exit 1 if some failed or
    --max-time left some unchecked, 3 if another run holds the archive.

    Example: vellum refresh --quiet --older-than 12h
    """
    from ..commands.refresh import STATUSES, RefreshOptions, refresh
    from ..commands.settings import asset_options, crawl_options
    from ..store import Store

    values = settled(ctx, archive, profile=profile, delay=delay, workers=workers,
                     user_agent=user_agent, headers=headers, cookies=cookies, timeout=timeout,
                     allow_private=allow_private, assets=assets, max_image_bytes=max_image_bytes,
                     max_post_image_bytes=max_post_image_bytes)
    options = RefreshOptions(
        sources=tuple(source or ()), since=_since(since), older_than=_duration(older_than),
        limit=limit, dry_run=dry_run, profile=check_profile(values["profile"], archive),
        workers=values["workers"], crawl=crawl_options(values), max_time=_duration(max_time),
        assets=asset_options(values),
    )
    started = time.monotonic()
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    left = 0
    with errors_to_exit(), Store(archive) as store:
        for change in _progress(refresh(store, options), counts, quiet=quiet):
            counts[change.status] += 1
            left += change.left
            _report(change, store.root, as_json=as_json, quiet=quiet, verbose=verbose)
    seconds = time.monotonic() - started
    if as_json:
        echo_json({"summary": counts, "seconds": round(seconds, 3), "dry_run": dry_run,
                   "left": left})
    elif _show_summary(counts, quiet=quiet, verbose=verbose) or left:
        line = _summary_line(counts, seconds, dry_run)
        if left:
            line += (f"; stopped at --max-time {max_time}: {left} left unchecked, "
                     "checked first next run")
        typer.echo(line, err=True)
    raise typer.Exit(ExitCode.FAILED if counts["failed"] else ExitCode.OK)


def _progress(changes: Iterable[Change], counts: dict[str, int], *,
              quiet: bool) -> Iterator[Change]:
    """A live count of checked posts by status, with rate (terminals only, like import's).

    How many posts a run checks is only known as the feeds come in, so there is no bar.
    """
    if quiet or not stderr_is_terminal():
        yield from changes
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("Refreshing: {task.completed} checked"),
               TextColumn("{task.fields[counts]}"), TextColumn("{task.fields[rate]:.1f}/s"),
               TimeElapsedColumn())
    with Progress(*columns, **progress_settings()) as progress:
        task = progress.add_task("refresh", total=None, counts="", rate=0.0)
        for change in changes:
            yield change  # the caller counts it
            elapsed = progress.tasks[0].elapsed or 0.0
            done = sum(counts.values())
            progress.update(task, completed=done, rate=done / elapsed if elapsed else 0.0,
                            counts=f"({', '.join(f'{n} {s}' for s, n in counts.items() if n)})")


def _report(change: Change, root: Path, *, as_json: bool, quiet: bool, verbose: bool) -> None:
    if as_json:
        echo_record(change.as_dict(), root)
        return
    subject = shown_path(root, change.path) or change.url
    if change.status in ("failed", "suspect"):
        if change.status == "failed" or not quiet:
            label = "would keep (suspect)" if change.dry_run else change.status
            echo_failure(f"{label} {subject}: {change.reason}", change.detail, verbose)
        return
    if quiet or (change.status == "unchanged" and not verbose):
        return
    words = WOULD if change.dry_run else DONE
    note = f" (moved to {change.moved_to})" if change.moved_to else ""
    why = f" ({change.reason})" if change.reason and verbose else ""
    typer.echo(f"{words[change.status]} {subject}{note}{why}")


def _show_summary(counts: dict[str, int], *, quiet: bool, verbose: bool) -> bool:
    if quiet:
        return False
    changed = any(n for status, n in counts.items() if status != "unchanged")
    return verbose or changed or stderr_is_terminal()


def _summary_line(counts: dict[str, int], seconds: float, dry_run: bool) -> str:
    from ..commands.refresh import STATUSES

    parts = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
    return f"{'dry run: ' if dry_run else ''}refresh: {parts} ({seconds:.1f} s)"


# -- history ----------------------------------------------------------------------------------


@app.command("history")
def history_command(
    post: Annotated[str, typer.Argument(metavar="URL_OR_PATH", help="The post's URL, or its "
                                        "path in the archive.")],
    archive: ArchiveOption = DEFAULT_ARCHIVE,
    diff: Annotated[bool, typer.Option("--diff", help="Show what changed between "
                                       "versions.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List the kept versions of an archived post, oldest first, the current file last.

    Example: vellum history https://blog.example.com/2024/05/a-post/ --diff
    """
    from ..commands.history import post_versions, version_diffs
    from ..store import Store

    with errors_to_exit(), Store(archive) as store:
        entry, listed = post_versions(store, _in_archive(store.root, post))
        diffs = version_diffs(store, listed) if diff else []
        root = store.root
    for version in listed:
        when = version.archived_at.strftime("%Y-%m-%d %H:%M:%S") if version.archived_at else ""
        if as_json:
            echo_json({"path": shown_path(root, version.path), "archived_at": when or None,
                       "current": version.current, "url": entry.url})
        else:
            typer.echo(f"{when or '?':19}  {shown_path(root, version.path)}"
                       + ("  (current)" if version.current else ""))
    for text in diffs:
        typer.echo(text, nl=False)


def _in_archive(root: Path, post: str) -> str:
    """A URL as given; a path as printed (relative to here, or absolute) made archive-relative.

    A path that names no file here is taken as already relative to the archive.
    """
    if "://" in post:
        return post
    given = Path(post).expanduser()
    if not given.is_absolute() and not given.exists():
        return post
    try:
        return given.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise fail(f"{post}: not inside the archive {root}", ExitCode.USAGE) from None


# -- option parsing ---------------------------------------------------------------------------


def _duration(text: str | None) -> dt.timedelta | None:
    """``90s``, ``30m``, ``12h``, ``7d``, ``2w`` or combinations such as ``1d12h``."""
    if text is None:
        return None
    cleaned = text.strip().replace(" ", "")
    parts = DURATION_PART.findall(cleaned)
    if not parts or "".join(n + u for n, u in parts).lower() != cleaned.lower():
        raise fail(f"'{text}' is not a duration (examples: 12h, 7d, 2w, 1d12h)", ExitCode.USAGE)
    return dt.timedelta(seconds=sum(float(n) * UNIT_SECONDS[u.lower()] for n, u in parts))


def _since(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        if not DURATION_PART.match(text.strip()):
            raise fail(f"'{text}' is neither a date (2024-05-01) nor a duration (30d)",
                       ExitCode.USAGE) from None
        return dt.datetime.now(dt.timezone.utc) - (_duration(text) or dt.timedelta())
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
