"""End to end: `--assets` (offline images) on add, import, refresh, rebuild and remove,
against a real server on 127.0.0.1; plus the Markdown relinking and byte sniffing."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import httpcore
import pytest
from typer.testing import CliRunner

from vellum.cli import app
from vellum.convert.imagelinks import image_urls, relink
from vellum.fetch.images import sniff

from .server import LocalServer, Request, Response
from .sites import wordpress_post

runner = CliRunner()
FAST = ("--delay", "0", "--retries", "0")


def png(seed: int, size: int = 0) -> bytes:
    """A real (tiny) PNG, different per ``seed``; ``size`` pads it with a text chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixel = zlib.compress(bytes([0, seed % 256, 0, 0]))
    pad = chunk(b"tEXt", b"c\x00" + b"x" * size) if size else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + pad + chunk(b"IDAT", pixel)
            + chunk(b"IEND", b""))


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">' \
      b'<rect width="4" height="4"/></svg>'


def figure(src: str, alt: str) -> str:
    return (f'<figure class="wp-block-image size-large"><img decoding="async" src="{src}" '
            f'alt="{alt}"/></figure>')


def post_body(*images: tuple[str, str]) -> str:
    text = ("<p>A post with pictures: every figure below is part of the article, and the text "
            "around them is long enough to count as the article body for the extractor.</p>")
    return text + "".join(figure(src, alt) for src, alt in images) + \
        "<p>That is the end of the pictures, and of the post.</p>"


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]  # noqa: A002
    return runner.invoke(app, list(args), input=input)


def imports(server: LocalServer, archive: Path, tmp_path: Path, *paths: str,
            extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(server.url(p) for p in paths) + "\n", encoding="utf-8")
    return run("import", str(listing), "-a", str(archive), *FAST, "--assets", *extra)


def body_of(archive: Path, pattern: str) -> tuple[Path, str]:
    [path] = [p for p in archive.glob(pattern) if ".vellum" not in p.parts]
    return path, path.read_text(encoding="utf-8")


def local_links(text: str) -> list[str]:
    return [u for u in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) if "://" not in u]


@pytest.fixture
def gallery(server: LocalServer) -> LocalServer:
    server.route("/img/ok.png", Response(body=png(1), content_type="image/png"))
    server.route("/img/logo.svg", Response(body=SVG, content_type="image/svg+xml"))
    server.route("/img/huge.png", Response(body=png(2, 300_000), content_type="image/png"))
    server.route("/img/page.png", Response(body="<html><body>Not an image</body></html>",
                                           content_type="text/html"))
    server.route("/img/liar.png", Response(body="<!doctype html><p>oops</p>",
                                           content_type="image/png"))
    server.page("/2024/05/pictures/", wordpress_post("Pictures of the garden", body=post_body(
        ("/img/ok.png", "ok"), ("/img/logo.svg", "logo"), ("/img/missing.png", "gone"),
        ("/img/huge.png", "huge"), ("/img/page.png", "page"), ("/img/liar.png", "liar"))))
    return server


def test_import_assets_saves_images_and_keeps_failures_remote(
        gallery: LocalServer, archive_dir: Path, tmp_path: Path) -> None:
    result = imports(gallery, archive_dir, tmp_path, "/2024/05/pictures/",
                     extra=("--max-image-bytes", "100000"))
    assert result.exit_code == 0, result.stderr  # failed images never fail the post
    path, text = body_of(archive_dir, "127.0.0.1/2024/*.md")
    links = local_links(text)
    assert len(links) == 2
    for link in links:  # relative links that resolve from the post's folder
        assert link.startswith("../../assets/")
        assert (path.parent / link).resolve().is_file()
    assert any(link.endswith(".svg") for link in links)
    assert "<svg" not in text  # an SVG is linked as a file, never inlined
    for remote in ("missing.png", "huge.png", "page.png", "liar.png"):
        assert f"{gallery.url('/img/' + remote)})" in text
    stderr = result.stderr
    assert "HTTP 404" in stderr
    assert "larger than 100,000 bytes" in stderr
    assert "not an image (content type text/html)" in stderr
    assert "the bytes are no image" in stderr
    [image_map] = (archive_dir / ".vellum" / "images").rglob("*.json")
    recorded = json.loads(image_map.read_text(encoding="utf-8"))["images"]
    assert {i["url"] for i in recorded} == {gallery.url("/img/ok.png"),
                                            gallery.url("/img/logo.svg")}
    assert {i["media_type"] for i in recorded} == {"image/png", "image/svg+xml"}


