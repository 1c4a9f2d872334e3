"""extract() on fixture pages imitating real blog platforms (tests/pages/)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from vellum.errors import NotArticleError
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
    # Code is compared without bare <span>s: the lean parse leaves highlighter tokens out
    # (their text stays), the full one (a bs4 release the copy does not model) keeps them.
    def spanless(html: str) -> str:
        return re.sub(r"</?span>", "", html)

    for snippet in snippets:
        assert spanless(snippet) in spanless(body), f"content lost: {snippet!r}"


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
        '<div class="language-python"><pre><code>def drain',
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


def test_blogger_post() -> None:
    url = "https://rustbelt-radio.blogspot.com/2021/07/tuning-loop-antenna.html"
    article = run("blogger_post.html", url)
    body = article.body_html
    assert_present(
        body,
        "Mine is a single turn of 22 mm copper pipe, about a metre across."
        '<sup data-footnote-ref="1"></sup>',
        "<h4>The capacitor</h4>",
        "<pre>SWR at 7.074 MHz: 1.2\nSWR at 7.200 MHz: 3.5</pre>",
        'src="https://blogger.googleusercontent.com/img/b/R29vZ2xl/s320/loop.jpg"',
        "handles 20 watts without arcing.<sup data-footnote-ref=\"2\"></sup>",
    )
    assert_absent(
        body, "Rust Belt Radio", "Home page tab", "Saturday, July 17", "Posted by",
        "3 comments", "Email This", "BlogThis", "Labels", "pipe fittings", "Post a Comment",
        "Newer Post", "Post Comments (Atom)", "Blog Archive", "Retired lineman",
        "Powered by Blogger", "navbar.g", "↩", "<hr", "Tuning a magnetic loop antenna",
    )
    assert footnote_section(body) == (
        '<section data-footnotes="">'
        '<div data-footnote="1"><p>Larger loops are more efficient but harder to tune. </p></div>'
        '<div data-footnote="2"><p>Mind the voltage: several kilovolts at the capacitor. </p>'
        "</div></section>"
    )
    assert article.title == "Tuning a magnetic loop antenna"
    assert article.authors == ("Walt Kowalski",)
    tz = dt.timezone(dt.timedelta(hours=-4))
    assert article.published == dt.datetime(2021, 7, 17, 9, 12, tzinfo=tz)
    assert article.description == ("Building a magnetic loop for 40 metres from copper pipe "
                                   "and a surplus capacitor.")
    assert article.tags == ("antennas", "40m")
    assert article.url == url
    assert article.site_name == "Rust Belt Radio"
    assert article.site_url == "https://rustbelt-radio.blogspot.com/"
    assert article.language == "en"
    assert article.image == "https://blogger.googleusercontent.com/img/b/R29vZ2xl/s1600/loop.jpg"


def test_hugo_papermod_post() -> None:
    article = run("hugo_papermod_post.html", "https://notes.example.org/posts/profiling-go/")
    body = article.body_html
    assert_present(
        body,
        "mostly by showing us allocations nobody knew about.<sup data-footnote-ref=\"1\"></sup>",
        "<h2>Flame graphs lie</h2>",
        '<pre><code class="language-go">',
        "pprof.StartCPUProfile(",
        "<blockquote>\n<p>Measure, then guess. Never the other way round.</p>\n</blockquote>",
    )
    assert_absent(
        body, "Archive menu", "Home crumb", "February 9, 2024", "4 min", "Table of Contents",
        "Flame graphs lie toc", "Go tag", "Prev", "Distributed tracing", "share on x",
        "Powered by", "Go to top", "#</a>", "<svg", "↩", "<hr",
    )
    assert footnote_section(body) == (
        '<section data-footnotes=""><div data-footnote="1">\n'
        "<p>We use Pyroscope, but any pprof-compatible backend works.\xa0</p>\n</div>"
        '<div data-footnote="2">\n<p>Pools are not free: measure the hit rate.\xa0</p>\n</div>'
        "</section>"
    )
    cet = dt.timezone(dt.timedelta(hours=1))
    assert article.title == "Profiling Go services in production"
    assert article.authors == ("Lin Park",)
    assert article.published == dt.datetime(2024, 2, 9, 18, 4, tzinfo=cet)
    assert article.updated == dt.datetime(2024, 2, 10, 9, 0, tzinfo=cet)
    assert article.tags == ("Go", "Profiling")
    assert article.categories == ()  # article:section "posts" is the content folder
    assert article.site_name == "Gopher Field Notes"
    assert article.url == "https://notes.example.org/posts/profiling-go/"
    assert article.image == "https://notes.example.org/posts/profiling-go/cover.png"
    assert article.language == "en"


def test_jekyll_minima_post() -> None:
    url = "https://tomridley.example.net/2022/11/05/makefiles.html"
    article = run("jekyll_minima_post.html", url)
    body = article.body_html
    assert_present(
        body,
        "<li><code class=\"language-plaintext\">make test</code> runs everything a reviewer "
        "would.</li>",
        "<pre><code>test:\n\tpytest -q\n</code></pre>",
        "<tr><td>make</td><td>1976</td></tr>",
        "Tabs, not spaces. Yes, still.<sup data-footnote-ref=\"2\"></sup>",
    )
    assert_absent(body, "About nav link", "Nov 5, 2022", "footer heading", "Tom Ridley",
                  "tomridley github", "↩", "Why I still write Makefiles")
    assert footnote_section(body) == (
        '<section data-footnotes=""><div data-footnote="1">\n'
        '<p>Even for Python projects, where <code class="language-plaintext">tox</code> would '
        "do.\xa0</p>\n</div>"
        '<div data-footnote="2">\n<p>See the <a href="https://www.gnu.org/software/make/manual/">'
        "GNU make manual</a>, section 5.1.\xa0</p>\n</div></section>"
    )
    assert article.title == "Why I still write Makefiles"
    assert article.authors == ("Tom Ridley",)
    assert article.published == dt.datetime(2022, 11, 5, tzinfo=UTC)
    assert article.description == "Make is old, terse and everywhere. That is the point."
    assert article.site_name == "Tom’s workbench"
    assert article.language == "en"
    assert article.image == ""


def test_ghost_casper_post() -> None:
    article = run("ghost_casper_post.html", "https://railway.example.com/night-trains-are-back/")
    body = article.body_html
    assert_present(
        body,
        "<p>Five years ago the sleeper train looked finished.",
        "<h2>Brussels to Berlin</h2>",
        '<figure><img alt="Mini cabin" height="800" '
        'src="https://railway.example.com/content/images/2023/09/cabin.jpg" width="1200"/>'
        "<figcaption>The mini cabin, door closed.</figcaption></figure>",
        "Book exactly 180 days ahead; that is when sales open.",
        "Charming, loud, and always late.<sup data-footnote-ref=\"2\"></sup>",
    )
    assert_absent(body, "Home nav", "Subscribe", "Trains primary tag", "6 min read",
                  "Sign up for more", "read more card", "copyright line", "Powered by Ghost",
                  "[1]", "↩", "<hr", "Night trains are back")
    assert footnote_section(body) == (
        '<section data-footnotes="">'
        '<div data-footnote="1"><p>Mini cabins sell out first; a couchette is the fallback. </p>'
        '</div><div data-footnote="2"><p>Two hours late, on both of my trips. </p></div>'
        "</section>"
    )
    assert article.title == "Night trains are back"
    assert article.authors == ("Ines Duarte",)
    assert article.published == dt.datetime(2023, 9, 14, 6, 0, tzinfo=UTC)
    assert article.updated == dt.datetime(2023, 9, 15, 7, 30, tzinfo=UTC)
    assert article.description == "Sleeper services across Europe, ranked by how well I slept."
    assert article.tags == ("Trains", "Europe")
    assert article.site_name == "Slow Travel Weekly"
    assert article.image == "https://railway.example.com/content/images/2023/09/nightjet.jpg"


def test_substack_post() -> None:
    url = "https://marginalia.substack.com/p/the-quiet-death-of-the-footnote"
    article = run("substack_post.html", url)
    body = article.body_html
    assert_present(
        body,
        "and your eye does the rest.<sup data-footnote-ref=\"1\"></sup></p>",
        "<h2>Sidenotes</h2>",
        '<img alt="A page from a 1790 edition with marginal notes" height="816" '
        'src="https://substackcdn.com/image/fetch/w_1456/page.png" width="1456"/>',
        "<figcaption>Marginal notes, 1790.</figcaption>",
    )
    assert_absent(body, "topbar", "Sign in", "142 likes", "comment count", "Share button",
                  "Thanks for reading", "Type your email", "Leave a comment", "Ready for more",
                  "Discussion about this post", "Tufte", "Start Writing", "Privacy",
                  "Hypertext promised us")
    assert footnote_section(body) == (
        '<section data-footnotes="">'
        '<div data-footnote="1"><div><p>Ibid. was the original hyperlink.</p></div></div>'
        '<div data-footnote="2"><div><p>Where nobody scrolls, as analytics confirm.</p></div>'
        "</div></section>"
    )
    assert article.title == "The quiet death of the footnote"
    assert article.authors == ("Priya Raman",)
    assert article.published == dt.datetime(2024, 3, 2, 13, 0, tzinfo=UTC)
    assert article.site_name == "Marginalia"
    assert article.url == url
    assert article.image == "https://substackcdn.com/image/fetch/w_1200,h_600/footnote.png"


def test_medium_post() -> None:
    url = "https://medium.com/better-ops/ten-years-of-on-call-3f1c2a9b7d10"
    article = run("medium_post.html", url)
    body = article.body_html
    assert_present(
        body,
        'src="https://miro.medium.com/v2/resize:fit:1400/format:webp/1*pager.jpeg"',
        "<figcaption>Photo by the author.</figcaption>",
        "<h2>1. Every alert needs an owner</h2>",
        "<pre><span>alert: DiskAlmostFull<br/>for: 30m</span></pre>",
        "<blockquote><p>If you would not get out of bed for it, it is not a page.</p></blockquote>",
    )
    assert_absent(body, "Medium logo", "Write nav link", "Sign in", "Member-only",
                  "Follow", "7 min read", "Jun 20, 2023", "claps", "responses", "Sre tag",
                  "Written by", "More from", "About footer", "avatar", "<svg",
                  "Ten years of on-call, in ten lessons")
    assert article.title == "Ten years of on-call, in ten lessons"
    assert article.authors == ("Sam Okafor",)
    assert article.published == dt.datetime(2023, 6, 20, 14, 3, 11, tzinfo=UTC)
    assert article.description == "Pager fatigue is a design problem, not a personal failing."
    assert article.url == url


def test_generic_site_scoring_fallback() -> None:
    url = "https://mathe.example.de/2019/03/koenigsberg.html"
    article = run("generic_unknown_site.html", url)
    body = article.body_html
    assert_present(
        body,
        "Im Jahr 1736 löste Leonhard Euler ein Rätsel",
        "<h2>Der Trick mit dem Grad</h2>",
        '<img alt="Skizze der sieben Brücken" height="300" src="bilder/bruecken.png"',
        "Mehr dazu in der nächsten Folge, wenn es um Hamiltonkreise geht.",
    )
    assert_absent(body, "Startseite", "Impressum", "Rubriken", "Primzahlen beim Frühstück",
                  "counter.gif", "Diesen Artikel teilen", "Kommentare", "Toll erklärt",
                  "Datenschutz", "<h1")
    assert article.title == "Die Brücken von Königsberg"
    assert article.published == dt.date(2019, 3, 14)
    assert article.language == "de"
    assert article.site_name == "Mathe am Küchentisch"
    assert article.base_url == url


@pytest.mark.parametrize(("name", "reason"), [
    ("blog_index.html", "an index of 5 teasers"),
    ("login_wall.html", "a login wall"),
    ("js_shell.html", "a JavaScript shell"),
    ("error_404.html", "an error page"),
])
def test_not_articles(name: str, reason: str) -> None:
    with pytest.raises(NotArticleError, match=reason):
        run(name, "https://example.com/x")
