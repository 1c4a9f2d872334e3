"""The source list archive/vellum.yml: read, written and edited by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from vellum.errors import InputError
from vellum.store.config import (
    Source,
    load_sources,
    make_source,
    save_sources,
    select,
    with_source,
    without_source,
)

ADA = Source("ada", "https://ada.example.com/feed.xml", "https://ada.example.com/", "ada",
             "jekyll", ("Python", "sql"))
BOB = Source("bob", "https://bob.example.org/atom.xml")


def test_sources_round_trip_through_a_commented_yaml_file(tmp_path: Path) -> None:
    save_sources(tmp_path, [ADA, BOB])
    text = (tmp_path / "vellum.yml").read_text(encoding="utf-8")
    assert text.startswith("# Sources followed by `vellum refresh`")
    assert yaml.safe_load(text) == {"sources": [
        {"name": "ada", "feed": "https://ada.example.com/feed.xml",
         "url": "https://ada.example.com/", "tag": "ada", "profile": "jekyll",
         "category": ["Python", "sql"]},
        {"name": "bob", "feed": "https://bob.example.org/atom.xml"},
    ]}
    assert load_sources(tmp_path) == [ADA, BOB]
    assert not [p for p in tmp_path.iterdir() if p.name != "vellum.yml"]  # no temp files left


def test_a_hand_written_list_is_read(tmp_path: Path) -> None:
    (tmp_path / "vellum.yml").write_text(
        "- name: carol\n  feed: https://carol.example.net/rss\n  category: notes\n"
        "  tag: 42\n", encoding="utf-8")
    assert load_sources(tmp_path) == [
        Source("carol", "https://carol.example.net/rss", tag="42", category=("notes",))]


def test_no_file_means_no_sources(tmp_path: Path) -> None:
    assert load_sources(tmp_path) == []
    (tmp_path / "vellum.yml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_sources(tmp_path) == []


@pytest.mark.parametrize(("text", "message"), [
    ("sources: [\n", "not valid YAML"),
    ("sources: {a: 1}\n", "expected a list of sources"),
    ("- name: x\n", "source 1: 'name' and 'feed' are required"),
    ("- {name: x, feed: 'https://x.example/f', categroy: a}\n", "unknown key 'categroy'"),
    ("- {name: x, feed: 'ftp://x.example/f'}\n", "unsupported scheme"),
    ("- {name: x, feed: 'https://x.example/f', profile: hugo}\n", "unknown profile 'hugo'"),
    ("- {name: x, feed: 'https://x.example/f'}\n- {name: x, feed: 'https://y.example/f'}\n",
     "two sources have the same name 'x'"),
    ("- {name: x, feed: 'https://x.example/f'}\n- {name: y, feed: 'http://www.x.example/f/'}\n",
     "two sources have the same feed"),
    ("- {name: [a, b], feed: 'https://x.example/f'}\n", "'name' must be a single value"),
])
def test_mistakes_in_the_file_are_reported_clearly(tmp_path: Path, text: str,
                                                    message: str) -> None:
    (tmp_path / "vellum.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        load_sources(tmp_path)
    assert "vellum.yml" in str(err.value)


def test_make_source_checks_the_feed_and_names_it_after_the_site() -> None:
    source = make_source("https://www.ada.example.com/feed.xml", url="https://www.ada.example.com/")
    assert source.name == "ada.example.com"
    with pytest.raises(InputError, match="only http and https"):
        make_source("javascript:alert(1)")


def test_following_the_same_feed_again_replaces_it_in_place() -> None:
    sources, replaced = with_source([ADA, BOB], Source("ada2", "http://ada.example.com/feed.xml/"))
    assert replaced
    assert [s.name for s in sources] == ["ada2", "bob"]
    sources, replaced = with_source([ADA], BOB)
    assert not replaced
    assert sources == [ADA, BOB]
    with pytest.raises(InputError, match="already has this name"):
        with_source([ADA], Source("ada", "https://other.example/feed"))


def test_unfollow_by_name_feed_or_site() -> None:
    for which in ("ada", "https://ada.example.com/feed.xml", "http://ada.example.com"):
        rest, removed = without_source([ADA, BOB], which)
        assert removed == ADA
        assert rest == [BOB]
    with pytest.raises(InputError, match="not a followed source"):
        without_source([ADA, BOB], "carol")


def test_select_and_category_filter() -> None:
    assert select([ADA, BOB], []) == [ADA, BOB]
    assert select([ADA, BOB], ["bob"]) == [BOB]
    with pytest.raises(InputError, match="nobody"):
        select([ADA, BOB], ["nobody"])
    assert ADA.wants(["python", "Other"])
    assert not ADA.wants(["Rust"])
    assert not ADA.wants([])
    assert BOB.wants([])
