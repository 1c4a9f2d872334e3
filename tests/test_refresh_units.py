"""Refresh's pure parts: which posts a run picks, the gone marker, feed state, feed filling."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vellum import frontmatter
from vellum.cli.refresh import _duration
from vellum.commands.plan import select_entries
from vellum.commands.refresh import RefreshOptions, mark_gone
from vellum.feeds import Feed, FeedEntry
from vellum.models import Article, Entry
from vellum.pipeline.feedfill import Fill, feed_page, fill_article, make_fill
from vellum.pipeline.feedstate import load_state, merged, save_state, state_file
from vellum.store.config import Source

UTC = dt.timezone.utc
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def entry(name: str, *, date: str = "", fetched: str = "", host: str = "a.example") -> Entry:
    return Entry(path=f"{host}/{name}.md", url=f"https://{host}/{name}/", date=date,
                 fetched_at=fetched)


ENTRIES = [
    entry("old", date="2023-01-05", fetched="2024-05-01T00:00:00+00:00"),
    entry("recent", date="2024-05-20", fetched="2024-05-31T00:00:00+00:00"),
    entry("never", date=""),
    entry("other", date="2024-05-25", fetched="2024-05-30T00:00:00+00:00", host="b.example"),
]


def names(chosen: list[Entry]) -> list[str]:
    return [Path(e.path).stem for e in chosen]


def test_every_post_by_default_the_longest_unchecked_first() -> None:
    chosen = select_entries(ENTRIES, RefreshOptions(), [], {}, {}, NOW)
    assert names(chosen) == ["never", "old", "other", "recent"]


def test_limit_older_than_and_since() -> None:
    opts = RefreshOptions(limit=2)
    assert names(select_entries(ENTRIES, opts, [], {}, {}, NOW)) == ["never", "old"]
    opts = RefreshOptions(older_than=dt.timedelta(days=2))
    assert names(select_entries(ENTRIES, opts, [], {}, {}, NOW)) == ["never", "old", "other"]
    opts = RefreshOptions(since=dt.datetime(2024, 5, 1))
    assert names(select_entries(ENTRIES, opts, [], {}, {}, NOW)) == ["other", "recent"]


def test_check_times_recorded_by_refresh_rotate_the_limit() -> None:
    checked = {"a.example/never.md": "2024-06-01T11:00:00+00:00",
               "a.example/old.md": "2024-06-01T11:00:00+00:00"}
    chosen = select_entries(ENTRIES, RefreshOptions(limit=2), [], {}, checked, NOW)
    assert names(chosen) == ["other", "recent"]


def test_source_filter_keeps_the_posts_of_its_site_or_its_feed(tmp_path: Path) -> None:
    source = Source("b", "https://feeds.example/b.xml", "https://www.b.example/")
    state = load_state(tmp_path, source.feed)
    state = merged(state, Feed(source.feed, entries=(FeedEntry("https://a.example/old/"),)),
                   etag=None, last_modified=None, checked_at="")
    opts = RefreshOptions(sources=("b",))
    chosen = select_entries(ENTRIES, opts, [source], {source.feed: state}, {}, NOW)
    assert names(chosen) == ["old", "other"]


def test_mark_gone_keeps_everything_and_the_key_order() -> None:
    text = frontmatter.join({"author": "Ada", "date": "2024-05-17 09:30:00", "title": "T"},
                            "Body text.\n", sort_keys=True)
    gone = mark_gone(text, NOW)
    front, body = frontmatter.split(gone)
    assert front == {"author": "Ada", "date": "2024-05-17 09:30:00", "gone_at": NOW,
                     "status": "gone", "title": "T"}
    assert body == "Body text.\n"
    assert gone.index("gone_at") < gone.index("status:") < gone.index("title:")


def test_feed_state_round_trips_without_post_content(tmp_path: Path) -> None:
    published = dt.datetime(2024, 5, 17, 9, 30, tzinfo=UTC)
    feed = Feed("https://a.example/feed", "Blog", "Tagline", "https://a.example/", ("Ada",), (
        FeedEntry("https://a.example/p/", "P", ("Ada",), ("SQL",), published,
                  content_html="<p>big</p>", summary="s", id="p"),))
    state = merged(load_state(tmp_path, feed.url), feed, etag='"x"', last_modified=None,
                   checked_at="2024-06-01T12:00:00+00:00")
    save_state(tmp_path, state)
    assert state_file(tmp_path, feed.url).name.startswith("a.example-")
    again = load_state(tmp_path, feed.url)
    assert again.etag == '"x"'
    assert again.feed.subtitle == "Tagline"
    found = again.entry("http://a.example/p")
    assert found == FeedEntry("https://a.example/p/", "P", ("Ada",), ("SQL",), published, id="p")
    # An entry that drops out of the feed is still remembered.
    later = merged(again, Feed(feed.url, entries=(FeedEntry("https://a.example/q/"),)),
                   etag=None, last_modified=None, checked_at="")
    assert [e.url for e in later.feed.entries] == ["https://a.example/q/", "https://a.example/p/"]


def test_the_page_wins_and_the_feed_fills_the_gaps() -> None:
    fill = make_fill(Feed("f", "Blog", "Tagline", "https://a.example/", ("Team",)),
                     FeedEntry("u", "Feed title", (), ("SQL",),
                               dt.datetime(2024, 5, 1, tzinfo=UTC)), tag="ada")
    assert fill.authors == ("Team",)  # the entry names none: the feed's author
    article = fill_article(Article("<p>x</p>", title="Page title", site_name="Own name",
                                   tags=("db",)), fill)
    assert article.title == "Page title"
    assert article.site_name == "Own name"
    assert article.site_description == "Tagline"
    assert article.site_url == "https://a.example/"
    assert article.categories == ("SQL",)
    assert article.published == dt.datetime(2024, 5, 1, tzinfo=UTC)
    assert article.tags == ("db", "ada")
    assert fill_article(article, Fill(tag="ADA")).tags == ("db", "ada")


def test_feed_page_wraps_the_feed_copy_or_gives_none() -> None:
    page = feed_page(FeedEntry("https://a.example/p/", "A <b> title", content_html="<p>Hi</p>"),
                     NOW)
    assert page is not None
    assert "<title>A &lt;b&gt; title</title>" in page.html
    assert '<link rel="canonical" href="https://a.example/p/">' in page.html
    assert feed_page(FeedEntry("https://a.example/p/", "T"), NOW) is None


@pytest.mark.parametrize(("text", "seconds"), [
    ("90s", 90), ("30m", 1800), ("12h", 43200), ("7d", 604800), ("2w", 1209600),
    ("1d12h", 129600), ("1.5h", 5400),
])
def test_durations(text: str, seconds: int) -> None:
    assert _duration(text) == dt.timedelta(seconds=seconds)