def test_add_assets_json_reports_warnings(gallery: LocalServer, archive_dir: Path) -> None:
    result = run("add", gallery.url("/2024/05/pictures/"), "-a", str(archive_dir), "--assets",
                 "--json")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["status"] == "written"
    assert len(record["warnings"]) == 3
    assert any("HTTP 404" in w for w in record["warnings"])


def test_per_post_cap_stops_saving(gallery: LocalServer, archive_dir: Path,
                                   tmp_path: Path) -> None:
    result = imports(gallery, archive_dir, tmp_path, "/2024/05/pictures/",
                     extra=("--max-post-image-bytes", str(len(png(1)) + 10)))
    assert result.exit_code == 0, result.stderr
    assert "per-post cap" in result.stderr
    _, text = body_of(archive_dir, "127.0.0.1/2024/*.md")
    assert len(local_links(text)) == 1


def test_same_image_on_two_posts_is_stored_once_and_removed_last(
        server: LocalServer, archive_dir: Path, tmp_path: Path) -> None:
    server.route("/img/shared.png", Response(body=png(7), content_type="image/png"))
    server.route("/img/copy.png", Response(body=png(7), content_type="image/png"))
    server.page("/a/", wordpress_post("First post with the picture",
                                      body=post_body(("/img/shared.png", "x"))))
    server.page("/b/", wordpress_post("Second post with the picture",
                                      body=post_body(("/img/copy.png", "y"))))
    assert imports(server, archive_dir, tmp_path, "/a/", "/b/").exit_code == 0
    blobs = list((archive_dir / "assets").rglob("*.png"))
    assert len(blobs) == 1  # the same bytes under two URLs: one file
    first = next(archive_dir.glob("127.0.0.1/*/*first*.md"))
    removed = run("remove", str(first), "--yes", "-a", str(archive_dir), "--json")
    assert json.loads(removed.stdout)["assets"] == []  # still shown by the other post
    assert blobs[0].exists()
    second = next(archive_dir.glob("127.0.0.1/*/*second*.md"))
    removed = run("remove", str(second), "--yes", "-a", str(archive_dir), "--json")
    assert len(json.loads(removed.stdout)["assets"]) == 1
    assert not blobs[0].exists()
    assert not list((archive_dir / ".vellum" / "images").rglob("*.json"))


def test_refresh_fetches_only_new_images(server: LocalServer, archive_dir: Path,
                                         tmp_path: Path) -> None:
    server.route("/img/one.png", Response(body=png(1), content_type="image/png"))
    server.route("/img/two.png", Response(body=png(2), content_type="image/png"))
    server.route("/img/three.png", Response(body=png(3), content_type="image/png"))
    server.page("/post/", wordpress_post("A post whose pictures change", body=post_body(
        ("/img/one.png", "1"), ("/img/two.png", "2"))))
    assert imports(server, archive_dir, tmp_path, "/post/").exit_code == 0
    server.page("/post/", wordpress_post("A post whose pictures change", body=post_body(
        ("/img/one.png", "1"), ("/img/three.png", "3"))))
    result = run("refresh", "-a", str(archive_dir), "--delay", "0", "--workers", "0", "-v")
    assert result.exit_code == 0, result.stderr
    assert [len(server.requests_for(f"/img/{n}.png")) for n in ("one", "two", "three")] == \
        [1, 1, 1]
    path, text = body_of(archive_dir, "127.0.0.1/*/*.md")
    assert len(local_links(text)) == 2
    assert all((path.parent / link).is_file() for link in local_links(text))
    again = run("refresh", "-a", str(archive_dir), "--delay", "0", "--workers", "0", "-v")
    assert "unchanged" in again.stderr + again.stdout
    assert len(server.requests_for("/img/three.png")) == 1
    # two.png is no longer shown by any post: reported, then pruned
    report = json.loads(run("reindex", "-a", str(archive_dir), "--json").stdout)
    [orphan] = report["orphans"]
    assert orphan.startswith("assets/")
    run("reindex", "--prune", "-a", str(archive_dir))
    assert not (archive_dir / orphan).exists()


