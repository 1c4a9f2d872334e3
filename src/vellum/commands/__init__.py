"""The use cases: one module per command of the CLI (add, import, refresh, follow,
ingest, dedup, browse, maintain...), each a call the CLI makes into this package.

A command plans its work and reports outcomes; the order page → article → document
→ archived entry is the pipeline's (``vellum.pipeline``), never written out here.

The names re-exported here load on first use, so that ``vellum search`` (which needs
only ``commands.browse``) does not import the stages ``add`` pulls in.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .add import add, convert_url
    from .maintain import rebuild, reindex

LAZY: dict[str, str] = {"add": ".add", "convert_url": ".add", "rebuild": ".maintain",
                        "reindex": ".maintain"}


def __getattr__(name: str) -> Any:
    if name not in LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(LAZY[name], __name__), name)


class _Package(types.ModuleType):
    """This package, where the function ``add`` keeps its name over its module ``add``.

    Importing a submodule binds it on its package; ``commands.add`` was always the
    function (re-exported), and stays so once ``commands/add.py`` is imported.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in LAZY:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["add", "convert_url", "rebuild", "reindex"]
