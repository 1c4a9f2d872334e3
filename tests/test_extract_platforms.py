"""extract() on fixture pages imitating real blog platforms (tests/pages/)."""

from __future__ import annotations

import datetime as dt
import re

from vellum.extract import extract
from vellum.models import Article

from .conftest import page_html

UTC = dt.timezone.utc


def run(name: str, url: str) -> Article:
    return extract(page_html(name), url)


def footnote_section(body: str) -> str:
    match = re.search(r"<section data-footnotes=\"\">.*</section>$", body, re.DOTALL)
    assert match, "footnotes section missing or not at the end of the body"
    return match.group(0)


def assert_absent(body: str, *snippets: str) -> None:
    for snippet in snippets:
        assert snippet not in body, f"chrome kept: {snippet!r}"


def assert_present(body: str, *snippets: str) -> None:
    for snippet in snippets:
        assert snippet in body, f"content lost: {snippet!r}"


def test_wordpress_post() -> None:
    url = "https://crumblog.example.com/2023/04/11/sourdough-at-altitude/"
    article = run("wordpress_post.html", url)
    body = article.body_html
    assert_present(
        body,
        "Above two thousand metres water boils at ninety-three degrees",
        "<li>Mix at 14:00, stretch and fold every 30 minutes.</li>",
        "The shareholder meeting of my bakery club agreed this works.",
        '<img alt="A loaf with an open crumb" height="683" '
        'src="https://crumblog.example.com/wp-content/uploads/2023/04/loaf-1024x683.jpg"',
        "<figcaption>The third attempt.</figcaption>",
        "started trusting the poke test 🍞.",
        '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        "Shaping a batard at altitude</a></p>",
    )
    assert_absent(
        body, "Skip to content", "Recipes menu item", "Posted on", "Share this", "Share on X",
        "Like this", "Loading likes", "Rye without tears", "Ciabatta diary", "thoughts on",
        "flat loaves in Davos", "Leave a Reply", "Tag cloud widget", "footer credit",
        "We use cookies", "Tagged", "pixel.wp.com", "data:image", "<h1", "↩", "<script",
        "Sourdough at altitude",
    )
    assert body.count("<img") == 1
    assert "a fast rise is a shallow one.<sup data-footnote-ref=\"1\"></sup></p>" in body
    assert footnote_section(body) == (
        '<section data-footnotes=""><div data-footnote="1">'
        "At 2,300 m, in a kitchen that is always cold. </div></section>"
    )
    assert article.title == "Sourdough at altitude"
    assert article.authors == ("Marta Olsen",)
    tz = dt.timezone(dt.timedelta(hours=2))
    assert article.published == dt.datetime(2023, 4, 11, 8, 30, tzinfo=tz)
    assert article.updated == dt.datetime(2023, 5, 2, 10, 0, tzinfo=UTC)
    assert article.description == (
        "Why your starter sulks above 2,000 metres and what to do about it.")
    assert article.tags == ("baking", "sourdough")
    assert article.categories == ("Bread",)
    assert article.url == "https://crumblog.example.com/2023/04/11/sourdough-at-altitude/"
    assert article.site_name == "The Crumb Log"
    assert article.site_url == "https://crumblog.example.com/"
    assert article.language == "en-US"
    assert article.image == "https://crumblog.example.com/wp-content/uploads/2023/04/loaf.jpg"


def test_mkdocs_material_post() -> None:
    url = "https://ada.example.dev/blog/2024/12/03/cluster-lessons/"
    article = run("mkdocs_material_post.html", url)
    body = article.body_html
    assert_present(
        body,
        "<h2>Highlights</h2>",
        "<h2>What broke</h2>",
        "<p>Everything here applies to clusters under fifty nodes.</p>",
        '<div class="language-python"><pre><code><span>def</span> <span>drain</span>',
        "Power, twice. Cooling, once. DNS, obviously, every single month.",
    )
    assert_absent(
        body, "¶", "Skip to content", "header title", "Home tab", "Archive 2024 link",
        "Career sidebar", "Highlights toc entry", "Table of contents", "Platform engineer",
        "Edit this page", "Last update", "Back to top", "Previous post in footer", "Copyright",
        "<h1", "↩", "(1)", "(2)", "<ol>", "<hr",
    )
    assert "failure domains.<sup data-footnote-ref=\"1\"></sup></p>" in body
    assert ("The scheduler<sup data-footnote-ref=\"2\"></sup> was the first thing we replaced, "
            "then the storage layer<sup data-footnote-ref=\"3\"></sup>.") in body
    assert "month.<sup data-footnote-ref=\"4\"></sup> The first footnote again." \
           "<sup data-footnote-ref=\"1\"></sup>" in body
    assert footnote_section(body) == (
        '<section data-footnotes="">'
        '<div data-footnote="1"><p>Failure domains are the unit of blast radius.\xa0</p></div>'
        '<div data-footnote="2">We moved from cron jobs to a real queue.</div>'
        '<div data-footnote="3">Ceph, after two failed attempts with <code>NFS</code>.</div>'
        '<div data-footnote="4"><p>It is always DNS.\xa0</p></div>'
        "</section>"
    )
    assert article.title == "Cluster lessons"
    assert article.authors == ("Ada Quill",)
    assert article.published == dt.date(2024, 12, 3)
    assert article.description == "What a year of running bare-metal clusters taught me."
    assert article.url == url
    assert article.site_url == "https://ada.example.dev/"
    assert article.language == "en"
    assert article.image == ("https://ada.example.dev/assets/images/social/blog/posts/"
                             "cluster-lessons.png")