def test_rebuild_works_offline_and_no_assets_restores_remote_links(
        gallery: LocalServer, archive_dir: Path, tmp_path: Path) -> None:
    assert imports(gallery, archive_dir, tmp_path, "/2024/05/pictures/").exit_code == 0
    path, before = body_of(archive_dir, "127.0.0.1/2024/*.md")
    gallery.routes.clear()  # offline: nothing answers any more
    served = len(gallery.log)
    rebuilt = run("rebuild", "-a", str(archive_dir))
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert path.read_text(encoding="utf-8") == before
    assert len(gallery.log) == served
    remote = run("rebuild", "--no-assets", "-a", str(archive_dir))
    assert remote.exit_code == 0, remote.stderr
    after = path.read_text(encoding="utf-8")
    assert local_links(after) == []
    assert gallery.url("/img/ok.png") in after
    assert not list((archive_dir / ".vellum" / "images").rglob("*.json"))


def test_robots_disallowed_image_stays_remote(server: LocalServer, archive_dir: Path,
                                              tmp_path: Path) -> None:
    server.route("/robots.txt", Response(body="User-agent: *\nDisallow: /private/\n",
                                         content_type="text/plain"))
    server.route("/private/x.png", Response(body=png(5), content_type="image/png"))
    server.page("/p/", wordpress_post("A post with a private picture",
                                      body=post_body(("/private/x.png", "x"))))
    result = imports(server, archive_dir, tmp_path, "/p/")
    assert result.exit_code == 0, result.stderr
    assert "blocked by robots.txt" in result.stderr
    assert not server.requests_for("/private/x.png")


# -- units ----------------------------------------------------------------------------------


def test_relink_changes_images_only_outside_code() -> None:
    markdown = ("![a](https://x.test/a.png \"A\")\n\n[![b](https://x.test/b.png)](https://x.test/b)"
                "\n\n```md\n![a](https://x.test/a.png)\n```\n\n[a](https://x.test/a.png)\n")
    assert image_urls(markdown) == ["https://x.test/a.png", "https://x.test/b.png"]
    out = relink(markdown, {"https://x.test/a.png": "../assets/a.png",
                            "https://x.test/b.png": "../assets/b.png"})
    assert out.startswith('![a](../assets/a.png "A")')
    assert "[![b](../assets/b.png)](https://x.test/b)" in out
    assert "```md\n![a](https://x.test/a.png)\n```" in out
    assert "[a](https://x.test/a.png)" in out


def test_sniff_knows_images_and_refuses_html() -> None:
    assert sniff(png(1)) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(SVG) == "image/svg+xml"
    assert sniff(b"<!DOCTYPE html><html>") is None


def test_source_with_assets_true_saves_images_of_new_posts(server: LocalServer,
                                                            archive_dir: Path) -> None:
    from .refresh_site import Blog

    server.route("/img/feed.png", Response(body=png(9), content_type="image/png"))
    blog = Blog(server)
    blog.add("pictured", "A pictured post from the feed",
             body=post_body((server.url("/img/feed.png"), "pic")))
    followed = run("follow", blog.feed_url, "-a", str(archive_dir), "--name", "pics")
    assert followed.exit_code == 0, followed.output
    config = archive_dir / "vellum.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "name: pics", "name: pics\n  assets: true"), encoding="utf-8")
    assert "assets: true" in run("sources", "-a", str(archive_dir), "--json").stdout.replace(
        '"assets": true', "assets: true")
    result = run("refresh", "-a", str(archive_dir), "--delay", "0", "--workers", "0")
    assert result.exit_code == 0, result.output
    path, text = body_of(archive_dir, "127.0.0.1/*/*pictured*.md")
    [link] = local_links(text)
    assert (path.parent / link).is_file()


def test_links_are_relative_from_the_post_folder() -> None:
    from vellum.store.assets import link

    assert link("blog.example/2024/a.md", "assets/ab/cd.png") == "../../assets/ab/cd.png"
    assert link("blog.example/a.md", "assets/ab/cd.png") == "../assets/ab/cd.png"


# -- with main's settings (vellum.yml defaults) and SSRF policy ----------------------------


