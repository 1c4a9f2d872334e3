"""`vellum follow` + `vellum refresh` end to end, against a live blog that changes between runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from vellum import frontmatter
from vellum.cli import app
from vellum.store import Store

from .refresh_site import LOGIN_WALL, Blog, paragraphs
from .server import LocalServer

FAST = ["--delay", "0.01", "--workers", "0"]


@pytest.fixture(autouse=True)
def _in_tmp(archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the archive's parent, so printed paths read archive/<host>/..."""
    monkeypatch.chdir(archive_dir.parent)


@pytest.fixture
def blog(server: LocalServer) -> Blog:
    site = Blog(server)
    site.add("first-post", "Tuning SQLite for write-heavy workloads")
    site.add("second-post", "Write-ahead logging in practice")
    return site


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def refresh(archive: Path, *args: str) -> Result:
    return run("refresh", "--archive", str(archive), *FAST, *args)


@pytest.fixture
def followed(blog: Blog, archive_dir: Path) -> Path:
    """An archive following the blog, refreshed once."""
    result = run("follow", blog.url("/feed.xml"), "--archive", str(archive_dir), "--name", "eng",
                 "--tag", "eng", "--profile", "jekyll")
    assert result.exit_code == 0, result.output
    first = refresh(archive_dir)
    assert first.exit_code == 0, first.output
    blog.reset_counts()
    return archive_dir


def posts(archive: Path) -> dict[str, str]:
    return {p.relative_to(archive).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(archive.rglob("*.md")) if ".vellum" not in p.parts}


def state_files(archive: Path) -> dict[str, int]:
    """Every file of the archive with its mtime (ns)."""
    return {p.relative_to(archive).as_posix(): p.stat().st_mtime_ns
            for p in archive.rglob("*") if p.is_file() and p.name != "index.db"}


def post_path(archive: Path, slug: str) -> Path:
    return next(p for p in archive.rglob(f"*{slug}*.md") if ".vellum" not in p.parts)


def test_first_refresh_archives_the_feed_with_its_metadata(blog: Blog, followed: Path) -> None:
    files = posts(followed)
    assert sorted(files) == ["_posts/2024-05-17-tuning-sqlite-for-write-heavy-workloads.md",
                             "_posts/2024-05-17-write-ahead-logging-in-practice.md"]
    front, body = frontmatter.split(files["_posts/2024-05-17-write-ahead-logging-in-practice.md"])
    assert front is not None
    assert front["blog_title"] == "Example Engineering"
    assert front["blog_subtitle"] == "Notes from the storage team"  # only the feed has it
    assert front["blog_url"] == blog.url("/")
    assert front["category"] == "eng"  # the source tag: the post came through a followed feed
    assert front["author_tag"] == "eng"
    assert front["author"] == "Ada Example"
    assert front["layout"] == "post"
    assert "Part 4 about Write-ahead logging in practice" in body
    assert "Share on X" not in body


def test_a_new_post_in_the_feed_is_archived(blog: Blog, followed: Path) -> None:
    blog.add("third-post", "Vacuum and the free list")
    result = refresh(followed)
    assert result.exit_code == 0, result.output
    assert "new archive/_posts/2024-05-17-vacuum-and-the-free-list.md" in result.stdout
    assert "1 new, 0 updated, 2 unchanged, 0 gone, 0 suspect, 0 failed" in result.stderr
    assert "Part 2 about Vacuum" in post_path(followed, "vacuum").read_text(encoding="utf-8")
    assert blog.full == {"/feed.xml": 1, "/third-post/": 1}


def test_an_unchanged_site_costs_only_conditional_requests_and_no_writes(
        blog: Blog, followed: Path) -> None:
    before = state_files(followed)
    result = refresh(followed)
    assert result.exit_code == 0
    assert result.output == ""  # silent: nothing changed and stderr is no terminal
    assert blog.full_responses == 0
    assert blog.not_modified == {"/feed.xml": 1, "/first-post/": 1, "/second-post/": 1}
    assert state_files(followed) == before


