"""The library works without the CLI: `from vellum import ...`."""

from __future__ import annotations

from pathlib import Path

import vellum
from vellum import Store, add, convert_html, frontmatter

from .server import LocalServer
from .sites import wordpress_post


def test_public_names_exist() -> None:
    for name in vellum.__all__:
        assert hasattr(vellum, name), name


def test_convert_html_needs_no_network() -> None:
    text = convert_html(wordpress_post().encode("utf-8"), "https://blog.example.com/p/",
                        profile="mkdocs")
    data, body = frontmatter.split(text)
    assert data is not None
    order = ["date", "authors", "categories", "title", "description"]
    assert list(data) == [key for key in order if key in data]
    assert {"date", "authors", "title", "description"} <= set(data)
    assert data["title"] == "Tuning SQLite for write-heavy workloads"
    assert "## Write-ahead logging" in body


def test_add_through_the_library(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/post", wordpress_post())
    with Store(archive_dir) as store:
        [outcome] = list(add([url], store))
    assert outcome.status == "written"
    assert outcome.path is not None
    assert (archive_dir / outcome.path).is_file()
