"""Issue 13: the archive against a hostile web and hostile accidents (the store's part).

Each test replays one attack or accident against the loopback server (or the archive
folder) and asserts the safe outcome: no post overwritten across sites, history kept,
only web URLs in front matter, no orphan processes, a damaged index repaired, temp
files swept, one-line errors instead of tracebacks.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

import vellum
from vellum import frontmatter
from vellum.cli import app
from vellum.commands import add
from vellum.commands.importer import import_urls
from vellum.fetch import make_client
from vellum.fetch.crawl import CrawlOptions
from vellum.models import Outcome
from vellum.store import Store
from vellum.urls import same_site

from .crawlsites import article, loopback_client
from .refresh_site import Blog, paragraphs
from .server import LocalServer, Request, Response
from .sites import wordpress_post


class LoopbackTransport(httpx.BaseTransport):
    """Every host name to 127.0.0.1 on the URL's port, the Host header kept (like
    ``curl --resolve``): one loopback server plays several sites."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url.copy_with(host="127.0.0.1")
        forwarded = httpx.Request(request.method, url, headers=request.headers,
                                  stream=request.stream, extensions=request.extensions)
        return self.inner.handle_request(forwarded)

    def close(self) -> None:
        self.inner.close()


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def add_urls(archive: Path, *urls: str) -> list[Outcome]:
    with make_client(transport=LoopbackTransport()) as client, Store(archive) as store:
        return list(add(urls, store, client=client))


def posts(archive: Path) -> dict[str, str]:
    return {p.relative_to(archive).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(archive.rglob("*.md")) if ".vellum" not in p.parts}


def raw_files(archive: Path) -> dict[str, bytes]:
    raw = archive / ".vellum" / "raw"
    return {p.relative_to(raw).as_posix(): p.read_bytes() for p in sorted(raw.rglob("*.gz"))}


def sidecar(archive: Path, rel: str) -> dict[str, object]:
    meta = archive / ".vellum" / "meta" / rel.replace(".md", ".json")
    data: dict[str, object] = json.loads(meta.read_text(encoding="utf-8"))
    return data


def victim_and_attacker(server: LocalServer) -> tuple[str, str]:
    """Host b.test's real post, and a page on a.test whose canonical link claims it."""
    victim = f"http://b.test:{server.port}/2024/05/real-post/"
    server.route("/2024/05/real-post/", wordpress_post(
        "The real post", body=paragraphs("the real post")), host="b.test")
    server.route("/fake/", wordpress_post(
        "The real post", body="<p>Defaced: this text replaced the real post.</p>" * 4,
        canonical=victim), host="a.test")
    return victim, f"http://a.test:{server.port}/fake/"


# -- 3. a canonical link never reaches across sites -----------------------------------------


def test_a_canonical_link_to_another_host_does_not_overwrite_its_post(
        server: LocalServer, archive_dir: Path) -> None:
    victim, attacker = victim_and_attacker(server)
    [first] = add_urls(archive_dir, victim)
    assert first.status == "written"
    before, raw_before = posts(archive_dir), raw_files(archive_dir)

    [second] = add_urls(archive_dir, attacker)
    assert second.status == "written", second
    after = posts(archive_dir)
    assert {k: after[k] for k in before} == before  # b.test's post untouched
    assert {k: raw_files(archive_dir)[k] for k in raw_before} == raw_before
    assert second.path is not None
    assert second.path.startswith("a.test/")
    data, body = frontmatter.split(after[second.path])
    assert data is not None
    assert data["original_url"] == attacker
    assert "Defaced" in body
    assert sidecar(archive_dir, second.path)["canonical_hint"] == victim
    with Store(archive_dir) as store:
        found = store.find(victim)
        assert found is not None
        assert found.path == first.path
        assert not list((archive_dir / ".vellum" / "history").rglob("*.md"))


def test_import_refuses_a_cross_site_canonical_too(server: LocalServer,
                                                  archive_dir: Path) -> None:
    """The same rule in the worker processes of `vellum import`."""
    victim, attacker = victim_and_attacker(server)
    options = CrawlOptions(delay=0.0)
    with Store(archive_dir) as store:
        results = list(import_urls([victim], store, options=options,
                                   client=loopback_client(options), workers=1))
        results += list(import_urls([attacker], store, options=options,
                                    client=loopback_client(options), workers=1))
    statuses = [r.status for r in results if isinstance(r, Outcome)]
    assert statuses == ["written", "written"]
    assert len(posts(archive_dir)) == 2
    assert all("Defaced" not in text for rel, text in posts(archive_dir).items()
               if rel.startswith("b.test/"))


