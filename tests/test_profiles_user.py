"""Profiles as data: user profiles in vellum.yml, path templates, Jekyll and Obsidian shapes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from vellum import frontmatter
from vellum.cli import app
from vellum.convert import PROFILES, render
from vellum.convert.fields import Context
from vellum.convert.profiles import BUILTIN_SPECS, file_name, parse_profiles
from vellum.errors import InputError
from vellum.models import Article

from .refresh_site import Blog
from .server import LocalServer
from .sites import wordpress_post

CEST = dt.timezone(dt.timedelta(hours=2))
POST = Article(
    body_html="<p>Low tide at <b>six</b>.</p>", title="Notes on Tide Pools",
    url="https://shore.example/2023/08/tide-pools.html", authors=("Mara Quill",),
    published=dt.datetime(2023, 8, 4, 21, 30, 0, tzinfo=CEST), tags=("ocean",),
    categories=("Nature", "Field notes"), site_name="Shoreline Journal",
    description="What lives between the rocks.",
)
OBSIDIAN = {
    "path": "clippings/{yyyy}/{slug}.md",
    "date_format": "%Y-%m-%d",
    "fields": {
        "title": "title", "created": "published", "tags": "keywords", "source": "url",
        "author": "authors", "type": {"value": "clipping"},
        "saved": {"field": "archived_at", "format": "iso"},
    },
}
AGGREGATOR = {"extends": "jekyll", "path": "_posts/{author_tag}/{yyyy}-{m}-{d}-{feed_id}.md"}


def one(name: str, spec: dict[str, object]) -> object:
    return parse_profiles({name: spec}, "vellum.yml")[name]


def test_obsidian_properties_are_expressible() -> None:
    profile = one("obsidian", OBSIDIAN)
    archived = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    doc = render(POST, profile, archived_at=archived, slug="tide-pools")  # type: ignore[arg-type]
    assert doc.text.split("---\n")[1] == (
        "title: Notes on Tide Pools\n"
        "created: '2023-08-04'\n"
        "tags:\n- Nature\n- Field notes\n- ocean\n"
        "source: https://shore.example/2023/08/tide-pools.html\n"
        "author:\n- Mara Quill\n"
        "type: clipping\n"
        "saved: '2025-01-02T03:04:05+00:00'\n"
    )
    assert doc.path == "clippings/2023/tide-pools.md"
    assert doc.profile == "obsidian"


def test_builtins_are_entries_of_the_same_mechanism() -> None:
    again = parse_profiles(BUILTIN_SPECS, "built-ins")
    assert again == PROFILES
    sorted_default = one("sorted", {"extends": "default", "sort_keys": True})
    text = render(POST, sorted_default).text  # type: ignore[arg-type]
    keys = list(frontmatter.split(text)[0] or {})
    assert keys == sorted(keys)


def test_jekyll_file_name_and_date_as_jekyll_reads_them() -> None:
    doc = render(POST, "jekyll", slug="tide-pools")
    assert doc.path == "_posts/2023-08-04-tide-pools.md"
    data = frontmatter.split(doc.text)[0] or {}
    assert data["date"] == "2023-08-04 21:30:00 +0200"
    assert data["category"] == "Nature"  # not followed: the first category
    followed = render(POST, "jekyll", slug="tide-pools", source_tag="shore")
    assert (frontmatter.split(followed.text)[0] or {})["category"] == "shore"
    undated = render(Article(body_html="<p>x</p>", title="Undated", url="https://a.example/u"),
                     "jekyll", archived_at=dt.datetime(2025, 6, 7, tzinfo=dt.timezone.utc))
    assert undated.path == "_posts/2025-06-07-undated.md"  # Jekyll needs a date in the name


def test_the_seed_aggregator_layout_is_a_template() -> None:
    profile = one("planet", AGGREGATOR)
    post = Article(body_html="<p>x</p>", title="Lessons learned", authors=("Glenn",),
                   url="https://blog.example.com/2025/07/lessons.html",
                   published=dt.datetime(2025, 7, 11, 5, 26, tzinfo=dt.timezone.utc))
    context = Context(post, source_tag="glennklockwood",
                      feed_id="tag:blogger.com,1999:blog-12345.post-8838434385329426342")
    assert file_name(profile, context, "blog.example.com", "lessons-learned") == (  # type: ignore[arg-type]
        "_posts/glennklockwood/2025-7-11-post-8838434385329426342.md")


@pytest.mark.parametrize("template", [
    "../{slug}.md", "/etc/{slug}.md", "notes/../../{slug}.md", "{slug}.txt", ".git/{slug}.md",
    "notes\\{slug}.md", "{slug!r}.md", "{slug:>40}.md", "{nope}/{slug}.md", "{host}.md",
    "notes//{slug}.md", "{slug}/.md", 42,
])
def test_templates_that_could_escape_or_misname_are_refused(template: object) -> None:
    with pytest.raises(InputError, match="'path'"):
        one("bad", {"path": template, "fields": {"title": "title"}})


def test_hostile_values_stay_one_file_name() -> None:
    profile = one("p", {"path": "{source_tag}/{category}/{feed_id}-{slug}.md",
                        "fields": {"title": "title"}})
    post = Article(body_html="<p>x</p>", title="x", categories=("../../etc",))
    context = Context(post, source_tag="../..", feed_id="/../../passwd")
    assert file_name(profile, context, "h", "x") == "etc/passwd-x.md"  # type: ignore[arg-type]


@pytest.mark.parametrize(("spec", "message"), [
    ({"fields": {"t": "nope"}}, "unknown vellum field 'nope'"),
    ({"fields": {"t": {"field": "title", "colour": 1}}}, "unknown setting 'colour'"),
    ({"fields": {}}, "'fields' must map"),
    ({"fields": {"t": "title"}, "date_format": "DD/MM"}, "date format 'DD/MM'"),
    ({"extends": "hugo"}, "extends an unknown profile 'hugo'"),
    ({"fields": {"t": "title"}, "sort_keys": "yes"}, "'sort_keys' must be true or false"),
    ({"fields": {"t": "title"}, "layout": "post"}, "unknown setting 'layout'"),
])
def test_bad_profiles_say_what_is_wrong(spec: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        one("mine", spec)


# -- end to end ---------------------------------------------------------------------------------

FAST = ["--delay", "0.01", "--workers", "0"]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def test_user_profiles_from_vellum_yml_end_to_end(server: LocalServer, tmp_path: Path) -> None:
    archive, a = tmp_path / "archive", str(tmp_path / "archive")
    archive.mkdir()
    (archive / "vellum.yml").write_text(yaml.safe_dump(
        {"profiles": {"obsidian": OBSIDIAN, "planet": AGGREGATOR}}), encoding="utf-8")
    blog = Blog(server)
    blog.add("first-post", "Tuning SQLite for write-heavy workloads")
    ok(run("follow", blog.feed_url, "-a", a, "--name", "eng", "--tag", "ada",
           "--profile", "planet"))
    settings = yaml.safe_load((archive / "vellum.yml").read_text(encoding="utf-8"))
    assert settings["profiles"]["obsidian"] == OBSIDIAN  # follow kept the profiles
    assert settings["sources"][0]["profile"] == "planet"
    ok(run("refresh", "-a", a, *FAST))
    planet = archive / "_posts" / "ada" / "2024-5-17-post-first-post.md"
    data = frontmatter.split(planet.read_text(encoding="utf-8"))[0] or {}
    assert (data["category"], data["author_tag"], data["layout"]) == ("ada", "ada", "post")
    assert data["date"] == "2024-05-17 09:30:00 +0000"

    url = server.page("/clip/", wordpress_post("Clipped for later"))
    added = ok(run("add", url, "-a", a, "--profile", "obsidian"))
    assert added.stdout.strip().endswith("clippings/2024/clipped-for-later.md")
    clip = archive / "clippings" / "2024" / "clipped-for-later.md"
    data = frontmatter.split(clip.read_text(encoding="utf-8"))[0] or {}
    assert (data["created"], data["type"], data["source"]) == ("2024-05-17", "clipping", url)

    before = {p: p.read_bytes() for p in archive.rglob("*.md") if ".vellum" not in p.parts}
    rebuilt = ok(run("rebuild", "-a", a))
    assert {line.split()[0] for line in rebuilt.stdout.splitlines()} == {"unchanged"}
    assert {p: p.read_bytes() for p in before} == before

    unknown = run("add", url, "-a", a, "--profile", "hugo")
    assert unknown.exit_code == 2
    assert unknown.stderr == ("vellum: unknown profile 'hugo' (choose from default, mkdocs, "
                              "jekyll, obsidian, planet)\n")


def test_a_bad_profile_in_vellum_yml_is_one_line(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "vellum.yml").write_text(
        "profiles:\n  evil:\n    path: ../../{slug}.md\n    fields: {title: title}\n",
        encoding="utf-8")
    result = run("add", "https://example.com/p", "-a", str(archive), "--profile", "evil")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"vellum: {archive / 'vellum.yml'}: profile 'evil': ")
    assert "'path' must stay inside the archive" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_the_readme_example_profiles_are_valid() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\nprofiles:\n", 1)[1].split("```", 1)[0]
    profiles = parse_profiles(yaml.safe_load("profiles:\n" + block)["profiles"], "README")
    assert sorted(profiles) == ["obsidian", "planet", "sorted-default"]
    assert profiles["planet"].sort_keys
    assert profiles["obsidian"].path == "clippings/{yyyy}/{slug}.md"


def test_material_author_ids() -> None:
    profile = one("material", {"extends": "mkdocs", "fields": {"authors": "author_ids"}})
    data = frontmatter.split(render(POST, profile).text)[0] or {}  # type: ignore[arg-type]
    assert data["authors"] == ["mara-quill"]
    assert list(data) == ["date", "authors", "categories", "title", "description"]