def test_vellum_yml_defaults_turn_assets_on_and_a_typed_flag_wins(
        server: LocalServer, archive_dir: Path) -> None:
    server.route("/img/ok.png", Response(body=png(3), content_type="image/png"))
    server.page("/d/", wordpress_post("Defaults say assets",
                                      body=post_body(("/img/ok.png", "ok"))))
    server.page("/e/", wordpress_post("The flag says no", body=post_body(("/img/ok.png", "ok"))))
    (archive_dir / "vellum.yml").write_text(
        "defaults:\n  assets: true\n  max_image_bytes: 100000\nsources: []\n", encoding="utf-8")
    config = json.loads(run("config", "-a", str(archive_dir), "--json").stdout)
    assert config["assets"] == {"value": True, "from": "vellum.yml"}
    assert config["max_image_bytes"] == {"value": 100000, "from": "vellum.yml"}
    assert config["max_post_image_bytes"]["from"] == "built-in"

    assert run("add", server.url("/d/"), "-a", str(archive_dir)).exit_code == 0
    _, text = body_of(archive_dir, "127.0.0.1/*/defaults-say-assets.md")
    assert [link.split("/")[-3] for link in local_links(text)] == ["assets"]

    result = run("add", server.url("/e/"), "-a", str(archive_dir), "--no-assets")
    assert result.exit_code == 0, result.stderr
    _, text = body_of(archive_dir, "127.0.0.1/*/the-flag-says-no.md")
    assert local_links(text) == []
    assert f"({server.url('/img/ok.png')})" in text


def test_bad_assets_default_is_named(archive_dir: Path) -> None:
    (archive_dir / "vellum.yml").write_text("defaults:\n  assets: sometimes\n",
                                            encoding="utf-8")
    result = run("config", "-a", str(archive_dir))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("defaults: assets: expected true or false")


