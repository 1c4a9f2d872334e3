"""Overlapping and interrupted refresh runs: one writer at a time, nothing left half done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from vellum import frontmatter
from vellum.cli import app
from vellum.store import Store
from vellum.store.config import Source, save_sources

from .refresh_site import Blog
from .server import LocalServer

SRC = str(Path(__file__).parent.parent / "src")


def start_refresh(archive: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.Popen(
        [sys.executable, "-m", "vellum", "refresh", "--archive", str(archive),
         "--delay", "0", "--workers", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def md_files(archive: Path) -> list[Path]:
    return [p for p in archive.rglob("*.md") if ".vellum" not in p.parts]


def make_blog(server: LocalServer, archive: Path, posts: int, delay: float) -> Blog:
    blog = Blog(server, delay=delay)
    for i in range(posts):
        blog.add(f"post-{i}", f"Post number {i} on storage engines")
    save_sources(archive, [Source("eng", blog.feed_url)])
    return blog


def test_a_second_run_exits_3_at_once_and_writes_nothing(server: LocalServer,
                                                         archive_dir: Path) -> None:
    blog = make_blog(server, archive_dir, posts=3, delay=0.4)
    first = start_refresh(archive_dir)
    try:
        wait_for(lambda: (archive_dir / ".vellum" / "lock").exists())
        requests_before = len(server.log)
        started = time.monotonic()
        second = CliRunner().invoke(app, ["refresh", "--archive", str(archive_dir)])
        assert time.monotonic() - started < 2.0
        assert second.exit_code == 3
        assert f"another vellum run (pid {first.pid}" in second.stderr
        assert second.stdout == ""
        out, err = first.communicate(timeout=30)
    finally:
        first.kill()
    assert first.returncode == 0, err
    assert out.count("new ") == 3
    # The second run asked nothing of the site: every request came from the first.
    assert len([r for r in server.log if r.path.startswith("/post-")]) == 3
    assert len(server.log) >= requests_before
    assert len(md_files(archive_dir)) == 3
    assert blog.full_responses == 4  # the feed and three posts, once each
    assert not (archive_dir / ".vellum" / "lock").exists()


def test_a_run_killed_midway_leaves_whole_files_and_the_next_run_finishes(
        server: LocalServer, archive_dir: Path) -> None:
    blog = make_blog(server, archive_dir, posts=8, delay=0.15)
    run = start_refresh(archive_dir)
    try:
        wait_for(lambda: len(md_files(archive_dir)) >= 2)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
    finally:
        run.kill()
    done_before = md_files(archive_dir)
    assert 2 <= len(done_before) < 8
    for path in done_before:  # every file there is complete
        front, body = frontmatter.split(path.read_text(encoding="utf-8"))
        assert front is not None
        assert front["title"].startswith("Post number ")
        assert body.rstrip().endswith("for reasons this paragraph explains.")
    result = CliRunner().invoke(app, ["refresh", "--archive", str(archive_dir),
                                      "--delay", "0", "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("new ") == 8 - len(done_before)
    assert len(md_files(archive_dir)) == 8
    with Store(archive_dir) as store:
        for i in range(8):
            entry = store.find(blog.post_url(f"post-{i}"))
            assert entry is not None
            assert store.read(entry.path).startswith("---\n")
    # ...and the run after that has nothing left to do.
    blog.reset_counts()
    last = CliRunner().invoke(app, ["refresh", "--archive", str(archive_dir), "--delay", "0"])
    assert last.exit_code == 0
    assert last.output == ""
    assert blog.full_responses == 0
