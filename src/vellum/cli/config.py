"""``vellum config``: the settings the commands would use, and where each comes from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from .app import DEFAULT_ARCHIVE, ArchiveOption, JsonOption, app, echo_json, errors_to_exit

# The variables httpx reads (upper or lower case) to reach the web through a proxy.
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
# What an unset value means, in words.
UNSET = {"workers": "one per CPU", "cookies": "none", "assets": "as each post is"}


@app.command("config")
def config_command(
    ctx: typer.Context, archive: ArchiveOption = DEFAULT_ARCHIVE, as_json: JsonOption = False
) -> None:
    """Print the effective settings: the defaults in <archive>/vellum.yml over the built-in ones.

    A flag typed on a command wins over both. Proxies come from the environment
    (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY).

    Example: vellum config --archive ~/blogs/archive
    """
    from ..commands.settings import resolve
    from ..store.config import sources_path

    with errors_to_exit():
        settings = resolve(archive, {})
    rows: dict[str, tuple[Any, str]] = {"archive": (str(archive), _archive_origin(ctx))}
    rows["config file"] = (str(sources_path(archive)), "exists" if sources_path(archive).is_file()
                           else "not written yet")
    rows.update({name: (s.value, s.origin) for name, s in settings.items()})
    rows.update(_proxies())
    if as_json:
        echo_json({name: {"value": _plain(value), "from": origin}
                   for name, (value, origin) in rows.items()})
        return
    width = max(map(len, rows))
    for name, (value, origin) in rows.items():
        shown = UNSET.get(name, "-") if value is None else _shown(value)
        typer.echo(f"{name:<{width}}  {shown}  ({origin})")


def _archive_origin(ctx: typer.Context) -> str:
    source = ctx.get_parameter_source("archive")
    kind = source.name if source is not None else "DEFAULT"
    return {"COMMANDLINE": "--archive", "ENVIRONMENT": "$VELLUM_ARCHIVE"}.get(kind, "built-in")


def _proxies() -> dict[str, tuple[str, str]]:
    found = {}
    for name in PROXY_VARIABLES:
        for variable in (name, name.lower()):
            if os.environ.get(variable):
                found[name.lower()] = (os.environ[variable], f"${variable}")
                break
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):  # headers: pairs
        return {name: text for name, text in value}
    if isinstance(value, Path):
        return str(value)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "; ".join(f"{name}: {text}" for name, text in value) or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