def test_a_canonical_link_within_one_registrable_domain_unifies(
        server: LocalServer, archive_dir: Path) -> None:
    post = f"http://example.test:{server.port}/2024/post/"
    server.route("/2024/post/", wordpress_post(body=paragraphs("one post")),
                 host="example.test")
    server.route("/2024/post/", wordpress_post(body=paragraphs("one post"), canonical=post),
                 host="www.example.test")
    add_urls(archive_dir, post)
    [mirror] = add_urls(archive_dir, f"http://www.example.test:{server.port}/2024/post/")
    assert mirror.status == "unchanged"
    assert len(posts(archive_dir)) == 1


def test_hosts_declared_as_one_site_unify_and_the_rewrite_keeps_history(
        server: LocalServer, archive_dir: Path) -> None:
    victim, attacker = victim_and_attacker(server)
    (archive_dir / "vellum.yml").write_text("sites:\n- [a.test, b.test]\n", encoding="utf-8")
    [first] = add_urls(archive_dir, victim)
    old = posts(archive_dir)[str(first.path)]
    [second] = add_urls(archive_dir, attacker)
    assert (second.status, second.path) == ("updated", first.path)
    assert "Defaced" in posts(archive_dir)[str(first.path)]
    [kept] = list((archive_dir / ".vellum" / "history").rglob("*.md"))
    assert kept.read_text(encoding="utf-8") == old


