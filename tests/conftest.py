from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .server import LocalServer

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1, empty until the test registers routes."""
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    """An empty archive folder."""
    root = tmp_path / "archive"
    root.mkdir()
    return root


def page_html(name: str) -> str:
    """The text of a fixture page under tests/pages/."""
    return (PAGES / name).read_text(encoding="utf-8")
