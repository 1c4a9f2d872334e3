"""feeds: URL inputs parsed without network — feeds, sitemaps, OPML, CSV and URL lists."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from vellum.errors import InputError
from vellum.feeds import (
    ListedURL,
    detect_input,
    find_feed_links,
    parse_csv,
    parse_feed,
    parse_opml,
    parse_sitemap,
    parse_url_list,
)

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example Engineering</title>
  <link>https://blog.example.com/</link>
  <description>Notes on databases &amp; tools</description>
  <item>
    <title>Tuning SQLite for writes</title>
    <link>https://blog.example.com/2024/05/sqlite-writes/</link>
    <guid isPermaLink="false">post-42</guid>
    <dc:creator>Ada Example</dc:creator>
    <category>Databases</category>
    <category>SQLite</category>
    <pubDate>Fri, 17 May 2024 09:30:00 +0000</pubDate>
    <description>How batching changes write speed.</description>
    <content:encoded><![CDATA[<p>SQLite is fast when you <em>batch</em>.</p>
      <script>alert(1)</script>]]></content:encoded>
  </item>
  <item>
    <title>Only a guid</title>
    <guid isPermaLink="true">https://blog.example.com/2024/04/guid-only/</guid>
  </item>
  <item><title>No link at all</title></item>
</channel>
</rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://hugo.example.org/">
  <title>Hugo Notes</title>
  <subtitle>Static sites</subtitle>
  <link href="https://hugo.example.org/" rel="alternate"/>
  <author><name>Grace Writer</name></author>
  <id>urn:uuid:1</id>
  <updated>2024-03-02T10:00:00Z</updated>
  <entry>
    <title type="html">Shortcodes &amp;amp; partials</title>
    <link rel="alternate" href="posts/shortcodes/"/>
    <id>tag:hugo.example.org,2024:shortcodes</id>
    <published>2024-03-01T08:15:00+02:00</published>
    <updated>2024-03-02T10:00:00Z</updated>
    <category term="hugo"/>
    <content type="html">&lt;p&gt;Partials keep
      &lt;a href="/docs/"&gt;templates&lt;/a&gt; small.&lt;/p&gt;</content>
  </entry>
</feed>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Ghost Weekly",
    "home_page_url": "https://ghost.example.net/",
    "feed_url": "https://ghost.example.net/feed.json",
    "authors": [{"name": "Lin"}],
    "items": [
        {"id": "1", "url": "/weekly-1/", "title": "Weekly 1", "content_html": "<p>One</p>",
         "date_published": "2024-01-05T12:00:00Z", "tags": ["news", "news", "ghost"]},
        {"id": "https://ghost.example.net/weekly-2/", "title": "Weekly 2",
         "date_modified": "2024-01-12T12:00:00+01:00", "authors": [{"name": "Kim"}]},
        {"id": "3", "title": "Nothing to link to"},
    ],
}

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://jekyll.example.com/2023/01/first.html</loc><lastmod>2023-01-02</lastmod></url>
  <url><loc> https://jekyll.example.com/2023/02/second.html </loc></url>
  <url><loc>https://jekyll.example.com/2023/01/first.html</loc></url>
</urlset>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://wp.example.com/post-sitemap.xml</loc></sitemap>
  <sitemap><loc>https://wp.example.com/page-sitemap.xml</loc></sitemap>
</sitemapindex>"""

OPML = """<?xml version="1.0"?>
<opml version="2.0"><head><title>Subscriptions</title></head><body>
  <outline text="Tech">
    <outline type="rss" text="Example" xmlUrl="https://blog.example.com/feed/"/>
    <outline type="rss" text="Hugo" xmlurl="https://hugo.example.org/index.xml"/>
  </outline>
  <outline text="No feed here" htmlUrl="https://x.example/"/>
</body></opml>"""


# -- feeds ----------------------------------------------------------------------------------


def test_rss_entries_with_metadata_and_sanitised_content() -> None:
    feed = parse_feed(RSS.encode(), "https://blog.example.com/feed/")
    assert feed.title == "Example Engineering"
    assert feed.link == "https://blog.example.com/"
    assert [e.url for e in feed.entries] == [
        "https://blog.example.com/2024/05/sqlite-writes/",
        "https://blog.example.com/2024/04/guid-only/",
    ]
    first = feed.entries[0]
    assert first.title == "Tuning SQLite for writes"
    assert first.authors == ("Ada Example",)
    assert first.categories == ("Databases", "SQLite")
    assert first.published == dt.datetime(2024, 5, 17, 9, 30, tzinfo=dt.timezone.utc)
    assert first.summary == "How batching changes write speed."
    assert "<em>batch</em>" in first.content_html
    assert "<script" not in first.content_html
    assert first.id == "post-42"


def test_atom_relative_links_resolve_against_xml_base() -> None:
    feed = parse_feed(ATOM, "https://hugo.example.org/index.xml")
    assert (feed.title, feed.subtitle, feed.authors) == ("Hugo Notes", "Static sites",
                                                         ("Grace Writer",))
    entry = feed.entries[0]
    assert entry.url == "https://hugo.example.org/posts/shortcodes/"
    assert entry.title == "Shortcodes & partials"
    assert entry.published == dt.datetime(2024, 3, 1, 6, 15, tzinfo=dt.timezone.utc)
    assert entry.updated == dt.datetime(2024, 3, 2, 10, 0, tzinfo=dt.timezone.utc)
    assert entry.categories == ("hugo",)
    assert 'href="https://hugo.example.org/docs/"' in entry.content_html


