"""The ``--assets/--no-assets`` option shared by ``add``, ``import``, ``refresh``, ``rebuild``."""

from __future__ import annotations

from typing import Annotated

import typer

from ..archive.assets import AssetOptions

AssetsOption = Annotated[bool | None, typer.Option(
    "--assets/--no-assets", show_default=False,
    help="Copy each post's images into the archive (assets/) and link them locally; "
         "--no-assets puts the remote links back. Default: as each post already is.")]
MaxImageOption = Annotated[int, typer.Option(
    "--max-image-bytes", min=1, help="With --assets: skip an image larger than this.")]
MaxPostImagesOption = Annotated[int, typer.Option(
    "--max-post-image-bytes", min=1, help="With --assets: stop saving a post's images past "
    "this total.")]


def asset_options(flag: bool | None, max_image: int, max_post: int) -> AssetOptions:
    return AssetOptions(enabled=flag, max_image_bytes=max_image, max_post_bytes=max_post)
