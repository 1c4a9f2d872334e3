"""store: atomic files, safe paths, the SQLite index and rebuilding it from the files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from vellum import frontmatter
from vellum.errors import StoreError
from vellum.models import Entry
from vellum.store import Store, atomic_write

POST = frontmatter.join({"title": "Hello", "original_url": "https://example.com/hello",
                         "date": "2024-03-01"}, "# Hello\n\nBody text.")
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")


@pytest.fixture
def store(archive_dir: Path) -> Iterator[Store]:
    with Store(archive_dir) as opened:
        yield opened


def entry(path: str = "example.com/2024/hello.md", **kwargs: str) -> Entry:
    values = {"url": "https://example.com/hello", "canonical_url": "https://example.com/hello",
              "title": "Hello", "date": "2024-03-01", "fetched_at": "2024-03-02T10:00:00+00:00",
              **kwargs}
    return Entry(path=path, etag='"v1"', last_modified="Sat, 02 Mar 2024 10:00:00 GMT", **values)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


# -- atomic writes ------------------------------------------------------------------------


def test_atomic_write_creates_folders_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "post.md"
    atomic_write(target, "héllo\n")
    atomic_write(target, b"bytes\n")
    assert target.read_bytes() == b"bytes\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["post.md"]


def test_atomic_write_new_files_are_readable_and_modes_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "post.md"
    atomic_write(target, "one")
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    atomic_write(target, "two")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_atomic_write_failure_keeps_original_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "post.md"
    target.write_text("original", encoding="utf-8")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(StoreError, match="No space left on device"):
        atomic_write(target, "new text")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "original"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md"]


def test_atomic_write_interrupted_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "post.md"

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "text")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


# -- opening ------------------------------------------------------------------------------


def test_open_creates_root_and_state_folder(tmp_path: Path) -> None:
    root = tmp_path / "new" / "archive"
    with Store(root) as store:
        assert store.root == root
        assert (root / ".vellum" / "index.db").is_file()
    db = sqlite3.connect(root / ".vellum" / "index.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_root_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        Store(tmp_path / "file")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="permissions do not bind root")
def test_unwritable_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            Store(root)
    finally:
        root.chmod(0o700)


def test_index_from_a_newer_vellum_is_refused(archive_dir: Path) -> None:
    Store(archive_dir).close()
    db = sqlite3.connect(archive_dir / ".vellum" / "index.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(archive_dir)


# -- paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", [
    "../outside.md", "a/../../outside.md", "/etc/passwd", "C:\\Windows\\x.md", "C:/x.md",
    "a\\..\\..\\b.md", "a\x00b.md", "", "..",
])
def test_resolve_rejects_escapes(store: Store, rel: str) -> None:
    with pytest.raises(StoreError):
        store.resolve(rel)


def test_resolve_rejects_symlink_out_of_root(store: Store, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (store.root / "evil.com").symlink_to(outside, target_is_directory=True)
    with pytest.raises(StoreError, match="symbolic link"):
        store.resolve("evil.com/post.md")
    with pytest.raises(StoreError):
        store.new_path("https://evil.com/post", "post", None)
    (store.root / "real").mkdir()
    (store.root / "alias").symlink_to(store.root / "real", target_is_directory=True)
    assert store.resolve("alias/post.md") == store.root / "alias" / "post.md"


def test_new_path_layout(store: Store) -> None:
    assert store.new_path("https://www.Example.com/a/b", "my-post", 2024) == \
        "example.com/2024/my-post.md"
    assert store.new_path("https://example.com:8080/x", "other", None) == "example.com/other.md"


def test_new_path_skips_files_on_disk_and_in_index_and_reserved(store: Store) -> None:
    (store.root / "example.com" / "2024").mkdir(parents=True)
    (store.root / "example.com" / "2024" / "post.md").write_text("hand-made")
    second = store.new_path("https://example.com/p", "post", 2024)
    assert second == "example.com/2024/post-2.md"
    # Handed out but not saved yet: still not handed out twice.
    assert store.new_path("https://example.com/p", "post", 2024) == "example.com/2024/post-3.md"
    store.save(entry(second), POST)
    store.save(entry("example.com/2024/post-3.md", url="https://example.com/p3"), POST)
    (store.root / "example.com" / "2024" / "post-2.md").unlink()  # the index still holds it
    assert store.new_path("https://example.com/p", "post", 2024) == "example.com/2024/post-4.md"


@pytest.mark.parametrize(("url", "slug"), [
    ("https://example.com/", "../../etc/passwd"),
    ("https://example.com/", "/absolute/path"),
    ("https://example.com/", "a/b\\c"),
    ("https://example.com/", "nul\x00byte"),
    ("https://example.com/", "x" * 1000),
    ("https://example.com/", "Ünïcödé 日本語 title"),
    ("https://example.com/", ".."),
    ("https://example.com/", ""),
    ("https://example.com/", "CON"),
    ("https://example.com/", ".hidden"),
    ("https://..%2f..%2fetc/", "post"),
    ("https://[::1]/", "post"),
    ("file:///etc/passwd", "post"),
    ("https://evil.com%00.example/", "post"),
])
def test_new_path_is_always_a_safe_file_inside_root(store: Store, url: str, slug: str) -> None:
    rel = store.new_path(url, slug, 2024)
    parts = rel.split("/")
    assert len(parts) == 3
    assert parts[1] == "2024"
    assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", parts[0])
    assert not parts[0].startswith(".")
    assert SAFE_NAME.match(parts[2])
    assert len(parts[2]) <= 90
    assert parts[2] not in ("con.md", "nul.md")
    assert store.resolve(rel).is_relative_to(store.root)


def test_new_path_ignores_absurd_years(store: Store) -> None:
    assert store.new_path("https://example.com/", "post", -5) == "example.com/post.md"
    assert store.new_path("https://example.com/", "post", 12345) == "example.com/post-2.md"
    assert store.new_path("https://example.com/", "post", 999) == "example.com/0999/post.md"


@pytest.mark.parametrize("rel", [".vellum/index.db", "example.com/post.txt",
                                 ".vellum/meta/x.md", "a/.hidden/x.md"])
def test_post_operations_refuse_non_post_paths(store: Store, rel: str) -> None:
    with pytest.raises(StoreError, match="not the path of a Markdown file"):
        store.read(rel)
    with pytest.raises(StoreError):
        store.save(entry(rel), POST)


# -- find ---------------------------------------------------------------------------------


def test_find_by_any_form_of_the_urls(store: Store) -> None:
    saved = store.save(entry(url="https://www.example.com/hello/?utm_source=feed",
                             canonical_url="https://example.com/posts/hello"),
                       POST, aliases=["https://old.example.org/2019/hello.html"])
    for url in ["http://example.com/hello", "https://www.example.com/hello/",
                "https://example.com/hello?utm_medium=x&fbclid=abc#top",
                "https://example.com/posts/hello/", "http://old.example.org/2019/hello.html"]:
        assert store.find(url) == saved, url
    assert store.find("https://example.com/other") is None
    assert store.find("https://example.com/hello?page=2") is None
    assert store.find() is None
    assert store.find("", "not a url", "https://example.com:99999/") is None


def test_find_earlier_url_wins(store: Store) -> None:
    a = store.save(entry("example.com/a.md", url="https://example.com/a", canonical_url=""), POST)
    b = store.save(entry("example.com/b.md", url="https://example.com/b", canonical_url=""), POST)
    assert store.find("https://example.com/nope", "https://example.com/b",
                      "https://example.com/a") == b
    assert store.find("https://example.com/a", "https://example.com/b") == a


def test_update_with_aliases_and_add_aliases(store: Store) -> None:
    saved = store.save(entry(), POST)
    store.update(saved, aliases=["https://example.com/?p=12"])
    store.add_aliases(saved.path, ["https://feeds.example.com/hello"])
    assert store.find("https://example.com/?p=12") == saved
    assert store.find("https://feeds.example.com/hello") == saved
    with pytest.raises(StoreError):
        store.add_aliases("example.com/missing.md", ["https://x.com/"])


# -- save, update, read -------------------------------------------------------------------


def test_save_writes_all_files_and_returns_stored_entry(store: Store) -> None:
    saved = store.save(entry(content_hash="caller's"), POST, raw_html="<p>héllo</p>",
                       aliases=["https://example.com/old-hello"])
    assert saved == entry(content_hash=frontmatter.content_hash(POST))
    assert store.get(saved.path) == saved
    assert store.read(saved.path) == POST
    meta = json.loads((store.root / ".vellum/meta/example.com/2024/hello.json").read_text())
    assert meta["aliases"] == ["https://example.com/old-hello"]
    assert meta["etag"] == '"v1"'
    assert meta["content_hash"] == saved.content_hash
    assert (store.root / ".vellum/raw/example.com/2024/hello.html.gz").is_file()
    assert leftovers(store.root) == []


def test_second_identical_save_does_not_rewrite(store: Store) -> None:
    saved = store.save(entry(), POST)
    md = store.resolve(saved.path)
    meta = store.root / ".vellum/meta/example.com/2024/hello.json"
    past = 1_000_000_000
    for path in (md, meta):
        os.utime(path, ns=(past, past))
    assert store.save(entry(), POST) == saved
    assert md.stat().st_mtime_ns == past
    assert meta.stat().st_mtime_ns == past
    store.save(entry(), POST + "\nMore.\n")
    assert md.stat().st_mtime_ns != past
    assert store.read(saved.path).endswith("More.\n")


def test_update_touches_index_and_sidecar_only(store: Store) -> None:
    saved = store.save(entry(), POST)
    md = store.resolve(saved.path)
    os.utime(md, ns=(1_000_000_000, 1_000_000_000))
    fresher = replace(saved, etag='"v2"', fetched_at="2024-04-01T00:00:00+00:00")
    store.update(fresher)
    assert store.get(saved.path) == fresher
    assert md.stat().st_mtime_ns == 1_000_000_000
    store.reindex()
    assert store.get(saved.path) == fresher
    with pytest.raises(StoreError, match="no such file"):
        store.update(entry("example.com/missing.md"))


def test_read_and_get_unknown(store: Store) -> None:
    with pytest.raises(StoreError, match="no such file"):
        store.read("example.com/missing.md")
    assert store.get("example.com/missing.md") is None


def test_raw_html_round_trip(store: Store) -> None:
    html = "<!DOCTYPE html><html><body><p>naïve — 日本語</p></body></html>"
    saved = store.save(entry(), POST, raw_html=html)
    assert store.raw_html(saved.path) == html
    other = store.save(entry("example.com/no-raw.md", url="https://example.com/n"), POST)
    assert store.raw_html(other.path) is None
    (store.root / ".vellum/raw/example.com/2024/hello.html.gz").write_bytes(b"not gzip")
    with pytest.raises(StoreError, match="damaged"):
        store.raw_html(saved.path)


def test_entries_are_ordered_by_path(store: Store) -> None:
    for rel in ["b.org/x.md", "a.com/2024/z.md", "a.com/2023/y.md", "a.com/a.md"]:
        store.save(entry(rel, url=f"https://{rel}"), POST)
    assert [e.path for e in store.entries()] == [
        "a.com/2023/y.md", "a.com/2024/z.md", "a.com/a.md", "b.org/x.md"]


def test_threads_can_read_while_one_writes(store: Store) -> None:
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(50):
                store.find("https://example.com/p0")
                list(store.entries())
        except BaseException as err:  # reported below, not lost in the thread
            errors.append(err)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for i in range(20):
        store.save(entry(f"example.com/p{i}.md", url=f"https://example.com/p{i}"), POST)
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(list(store.entries())) == 20


# -- reindex ------------------------------------------------------------------------------


def populate(store: Store) -> list[Entry]:
    store.save(entry("example.com/2024/hello.md"), POST, aliases=["https://example.com/?p=1"])
    store.save(entry("blog.example.net/second.md", url="https://blog.example.net/second",
                     canonical_url="https://example.net/second", title="Second", date="",
                     profile="jekyll"),
               frontmatter.join({"title": "Second"}, "Text"))
    return list(store.entries())


def test_reindex_after_deleting_index_gives_same_entries(archive_dir: Path) -> None:
    with Store(archive_dir) as store:
        before = populate(store)
        assert store.reindex() == 2
        assert list(store.entries()) == before
    for name in ("index.db", "index.db-wal", "index.db-shm"):
        (archive_dir / ".vellum" / name).unlink(missing_ok=True)
    with Store(archive_dir) as reopened:  # notices the missing index and rebuilds it
        assert list(reopened.entries()) == before
        assert reopened.find("https://example.com/?p=1") == before[1]
        assert reopened.find("https://example.net/second") == before[0]


def test_damaged_index_is_rebuilt(archive_dir: Path) -> None:
    with Store(archive_dir) as store:
        before = populate(store)
    for name in ("index.db-wal", "index.db-shm"):
        (archive_dir / ".vellum" / name).unlink(missing_ok=True)
    (archive_dir / ".vellum" / "index.db").write_bytes(b"this is not a database" * 100)
    with Store(archive_dir) as reopened:
        assert list(reopened.entries()) == before


def test_reindex_hand_written_file_without_sidecar(store: Store) -> None:
    text = ("---\ntitle: 'Notes: on: colons'\noriginal_url: https://notes.example.com/n1\n"
            "date: 2023-07-14\nstatus: ok\ntags: [a, b]\n---\n\nSome *notes*.\n")
    (store.root / "notes.example.com").mkdir()
    (store.root / "notes.example.com" / "n1.md").write_text(text, encoding="utf-8")
    (store.root / "plain.md").write_text("No front matter at all.\n", encoding="utf-8")
    assert store.reindex() == 2
    assert list(store.entries()) == [
        Entry(path="notes.example.com/n1.md", url="https://notes.example.com/n1",
              title="Notes: on: colons", date="2023-07-14", status="ok",
              content_hash=frontmatter.content_hash(text)),
        Entry(path="plain.md", content_hash=frontmatter.content_hash("No front matter at all.\n")),
    ]
    assert store.find("http://notes.example.com/n1/") is not None


def test_reindex_front_matter_wins_over_sidecar(store: Store) -> None:
    saved = store.save(entry(), POST)
    edited = POST.replace("title: Hello", "title: Hello, edited by hand")
    store.resolve(saved.path).write_text(edited, encoding="utf-8")
    store.reindex()
    got = store.get(saved.path)
    assert got is not None
    assert got.title == "Hello, edited by hand"
    assert got.content_hash == frontmatter.content_hash(edited) != saved.content_hash
    assert got.etag == saved.etag  # what only the sidecar knows survives


def test_reindex_skips_hidden_folders_state_and_outside_links(store: Store, tmp_path: Path) -> None:
    for rel in [".git/x.md", ".vellum/y.md", "site/.drafts/z.md", "site/.hidden.md"]:
        path = store.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(POST, encoding="utf-8")
    outside = tmp_path / "outside.md"
    outside.write_text(POST, encoding="utf-8")
    (store.root / "site" / "link.md").symlink_to(outside)
    (store.root / "site" / "real.md").write_text(POST, encoding="utf-8")
    assert store.reindex() == 1
    assert [e.path for e in store.entries()] == ["site/real.md"]


def test_reindex_tolerates_bad_bytes_and_broken_sidecars(store: Store) -> None:
    saved = store.save(entry(), POST)
    (store.root / ".vellum/meta/example.com/2024/hello.json").write_text("{not json")
    (store.root / "bad.md").write_bytes(b"---\ntitle: caf\xe9\n---\n\nx\n")
    assert store.reindex() == 2
    assert store.get("bad.md") is not None
    got = store.get(saved.path)
    assert got is not None
    assert (got.url, got.title, got.etag) == ("https://example.com/hello", "Hello", None)
