"""End to end: ``vellum ingest`` then ``vellum dedup`` (report, JSON, --apply, --include)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from vellum import frontmatter
from vellum.cli import app

FIXTURES = Path(__file__).parent / "dedup_fixtures"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def setup_sources(tmp_path: Path) -> Path:
    sources = tmp_path / "exports"
    shutil.copytree(FIXTURES, sources / "old-blog")
    (sources / "old-blog" / "cover.png").write_bytes(b"\x89PNG\0\0")
    return sources


def test_ingest_detects_formats_keeps_originals_and_is_idempotent(tmp_path: Path) -> None:
    sources, archive = setup_sources(tmp_path), tmp_path / "archive"
    before = {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()}
    code, out = run("ingest", str(sources), "-a", str(archive), "--json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["status"] for r in records) == ["written"] * 7
    assert {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()} == before
    raw = next(r for r in records if r["url"].endswith("oncall-raw.txt"))
    data, body = frontmatter.split(Path(raw["path"]).read_text(encoding="utf-8"))
    assert data is not None
    assert (data["title"], data["date"]) == ("A Year on the Pager", "9 November 2023")
    assert body.startswith("Hello again, friends")
    aggregator = next(r for r in records if r["url"].endswith("oncall-aggregator.md"))
    data, body = frontmatter.split(Path(aggregator["path"]).read_text(encoding="utf-8"))
    assert data is not None
    assert data["original_url"] == "https://mkeller.example.net/2023/11/a-year-on-the-pager/"
    assert "<p>" not in body
    assert "The first month was _terrifying_." in body
    assert "[our team lead](https://example.org/team)" in body
    code, out = run("ingest", str(sources), "-a", str(archive), "--json")
    assert code == 0
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["skipped"] * 7


def test_dedup_reports_groups_then_apply_merges_them(tmp_path: Path) -> None:
    sources, archive = setup_sources(tmp_path), tmp_path / "archive"
    assert run("ingest", str(sources), "-a", str(archive))[0] == 0
    code, out = run("dedup", "-a", str(archive), "--json")
    assert code == 0
    groups = [json.loads(line) for line in out.splitlines()]
    assert [len(g["members"]) for g in groups] == [4, 2]
    assert {g["reason"] for g in groups} <= {"excerpt", "edited version", "near-identical text",
                                             "same content"}
    homelab = groups[0]
    assert homelab["canonical"] == "mkeller.example.net/2023/moving-my-homelab-to-proxmox.md"
    assert not any("backups" in m for g in groups for m in g["members"])

    code, out = run("dedup", "-a", str(archive), "--json", "--apply")
    assert code == 0
    canonical = archive / homelab["canonical"]
    data, _ = frontmatter.split(canonical.read_text(encoding="utf-8"))
    assert data is not None
    assert data["categories"] == ["Homelab"]  # gained from the Markdown source
    assert sorted(data["aliases"]) == sorted(homelab["members"][1:])
    for member in homelab["members"][1:]:
        assert not (archive / member).exists()
        moved = archive / ".vellum" / "duplicates" / member
        moved_data, _ = frontmatter.split(moved.read_text(encoding="utf-8"))
        assert moved_data is not None
        assert moved_data["duplicate_of"] == homelab["canonical"]
    code, out = run("dedup", "-a", str(archive), "--json")
    assert (code, out) == (0, "")
    # The originals of merged entries are still known: ingesting again does nothing.
    code, out = run("ingest", str(sources), "-a", str(archive), "--json")
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["skipped"] * 7


def test_dedup_include_compares_outside_files_without_ingesting(tmp_path: Path) -> None:
    archive, outside = tmp_path / "archive", tmp_path / "outside"
    outside.mkdir()
    shutil.copy(FIXTURES / "oncall-raw.txt", outside / "pager.txt")
    shutil.copy(FIXTURES / "backups-raw.txt", outside / "backups.txt")
    assert run("ingest", str(FIXTURES / "oncall-aggregator.md"), "-a", str(archive))[0] == 0
    code, out = run("dedup", "-a", str(archive), "--include", str(outside), "--json")
    assert code == 0
    (group,) = [json.loads(line) for line in out.splitlines()]
    assert group["members"] == ["mkeller.example.net/2023/a-year-on-the-pager.md",
                                str(outside / "pager.txt")]
    assert group["reason"] == "near-identical text"
    assert 0.8 <= group["score"] <= 1.0
    assert sorted(p.name for p in outside.iterdir()) == ["backups.txt", "pager.txt"]


def test_bad_input_exits_2(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    assert run("ingest", str(tmp_path / "missing"), "-a", str(archive))[0] == 2
    assert run("dedup", "-a", str(archive), "--include", str(tmp_path / "missing"))[0] == 2


def test_dedup_prints_the_evidence_and_reports_malformed_files(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(Path(__file__).parent / "dedup_forms", outside)
    (outside / "picture.md").write_bytes(b"GIF89a\0\0\0\0")
    archive = tmp_path / "archive"
    result = runner.invoke(app, ["dedup", "-a", str(archive), "--include", str(outside)])
    assert result.exit_code == 1  # one input could not be read; the rest was compared
    assert f"vellum: {outside / 'picture.md'}: binary file, not a post" in result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"6 copies; weakest link: (excerpt|edited version|near-identical text), "
                        r"containment 0\.\d\d", lines[0])
    assert lines[1] == f"  * {outside / 'vacuum-edited.md'}  (kept)"
    excerpt = next(line for line in lines if "vacuum-excerpt.txt" in line)
    assert excerpt.endswith("excerpt, containment 0.92")
    code, out = run("dedup", "-a", str(archive), "--include", str(outside), "--json")
    vacuum = json.loads(out.splitlines()[0])
    assert {e["path"]: e["reason"] for e in vacuum["evidence"]}[
        str(outside / "vacuum-excerpt.txt")] == "excerpt"
    assert all(0.5 <= e["containment"] <= 1 for e in vacuum["evidence"])
