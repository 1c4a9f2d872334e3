"""The archive side of dedup: ingest of saved pages, the fingerprint cache, add links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vellum import frontmatter
from vellum.cli import app
from vellum.commands import dedup as dedup_command
from vellum.commands.dedup import dedup, link_new_entry
from vellum.commands.ingest import MAX_BYTES, ingest
from vellum.dedup import fingerprint
from vellum.models import Entry
from vellum.pipeline.dedupdb import DedupDB
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


FORMS = Path(__file__).parent / "dedup_forms"


def test_a_malformed_file_is_reported_with_its_path_and_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(FORMS, outside)
    body = (FORMS / "vacuum-source.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    (outside / "bad-date.md").write_text(
        f"---\ntitle: Taming Autovacuum on a Busy Queue Table\ndate: 2015-50-01 00:00:00\n"
        f"---\n\n{body}", encoding="utf-8")
    (outside / "broken-yaml.md").write_text(f"---\ntitle: [unclosed\n---\n\n{body}",
                                            encoding="utf-8")
    (outside / "picture.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    with (outside / "huge.txt").open("wb") as huge:
        huge.truncate(MAX_BYTES + 1)
    with Store(tmp_path / "archive") as store:
        result = dedup(store, [outside])
    failed = dict(result.failed)
    assert set(failed) == {str(outside / "picture.md"), str(outside / "huge.txt")}
    assert "binary" in failed[str(outside / "picture.md")]
    assert "larger than" in failed[str(outside / "huge.txt")]
    vacuum = next(g for g in result.groups if str(outside / "vacuum-source.md") in g.members)
    # The impossible date and the broken YAML did not stop their files being compared.
    assert {str(outside / "bad-date.md"), str(outside / "broken-yaml.md")} <= set(vacuum.members)


def _save(store: Store, rel: str, data: dict[str, object], body: str) -> None:
    store.save(Entry(path=rel, url=str(data.get("url", "")), title=str(data["title"])),
               frontmatter.join(data, body))


def test_apply_keeps_the_copy_from_the_web_over_an_ingested_one(tmp_path: Path) -> None:
    body = (FORMS / "vacuum-source.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    with Store(tmp_path / "archive") as store:
        # The ingested copy is the longer one and sorts first: neither may decide.
        (ingested,) = [o.path for o in ingest([FORMS / "vacuum-wordpress.txt"], store)]
        _save(store, "tpetrov.example.org/zz-taming-autovacuum.md",
              {"title": "Taming Autovacuum on a Busy Queue Table",
               "url": "https://tpetrov.example.org/2024/03/taming-autovacuum/",
               "fetched_at": "2024-04-01T10:00:00+00:00"}, body)
        _save(store, "tpetrov.example.org/excerpt.md",
              {"title": "Taming Autovacuum on a Busy Queue Table"},
              (FORMS / "vacuum-excerpt.txt").read_text(encoding="utf-8"))
        result = dedup(store, apply=True)
        (merge,) = result.merges
        assert merge.canonical == "tpetrov.example.org/zz-taming-autovacuum.md"
        assert sorted(old for old, _ in merge.moved) == sorted(
            [ingested, "tpetrov.example.org/excerpt.md"])
        for old, new in merge.moved:
            assert new == f".vellum/duplicates/{old}"
            data, _ = frontmatter.split(store.resolve(new).read_text(encoding="utf-8"))
            assert data is not None
            assert data["duplicate_of"] == merge.canonical
        assert [e.path for e in store.entries()] == [merge.canonical]


def test_the_fingerprint_index_finds_copies_without_reading_the_archive(tmp_path: Path) -> None:
    with Store(tmp_path / "archive") as store, DedupDB(store.root) as db:
        names = ("vacuum-source.md", "replication-part1.md", "replication-part2.md")
        db.rebuild_index((name, fingerprint((FORMS / name).read_text(encoding="utf-8")))
                         for name in names)
        assert db.index_built
        # An untitled copy of the page: only the shingles can find the source.
        page = (FORMS / "vacuum-wordpress.txt").read_text(encoding="utf-8")
        page = page.replace("Taming Autovacuum on a Busy Queue Table", "")
        found = db.candidates(fingerprint(page))
        assert found[0] == "vacuum-source.md"
        db.unindex("vacuum-source.md")
        assert "vacuum-source.md" not in db.candidates(fingerprint(page))


BIO = ("Mira Keller runs the platform team at a payments company and writes about on-call, "
       "queues and the databases under them. She has been paged at three in the morning "
       "more often than she would like, and keeps notes so the next person is paged less. "
       "Subscribe by RSS or follow along on Mastodon for a new post every other week. ")


def _blog_post(store: Store, n: int, title: str) -> str:
    body = (f"# {title}\n\nPost {n} opens with its own point about {title.lower()}, "
            f"a case from week {n} and what changed after it.\n\n{BIO * 3}\n")
    entry = Entry(path=f"mkeller.example.net/2024/post-{n}.md",
                  url=f"https://mkeller.example.net/2024/post-{n}/", title=title)
    return store.save(entry, frontmatter.join(
        {"title": title, "original_url": entry.url}, body)).path


def test_a_new_post_sharing_only_a_bio_with_the_archive_is_not_grouped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each post of a blog shares its bio with the others, so they come back as look-alikes;
    # none shares the new post's title or URL, so none could be linked: no reading, no
    # grouping, which cost ~80 ms a post in an import.
    with Store(tmp_path / "archive") as store:
        for n, title in enumerate(("Queue Depth Alerts", "Paging Budgets")):
            assert link_new_entry(store, _blog_post(store, n, title)) is None
        new = _blog_post(store, 2, "Runbooks That Age Well")
        with DedupDB(store.root) as db:
            assert len(db.candidates(fingerprint(store.read(new)))) == 2  # both look alike
        monkeypatch.setattr(dedup_command, "find_groups", _never)
        assert link_new_entry(store, new) is None
        assert len(list(store.entries())) == 3


def test_a_copy_with_the_new_posts_title_is_still_grouped_and_linked(tmp_path: Path) -> None:
    with Store(tmp_path / "archive") as store:
        first = _blog_post(store, 0, "Queue Depth Alerts")
        assert link_new_entry(store, first) is None
        merge = link_new_entry(store, _blog_post(store, 1, "Queue Depth Alerts"))
        assert merge is not None
        assert [old for old, _ in merge.moved] == [first]


def _never(*_: object) -> None:
    raise AssertionError("grouped although nothing could be linked")
