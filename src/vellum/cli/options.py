"""The HTTP options of the fetching commands, and settling flags against vellum.yml defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .app import errors_to_exit

UserAgentOption = Annotated[str | None, typer.Option(
    "--user-agent", metavar="TEXT", show_default=False,
    help="The User-Agent header to send (default: vellum's own, naming its project page).")]
HeaderOption = Annotated[list[str] | None, typer.Option(
    "--header", "-H", metavar="'NAME: VALUE'", show_default=False,
    help="An HTTP header to send with every request (repeatable).")]
CookiesOption = Annotated[Path | None, typer.Option(
    "--cookies", metavar="COOKIES.TXT", show_default=False,
    help="Send the cookies of this file (the Netscape format browsers export), for posts "
         "behind a login.")]
# Where a value counts as chosen by the user: typed, or from the option's environment variable.
CHOSEN = ("COMMANDLINE", "ENVIRONMENT", "PROMPT")


def settled(ctx: typer.Context, archive: Path, **params: Any) -> dict[str, Any]:
    """Every setting's value: the flag if typed, else the archive's vellum.yml, else built in.

    ``params`` are the command's own parameters named as the settings (``headers`` for
    the repeatable ``--header``).
    """
    from ..commands.settings import resolve  # loads fetch: only for a command that fetches

    with errors_to_exit():
        typed = {name: _typed(name, value) for name, value in params.items()
                 if _chosen(ctx, name)}
        return {name: s.value for name, s in resolve(archive, typed).items()}


def _chosen(ctx: typer.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source.name in CHOSEN


def _typed(name: str, value: Any) -> Any:
    if name == "headers":
        from ..commands.settings import parse_header

        return tuple(parse_header(text) for text in value or ())
    if name == "cookies":
        return str(value) if value else None
    return value
