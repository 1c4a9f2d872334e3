"""The archive side of dedup: ingest of saved pages, the fingerprint cache, add links."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from vellum import frontmatter
from vellum.archive.dedup import dedup
from vellum.archive.ingest import ingest
from vellum.cli import app
from vellum.store import Store

from .conftest import page_html
from .server import LocalServer

FIXTURES = Path(__file__).parent / "dedup_fixtures"
POST_PATH = "/2023/11/a-year-on-the-pager/"


def test_saved_html_page_is_converted_through_the_pipeline(tmp_path: Path) -> None:
    saved = tmp_path / "A Year on the Pager.html"  # as a browser saves it
    saved.write_text(page_html("dedup_oncall_wordpress.html"), encoding="utf-8")
    with Store(tmp_path / "archive") as store:
        (outcome,) = list(ingest([saved], store))
        assert outcome.status == "written"
        assert outcome.path is not None
        data, body = frontmatter.split(store.read(outcome.path))
    assert data is not None
    assert data["title"] == "A Year on the Pager"
    assert "mkeller.example.net/2023/11/a-year-on-the-pager" in str(data)
    assert body.startswith("Hello again, friends")
    assert "Proudly powered" not in body
    assert "About me" not in body


def test_rerun_fingerprints_only_what_changed(tmp_path: Path) -> None:
    with Store(tmp_path / "archive") as store:
        written = [o.path for o in ingest([FIXTURES], store)]
        assert dedup(store).computed == len(written) == 7
        again = dedup(store)
        assert (again.computed, again.documents) == (0, 7)
        edited = store.resolve(str(written[0]))
        edited.write_text(edited.read_text(encoding="utf-8") + "\nA line added by hand.\n",
                          encoding="utf-8")
        assert dedup(store).computed == 1


def test_include_never_touches_outside_files_even_with_apply(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(FIXTURES, outside)
    before = sorted(p.name for p in outside.iterdir())
    with Store(tmp_path / "archive") as store:
        list(ingest([FIXTURES / "oncall-aggregator.md"], store))
        result = dedup(store, [outside], apply=True)
        assert result.merges == []  # one archive member per group: nothing to merge
        assert len(result.groups) == 2
        paths = [e.path for e in store.entries()]
        assert paths == ["mkeller.example.net/2023/a-year-on-the-pager.md"]
    assert sorted(p.name for p in outside.iterdir()) == before


def test_add_links_a_post_already_archived_as_raw_text(server: LocalServer,
                                                         tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with Store(archive) as store:
        (raw,) = list(ingest([FIXTURES / "oncall-raw.txt"], store))
    assert raw.path is not None
    url = server.page(POST_PATH, page_html("dedup_oncall_wordpress.html"))
    result = CliRunner().invoke(app, ["add", url, "-a", str(archive)])
    assert result.exit_code == 0, result.output
    with Store(archive) as store:
        (entry,) = list(store.entries())
        data, _ = frontmatter.split(store.read(entry.path))
        assert data is not None
        assert raw.path in data["aliases"]
    moved = archive / ".vellum" / "duplicates" / raw.path
    moved_data, _ = frontmatter.split(moved.read_text(encoding="utf-8"))
    assert moved_data is not None
    assert moved_data["duplicate_of"] == entry.path
