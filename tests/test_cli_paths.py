"""How the CLI prints an archive path: relative to the working directory when the
archive is below it, as given otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from vellum.cli.app import shown_path


def test_a_post_below_the_working_directory_is_shown_relative(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "archive").mkdir()
    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path / "archive", "a.example/2024/post.md") == \
        "archive/a.example/2024/post.md"
    assert shown_path(Path("archive"), "a.example/post.md") == "archive/a.example/post.md"
    assert shown_path(tmp_path / "archive", str(tmp_path / "archive" / "x.txt")) == \
        "archive/x.txt"
    assert shown_path(tmp_path / "archive", None) == ""


def test_a_post_elsewhere_is_shown_as_the_archive_was_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    root = tmp_path / "archive"
    assert shown_path(root, "a.example/post.md") == str(root / "a.example" / "post.md")
    assert shown_path(root, str(root / "x.txt")) == str(root / "x.txt")