def test_images_of_a_public_page_never_reach_a_private_address(
        server: LocalServer, archive_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An image is a link found in content: a page served from a public address (127.0.0.1
    playing one) may show an image on an intranet name, but vellum never fetches it."""
    from vellum.fetch import netguard

    real_kind = netguard.address_kind
    monkeypatch.setattr(netguard, "address_kind",
                        lambda ip: "public" if ip == "127.0.0.1" else real_kind(ip))
    names = {"blog.test": ["127.0.0.1"], "intranet.blog.test": ["10.0.0.8"]}
    monkeypatch.setattr(netguard, "system_resolve", lambda host, port: names[host])
    connects: list[str] = []
    real_connect = httpcore.AnyIOBackend.connect_tcp

    async def record(self: object, host: str, port: int, *args: object, **kw: object) -> object:
        connects.append(host)
        return await real_connect(self, host, port, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", record)
    inside = f"http://intranet.blog.test:{server.port}/img/secret.png"
    server.route("/img/ok.png", Response(body=png(5), content_type="image/png"))
    server.route("/img/secret.png", Response(body=png(6), content_type="image/png"))
    server.page("/p/", wordpress_post("Public page, private picture", body=post_body(
        ("/img/ok.png", "ok"), (inside, "secret"))), host="blog.test")
    result = run("add", f"http://blog.test:{server.port}/p/", "-a", str(archive_dir),
                 "--assets")
    assert result.exit_code == 0, result.stderr
    assert "10.0.0.8 is a loopback or private address" in result.stderr
    _, text = body_of(archive_dir, "blog.test/*/*.md")
    assert len(local_links(text)) == 1  # the public image is saved
    assert f"({inside})" in text  # the private one keeps its remote link
    assert "10.0.0.8" not in connects
    assert not server.requests_for("/img/secret.png")


def test_a_compressed_image_bomb_stops_at_the_image_cap(server: LocalServer,
                                                        archive_dir: Path) -> None:
    """Images are decoded by the fetch layer's bounded inflater: the per-image cap holds
    for the decompressed bytes, however small the compressed body."""
    bomb = gzip.compress(png(4) + bytes(16_000_000), 9)
    assert len(bomb) < 20_000
    server.route("/img/bomb.png", Response(body=bomb, content_type="image/png",
                                           headers={"Content-Encoding": "gzip"}))
    server.route("/img/small.png", Response(body=gzip.compress(png(8)), content_type="image/png",
                                            headers={"Content-Encoding": "gzip"}))
    server.page("/b/", wordpress_post("A post with a bomb", body=post_body(
        ("/img/bomb.png", "bomb"), ("/img/small.png", "small"))))
    result = run("add", server.url("/b/"), "-a", str(archive_dir), "--assets",
                 "--max-image-bytes", "1000000")
    assert result.exit_code == 0, result.stderr
    assert "once decompressed" in result.stderr
    _, text = body_of(archive_dir, "127.0.0.1/*/*bomb*.md")
    [link] = local_links(text)
    assert link.endswith("-small.png")
    assert f"({server.url('/img/bomb.png')})" in text


def conditional(versions: list[bytes], etag: bool) -> Callable[[Request], Response]:
    """An image that answers validators: ``versions[-1]`` is the current content, its
    ETag (or Last-Modified) changes with it, and a request that names it gets a 304."""
    def answer(request: Request) -> Response:
        body, sent = versions[-1], {k.lower(): v for k, v in request.headers.items()}
        if etag:
            tag = f'"v{len(versions)}"'
            headers = {"ETag": tag}
            current = sent.get("if-none-match") == tag
        else:
            stamp = f"Mon, 0{len(versions)} Dec 2025 10:00:00 GMT"
            headers = {"Last-Modified": stamp}
            current = sent.get("if-modified-since") == stamp
        if current:
            return Response(status=304, body=b"", headers=headers)
        return Response(body=body, content_type="image/png", headers=headers)
    return answer


@pytest.mark.parametrize("etag", [True, False], ids=["etag", "last-modified"])
def test_refresh_refetches_an_image_changed_under_the_same_url(
        server: LocalServer, archive_dir: Path, tmp_path: Path, etag: bool) -> None:
    same, changing = [png(1)], [png(2)]
    server.route("/img/same.png", conditional(same, etag))
    server.route("/img/changing.png", conditional(changing, etag))
    server.page("/post/", wordpress_post("A post whose picture is redrawn", body=post_body(
        ("/img/same.png", "same"), ("/img/changing.png", "changing"))))
    assert imports(server, archive_dir, tmp_path, "/post/").exit_code == 0
    path, before = body_of(archive_dir, "127.0.0.1/*/*.md")
    changing.append(png(3))  # new bytes under the same URL, and a new validator
    result = run("refresh", "-a", str(archive_dir), "--delay", "0", "--workers", "0", "-v")
    assert result.exit_code == 0, result.stderr
    same_hits = server.requests_for("/img/same.png")
    assert len(same_hits) == 2  # asked again, conditionally: a 304, no body sent
    asked = {k.lower(): v for k, v in same_hits[-1].headers.items()}
    # the validator sent is the current one, so the server answered 304
    assert asked.get("if-none-match" if etag else "if-modified-since") == \
        ('"v1"' if etag else "Mon, 01 Dec 2025 10:00:00 GMT")
    assert len(server.requests_for("/img/changing.png")) == 2
    after = path.read_text(encoding="utf-8")
    old_links, new_links = local_links(before), local_links(after)
    assert old_links[0] == new_links[0]
    assert old_links[1] != new_links[1]
    assert (path.parent / new_links[1]).read_bytes() == png(3)
    saved = json.loads(next((archive_dir / ".vellum" / "images").rglob("*.json")).read_text())
    changed = next(i for i in saved["images"] if i["url"].endswith("changing.png"))
    assert changed["etag" if etag else "last_modified"] == \
        ('"v2"' if etag else "Mon, 02 Dec 2025 10:00:00 GMT")
    # the replaced copy is no longer shown by any post: reindex --prune removes it
    run("reindex", "--prune", "-a", str(archive_dir))
    assert not (path.parent / old_links[1]).exists()
    assert (path.parent / new_links[1]).exists()


def test_refresh_rechecks_an_image_without_validators_once_a_week(
        server: LocalServer, archive_dir: Path, tmp_path: Path) -> None:
    versions = [png(1)]
    server.route("/img/plain.png", lambda _: Response(body=versions[-1], content_type="image/png"))
    server.page("/post/", wordpress_post("A post with a plain picture", body=post_body(
        ("/img/plain.png", "plain"))))
    assert imports(server, archive_dir, tmp_path, "/post/").exit_code == 0
    versions.append(png(2))
    refresh = ("refresh", "-a", str(archive_dir), "--delay", "0", "--workers", "0")
    assert run(*refresh).exit_code == 0
    assert len(server.requests_for("/img/plain.png")) == 1  # checked today: trusted
    [saved] = (archive_dir / ".vellum" / "images").rglob("*.json")
    data = json.loads(saved.read_text())
    data["images"][0]["checked"] = "2020-01-01T00:00:00+00:00"
    saved.write_text(json.dumps(data))
    assert run(*refresh).exit_code == 0
    assert len(server.requests_for("/img/plain.png")) == 2
    path, text = body_of(archive_dir, "127.0.0.1/*/*.md")
    [link] = local_links(text)
    assert (path.parent / link).read_bytes() == png(2)
