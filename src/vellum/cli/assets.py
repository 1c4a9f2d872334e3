"""The ``--assets/--no-assets`` options shared by ``add``, ``import`` and ``refresh``; settled
against vellum.yml ``defaults:`` like the other fetch settings (``options.settled``)."""

from __future__ import annotations

from typing import Annotated

import typer

AssetsOption = Annotated[bool | None, typer.Option(
    "--assets/--no-assets", show_default=False,
    help="Copy each post's images into the archive (assets/) and link them locally; "
         "--no-assets puts the remote links back. Default: as each post already is.")]
MaxImageOption = Annotated[int, typer.Option(
    "--max-image-bytes", min=1, help="With --assets: skip an image larger than this.")]
MaxPostImagesOption = Annotated[int, typer.Option(
    "--max-post-image-bytes", min=1, help="With --assets: stop saving a post's images past "
    "this total.")]