def test_an_edited_post_is_rewritten_and_its_old_version_kept(blog: Blog, followed: Path) -> None:
    path = post_path(followed, "tuning-sqlite")
    old = path.read_text(encoding="utf-8")
    blog.get("first-post").body = paragraphs("Tuning SQLite for write-heavy workloads") + (
        "<p>Update: with synchronous=OFF the rate doubled again, at the price of safety.</p>")
    result = refresh(followed)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "updated archive/_posts/2024-05-17-tuning-sqlite-for-write-heavy-workloads.md\n")
    new = path.read_text(encoding="utf-8")
    assert "synchronous=OFF the rate doubled" in new
    kept = list((followed / ".vellum" / "history").rglob("*.md"))
    assert len(kept) == 1
    assert kept[0].read_text(encoding="utf-8") == old

    url = blog.post_url("first-post")
    listing = run("history", url, "--archive", str(followed))
    assert listing.exit_code == 0, listing.output
    lines = listing.stdout.splitlines()
    assert len(lines) == 2
    assert ".vellum/history/_posts/2024-05-17-tuning-sqlite-for-write-heavy-workloads/" in lines[0]
    assert lines[1].endswith("tuning-sqlite-for-write-heavy-workloads.md  (current)")
    diff = run("history", url, "--diff", "--archive", str(followed))
    assert "+Update: with synchronous=OFF the rate doubled again" in diff.stdout
    assert "\n-" not in diff.stdout.split("@@", 1)[1].replace("\n---", "")


def test_a_login_wall_does_not_overwrite_the_post(blog: Blog, followed: Path) -> None:
    path = post_path(followed, "tuning-sqlite")
    old = path.read_text(encoding="utf-8")
    blog.get("first-post").html_override = LOGIN_WALL
    result = refresh(followed)
    assert result.exit_code == 0
    assert "vellum: suspect archive/_posts/2024-05-17-tuning-sqlite" in result.stderr
    assert "archived post kept" in result.stderr
    assert "1 suspect" in result.stderr
    assert path.read_text(encoding="utf-8") == old
    assert not (followed / ".vellum" / "history").exists()
    # Still suspect next time: the wall's validators were not stored.
    again = refresh(followed)
    assert "1 suspect" in again.stderr


def test_a_removed_post_is_marked_gone_and_kept(blog: Blog, followed: Path) -> None:
    path = post_path(followed, "write-ahead")
    blog.get("second-post").status = 404
    result = refresh(followed)
    assert result.exit_code == 0, result.output
    assert "gone archive/_posts/2024-05-17-write-ahead-logging-in-practice.md" in result.stdout
    front, body = frontmatter.split(path.read_text(encoding="utf-8"))
    assert front is not None
    assert front["status"] == "gone"
    assert "gone_at" in front
    assert front["title"] == "Write-ahead logging in practice"
    assert "Part 4 about Write-ahead logging" in body
    with Store(followed) as store:
        entry = store.find(blog.post_url("second-post"))
        assert entry is not None
        assert entry.status == "gone"
    again = refresh(followed)
    assert again.output == ""  # still gone: nothing new to say
    # It comes back: the post is live again.
    blog.get("second-post").status = 200
    back = refresh(followed)
    assert "updated archive/_posts/2024-05-17-write-ahead-logging-in-practice.md" in back.stdout
    front, _ = frontmatter.split(path.read_text(encoding="utf-8"))
    assert front is not None
    assert "status" not in front


def test_a_permanent_redirect_updates_the_stored_url(blog: Blog, followed: Path,
                                                      server: LocalServer) -> None:
    post = blog.get("first-post")
    server.route("/2024/tuning-sqlite/", lambda r: blog._serve_post(r, post_copy))
    post_copy = type(post)(**{**post.__dict__, "location": None})
    post.location = blog.url("/2024/tuning-sqlite/")
    result = refresh(followed, "--verbose")
    assert result.exit_code == 0, result.output
    assert f"(moved to {blog.url('/2024/tuning-sqlite/')})" in result.stdout
    with Store(followed) as store:
        entry = store.find(blog.url("/2024/tuning-sqlite/"))
        assert entry is not None
        assert entry.url == blog.url("/2024/tuning-sqlite/")
        assert store.find(blog.post_url("first-post")) == entry  # the old URL still leads there