def test_add_keeps_the_previous_version_when_it_rewrites_a_post(
        server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/post/", wordpress_post(body=paragraphs("first words")))
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 0, result.output
    [(rel, old)] = posts(archive_dir).items()
    server.page("/post/", wordpress_post(body=paragraphs("second words")))
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 0, result.output
    assert "second words" in posts(archive_dir)[rel]
    history = run("history", url, "--archive", str(archive_dir))
    assert history.exit_code == 0, history.output
    [kept] = list((archive_dir / ".vellum" / "history").rglob("*.md"))
    assert kept.read_text(encoding="utf-8") == old
    assert len(history.stdout.splitlines()) == 2


def test_sites_declared_in_vellum_yml_survive_follow(archive_dir: Path,
                                                      server: LocalServer) -> None:
    (archive_dir / "vellum.yml").write_text("sites:\n- [a.test, b.test]\n", encoding="utf-8")
    blog = Blog(server)
    blog.add("first-post", "Tuning SQLite for write-heavy workloads")
    result = run("follow", blog.feed_url, "--archive", str(archive_dir))
    assert result.exit_code == 0, result.output
    text = (archive_dir / "vellum.yml").read_text(encoding="utf-8")
    assert "- a.test\n  - b.test" in text
    assert "feed:" in text


def test_malformed_sites_list_is_a_one_line_error(archive_dir: Path, server: LocalServer) -> None:
    (archive_dir / "vellum.yml").write_text("sites: [a.test]\n", encoding="utf-8")
    url = server.page("/post/", wordpress_post())
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "'sites' must be a list" in result.stderr


# -- 13. only web URLs reach the front matter ------------------------------------------------


def test_front_matter_urls_are_only_http(server: LocalServer, archive_dir: Path) -> None:
    head = ('<meta property="og:image" content="javascript:alert(1)">'
            '<meta property="og:url" content="javascript:alert(2)">')
    page = wordpress_post(extra_head=head, canonical="data:text/html,<script>alert(3)</script>")
    url = server.page("/2024/hostile-meta/", page)
    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 0, result.output
    [(rel, text)] = posts(archive_dir).items()
    data, _ = frontmatter.split(text)
    assert data is not None
    assert data["original_url"] == url
    assert "image" not in data
    for value in data.values():
        assert not str(value).startswith(("javascript:", "data:")), data
    assert rel.startswith("127.0.0.1/")
    with Store(archive_dir) as store:
        entry = store.get(rel)
        assert entry is not None
        assert entry.canonical_url == url


# -- 10. a damaged history file does not stop refresh -----------------------------------------


def test_a_non_utf8_history_file_does_not_stop_refresh(server: LocalServer,
                                                      archive_dir: Path) -> None:
    blog = Blog(server)
    blog.add("first-post", "Tuning SQLite for write-heavy workloads")
    fast = ["--archive", str(archive_dir), "--delay", "0.01", "--workers", "0"]
    assert run("follow", blog.feed_url, "--archive", str(archive_dir)).exit_code == 0
    assert run("refresh", *fast).exit_code == 0
    [rel] = posts(archive_dir)
    folder = archive_dir / ".vellum" / "history" / rel.removesuffix(".md")
    folder.mkdir(parents=True)
    (folder / "20990101T000000Z.md").write_bytes(b"---\ntitle: \xff\xfe broken\n---\n\x80\x81\n")

    blog.get("first-post").body = paragraphs("an edited post")
    result = run("refresh", *fast)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "an edited post" in posts(archive_dir)[rel]
    assert len(list(folder.glob("*.md"))) == 2  # the replaced version kept beside it
    listing = run("history", blog.post_url("first-post"), "--diff", "--archive",
                  str(archive_dir))
    assert listing.exit_code == 1
    assert "not UTF-8" in listing.stderr
    assert listing.stderr.count("\n") == 1


# -- 8. a partly corrupt index is set aside by reindex ----------------------------------------


def corrupt_pages(db: Path) -> None:
    """Keep SQLite's header page (so the file still opens as a database), garble the rest."""
    data = db.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    garbage = bytes((i * 7 + 13) % 256 for i in range(len(data) - page))
    db.write_bytes(data[:page] + garbage)


def test_a_partly_corrupt_index_is_rebuilt_by_reindex_only(server: LocalServer,
                                                          archive_dir: Path) -> None:
    urls = [server.page(f"/2024/post-{n}/", wordpress_post(f"Post number {n}",
                                                           body=paragraphs(f"post {n}")))
            for n in range(3)]
    assert run("add", *urls, "--archive", str(archive_dir)).exit_code == 0
    state = archive_dir / ".vellum"
    assert not (state / "index.db-wal").exists()
    corrupt_pages(state / "index.db")

    listed = archive_dir.parent / "urls.txt"
    listed.write_text("\n".join(urls) + "\n", encoding="utf-8")
    for args in (["history", urls[0]], ["add", urls[1]], ["import", str(listed)], ["rebuild"],
                 ["dedup"]):
        result = run(*args, "--archive", str(archive_dir))
        assert result.exit_code == 1, args
        assert "Traceback" not in result.output
        assert result.stderr.count("\n") == 1, result.stderr
        assert "damaged" in result.stderr
        assert "run `vellum reindex`" in result.stderr

    result = run("reindex", "--archive", str(archive_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout == "indexed 3 entries\n"
    assert len(list(state.glob("index.db.corrupt-*"))) == 1
    history = run("history", urls[0], "--archive", str(archive_dir))
    assert history.exit_code == 0, history.output
    again = run("add", urls[1], "--archive", str(archive_dir))
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("unchanged")


# -- 9. temp files of a killed run are swept by the next run that holds the lock --------------


def test_temp_files_left_by_a_killed_run_are_swept(server: LocalServer,
                                                   archive_dir: Path) -> None:
    url = server.page("/2024/post/", wordpress_post())
    assert run("add", url, "--archive", str(archive_dir)).exit_code == 0
    [rel] = posts(archive_dir)
    post = archive_dir / rel
    # What atomic_write leaves when killed between mkstemp and os.replace.
    left = [post.parent / f".{post.name}.k2j_9xq1.tmp",
            archive_dir / ".vellum" / "meta" / Path(rel).parent / f".{post.stem}.json.aaaaaaaa.tmp",
            archive_dir / ".vellum" / "raw" / Path(rel).parent / ".x.html.gz.0123abcd.tmp",
            archive_dir / ".vellum" / "feeds" / ".f.json.zzzzzzzz.tmp"]
    kept = [archive_dir / ".vellum.yml.abcdefgh.tmp",  # `follow` writes it without the lock
            post.parent / ".my-notes.tmp", post.parent / "draft.tmp"]
    for path in [*left, *kept]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")

    result = run("add", url, "--archive", str(archive_dir))
    assert result.exit_code == 0, result.output
    assert [p for p in left if p.exists()] == []
    assert all(p.exists() for p in kept)


# -- 14. no traceback for a broken lock path or vellum.yml ------------------------------------


def one_line_failure(result: Result, code: int, *words: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("vellum: ")
    for word in words:
        assert word in result.stderr


@pytest.mark.parametrize("command", [["add"], ["import"], ["refresh"], ["reindex"]])
def test_a_lock_path_that_is_a_folder_is_one_line(command: list[str], server: LocalServer,
                                                 archive_dir: Path) -> None:
    url = server.page("/2024/post/", wordpress_post())
    (archive_dir / ".vellum" / "lock").mkdir(parents=True)
    listed = archive_dir.parent / "urls.txt"
    listed.write_text(url + "\n", encoding="utf-8")
    args = {"add": ["add", url], "import": ["import", str(listed)]}.get(command[0], command)
    one_line_failure(run(*args, "--archive", str(archive_dir)), 1, "lock", "folder")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_disk_while_writing_the_lock_is_one_line(server: LocalServer,
                                                       archive_dir: Path) -> None:
    """The lock file on /dev/full: every write fails with ENOSPC, as on a full disk."""
    url = server.page("/2024/post/", wordpress_post())
    (archive_dir / ".vellum").mkdir()
    (archive_dir / ".vellum" / "lock").symlink_to("/dev/full")
    result = run("add", url, "--archive", str(archive_dir))
    one_line_failure(result, 1, "cannot write the archive lock", "No space left on device")
    assert posts(archive_dir) == {}


@pytest.mark.parametrize("command", [["add", "URL"], ["refresh"], ["sources"], ["rebuild"]])
def test_a_non_utf8_vellum_yml_is_one_line(command: list[str], server: LocalServer,
                                          archive_dir: Path) -> None:
    url = server.page("/2024/post/", wordpress_post())
    (archive_dir / "vellum.yml").write_bytes(b"sources:\n- name: caf\xe9\n  feed: x\n")
    args = [url if arg == "URL" else arg for arg in command]
    one_line_failure(run(*args, "--archive", str(archive_dir)), 2, "vellum.yml", "not UTF-8")


# -- 7. no orphan processes after kill -9 ------------------------------------------------------


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (psutil when installed, else Linux's /proc)."""
    try:
        import psutil
    except ImportError:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(entry.name))
        found, todo = set(), [pid]
        while todo:
            kids = children.get(todo.pop(), [])
            found.update(kids)
            todo.extend(kids)
        return found
    return {child.pid for child in psutil.Process(pid).children(recursive=True)}


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_kill_9_during_import_leaves_no_process_behind(server: LocalServer,
                                                      archive_dir: Path) -> None:
    release = threading.Event()

    def tarpit(request: Request, n: int) -> Response:
        release.wait(timeout=60)  # hangs until the test lets go (or a minute passes)
        return Response(body=article("127.0.0.1", n))

    urls = []
    for n in range(6):
        handler = (partial(tarpit, n=n) if n >= 2
                   else (lambda r, n=n: Response(body=article("127.0.0.1", n))))
        server.route(f"/posts/{n}/", handler)
        urls.append(server.url(f"/posts/{n}/"))
    listed = archive_dir.parent / "urls.txt"
    listed.write_text("\n".join(urls) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "vellum", "import", str(listed), "--archive",
               str(archive_dir), "--delay", "0", "--per-host", "6"]
    env = {**os.environ, "PYTHONPATH": str(Path(vellum.__file__).parents[1])}
    run_ = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        # The pool is up (forkserver, its workers, the resource tracker) and posts are in.
        assert wait_until(lambda: len(descendants(run_.pid)) >= 3
                          and len(posts(archive_dir)) == 2, 60)
        family = descendants(run_.pid)
    finally:
        run_.kill()
        run_.wait()
    survivors = lambda: {pid for pid in family if running(pid)}  # noqa: E731
    try:
        assert wait_until(lambda: not survivors(), 20), f"still running: {survivors()}"
    finally:
        for pid in survivors():  # never leave orphans on the machine, even on failure
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    release.set()  # the site answers now: a rerun finishes the list, no pool in the way
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120,
                           check=False)
    assert again.returncode == 0, again.stderr
    assert len(posts(archive_dir)) == 6
    assert not [p for p in archive_dir.rglob("*.tmp")]


def test_refresh_of_a_feed_does_not_let_its_post_claim_another_site(
        server: LocalServer, archive_dir: Path) -> None:
    """The cron path: a followed feed on localhost lists a page claiming 127.0.0.1's post."""
    victim = server.page("/2024/real-post/", wordpress_post(
        "The real post", body=paragraphs("the real post")), host="127.0.0.1")
    assert run("add", victim, "--archive", str(archive_dir)).exit_code == 0
    before = posts(archive_dir)
    blog = Blog(server, host="localhost")
    blog.add("claim", "The real post", html_override=wordpress_post(
        "The real post", body="<p>Defaced: this text replaced the real post.</p>" * 4,
        canonical=victim))
    assert run("follow", blog.feed_url, "--archive", str(archive_dir)).exit_code == 0
    result = run("refresh", "--archive", str(archive_dir), "--delay", "0.01", "--workers", "0")
    assert result.exit_code == 0, result.output
    after = posts(archive_dir)
    assert {k: after[k] for k in before} == before
    [new] = set(after) - set(before)
    assert new.startswith("localhost/")
    assert sidecar(archive_dir, new)["canonical_hint"] == victim


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://blog.example.co.uk/a", "https://www.example.co.uk/b", True),
    ("https://alice.blogspot.com/a", "https://bob.blogspot.com/a", False),  # private suffix
    ("https://alice.github.io/a", "https://github.io/", False),
    ("https://example.com/a", "https://example.org/a", False),
    ("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b", True),
    ("http://127.0.0.1/a", "http://localhost/a", False),
    ("https://EXAMPLE.com./a", "https://example.com/b", True),
    ("https://example.com/a", "javascript:alert(1)", False),
])
def test_same_site_follows_the_public_suffix_list(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same
    assert same_site(b, a) is same


def test_declared_sites_join_hosts() -> None:
    sites = (("blog.example.com", "example.substack.com"),)
    assert same_site("https://example.substack.com/p/x", "https://blog.example.com/x", sites)
    assert not same_site("https://other.substack.com/p/x", "https://blog.example.com/x", sites)
