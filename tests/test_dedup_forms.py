"""Every form of one post is found; two posts of one series never are.

The fixtures in ``dedup_forms/`` are one post ("Taming Autovacuum") as its
MkDocs Markdown source, as the text of its WordPress page with chrome and a
sidebar, as html2text Markdown of its Blogger page, as a feed excerpt ending in
"Read more »", as an edited version, and as mojibake (UTF-8 read as cp1252);
and two parts of one series that share their opening paragraph.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vellum.dedup import compare, find_groups, fingerprint, normalize
from vellum.dedup.chrome import BREAK, strip_chrome
from vellum.dedup.match import EDITED, EXCERPT

FORMS = Path(__file__).parent / "dedup_forms"
VACUUM = ("vacuum-source.md", "vacuum-wordpress.txt", "vacuum-html2text.txt",
          "vacuum-excerpt.txt", "vacuum-edited.md", "vacuum-mojibake.txt")


def read(name: str) -> str:
    return (FORMS / name).read_text(encoding="utf-8")


def everything() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(FORMS.iterdir())]


def test_every_form_of_one_post_is_one_group_and_the_series_stays_apart() -> None:
    groups = {frozenset(g.members): g for g in find_groups(everything())}
    assert set(groups) == {frozenset(VACUUM),
                           frozenset({"replication-part2.md", "replication-part2-page.txt"})}
    vacuum = groups[frozenset(VACUUM)]
    # Markdown with front matter, full, newest edit: the edited source is kept.
    assert vacuum.canonical == "vacuum-edited.md"
    evidence = {e.member: e for e in vacuum.evidence}
    assert set(evidence) == set(VACUUM) - {"vacuum-edited.md"}
    assert evidence["vacuum-excerpt.txt"].reason == EXCERPT
    assert all(0.5 <= e.containment <= 1.0 for e in evidence.values())


@pytest.mark.parametrize("name", ["vacuum-wordpress.txt", "vacuum-html2text.txt"])
def test_chrome_and_sidebar_lines_are_dropped(name: str) -> None:
    text = " ".join(strip_chrome(read(name)).split())  # html2text wraps lines
    for chrome in ("Share this", "Loading", "Posted by", "Posted on", "Popular Posts",
                   "About Me", "runs databases for a logistics company", "Why Our Backups",
                   "Labels:", "Older Post", "Proudly powered", "Menu Home"):
        assert chrome not in text, chrome
    for kept in ("four thousand inserts", "What we changed", "stop being enough"):
        assert kept in text
    assert BREAK in text  # where chrome was, so that no shingle spans it


def test_html2text_markdown_of_a_chrome_page_matches_the_source() -> None:
    page, source = fingerprint(read("vacuum-html2text.txt")), fingerprint(read("vacuum-source.md"))
    # The first line is the blog's name (a link home): chrome, not the title; what is
    # left is a guess, and a guess never vetoes a match.
    assert "Tomas Petrov writes here" not in page.title
    assert not page.title_trusted
    score = compare(page, source)
    assert score.reason is not None
    assert score.containment > 0.9


def test_excerpt_with_read_more_is_an_excerpt() -> None:
    excerpt = fingerprint(read("vacuum-excerpt.txt"))
    assert excerpt.excerpt_mark
    assert "read more" not in normalize(read("vacuum-excerpt.txt")).text
    score = compare(excerpt, fingerprint(read("vacuum-wordpress.txt")))
    assert score.reason == EXCERPT
    assert score.containment > 0.9  # the excerpt joins paragraphs the page splits


def test_edited_version_is_an_edit() -> None:
    score = compare(fingerprint(read("vacuum-edited.md")), fingerprint(read("vacuum-source.md")))
    assert score.reason == EDITED
    assert 0.5 <= score.containment < 0.95


def test_mojibake_copy_reads_like_the_original() -> None:
    text = normalize(read("vacuum-mojibake.txt")).text
    assert "it s a queue after all" in text
    assert "a cafe style session store" in text
    score = compare(fingerprint(read("vacuum-mojibake.txt")),
                    fingerprint(read("vacuum-wordpress.txt")))
    assert score.reason is not None
    assert score.containment > 0.9


def test_two_parts_of_one_series_share_text_but_stay_apart() -> None:
    part1, part2 = fingerprint(read("replication-part1.md")), \
        fingerprint(read("replication-part2.md"))
    score = compare(part1, part2)
    assert score.shared > 40  # the reused opening paragraph is found...
    assert score.reason is None  # ...and is not enough
    assert not score.compatible  # so no third document can chain them
    page = fingerprint(read("replication-part2-page.txt"))
    assert compare(page, part1).reason is None
