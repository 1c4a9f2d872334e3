"""End to end: `vellum search`, `list`, `export`, `remove` and `reindex --prune` on posts
archived from a real server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vellum.cli import app
from vellum.store import Store
from vellum.store.search import MARK_START, Filters, fts_query

from .server import LocalServer
from .sites import wordpress_post

runner = CliRunner()

POSTS = {
    "/2024/05/sqlite/": ("Tuning SQLite for write-heavy workloads", "Ada Example", "2024-05-17",
                         "sqlite", "<p>Write-ahead logging lets readers and one writer proceed "
                         "together; batching inserts in one transaction is the largest gain.</p>"),
    "/2023/02/hugo/": ("Static site generators compared", "Bob Writer", "2023-02-03", "hugo",
                       "<p>Hugo builds a static site in milliseconds. Jekyll is older and "
                       "slower, but its plugins are many.</p>"),
    "/2022/11/gardening/": ("Winter gardening notes", "Ada Example", "2022-11-20", "garden",
                            "<p>Mulch the beds before the first frost and keep the soil "
                            "covered; leeks stand through the winter.</p>"),
}


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]  # noqa: A002
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def archived(server: LocalServer, archive_dir: Path) -> dict[str, str]:
    """The three posts added through `vellum add`; their URLs by path on the server."""
    urls = {}
    for path, (title, author, day, tag, body) in POSTS.items():
        head = f'<meta property="article:tag" content="{tag}">'
        urls[path] = server.page(path, wordpress_post(
            title, body=body, author=author, published=f"{day}T09:00:00+00:00",
            extra_head=head))
    result = run("add", *urls.values(), "-a", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    return urls


def lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_search_ranks_and_shows_path_title_date_snippet(archived: dict[str, str],
                                                        archive_dir: Path) -> None:
    result = run("search", "static site", "-a", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    [line] = lines(result)
    path, title, date, snippet = line.split("\t")
    assert path.endswith("static-site-generators-compared.md")
    assert (title, date) == ("Static site generators compared", "2023-02-03")
    assert "Hugo builds a static site" in snippet
    assert "\x1b[" not in snippet  # not a terminal: no colour codes


def test_search_phrase_prefix_and_json(archived: dict[str, str], archive_dir: Path) -> None:
    phrase = run("search", '"one writer proceed"', "-a", str(archive_dir), "--json")
    [hit] = [json.loads(line) for line in lines(phrase)]
    assert hit["title"] == "Tuning SQLite for write-heavy workloads"
    assert hit["authors"] == ["Ada Example"]
    assert "one writer proceed" in hit["snippet"]
    assert '"writer one proceed"' not in phrase.stdout
    assert not lines(run("search", '"writer one proceed"', "-a", str(archive_dir)))
    prefix = run("search", "garden*", "-a", str(archive_dir), "--json")
    assert [json.loads(x)["title"] for x in lines(prefix)] == ["Winter gardening notes"]
    # a prefix query's snippet is built in one pass over the matches: still highlighted
    with Store(archive_dir) as store:
        [found] = store.search("garden*", Filters(), 20)
    assert f"{MARK_START}garden" in found.snippet.lower()


def test_json_ranks_keep_their_order_for_words_found_in_most_posts(
        archived: dict[str, str], archive_dir: Path) -> None:
    # FTS5 scales the scores of such words down to ~1e-6: rounded to decimal places,
    # every rank read -0.0.
    result = run("search", "the OR and", "-a", str(archive_dir), "--json")
    ranks = [json.loads(line)["rank"] for line in lines(result)]
    assert len(ranks) == 3
    assert all(rank < 0 for rank in ranks)
    assert ranks == sorted(ranks)  # FTS5's bm25: lower is better, best first


def test_search_filters(archived: dict[str, str], archive_dir: Path) -> None:
    def titles(*args: str) -> list[str]:
        result = run("search", *args, "-a", str(archive_dir), "--json")
        assert result.exit_code == 0, result.stderr
        return sorted(json.loads(x)["title"] for x in lines(result))

    everything = "the OR and"
    assert len(titles(everything)) == 3
    assert titles(everything, "--author", "ada") == ["Tuning SQLite for write-heavy workloads",
                                                     "Winter gardening notes"]
    assert titles(everything, "--tag", "Hugo") == ["Static site generators compared"]
    assert titles(everything, "--since", "2023", "--until", "2023-12") == [
        "Static site generators compared"]
    assert titles(everything, "--host", "127.0.0.1", "--limit", "1") != []
    assert titles(everything, "--host", "elsewhere.example") == []


def test_search_reports_bad_dates_and_takes_any_text(archived: dict[str, str],
                                                     archive_dir: Path) -> None:
    bad = run("search", "hugo", "--since", "last week", "-a", str(archive_dir))
    assert bad.exit_code == 2
    assert "--since wants a date" in bad.stderr
    odd = run("search", 'c++ (unbalanced "quote', "-a", str(archive_dir))
    assert odd.exit_code == 0, odd.stderr
    assert "no match" in odd.stderr


def test_fts_query_quotes_every_word() -> None:
    assert fts_query("c++ foo*") == '"c++" "foo"*'
    assert fts_query('"a phrase" OR title:x') == '"a phrase" OR title : "x"'
    assert fts_query('say "hi') == '"say" "hi"'


def test_list_sorts_and_prints_json_and_csv(archived: dict[str, str], archive_dir: Path) -> None:
    by_date = run("list", "-a", str(archive_dir))
    assert [line.split("\t")[2] for line in lines(by_date)] == [
        "2024-05-17", "2023-02-03", "2022-11-20"]
    by_title = run("list", "--sort", "title", "--json", "-a", str(archive_dir))
    assert [json.loads(x)["title"] for x in lines(by_title)] == [
        "Static site generators compared", "Tuning SQLite for write-heavy workloads",
        "Winter gardening notes"]
    table = list(csv.DictReader(io.StringIO(run("list", "--csv", "--tag", "garden",
                                                "-a", str(archive_dir)).stdout)))
    assert [row["title"] for row in table] == ["Winter gardening notes"]
    assert table[0]["tags"] == "garden"
    assert run("list", "--sort", "size", "-a", str(archive_dir)).exit_code == 2


def test_export_jsonl_has_front_matter_and_body_csv_has_no_body(
        archived: dict[str, str], archive_dir: Path) -> None:
    result = run("export", "-a", str(archive_dir))
    records = [json.loads(x) for x in lines(result)]
    assert len(records) == 3
    sqlite = next(r for r in records if r["title"].startswith("Tuning"))
    assert sqlite["original_url"] == archived["/2024/05/sqlite/"]
    assert sqlite["date"].startswith("2024-05-17")
    assert "Write-ahead logging lets readers" in sqlite["body"]
    rows = list(csv.DictReader(io.StringIO(run("export", "--csv", "-a", str(archive_dir)).stdout)))
    assert len(rows) == 3
    assert "body" not in rows[0]
    assert {"path", "title", "original_url", "archived_at"} <= set(rows[0])


def test_hand_edit_is_found_after_reindex(archived: dict[str, str], archive_dir: Path) -> None:
    [post] = archive_dir.glob("127.0.0.1/2022/*.md")
    post.write_text(post.read_text(encoding="utf-8") + "\nA note about rhubarb.\n",
                    encoding="utf-8")
    assert not lines(run("search", "rhubarb", "-a", str(archive_dir)))
    assert run("reindex", "-a", str(archive_dir)).exit_code == 0
    assert len(lines(run("search", "rhubarb", "-a", str(archive_dir)))) == 1


def test_remove_asks_then_deletes_everything(archived: dict[str, str], archive_dir: Path) -> None:
    url = archived["/2023/02/hugo/"]
    refused = run("remove", url, "-a", str(archive_dir), input="n\n")
    assert refused.exit_code == 1
    assert len(list(archive_dir.glob("127.0.0.1/*/*.md"))) == 3
    done = run("remove", url, "-a", str(archive_dir), input="y\n")
    assert done.exit_code == 0, done.stderr
    assert "removed" in done.stdout
    assert not list(archive_dir.glob("127.0.0.1/2023/*.md"))
    assert not list((archive_dir / ".vellum").rglob("*static-site*"))
    assert not lines(run("search", "hugo", "-a", str(archive_dir)))
    with Store(archive_dir) as store:
        assert store.find(url) is None
        assert len(list(store.entries())) == 2


def test_remove_by_path_with_yes_and_unknown_target(archived: dict[str, str],
                                                    archive_dir: Path) -> None:
    [post] = archive_dir.glob("127.0.0.1/2022/*.md")
    result = run("remove", str(post), "--yes", "-a", str(archive_dir), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "removed"
    assert not post.exists()
    missing = run("remove", "https://nowhere.example/x", "--yes", "-a", str(archive_dir))
    assert missing.exit_code == 2
    assert "no archived post has this URL" in missing.stderr


def test_reindex_reports_and_prunes_orphaned_side_data(archived: dict[str, str],
                                                       archive_dir: Path) -> None:
    [post] = archive_dir.glob("127.0.0.1/2022/*.md")
    post.unlink()  # deleted by hand: raw HTML and sidecar stay behind
    report = run("reindex", "-a", str(archive_dir), "--json")
    data = json.loads(report.stdout)
    assert data["entries"] == 2
    assert any(o.startswith(".vellum/raw/") for o in data["orphans"])
    assert any(o.startswith(".vellum/meta/") for o in data["orphans"])
    assert all((archive_dir / o).exists() for o in data["orphans"])
    pruned = run("reindex", "--prune", "-a", str(archive_dir))
    assert pruned.exit_code == 0
    assert all(not (archive_dir / o).exists() for o in data["orphans"])
    assert json.loads(run("reindex", "-a", str(archive_dir), "--json").stdout)["orphans"] == []


def test_ingested_files_are_searchable(archive_dir: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "kiln.md").write_text("---\ntitle: Firing a wood kiln\ndate: 2021-04-02\n---\n\n"
                                   "Stoking every few minutes for two days keeps the "
                                   "temperature climbing.\n", encoding="utf-8")
    result = run("ingest", str(notes), "-a", str(archive_dir))
    assert result.exit_code == 0, result.output
    [hit] = [json.loads(x) for x in lines(run("search", "stoking", "-a", str(archive_dir),
                                               "--json"))]
    assert hit["title"] == "Firing a wood kiln"


def test_an_index_from_before_search_is_filled_on_open(archived: dict[str, str],
                                                       archive_dir: Path) -> None:
    import sqlite3

    db = sqlite3.connect(archive_dir / ".vellum" / "index.db")
    db.executescript("DROP TABLE docs_fts; DROP TABLE docs;")
    db.close()
    assert len(lines(run("search", "gardening", "-a", str(archive_dir)))) == 1


def test_remove_takes_the_history_and_empty_folders(archived: dict[str, str],
                                                    archive_dir: Path) -> None:
    [post] = archive_dir.glob("127.0.0.1/2022/*.md")
    stem = post.relative_to(archive_dir).with_suffix("").as_posix()
    kept = archive_dir / ".vellum" / "history" / stem / "20240101T000000Z.md"
    kept.parent.mkdir(parents=True)
    kept.write_text(post.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("remove", archived["/2022/11/gardening/"], "--yes", "-a", str(archive_dir))
    assert result.exit_code == 0, result.stderr
    assert not kept.parent.exists()
    assert not (archive_dir / "127.0.0.1" / "2022").exists()
    assert (archive_dir / "127.0.0.1" / "2024").is_dir()
