"""The shrink guard: a page that now extracts to far less text never overwrites a post."""

from __future__ import annotations

import pytest

from vellum.commands.guards import shrink_reason, word_count

HEAD = "---\ntitle: Tuning SQLite\n---\n\n"
POST = HEAD + "\n\n".join(
    f"Paragraph {i}: SQLite is fast when you let it batch writes, and WAL mode lets readers "
    "and one writer proceed together." for i in range(8)
)


def test_word_count_ignores_markup_and_link_targets() -> None:
    text = "## Title\n\nSee [the docs](https://example.com/a/long/path) and ![x](i.png) **now**."
    assert word_count(text) == 6  # Title See the docs and now


def test_a_login_wall_is_suspect() -> None:
    wall = HEAD + "Please log in to continue reading this post.\n\n[Log in](/login)"
    reason = shrink_reason(POST, wall)
    assert reason is not None
    assert "login, paywall or error page" in reason
    assert "archived post kept" in reason


def test_a_page_with_far_less_text_is_suspect() -> None:
    parked = HEAD + "Welcome to nginx! If you see this page, the web server is installed."
    reason = shrink_reason(POST, parked)
    assert reason is not None
    assert "far less text" in reason


def test_a_wall_phrase_lowers_the_bar() -> None:
    half = "\n\n".join(POST.split("\n\n")[:6])
    assert shrink_reason(POST, half) is None  # a real cut: still above half
    assert shrink_reason(POST, half + "\n\nSubscribe to continue reading.") is not None


@pytest.mark.parametrize("new", [
    POST.replace("fast", "very fast"),
    POST + "\n\nUpdate: a new paragraph with more text.",
    HEAD + "Paragraph 0 only." * 40,
])
def test_edits_and_growth_are_not_suspect(new: str) -> None:
    assert shrink_reason(POST, new) is None


def test_short_posts_are_never_judged_by_ratio() -> None:
    assert shrink_reason(HEAD + "A tiny note of a few words.", HEAD + "Gone.") is None
