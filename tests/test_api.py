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


def test_no_public_name_hides_a_subpackage() -> None:
    import importlib
    import pkgutil

    for sub in pkgutil.iter_modules(vellum.__path__):
        if sub.name == "__main__":
            continue  # importing it runs the CLI
        module = importlib.import_module(f"vellum.{sub.name}")
        assert getattr(vellum, sub.name) is module, f"vellum.{sub.name} is not the module"
    importlib.import_module("vellum.extract.dom")
    assert vellum.extract.dom.__name__ == "vellum.extract.dom"


def test_the_stages_entry_points_under_their_own_names() -> None:
    from vellum.commands.dedup import dedup
    from vellum.extract import extract
    from vellum.fetch import fetch

    assert vellum.extract_article is extract
    assert vellum.fetch_page is fetch
    assert vellum.dedup_archive is dedup
