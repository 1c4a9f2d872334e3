"""End to end on the loopback server: stdin URLs, failure lines, history paths, the HTTP
options (--user-agent, --header, --cookies, proxies), vellum.yml defaults and `vellum config`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.main import get_command
from typer.testing import CliRunner, Result

from vellum import frontmatter
from vellum.cli import app

from .refresh_site import Blog
from .server import LocalServer, Request, Response
from .sites import wordpress_post

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
# A Netscape cookies.txt as browser extensions export it (tab-separated; 0: session cookie).
COOKIES = ("# Netscape HTTP Cookie File\n"
           "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc123\n"
           ".other.example\tTRUE\t/\tTRUE\t2145916800\telsewhere\tnope\n")


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def md_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if ".vellum" not in p.parts)


def seen(server: LocalServer, path: str) -> list[Request]:
    return [r for r in server.log if r.path == path]


@pytest.fixture(autouse=True)
def _in_tmp(archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the archive's parent, so printed paths read archive/<host>/..."""
    monkeypatch.chdir(archive_dir.parent)


# -- stdin, failures, invalid lines, history paths ----------------------------------------


def test_add_dash_reads_urls_from_stdin(server: LocalServer, archive_dir: Path) -> None:
    one = server.page("/one/", wordpress_post("First post"))
    two = server.page("/two/", wordpress_post("Second post"))
    result = run("add", "-", "-a", "archive", stdin=f"# to read\n{one}\n\n{two}\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["archive/127.0.0.1/2024/first-post.md",
                                          "archive/127.0.0.1/2024/second-post.md"]
    assert run("add", "-", "-a", "archive", stdin="\n# nothing\n").exit_code == 2


def test_add_json_failure_also_has_its_line_on_stderr(server: LocalServer,
                                                      archive_dir: Path) -> None:
    good = server.page("/good/", wordpress_post())
    missing = server.url("/missing/")
    result = run("add", "--json", good, missing, "-a", "archive")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in records] == ["written", "failed"]
    assert result.stderr.splitlines() == [f"vellum: {missing}: HTTP 404 Not Found"]


