"""Front matter profiles: keys, order, value formats, and YAML round trips."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml

from vellum import frontmatter
from vellum.convert import PROFILES, front_matter, render
from vellum.convert.text import one_line
from vellum.errors import InputError
from vellum.models import PROFILES as PROFILE_NAMES
from vellum.models import Article

CEST = dt.timezone(dt.timedelta(hours=2))
ARCHIVED = dt.datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=dt.timezone.utc)


def article(**changes: object) -> Article:
    values: dict[str, object] = {
        "body_html": "<h1>Notes on Tide Pools</h1><p>Low tide at <b>six</b>.</p>",
        "title": "Notes on Tide Pools",
        "url": "https://shore.example/2023/08/tide-pools.html",
        "final_url": "https://shore.example/2023/08/tide-pools.html",
        "authors": ("Mara Quill", "J. Otter"),
        "published": dt.datetime(2023, 8, 14, 21, 30, 0, tzinfo=CEST),
        "updated": dt.datetime(2023, 9, 1, 8, 0, 0, tzinfo=CEST),
        "description": "What lives between the rocks.",
        "tags": ("ocean", "field notes"),
        "categories": ("Nature",),
        "site_name": "Shoreline Journal",
        "site_url": "https://shore.example/",
        "site_description": "Notes from the coast",
        "language": "en",
        "image": "/img/pool.jpg",
    }
    values.update(changes)
    return Article(**values)  # type: ignore[arg-type]


def test_profile_names_match_models() -> None:
    assert tuple(PROFILES) == PROFILE_NAMES


def test_unknown_profile() -> None:
    with pytest.raises(InputError, match=r"hugo.*default, mkdocs, jekyll"):
        front_matter(article(), "hugo")
    with pytest.raises(InputError):
        render(article(), "hugo")


def test_default_profile() -> None:
    doc = render(article(), archived_at=ARCHIVED, slug="tide-pools")
    assert doc.text == (
        "---\n"
        "title: Notes on Tide Pools\n"
        "date: 2023-08-14 21:30:00+02:00\n"
        "updated: 2023-09-01 08:00:00+02:00\n"
        "authors:\n- Mara Quill\n- J. Otter\n"
        "categories:\n- Nature\n"
        "tags:\n- ocean\n- field notes\n"
        "description: What lives between the rocks.\n"
        "original_url: https://shore.example/2023/08/tide-pools.html\n"
        "slug: tide-pools\n"
        "blog_title: Shoreline Journal\n"
        "blog_url: https://shore.example/\n"
        "image: https://shore.example/img/pool.jpg\n"
        "language: en\n"
        "archived_at: 2025-03-04 05:06:07+00:00\n"
        "---\n\n"
        "Low tide at **six**.\n"
    )
    assert doc.profile == "default"
    assert doc.body == "Low tide at **six**.\n"


def test_default_profile_leaves_out_empty_keys() -> None:
    bare = Article(body_html="<p>x</p>", url="https://a.example/p")
    assert front_matter(bare) == {"original_url": "https://a.example/p", "slug": "p"}


def test_default_profile_naive_datetime_and_date() -> None:
    fm = front_matter(article(published=dt.datetime(2020, 1, 2, 3, 4, 5),
                              updated=dt.date(2020, 2, 3)))
    text = frontmatter.dump(fm)
    assert "date: 2020-01-02 03:04:05\n" in text
    assert "updated: 2020-02-03\n" in text
    assert frontmatter.split(text + "\n")[0] == fm


def test_updated_equal_to_published_left_out() -> None:
    when = dt.datetime(2021, 5, 5, 12, 0, tzinfo=dt.timezone.utc)
    assert "updated" not in front_matter(article(published=when, updated=when))


def test_mkdocs_profile() -> None:
    doc = render(article(), "mkdocs", archived_at=ARCHIVED)
    assert doc.text == (
        "---\n"
        "date: 2023-08-14\n"
        "authors:\n- Mara Quill\n- J. Otter\n"
        "categories:\n- Nature\n"
        "title: Notes on Tide Pools\n"
        "description: What lives between the rocks.\n"
        "---\n\n"
        "Low tide at **six**.\n"
    )
    assert list(doc.front_matter) == ["date", "authors", "categories", "title", "description"]
    assert doc.front_matter["date"] == dt.date(2023, 8, 14)


def test_jekyll_profile() -> None:
    doc = render(article(), "jekyll", archived_at=ARCHIVED, slug="tide-pools")
    assert doc.text == (
        "---\n"
        "author: Mara Quill\n"
        "author_tag: mara-quill\n"
        "blog_subtitle: Notes from the coast\n"
        "blog_title: Shoreline Journal\n"
        "blog_url: https://shore.example/\n"
        "category: Nature\n"
        "date: 2023-08-14 21:30:00 +0200\n"
        "layout: post\n"
        "original_url: https://shore.example/2023/08/tide-pools.html\n"
        "slug: tide-pools\n"
        "title: Notes on Tide Pools\n"
        "---\n\n"
        "Low tide at **six**.\n"
    )


def test_jekyll_without_author_uses_site_and_keeps_layout() -> None:
    fm = front_matter(article(authors=(), categories=(), site_name="Shoreline Journal",
                              site_url="", site_description="",
                              published=dt.date(2022, 2, 2)), "jekyll")
    assert fm["author"] == "Shoreline Journal"
    assert fm["author_tag"] == "shoreline-journal"
    assert "category" not in fm  # no categories and no followed source: no category at all
    assert fm["date"] == "2022-02-02 00:00:00"
    assert fm["layout"] == "post"
    assert "blog_url" not in fm
    assert "blog_subtitle" not in fm


def test_title_heading_dropped_only_when_equal() -> None:
    same = render(article(body_html="<header><h1>Notes on  tide pools!</h1></header><p>x</p>"))
    assert same.body == "x\n"
    other = render(article(body_html="<h2>Background</h2><p>x</p>"))
    assert other.body == "## Background\n\nx\n"
    later = render(article(body_html="<p>Intro</p><h1>Notes on Tide Pools</h1>"))
    assert later.body == "Intro\n\n# Notes on Tide Pools\n"


NASTY_TITLES = [
    "Colons: a guide: part 2",
    "'single' and \"double\" quotes",
    "Line\nbreaks\r\nand\ttabs",
    "---",
    "--- front matter inside ---",
    "...",
    "# not a comment",
    "Hash # in the middle",
    "@mention first",
    "*star first",
    "&anchor first",
    "!tag first",
    "%percent",
    "`backtick`",
    "| pipe",
    "> folded",
    "- dash item",
    "? question",
    "{braces: 1}",
    "[list, of, things]",
    "yes", "no", "null", "~", "true", "Off", "1.0", "0x1F", "1e3", "2024-01-02",
    "12:30", "0o17", ".inf", "-.nan", "=",
    "Emoji 🚀✨ and ümlauts and 中文",
    "RTL עברית text",
    "\u2028line separator\u2029para",
    "Zero\u200bwidth and soft\u00adhyphen",
    "Control\x00\x07chars\x1b",
    "trailing space ",
    "  leading space",
    "\\backslash\\",
    "very long " * 3000,
]


def _assert_round_trip(title: str) -> None:
    for name in PROFILES:
        doc = render(article(title=title), name, archived_at=ARCHIVED)
        data, body = frontmatter.split(doc.text)
        assert data == doc.front_matter, (name, title)
        assert body == doc.body
        assert data.get("title", "") == one_line(title)


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_nasty_titles_round_trip(title: str) -> None:
    _assert_round_trip(title)


def test_title_value_is_the_title_tidied() -> None:
    fm = front_matter(article(title="  Line\nbreaks\tand  spaces  "))
    assert fm["title"] == "Line breaks and spaces"
    assert front_matter(article(title="yes"))["title"] == "yes"
    assert yaml.safe_load(frontmatter.dump({"t": "1.0"}).strip("-\n")) == {"t": "1.0"}


ALPHABET = (":#'\"-?*&!|>%@`{}[],~\\ \n\t\u2028\u0085\ufeffaZ9é🚀\x00\x1b" + "yes no null ")


@pytest.mark.parametrize("seed", range(40))
def test_random_titles_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    title = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 60)))
    _assert_round_trip(title)


def _python_dump(data: dict[str, object], sort_keys: bool = False) -> str:
    text = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=sort_keys, allow_unicode=True,
                     default_flow_style=False, width=10_000)
    return f"---\n{text}---\n"


# Values where libyaml's emitter writes other bytes than the Python one (the dump must
# fall back to the Python emitter for them) and values where both agree.
UNEQUAL_VALUES = ["Emoji 🚀 title", "line\u2028separator", "next\x85line", "\ufeffBOM",
                  "carriage\rreturn", "bell\x07", "long " * 1000 + "\n" * 2000]
PLAIN_VALUES = ["Notes on Tide Pools", "yes", "1.0", "'quoted' \"too\"", "a: b # c",
                "- dash", "ümlauts 中文", "tab\tand\nnewline", " padded ", ""]


@pytest.mark.parametrize("value", UNEQUAL_VALUES + PLAIN_VALUES)
def test_dump_writes_what_the_python_emitter_writes(value: str) -> None:
    data: dict[str, object] = {"title": value, "tags": [value, "x"], "published": ARCHIVED,
                               "nested": {"key": value, "n": 3}}
    for sort_keys in (False, True):
        assert frontmatter.dump(data, sort_keys=sort_keys) == _python_dump(data, sort_keys)
    unusual_key = {value or "k": 1, "ü key": 2, "k" * 130: 3}
    assert frontmatter.dump(unusual_key) == _python_dump(unusual_key)


def test_dump_takes_libyaml_only_for_data_it_writes_alike() -> None:
    assert frontmatter._c_equal({"title": "Tide", "tags": ["a"], "n": 1, "d": ARCHIVED})
    assert not frontmatter._c_equal({"title": "Emoji 🚀"})
    assert not frontmatter._c_equal({"": 1})
    assert not frontmatter._c_equal({"tags": ["ok", "\u2028"]})
    assert not frontmatter._c_equal({"raw": b"bytes"})
