"""End to end: `vellum add` and `vellum convert` against a real server on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vellum import frontmatter
from vellum.cli import app
from vellum.store.lock import ArchiveLock

from .server import LocalServer, Request, Response
from .sites import wordpress_post

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env)


def md_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if ".vellum" not in p.parts)


def test_add_writes_post_with_front_matter(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/2024/05/sqlite-writes/", wordpress_post())
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    [path] = md_files(archive_dir)
    assert path.relative_to(archive_dir).as_posix() == (
        "127.0.0.1/2024/tuning-sqlite-for-write-heavy-workloads.md")
    assert result.stdout.strip().endswith("tuning-sqlite-for-write-heavy-workloads.md")
    data, body = frontmatter.split(path.read_text(encoding="utf-8"))
    assert data is not None
    assert data["title"] == "Tuning SQLite for write-heavy workloads"
    assert data["authors"] == ["Ada Example"]
    assert data["original_url"] == url
    assert str(data["date"]).startswith("2024-05-17")
    assert "archived_at" in data
    assert "```sql\nPRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n```" in body
    assert "## Write-ahead logging" in body
    for chrome in ("Share this", "Recent Posts", "Proudly powered", "Great post",
                   "Previous post", "About us here", "# Tuning SQLite"):
        assert chrome not in body
    assert (archive_dir / ".vellum" / "index.db").exists()
    raw = archive_dir / ".vellum" / "raw" / "127.0.0.1" / "2024"
    assert list(raw.glob("*.html.gz"))


def test_add_again_is_unchanged_and_writes_nothing(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/post", wordpress_post())
    assert run("add", url, "-a", str(archive_dir)).exit_code == 0
    [path] = md_files(archive_dir)
    before = path.stat().st_mtime_ns
    result = run("add", url, "-a", str(archive_dir))
    assert result.exit_code == 0
    assert result.stdout.startswith("unchanged ")
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "variant",
    ["/post/", "/post?utm_source=feed&utm_medium=rss", "/old-address", "/post#comments"],
)
def test_same_post_by_other_urls_updates_one_file(
    server: LocalServer, archive_dir: Path, variant: str
) -> None:
    server.page("/post", wordpress_post())
    server.page("/post/", wordpress_post())
    server.redirect("/old-address", server.url("/post"))
    assert run("add", server.url("/post"), "-a", str(archive_dir)).exit_code == 0
    result = run("add", server.url(variant), "-a", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    assert len(md_files(archive_dir)) == 1


def test_same_post_by_canonical_link(server: LocalServer, archive_dir: Path) -> None:
    canonical = server.url("/2024/05/the-post/")
    server.page("/2024/05/the-post/", wordpress_post(canonical=canonical))
    server.page("/print/the-post", wordpress_post(canonical=canonical))
    assert run("add", canonical, "-a", str(archive_dir)).exit_code == 0
    assert run("add", server.url("/print/the-post"), "-a", str(archive_dir)).exit_code == 0
    assert len(md_files(archive_dir)) == 1


def test_edited_post_updates_the_same_file(server: LocalServer, archive_dir: Path) -> None:
    server.page("/post", wordpress_post())
    run("add", server.url("/post"), "-a", str(archive_dir))
    edited = wordpress_post(body="<p>" + "An entirely rewritten paragraph about SQLite. " * 8
                            + "</p>")
    server.page("/post", edited)
    result = run("add", server.url("/post"), "-a", str(archive_dir))
    assert result.exit_code == 0
    [path] = md_files(archive_dir)
    assert "entirely rewritten paragraph" in path.read_text(encoding="utf-8")


def test_conditional_request_uses_stored_etag(server: LocalServer, archive_dir: Path) -> None:
    page = wordpress_post()

    def etagged(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, body=b"", headers={"ETag": '"v1"'})
        return Response(body=page, headers={"ETag": '"v1"'})

    server.route("/post", etagged)
    run("add", server.url("/post"), "-a", str(archive_dir))
    result = run("add", server.url("/post"), "-a", str(archive_dir))
    assert result.exit_code == 0
    assert result.stdout.startswith("unchanged")
    assert server.log[-1].headers.get("If-None-Match") == '"v1"'


def test_failures_are_one_line_each_and_the_batch_goes_on(
    server: LocalServer, archive_dir: Path
) -> None:
    good = server.page("/good", wordpress_post())
    server.route("/pdf", Response(body=b"%PDF-1.7", content_type="application/pdf"))
    endless = Response(body=itertools.repeat(b"<p>" + b"x" * 65536), content_type="text/html")
    server.route("/endless", endless)
    urls = [server.url("/missing"), server.url("/pdf"), "ftp://example.com/x", good,
            server.url("/endless")]
    result = run("add", *urls, "-a", str(archive_dir))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4
    assert "/missing" in errors[0]
    assert "404" in errors[0]
    assert "/pdf" in errors[1]
    assert "application/pdf" in errors[1]
    assert "ftp://example.com/x" in errors[2]
    assert "http" in errors[2]
    assert "/endless" in errors[3]
    assert "larger than" in errors[3]
    assert len(md_files(archive_dir)) == 1


def test_json_output(server: LocalServer, archive_dir: Path) -> None:
    good = server.page("/good", wordpress_post())
    result = run("add", good, server.url("/nope"), "-a", str(archive_dir), "--json")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in lines] == ["written", "failed"]
    assert lines[0]["path"].endswith(".md")
    assert lines[0]["http_status"] == 200
    assert lines[1]["http_status"] == 404
    assert "404" in lines[1]["error"]
    assert set(lines[0]) == {"url", "status", "path", "error", "http_status", "seconds"}


def test_stdout_prints_markdown_and_writes_nothing(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/post", wordpress_post())
    result = run("add", url, "--stdout", "-a", str(archive_dir), "--profile", "jekyll")
    assert result.exit_code == 0
    data, body = frontmatter.split(result.stdout)
    assert data is not None
    assert data["layout"] == "post"
    assert list(data) == sorted(data)
    assert "Write-ahead logging" in body
    assert md_files(archive_dir) == []


def test_archive_from_environment(server: LocalServer, tmp_path: Path) -> None:
    url = server.page("/post", wordpress_post())
    target = tmp_path / "from-env"
    result = run("add", url, env={"VELLUM_ARCHIVE": str(target)})
    assert result.exit_code == 0, result.stderr
    assert len(md_files(target)) == 1


def test_unknown_profile_is_a_usage_error(archive_dir: Path) -> None:
    result = run("add", "https://example.com/", "-a", str(archive_dir), "--profile", "hugo")
    assert result.exit_code == 2
    assert "unknown profile 'hugo'" in result.stderr


def test_reindex_rebuilds_the_index_from_files(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/post", wordpress_post())
    run("add", url, "-a", str(archive_dir))
    (archive_dir / ".vellum" / "index.db").unlink()
    result = run("reindex", "-a", str(archive_dir))
    assert result.exit_code == 0
    assert result.stdout.strip() == "indexed 1 entries"
    again = run("add", url, "-a", str(archive_dir))
    assert again.stdout.startswith("unchanged")
    assert len(md_files(archive_dir)) == 1


def test_rebuild_reconverts_from_raw_html(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/post", wordpress_post())
    run("add", url, "-a", str(archive_dir))
    [path] = md_files(archive_dir)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Write-ahead logging", "damaged"), encoding="utf-8")
    result = run("rebuild", "-a", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("updated ")
    assert path.read_text(encoding="utf-8") == original
    assert run("rebuild", "-a", str(archive_dir)).stdout.startswith("unchanged ")


def test_convert_file_and_stdin(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(wordpress_post(), encoding="utf-8")
    from_file = run("convert", str(page), "--url", "https://blog.example.com/post/")
    assert from_file.exit_code == 0
    data, body = frontmatter.split(from_file.stdout)
    assert data
    assert data["original_url"] == "https://blog.example.com/post/"
    assert "archived_at" not in data
    from_stdin = runner.invoke(app, ["convert", "-", "--url", "https://blog.example.com/post/"],
                               input=wordpress_post())
    assert from_stdin.stdout == from_file.stdout


LATIN1_POST = """<!DOCTYPE html><html lang="de"><head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Grüße aus Köln</title></head><body><article class="post">
<h1>Grüße aus Köln</h1>
<p>Die Straßenbahn fährt über die Brücke, während die Möwen über dem Rhein kreisen.
Für Besucher ist das ein schöner Anblick – jedes Mal aufs Neue, sagt die Fremdenführerin.</p>
<p>Später am Abend gibt es Kölsch und Reibekuchen in der Altstadt, natürlich mit Apfelmus.</p>
</article></body></html>"""


def test_convert_reads_a_saved_page_in_its_declared_charset(tmp_path: Path) -> None:
    page = tmp_path / "latin1.html"
    page.write_bytes(LATIN1_POST.encode("cp1252"))
    result = run("convert", str(page))
    assert result.exit_code == 0, result.stderr
    assert "title: Grüße aus Köln" in result.stdout
    assert "Die Straßenbahn fährt über die Brücke" in result.stdout
    assert "– jedes Mal" in result.stdout
    assert "\ufffd" not in result.stdout
    utf8 = tmp_path / "utf8.html"  # the same page saved as UTF-8 but still labelled Latin-1
    utf8.write_bytes(LATIN1_POST.encode("utf-8"))
    assert run("convert", str(utf8)).stdout == result.stdout


def test_convert_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("convert", str(tmp_path / "nope.html"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"vellum: {tmp_path / 'nope.html'}: no such file"


def test_console_script_runs_for_real(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/post", wordpress_post())
    env = {**os.environ, "VELLUM_ARCHIVE": str(archive_dir)}
    done = subprocess.run([sys.executable, "-m", "vellum", "add", url, "--json"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "written"
    assert done.stderr == ""


def test_add_exits_3_while_another_run_holds_the_archive(
    server: LocalServer, archive_dir: Path
) -> None:
    url = server.page("/post", wordpress_post())
    with ArchiveLock(archive_dir):
        result = run("add", url, "-a", str(archive_dir))
        rebuilt = run("rebuild", "-a", str(archive_dir))
    assert result.exit_code == 3
    assert rebuilt.exit_code == 3
    assert "another vellum run" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert md_files(archive_dir) == []
    assert run("add", url, "-a", str(archive_dir)).exit_code == 0


def test_add_after_a_crashed_run_indexes_what_it_left(
    server: LocalServer, archive_dir: Path
) -> None:
    url = server.page("/post", wordpress_post())
    assert run("add", url, "-a", str(archive_dir)).exit_code == 0
    # A run killed between writing the file and indexing it leaves an index without it.
    with sqlite3.connect(archive_dir / ".vellum" / "index.db") as db:
        db.execute("DELETE FROM url_keys")
        db.execute("DELETE FROM entries")
    # A killed run leaves its lock file behind with its pid written in it.
    (archive_dir / ".vellum" / "lock").write_text("pid: 999999\n", encoding="utf-8")
    result = run("add", url, "-a", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("unchanged")
    assert len(md_files(archive_dir)) == 1