def test_json_feed() -> None:
    feed = parse_feed(json.dumps(JSON_FEED).encode())
    assert feed.url == "https://ghost.example.net/feed.json"
    assert feed.link == "https://ghost.example.net/"
    assert [e.url for e in feed.entries] == ["https://ghost.example.net/weekly-1/",
                                             "https://ghost.example.net/weekly-2/"]
    one, two = feed.entries
    assert one.categories == ("news", "ghost")
    assert one.authors == ("Lin",)
    assert one.published == dt.datetime(2024, 1, 5, 12, tzinfo=dt.timezone.utc)
    assert one.content_html == "<p>One</p>"
    assert two.authors == ("Kim",)
    assert two.updated == dt.datetime(2024, 1, 12, 11, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("data", [
    "<!DOCTYPE html><html><body><p>Just a page</p></body></html>",
    '{"items": []}',
    "",
])
def test_not_a_feed_is_an_input_error(data: str) -> None:
    with pytest.raises(InputError):
        parse_feed(data, "https://example.com/feed")


def test_find_feed_links() -> None:
    html = """<html><head><base href="https://blog.example.com/sub/">
    <link rel="alternate" type="application/rss+xml" href="feed/">
    <link rel="alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">
    <link rel="Alternate" type="application/feed+json" href="https://blog.example.com/sub/feed/">
    <link rel="alternate" hreflang="fr" type="text/html" href="/fr/">
    <link rel="stylesheet" type="text/css" href="/style.css">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body></body></html>"""
    assert find_feed_links(html, "https://blog.example.com/sub/page.html") == [
        "https://blog.example.com/sub/feed/",
        "https://blog.example.com/atom.xml",
    ]


# -- sitemaps and OPML ----------------------------------------------------------------------


def test_sitemap_urlset_trims_and_deduplicates() -> None:
    sitemap = parse_sitemap(SITEMAP.encode())
    assert sitemap.urls == ("https://jekyll.example.com/2023/01/first.html",
                            "https://jekyll.example.com/2023/02/second.html")
    assert sitemap.sitemaps == ()


def test_sitemap_index_and_gzip() -> None:
    sitemap = parse_sitemap(gzip.compress(SITEMAP_INDEX.encode()))
    assert sitemap.urls == ()
    assert sitemap.sitemaps == ("https://wp.example.com/post-sitemap.xml",
                                "https://wp.example.com/page-sitemap.xml")


def test_sitemap_refuses_entities_and_other_xml() -> None:
    evil = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<urlset><url><loc>https://a.example/&e;</loc></url></urlset>')
    assert all("root:" not in u for u in parse_sitemap(evil).urls)
    with pytest.raises(InputError, match="not a sitemap"):
        parse_sitemap(OPML)


def test_opml_feed_urls() -> None:
    assert parse_opml(OPML) == ["https://blog.example.com/feed/",
                                "https://hugo.example.org/index.xml"]


# -- lists and CSV --------------------------------------------------------------------------


def test_url_list_skips_comments_and_reports_bad_lines() -> None:
    text = ("# exported bookmarks\n\n  https://a.example/one/  \n"
            "ftp://files.example/x\nnot a url\nhttps://b.example/two # read later\n"
            "https://c.example/#section\n")
    assert parse_url_list(text) == [
        ListedURL(3, "https://a.example/one/"),
        ListedURL(4, None, "ftp://files.example/x: unsupported scheme 'ftp'; "
                  "only http and https URLs are archived"),
        ListedURL(5, None, "not a url: not an absolute URL; only http and https URLs are archived"),
        ListedURL(6, "https://b.example/two"),
        ListedURL(7, "https://c.example/#section"),
    ]


def test_csv_url_column() -> None:
    text = ('title,URL,tags\n"Hello, world",https://a.example/hello/,x\n'
            ",,\nBroken,mailto:me@example.com,y\nNo url,,z\n")
    assert parse_csv(text) == [
        ListedURL(2, "https://a.example/hello/"),
        ListedURL(4, None, "mailto:me@example.com: unsupported scheme 'mailto'; "
                  "only http and https URLs are archived"),
        ListedURL(5, None, "no URL in this row"),
    ]
    with pytest.raises(InputError, match="no column named url"):
        parse_csv("title,tags\nx,y\n")


@pytest.mark.parametrize(("data", "kind"), [
    (SITEMAP, "sitemap"),
    (SITEMAP_INDEX.encode(), "sitemap"),
    (RSS, "feed"),
    (ATOM.encode(), "feed"),
    ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"><channel/></rdf:RDF>', "feed"),
    (json.dumps(JSON_FEED), "feed"),
    (OPML, "opml"),
    ("\ufefftitle,url\nx,https://a.example/\n", "csv"),
    ("# list\nhttps://a.example/\n", "list"),
    ("https://a.example/?a=1,2\n", "list"),
    ("", "list"),
])
def test_detect_input(data: str | bytes, kind: str) -> None:
    assert detect_input(data) == kind
