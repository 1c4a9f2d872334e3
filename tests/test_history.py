"""Kept versions of rewritten posts under .vellum/history/, and their diffs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from vellum.errors import StoreError
from vellum.store.history import diff, history_dir, keep, versions

OLD = "---\ntitle: A post\narchived_at: 2024-05-17T09:30:00+00:00\n---\n\nFirst words.\n"
NEWER = "---\ntitle: A post\narchived_at: 2024-06-01T10:00:00+00:00\n---\n\nSecond words.\n"


def test_a_version_is_kept_under_its_archived_date(tmp_path: Path) -> None:
    rel = keep(tmp_path, "blog.example.com/2024/a-post.md", OLD)
    assert rel == ".vellum/history/blog.example.com/2024/a-post/20240517T093000Z.md"
    assert (tmp_path / rel).read_text(encoding="utf-8") == OLD
    listed = versions(tmp_path, "blog.example.com/2024/a-post.md")
    assert [v.path for v in listed] == [rel]
    assert listed[0].archived_at == dt.datetime(2024, 5, 17, 9, 30, tzinfo=dt.timezone.utc)


def test_versions_are_listed_oldest_first_and_same_second_ones_kept_apart(
        tmp_path: Path) -> None:
    post = "h/a.md"
    keep(tmp_path, post, NEWER)
    keep(tmp_path, post, OLD)
    same_second = OLD.replace("First", "Other")
    keep(tmp_path, post, same_second)
    names = [Path(v.path).name for v in versions(tmp_path, post)]
    assert names == ["20240517T093000Z.md", "20240517T093000Z-1.md", "20240601T100000Z.md"]


def test_keeping_the_newest_version_again_writes_nothing(tmp_path: Path) -> None:
    assert keep(tmp_path, "h/a.md", OLD) is not None
    assert keep(tmp_path, "h/a.md", OLD) is None
    assert len(versions(tmp_path, "h/a.md")) == 1


def test_without_archived_at_the_file_mtime_dates_the_version(tmp_path: Path) -> None:
    post = tmp_path / "h" / "b.md"
    post.parent.mkdir()
    post.write_text("no front matter\n")
    stamp = dt.datetime(2023, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc).timestamp()
    os.utime(post, (stamp, stamp))
    rel = keep(tmp_path, "h/b.md", "no front matter\n")
    assert rel is not None
    assert rel.endswith("/h/b/20230102T030405Z.md")


def test_no_listing_for_a_post_never_rewritten(tmp_path: Path) -> None:
    assert versions(tmp_path, "h/never.md") == []


@pytest.mark.parametrize("rel", ["../escape.md", "/etc/passwd", "a/../../b.md", ""])
def test_history_paths_never_leave_the_archive(rel: str) -> None:
    with pytest.raises(StoreError):
        history_dir(rel)


def test_diff_shows_the_changed_lines() -> None:
    text = diff(OLD, NEWER, "2024-05-17", "current")
    assert text.startswith("--- 2024-05-17\n+++ current\n")
    assert "-First words.\n" in text
    assert "+Second words.\n" in text
    assert diff(OLD, OLD) == ""
