"""End to end: a bug met on one URL fails that URL only, the same way in every command.

The store stage is patched to raise a ``RuntimeError`` (not a ``VellumError``: a bug)
for one post of three served on 127.0.0.1; the other two are archived, the run exits
1, the failure is one line naming the URL, and ``--verbose`` adds its traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from vellum.cli import app
from vellum.models import Entry
from vellum.store.facade import Store

from .refresh_site import Blog
from .server import LocalServer
from .sites import wordpress_post

TITLES = {"first": "Tuning SQLite for write-heavy workloads",
          "broken": "Vacuuming a large database without downtime",
          "third": "Write-ahead logging in practice"}
TOPICS = {"first": "the page cache", "broken": "incremental vacuum", "third": "checkpoints"}


@pytest.fixture(autouse=True)
def _bug_on_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    save = Store.save

    def buggy(self: Store, entry: Entry, text: str, **kwargs: object) -> Entry:
        if "broken" in entry.url:
            raise RuntimeError("boom in the store")
        return save(self, entry, text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "save", buggy)


def _body(slug: str) -> str:
    topic = TOPICS[slug]
    return "".join(f"<p>Paragraph {i} about {topic}: how it behaves under load, what the "
                   f"numbers said on our servers and which setting we kept in the end.</p>"
                   for i in range(6))


def _serve(server: LocalServer) -> list[str]:
    return [server.page(f"/2024/05/{slug}/", wordpress_post(title, body=_body(slug)))
            for slug, title in TITLES.items()]


def _posts(archive: Path) -> list[str]:
    return sorted(p.name for p in archive.rglob("*.md") if ".vellum" not in p.parts)


def _check(result: Result, archive: Path, *, verbose: bool) -> None:
    assert result.exit_code == 1, result.output
    assert _posts(archive) == ["tuning-sqlite-for-write-heavy-workloads.md",
                               "write-ahead-logging-in-practice.md"]
    [line] = [x for x in result.stderr.splitlines() if "internal error" in x]
    assert "/2024/05/broken/" in line
    assert "RuntimeError('boom in the store')" in line
    if verbose:
        assert "Traceback (most recent call last)" in result.stderr
        assert "raise RuntimeError" in result.stderr
    else:
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("verbose", [False, True])
def test_add_goes_on_after_a_bug(server: LocalServer, archive_dir: Path, verbose: bool) -> None:
    urls = _serve(server)
    args = ["add", *urls, "--archive", str(archive_dir), *(["--verbose"] if verbose else [])]
    _check(CliRunner().invoke(app, args), archive_dir, verbose=verbose)


@pytest.mark.parametrize("verbose", [False, True])
def test_import_goes_on_after_a_bug(server: LocalServer, archive_dir: Path, tmp_path: Path,
                                    verbose: bool) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(_serve(server)) + "\n", encoding="utf-8")
    args = ["import", str(listing), "--delay", "0", "--archive", str(archive_dir),
            *(["--verbose"] if verbose else [])]
    result = CliRunner().invoke(app, args)
    _check(result, archive_dir, verbose=verbose)
    [failed] = (archive_dir / ".vellum").glob("failed-*.txt")
    assert "/2024/05/broken/" in failed.read_text(encoding="utf-8")


@pytest.mark.parametrize("verbose", [False, True])
def test_refresh_goes_on_after_a_bug(server: LocalServer, archive_dir: Path,
                                     verbose: bool) -> None:
    blog = Blog(server)
    for slug, title in TITLES.items():
        blog.add(slug, title)
    run = CliRunner().invoke
    followed = run(app, ["follow", blog.feed_url, "--archive", str(archive_dir)])
    assert followed.exit_code == 0, followed.output
    result = run(app, ["refresh", "--archive", str(archive_dir), "--delay", "0.01",
                       "--workers", "0", *(["--verbose"] if verbose else [])])
    assert result.exit_code == 1, result.output
    names = _posts(archive_dir)
    assert len(names) == 2
    assert not any("vacuum" in n for n in names)
    [line] = [x for x in result.stderr.splitlines() if "internal error" in x]
    assert "/broken" in line
    assert "RuntimeError('boom in the store')" in line
    assert ("Traceback (most recent call last)" in result.stderr) == verbose
