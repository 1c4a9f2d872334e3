"""Nothing the archive learned outside the page's HTML is lost by ``rebuild`` or ``refresh``.

One mixed archive, built end to end on the loopback server the way a user builds
one: ``follow`` + ``refresh`` (feed metadata, a ``--tag``, a post gone), ``add``,
``import``, ``ingest`` and ``dedup --apply`` (aliases and merged keys).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from vellum import convert, frontmatter
from vellum.cli import app

from .refresh_site import Blog, paragraphs
from .server import LocalServer
from .sites import wordpress_post

FAST = ["--delay", "0.01", "--workers", "0"]
ADDED_TITLE = "A Year on the Pager"
ADDED_TEXT = (
    "<p>Twelve months ago I joined the on-call rotation for our storage platform, and I "
    "promised myself I would write down what it was like before the memories softened.</p>"
    "<p>The first month was terrifying. Every alert looked like the end of the world, and I "
    "paged senior engineers for problems that turned out to be a full disk on a test box.</p>"
    "<p>By spring I had a routine. I kept a notebook beside the bed, wrote down every page "
    "with the time and the first thing I checked, and reviewed the notebook every Friday.</p>"
    "<p>Fixing the flaky replication job became my side project. It took two months of "
    "evenings and a rewrite of the retry logic, but night pages dropped by half.</p>"
)


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


# Posts of one mixed archive are different posts: each its own text. (Bodies that differ
# in one word per paragraph are one post edited, and dedup --apply rightly merges them.)
SUBJECTS = {
    "tuning": ("page cache", "checkpoint interval", "fsync batching", "index fill factor"),
    "wal": ("log segments", "group commit", "torn pages", "replay on startup"),
    "import 1": ("grocery lists", "the bus timetable", "winter tyres", "a leaking tap"),
    "import 2": ("violin practice", "sourdough starters", "chess openings", "tide tables"),
}


def own_text(key: str) -> str:
    return "".join(f"<p>Notes on {topic}: {key} {i} went its own way, and {topic} kept "
                   f"surprising everyone who looked at {topic} closely.</p>"
                   for i, topic in enumerate(SUBJECTS[key], start=1))


def write_text_copy(path: Path) -> None:
    """An old plain-text copy of the added post (title, date line, paragraphs)."""
    paragraphs_ = [p.removeprefix("<p>") for p in ADDED_TEXT.split("</p>") if p]
    path.write_text(f"{ADDED_TITLE}\n\nPosted on: 9 November 2023\n\n"
                    + "\n\n".join(paragraphs_) + "\n", encoding="utf-8")


def posts(archive: Path) -> dict[str, str]:
    return {p.relative_to(archive).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(archive.rglob("*.md")) if ".vellum" not in p.parts}


@pytest.fixture
def mixed(server: LocalServer, tmp_path: Path) -> tuple[Path, Blog]:
    archive = tmp_path / "archive"
    blog = Blog(server)  # 127.0.0.1: followed, jekyll, with a tag
    blog.add("first-post", "Tuning SQLite for write-heavy workloads",
             body=own_text("tuning"), categories=("Databases", "SQLite"))
    blog.add("second-post", "Write-ahead logging in practice", body=own_text("wal"))
    a = str(archive)
    ok(run("follow", blog.feed_url, "-a", a, "--name", "eng", "--tag", "eng",
           "--profile", "jekyll"))
    ok(run("refresh", "-a", a, *FAST))
    blog.get("second-post").status = 404
    ok(run("refresh", "-a", a, *FAST))  # second-post: status gone, gone_at
    added = server.page("/pager/", wordpress_post(ADDED_TITLE, body=ADDED_TEXT,
                                                   published="2023-11-09T08:00:00+00:00"),
                        host="localhost")
    ok(run("add", added.replace("127.0.0.1", "localhost"), "-a", a))
    listed = [server.page(f"/imported-{n}/", wordpress_post(f"Imported post number {n}",
                                                            body=own_text(f"import {n}")),
                          host="localhost").replace("127.0.0.1", "localhost")
              for n in (1, 2)]
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(listed) + "\n", encoding="utf-8")
    ok(run("import", str(urls), "-a", a, "--delay", "0.01"))
    exports = tmp_path / "exports"
    exports.mkdir()
    # An old plain-text copy of the added post, and an unrelated note with its own keys.
    write_text_copy(exports / "pager.txt")
    (exports / "note.md").write_text(
        "---\ntitle: Shell aliases I keep\ndate: 2022-03-04\ntags: [shell]\n---\n\n"
        "Mostly git shortcuts and a few for jumping between projects.\n", encoding="utf-8")
    ok(run("ingest", str(exports), "-a", a))
    ok(run("dedup", "-a", a, "--apply"))
    return archive, blog


def test_rebuild_without_a_code_change_rewrites_nothing(mixed: tuple[Path, Blog]) -> None:
    archive, _ = mixed
    before = posts(archive)
    joined = "\n".join(before.values())
    for kept in ("aliases:", "blog_subtitle: Notes from the storage team", "status: gone",
                 "gone_at:", "ingested_from:", "category: eng", "archived_at:"):
        assert kept in joined, kept
    result = ok(run("rebuild", "-a", str(archive)))
    assert {line.split()[0] for line in result.stdout.splitlines()} <= {"unchanged", "skipped"}
    assert posts(archive) == before


def test_rebuild_with_a_changed_converter_changes_only_the_bodies(
        mixed: tuple[Path, Blog], monkeypatch: pytest.MonkeyPatch) -> None:
    archive, _ = mixed
    before = posts(archive)
    original = convert._render_body
    monkeypatch.setattr(convert, "_render_body",
                        lambda *args: original(*args) + "\nConverted again.\n")
    result = ok(run("rebuild", "-a", str(archive)))
    after = posts(archive)
    assert sorted(after) == sorted(before)
    updated = [line.split()[1] for line in result.stdout.splitlines()
               if line.startswith("updated")]
    assert len(updated) == 5  # every post fetched from the web; the ingested note has no HTML
    for path, text in after.items():
        old_data, old_body = frontmatter.split(before[path])
        new_data, new_body = frontmatter.split(text)
        assert new_data == old_data, path
        if any(path in u for u in updated):
            assert new_body == old_body.rstrip("\n") + "\n\nConverted again.\n", path
        else:
            assert new_body == old_body


def test_refresh_keeps_what_dedup_and_ingest_added(mixed: tuple[Path, Blog]) -> None:
    archive, _ = mixed
    before = posts(archive)
    run("refresh", "-a", str(archive), *FAST)
    ok(run("add", "http://localhost:" + str(_port(before)) + "/pager/", "-a", str(archive)))
    assert posts(archive) == before


def _port(files: dict[str, str]) -> int:
    text = next(t for p, t in files.items() if "pager" in p)
    url = frontmatter.split(text)[0]["original_url"]  # type: ignore[index]
    return int(url.split(":")[2].split("/")[0])


def test_refresh_source_selects_by_the_recorded_source_not_the_host(
        server: LocalServer, tmp_path: Path) -> None:
    archive, a = tmp_path / "archive", str(tmp_path / "archive")
    sqlite = Blog(server, feed_path="/sqlite/feed.xml", title="SQLite notes",
                  subtitle="Small database, big ideas")
    sqlite.add("sqlite-wal", "Write-ahead logging in practice", categories=("sqlite",))
    rust = Blog(server, feed_path="/rust/feed.xml", title="Rust notes", author="Bo Rust")
    rust.add("rust-borrow", "The borrow checker at work", categories=("rust",))
    ok(run("follow", sqlite.feed_url, "-a", a, "--name", "sqlite", "--tag", "sqlite",
           "--profile", "jekyll"))
    ok(run("follow", rust.feed_url, "-a", a, "--name", "rust", "--tag", "rust",
           "--profile", "jekyll"))
    ok(run("refresh", "-a", a, *FAST))
    before = posts(archive)
    sqlite.reset_counts()
    rust.get("rust-borrow").body = paragraphs("borrowing") + "<p>An update.</p>"
    result = ok(run("refresh", "-a", a, "--source", "rust", *FAST))
    assert result.stdout.splitlines() == [
        f"updated {archive}/_posts/2024-05-17-the-borrow-checker-at-work.md"]
    assert not sqlite.full
    assert not sqlite.not_modified
    after = posts(archive)
    wal = "_posts/2024-05-17-write-ahead-logging-in-practice.md"
    assert after[wal] == before[wal]
    data = frontmatter.split(after[wal])[0]
    assert data is not None
    assert (data["category"], data["blog_subtitle"]) == ("sqlite", "Small database, big ideas")
    history = [p.name for p in (archive / ".vellum" / "history").rglob("*.md")]
    assert len(history) == 1  # the rust post's old version; none for the sqlite post
    # An entry archived before sources were recorded still goes with its own feed.
    sidecar = archive / ".vellum" / "meta" / wal.replace(".md", ".json")
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace('"source"', '"old"'),
                       encoding="utf-8")
    ok(run("refresh", "-a", a, "--source", "rust", *FAST))
    assert not sqlite.full
    assert not sqlite.not_modified
    ok(run("refresh", "-a", a, "--source", "sqlite", *FAST))
    assert sqlite.not_modified["/sqlite-wal/"] == 1


def test_rebuild_into_another_profile_asks_first_and_keeps_the_url(
        server: LocalServer, tmp_path: Path) -> None:
    archive, a = tmp_path / "archive", str(tmp_path / "archive")
    url = server.page("/post/", wordpress_post())
    ok(run("add", url, "-a", a))
    before = posts(archive)
    refused = run("rebuild", "-a", a, "--profile", "mkdocs")
    assert refused.exit_code == 2
    assert refused.stderr == ("vellum: rebuild 1 post into the 'mkdocs' profile (their front "
                              "matter keys change) needs --yes when not run interactively\n")
    assert posts(archive) == before
    done = ok(run("rebuild", "-a", a, "--profile", "mkdocs", "--yes"))
    assert done.stdout.startswith("updated ")
    [text] = posts(archive).values()
    assert "original_url" not in text
    ok(run("reindex", "-a", a))  # the URL lives on in the side data
    again = ok(run("add", url, "-a", a, "--profile", "mkdocs"))
    assert again.stdout.startswith("unchanged ")
    assert len(posts(archive)) == 1
    assert ok(run("rebuild", "-a", a, "--profile", "mkdocs")).stdout.startswith("unchanged")


def test_a_followed_post_absorbs_its_ingested_copy_and_stays_the_survivor(
        server: LocalServer, tmp_path: Path) -> None:
    archive, a = tmp_path / "archive", str(tmp_path / "archive")
    exports = tmp_path / "exports"
    exports.mkdir()
    write_text_copy(exports / "pager.txt")
    ok(run("ingest", str(exports), "-a", a))
    blog = Blog(server)
    blog.add("pager", ADDED_TITLE, body=ADDED_TEXT, published="2023-11-09T08:00:00+00:00")
    ok(run("follow", blog.feed_url, "-a", a, "--name", "eng", "--tag", "eng"))
    ok(run("refresh", "-a", a, *FAST))
    files = posts(archive)
    assert list(files) == ["127.0.0.1/2023/a-year-on-the-pager.md"]  # the web copy survives
    data = frontmatter.split(files["127.0.0.1/2023/a-year-on-the-pager.md"])[0] or {}
    assert data["original_url"] == blog.post_url("pager")
    assert data["aliases"] == ["unknown-host/2023/a-year-on-the-pager.md"]
    assert (archive / ".vellum" / "duplicates" / "unknown-host" / "2023"
            / "a-year-on-the-pager.md").is_file()
    before = posts(archive)
    ok(run("refresh", "-a", a, *FAST))
    ok(run("rebuild", "-a", a))
    assert posts(archive) == before