def test_the_feed_copy_stands_in_when_a_new_page_cannot_be_fetched(
        blog: Blog, followed: Path) -> None:
    blog.add("fourth-post", "Checkpoints explained", status=403)
    result = refresh(followed, "--verbose")
    assert result.exit_code == 0, result.output
    assert "new archive/_posts/2024-05-17-checkpoints-explained.md" in result.stdout
    assert "archived from the feed's copy: " in result.stdout
    text = post_path(followed, "checkpoints").read_text(encoding="utf-8")
    assert "Part 3 about Checkpoints explained" in text
    assert "category: eng" in text  # the source tag
    assert "date: 2024-05-17 09:30:00 +0000" in text  # from the feed, with its time zone


def test_category_filter_and_dry_run(blog: Blog, archive_dir: Path) -> None:
    blog.add("off-topic", "My holiday photos", categories=("Life",))
    run("follow", blog.feed_url, "--archive", str(archive_dir), "--category", "databases")
    dry = refresh(archive_dir, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.count("would archive ") == 2
    assert "off-topic" not in dry.stdout
    assert "dry run: refresh: 2 new" in dry.stderr
    assert posts(archive_dir) == {}
    assert not (archive_dir / ".vellum" / "feeds").exists()
    done = refresh(archive_dir, "--json")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in records[:-1]] == ["new", "new"]
    assert records[-1]["summary"]["new"] == 2
    assert len(posts(archive_dir)) == 2


def test_follow_a_site_url_finds_its_feed(blog: Blog, archive_dir: Path,
                                          server: LocalServer) -> None:
    server.page("/", '<html><head><title>Home</title><link rel="alternate" '
                'type="application/rss+xml" href="/feed.xml"></head><body>hi</body></html>')
    result = run("follow", blog.url("/"), "--archive", str(archive_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"following 127.0.0.1: {blog.feed_url} (Example Engineering")
    data = yaml.safe_load((archive_dir / "vellum.yml").read_text(encoding="utf-8"))
    assert data == {"sources": [{"name": "127.0.0.1", "feed": blog.feed_url,
                                 "url": blog.url("/")}]}
    listed = run("sources", "--archive", str(archive_dir))
    assert listed.stdout == f"127.0.0.1\t{blog.feed_url}\n"
    gone = run("unfollow", "127.0.0.1", "--archive", str(archive_dir))
    assert gone.exit_code == 0
    assert run("sources", "--archive", str(archive_dir), "--json").stdout == ""


def test_following_a_page_without_a_feed_is_a_clear_error(server: LocalServer,
                                                          archive_dir: Path) -> None:
    url = server.page("/plain/", "<html><head><title>x</title></head><body>hi</body></html>")
    result = run("follow", url, "--archive", str(archive_dir))
    assert result.exit_code == 2
    assert "neither a feed nor a page that announces one" in result.stderr
    assert not (archive_dir / "vellum.yml").exists()


def test_failures_exit_1_and_bad_options_exit_2(blog: Blog, followed: Path) -> None:
    blog.server.route("/feed.xml", "<html><body>not a feed</body></html>", host=blog.host)
    result = refresh(followed)
    assert result.exit_code == 1
    assert "not an RSS, Atom or JSON feed" in result.stderr
    assert "1 failed" in result.stderr
    assert refresh(followed, "--older-than", "soon").exit_code == 2
    assert refresh(followed, "--since", "yesterday").exit_code == 2


def test_quiet_verbose_and_the_process_pool(blog: Blog, archive_dir: Path) -> None:
    run("follow", blog.feed_url, "--archive", str(archive_dir))
    quiet = run("refresh", "--archive", str(archive_dir), "--delay", "0.01", "--workers", "1",
                "--quiet")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output == ""
    assert len(posts(archive_dir)) == 2  # converted in a worker process
    verbose = refresh(archive_dir, "--verbose")
    lines = verbose.stdout.splitlines()
    assert sorted(lines) == [
        "unchanged archive/127.0.0.1/2024/tuning-sqlite-for-write-heavy-workloads.md",
        "unchanged archive/127.0.0.1/2024/write-ahead-logging-in-practice.md"]
    assert "refresh: 0 new, 0 updated, 2 unchanged, 0 gone, 0 suspect, 0 failed" in (
        verbose.stderr)
    blog.get("first-post").status = 403
    blog.get("first-post").html_override = ""
    failing = refresh(archive_dir, "--quiet")
    assert failing.exit_code == 1
    assert failing.stdout == ""
    assert "vellum: failed archive/127.0.0.1/2024/tuning-sqlite" in failing.stderr
    assert "HTTP 403" in failing.stderr