def test_import_with_invalid_lines_exits_1_and_counts_them(server: LocalServer,
                                                           archive_dir: Path) -> None:
    url = server.page("/post/", wordpress_post())
    listing = Path("bookmarks.txt")
    listing.write_text(f"{url}\nnot a url\nftp://files.example/x\n", encoding="utf-8")
    result = run("import", str(listing), "--delay", "0", "-a", "archive")
    assert result.exit_code == 1
    assert "bookmarks.txt:2: not a url" in result.stderr
    assert "1 written; 2 invalid lines skipped" in result.stderr
    assert len(md_files(archive_dir)) == 1
    as_json = run("import", str(listing), "--delay", "0", "-a", "archive", "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout.splitlines()[-1])["invalid"] == 2


def test_history_takes_the_printed_path_and_an_absolute_one(server: LocalServer,
                                                            archive_dir: Path) -> None:
    url = server.page("/post/", wordpress_post())
    printed = run("add", url, "-a", "archive").stdout.strip()
    assert printed == "archive/127.0.0.1/2024/tuning-sqlite-for-write-heavy-workloads.md"
    for given in (printed, str(Path(printed).resolve()),
                  "127.0.0.1/2024/tuning-sqlite-for-write-heavy-workloads.md"):
        result = run("history", given, "-a", "archive", "--json")
        assert result.exit_code == 0, (given, result.stderr)
        assert json.loads(result.stdout)["url"] == url
    elsewhere = Path("notes.md")
    elsewhere.write_text("# not archived\n", encoding="utf-8")
    outside = run("history", str(elsewhere.resolve()), "-a", "archive")
    assert outside.exit_code == 2
    assert "not inside the archive" in outside.stderr


# -- refresh progress -----------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_refresh_shows_progress_on_a_terminal_and_keeps_stdout_clean(
        server: LocalServer, archive_dir: Path) -> None:
    import pty

    blog = Blog(server)
    for n in range(3):
        blog.add(f"post-{n}", f"Post number {n}")
    server.route("/robots.txt", Response(status=404, delay=0.5))  # slow enough to be drawn
    assert run("follow", blog.url("/feed.xml"), "-a", "archive").exit_code == 0
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "vellum", "refresh", "-a", "archive",
                             "--delay", "0", "--workers", "0"],
                            stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal's other end closed: the run is over
            break
        if not chunk:
            break
        drawn += chunk
    out, _ = proc.communicate(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    assert b"Refreshing: " in drawn
    assert b"refresh: 3 new" in drawn
    assert sorted(out.decode().splitlines()) == [  # the bar never leaks into stdout
        f"new archive/127.0.0.1/2024/post-number-{n}.md" for n in range(3)]


# -- HTTP options ---------------------------------------------------------------------------


def test_user_agent_headers_and_cookies_are_sent_by_every_fetching_command(
        server: LocalServer, archive_dir: Path) -> None:
    Path("cookies.txt").write_text(COOKIES, encoding="utf-8")
    http = ["--user-agent", "my-archiver/2.0", "--header", "Accept-Language: de",
            "-H", "X-Token: t0k3n", "--cookies", "cookies.txt"]
    blog = Blog(server)
    blog.add("members", "Members post")
    post = server.page("/plain/", wordpress_post())
    listing = Path("urls.txt")
    listing.write_text(server.url("/listed/") + "\n", encoding="utf-8")
    server.page("/listed/", wordpress_post("Listed post"))
    commands = {
        "/plain/": ["add", post],
        "/listed/": ["import", str(listing), "--delay", "0"],
        "/feed.xml": ["follow", blog.url("/feed.xml")],
        "/members/": ["refresh", "--delay", "0", "--workers", "0"],
    }
    for path, command in commands.items():
        result = run(*command, "-a", "archive", *http)
        assert result.exit_code == 0, (command, result.output)
        request = seen(server, path)[-1]
        assert request.headers["User-Agent"] == "my-archiver/2.0", command
        assert request.headers["Accept-Language"] == "de"
        assert request.headers["X-Token"] == "t0k3n"
        assert request.headers["Cookie"] == "session=abc123", command


def test_bad_http_options_are_usage_errors(archive_dir: Path) -> None:
    bad_header = run("add", "https://blog.example.com/p/", "--header", "no colon here")
    assert bad_header.exit_code == 2
    assert "a header is written 'Name: value'" in bad_header.stderr
    Path("cookies.json").write_text("[]", encoding="utf-8")
    bad_cookies = run("add", "https://blog.example.com/p/", "--cookies", "cookies.json")
    assert bad_cookies.exit_code == 2
    assert "cookies.json: not a Netscape cookies.txt file" in bad_cookies.stderr


def test_proxy_from_the_environment(server: LocalServer, archive_dir: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The proxy receives the absolute URL on the request line (RFC 9112 absolute-form).
    server.route("http://blog.example.com/2024/05/post/", Response(body=wordpress_post()))
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url(""))
    result = run("add", "http://blog.example.com/2024/05/post/", "-a", "archive")
    assert result.exit_code == 0, result.stderr
    [request] = seen(server, "http://blog.example.com/2024/05/post/")
    assert request.host == "blog.example.com"
    assert md_files(archive_dir)[0].relative_to(archive_dir).parts[0] == "blog.example.com"


# -- vellum.yml defaults and `vellum config` -------------------------------------------------


def write_defaults(archive: Path, **defaults: object) -> None:
    text = yaml.safe_dump({"defaults": defaults, "sources": []}, sort_keys=False)
    (archive / "vellum.yml").write_text(text, encoding="utf-8")


def test_defaults_from_vellum_yml_and_flags_winning(server: LocalServer,
                                                    archive_dir: Path) -> None:
    Path("archive/cookies.txt").write_text(COOKIES, encoding="utf-8")
    write_defaults(archive_dir, profile="jekyll", user_agent="yml-agent/1",
                   headers={"X-From": "yml", "Accept-Language": "fr"}, cookies="cookies.txt")
    first = server.page("/first/", wordpress_post("First"))
    assert run("add", first, "-a", "archive").exit_code == 0
    request = seen(server, "/first/")[-1]
    assert (request.headers["User-Agent"], request.headers["X-From"]) == ("yml-agent/1", "yml")
    assert request.headers["Cookie"] == "session=abc123"  # the path is the archive's
    front, _ = frontmatter.split(md_files(archive_dir)[0].read_text(encoding="utf-8"))
    assert front is not None
    assert front["layout"] == "post"

    second = server.page("/second/", wordpress_post("Second"))
    result = run("add", second, "-a", "archive", "--profile", "default", "--user-agent",
                 "flag-agent/2", "-H", "accept-language: en")
    assert result.exit_code == 0, result.stderr
    request = seen(server, "/second/")[-1]
    assert request.headers["User-Agent"] == "flag-agent/2"
    sent = {name.lower(): value for name, value in request.headers.items()}
    assert (sent["x-from"], sent["accept-language"]) == ("yml", "en")
    assert [k.lower() for k in request.headers].count("accept-language") == 1
    front, _ = frontmatter.split(Path(result.stdout.strip()).read_text(encoding="utf-8"))
    assert front is not None
    assert "layout" not in front


def test_config_prints_the_effective_settings_and_their_origin(
        archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_defaults(archive_dir, delay=2, **{"per-host": 1}, headers=["X-From: yml"])
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    result = run("config", "-a", "archive", "--json")
    assert result.exit_code == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["delay"] == {"value": 2.0, "from": "vellum.yml"}
    assert settings["per_host"] == {"value": 1, "from": "vellum.yml"}
    assert settings["concurrency"] == {"value": 16, "from": "built-in"}
    assert settings["workers"] == {"value": None, "from": "built-in"}
    assert settings["headers"] == {"value": {"X-From": "yml"}, "from": "vellum.yml"}
    assert settings["archive"] == {"value": "archive", "from": "--archive"}
    assert settings["https_proxy"] == {"value": "http://proxy.example:3128",
                                       "from": "$HTTPS_PROXY"}
    text = run("config", "-a", "archive").stdout
    assert re.search(r"^delay +2\.0  \(vellum\.yml\)$", text, re.MULTILINE)
    assert re.search(r"^workers +one per CPU  \(built-in\)$", text, re.MULTILINE)
    assert re.search(r"^user_agent +vellum/\S+ \(\+https://github\.com/vellum-archiver/vellum\)"
                     r"  \(built-in\)$", text, re.MULTILINE)


def test_bad_defaults_are_named(archive_dir: Path) -> None:
    write_defaults(archive_dir, delay="soon")
    result = run("config", "-a", "archive")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("vellum.yml: defaults: delay: expected a number of "
                                          "at least 0")
    write_defaults(archive_dir, colour="blue")
    assert "unknown setting 'colour'" in run("add", "https://b.example/p", "-a", "archive").stderr


def test_follow_and_unfollow_keep_the_defaults(server: LocalServer, archive_dir: Path) -> None:
    blog = Blog(server)
    blog.add("a-post", "A post")
    write_defaults(archive_dir, delay=3)
    assert run("follow", blog.url("/feed.xml"), "-a", "archive", "--name", "b").exit_code == 0
    data = yaml.safe_load((archive_dir / "vellum.yml").read_text(encoding="utf-8"))
    assert data["defaults"] == {"delay": 3}
    assert [s["name"] for s in data["sources"]] == ["b"]
    assert run("unfollow", "b", "-a", "archive").exit_code == 0
    data = yaml.safe_load((archive_dir / "vellum.yml").read_text(encoding="utf-8"))
    assert data == {"defaults": {"delay": 3}, "sources": []}


# -- help and completion ---------------------------------------------------------------------

TYPE_METAVAR = re.compile(r"<(?:bool|str|int|float|path|text|list\[[^\]]*\])>|\{[a-z_]+\}")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_type_placeholders(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], terminal_width=100)
    assert result.exit_code == 0
    assert TYPE_METAVAR.findall(result.stdout) == []


def test_shell_completion_is_offered() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.stdout
    assert TYPE_METAVAR.findall(result.stdout) == []


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_completion_script_names_vellum() -> None:
    done = subprocess.run([sys.executable, "-m", "vellum", "--show-completion", "bash"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "complete" in done.stdout
