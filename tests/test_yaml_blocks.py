"""vellum.frontmatter: the raw block reader/writer under every profile."""

from __future__ import annotations

import datetime as dt

import pytest

from vellum import frontmatter

NASTY = [
    "Plain title",
    "Colons: everywhere: here",
    "'single' and \"double\" quotes",
    "Line one\nline two",
    "---",
    "before\n---\nafter",
    "# not a comment",
    "@mention & *star* !tag %percent",
    "yes",
    "null",
    "1.0",
    "🎉 emoji 🎉",
    "  leading and trailing spaces  ",
    "x" * 500,
]


@pytest.mark.parametrize("title", NASTY)
@pytest.mark.parametrize("sort_keys", [False, True])
def test_round_trip(title: str, sort_keys: bool) -> None:
    data = {"title": title, "date": dt.datetime(2024, 5, 17, 9, 30, tzinfo=dt.timezone.utc),
            "tags": ["a: b", "- c"], "day": dt.date(2024, 5, 17)}
    text = frontmatter.join(data, "Body line.\n", sort_keys=sort_keys)
    assert frontmatter.split(text) == (data, "Body line.\n")


def test_split_without_front_matter() -> None:
    assert frontmatter.split("Just text\n---\n") == (None, "Just text\n---\n")


def test_split_rejects_non_mapping_and_broken_yaml() -> None:
    assert frontmatter.split("---\n- a\n---\nbody")[0] is None
    assert frontmatter.split("---\ntitle: [unclosed\n---\nbody")[0] is None


def test_split_accepts_bom_and_empty_block() -> None:
    assert frontmatter.split("\ufeff---\n---\nbody") == ({}, "body")


def test_dump_is_safe_for_unsafe_values() -> None:
    class Evil:
        pass

    with pytest.raises(Exception, match="cannot represent"):
        frontmatter.dump({"x": Evil()})


def test_content_hash_ignores_archived_at_only() -> None:
    base = {"title": "T", "archived_at": dt.datetime(2024, 1, 1)}
    a = frontmatter.join(base, "Body")
    b = frontmatter.join({**base, "archived_at": dt.datetime(2025, 1, 1)}, "Body  \n")
    assert frontmatter.content_hash(a) == frontmatter.content_hash(b)
    assert frontmatter.content_hash(a) != frontmatter.content_hash(
        frontmatter.join({**base, "title": "U"}, "Body"))
    assert frontmatter.content_hash(a) != frontmatter.content_hash(frontmatter.join(base, "Other"))
