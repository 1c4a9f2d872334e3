"""Unit tests for single extraction rules: footnote flavours, media, metadata."""

from __future__ import annotations

import datetime as dt

import pytest

from vellum.errors import ExtractError, NotArticleError
from vellum.extract import extract
from vellum.extract.dates import parse_date
from vellum.extract.metadata import strip_site_suffix

from .sites import wordpress_post

PROSE = ("<p>" + "A sentence about nothing much, written to give the page some weight. " * 4
         + "</p>")


def page(body: str, head: str = "", lang: str = "en") -> str:
    return (f'<html lang="{lang}"><head><title>T</title>{head}</head>'
            f"<body><article>{PROSE}{body}{PROSE}</article></body></html>")


def body_of(body: str, head: str = "") -> str:
    return extract(page(body, head), "https://example.com/post/").body_html


SECTION_1 = '<section data-footnotes=""><div data-footnote="1">'


@pytest.mark.parametrize("markup", [
    # Python-Markdown / MkDocs
    '<p>Claim.<sup id="fnref:x"><a class="footnote-ref" href="#fn:x">1</a></sup></p>'
    '<div class="footnote"><hr><ol><li id="fn:x"><p>Source.&#160;'
    '<a class="footnote-backref" href="#fnref:x">&#8617;</a></p></li></ol></div>',
    # kramdown
    '<p>Claim.<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" '
    'rel="footnote">1</a></sup></p><div class="footnotes" role="doc-endnotes"><ol>'
    '<li id="fn:1"><p>Source.&#160;<a href="#fnref:1" class="reversefootnote">&#8617;</a>'
    "</p></li></ol></div>",
    # Pandoc with aside
    '<p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup>'
    '</a></p><aside id="footnotes" class="footnotes footnotes-end-of-document" '
    'role="doc-endnotes"><hr /><ol><li id="fn1"><p>Source.&#160;<a href="#fnref1" '
    'class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></aside>',
    # Blogger, hand written
    '<p>Claim.<sup><a href="#fn1" id="ref1">1</a></sup></p>'
    '<p id="fn1"><sup>1</sup> Source.&#160;<a href="#ref1">↑</a></p>',
])
def test_footnote_flavours(markup: str) -> None:
    body = body_of(markup)
    assert 'Claim.<sup data-footnote-ref="1"></sup>' in body
    assert SECTION_1 in body
    section = body[body.index(SECTION_1):]
    assert "Source." in section
    assert section.endswith("</div></section>")
    for noise in ("↩", "↑", "&#8617;", "<hr", "<ol", 'href="#'):
        assert noise not in body


def test_footnotes_renumbered_in_reference_order() -> None:
    body = body_of(
        '<p>B first<sup><a href="#n2">[2]</a></sup>, then A<sup><a href="#n1">[1]</a></sup>, '
        'B again<sup><a href="#n2">[2]</a></sup>.</p>'
        '<ol class="notes"><li id="n1">Note A</li><li id="n2">Note B</li></ol>'
    )
    assert ('B first<sup data-footnote-ref="1"></sup>, then A<sup data-footnote-ref="2">'
            '</sup>, B again<sup data-footnote-ref="1"></sup>.') in body
    assert body.endswith('<section data-footnotes=""><div data-footnote="1">Note B</div>'
                         '<div data-footnote="2">Note A</div></section>')


def test_material_rendered_annotation() -> None:
    body = body_of(
        '<div class="annotate"><p>Text<span class="md-annotation"><span '
        'class="md-annotation__index"><span data-md-annotation-id="1"></span></span></span> '
        "here.</p></div><ol><li>The annotation.</li></ol>"
    )
    assert 'Text<sup data-footnote-ref="1"></sup> here.' in body
    assert body.endswith('<div data-footnote="1">The annotation.</div></section>')


def test_toc_links_are_not_footnotes() -> None:
    body = body_of('<p><a href="#part-2">Part two</a></p><h2 id="part-2">Part two</h2>'
                   "<p>Body of part two.</p>")
    assert "data-footnote" not in body
    assert "<h2>Part two</h2>" in body


def test_lazy_images_and_pixels() -> None:
    body = body_of(
        '<p><img src="data:image/gif;base64,R0lGOD" data-src="/a.jpg" alt="a"></p>'
        '<p><img srcset="/b-400.jpg 400w, /b-1600.jpg 1600w, /b-800.jpg 800w" alt="b"></p>'
        '<p><img src="/c.gif" width="1" height="1"></p>'
        '<p><img class="lazy" src="/spacer.gif" alt="d"><noscript><img src="/d.jpg" alt="d">'
        "</noscript></p>"
        '<p>Smile <img class="wp-smiley" src="/s.png" alt="🙂"> ok</p>'
    )
    assert '<img alt="a" src="/a.jpg"/>' in body
    assert '<img alt="b" src="/b-1600.jpg"/>' in body
    assert "/c.gif" not in body
    assert '<img alt="d" src="/d.jpg"/>' in body
    assert "spacer" not in body
    assert "Smile 🙂 ok" in body


def test_math_becomes_tex() -> None:
    body = body_of(
        '<p>Inline <span class="katex"><span class="katex-mathml"><math><semantics><mi>x</mi>'
        '<annotation encoding="application/x-tex">x^2</annotation></semantics></math></span>'
        '<span class="katex-html" aria-hidden="true">x2</span></span> done.</p>'
        '<script type="math/tex; mode=display">\\sum_i i</script>'
    )
    assert 'Inline <span data-math="inline">x^2</span> done.' in body
    assert '<div data-math="display">\\sum_i i</div>' in body
    assert "x2</span>" not in body


def test_hidden_nodes_scripts_and_embeds() -> None:
    body = body_of(
        '<p hidden>hidden one</p><p aria-hidden="true">hidden two</p>'
        '<p style="display: none">hidden three</p><script>alert(1)</script>'
        '<p onclick="x()"><a href="javascript:alert(1)">bad link</a></p>'
        '<iframe src="https://player.vimeo.com/video/12345" title="A film"></iframe>'
        '<iframe src="https://ads.example.com/frame"></iframe>'
    )
    for text in ("hidden one", "hidden two", "hidden three", "alert", "onclick", "ads.example"):
        assert text not in body
    assert "<p>bad link</p>" in body
    assert '<p><a href="https://vimeo.com/12345">A film</a></p>' in body


def test_class_rules_spare_false_positives() -> None:
    body = body_of(
        '<div class="header-image"><img src="/h.jpg" alt="h"></div>'
        '<p class="shareholder-note">Shareholders met on Monday.</p>'
        '<span class="comments-count">12</span>'
        '<div class="share-buttons"><a href="/s">Share it</a></div>'
        '<div class="related-posts"><a href="/r">Other post</a></div>'
    )
    assert '<img alt="h" src="/h.jpg"/>' in body
    assert "Shareholders met on Monday." in body
    assert "Share it" not in body
    assert "Other post" not in body


def test_unparseable_input() -> None:
    with pytest.raises(ExtractError):
        extract("   ", "https://example.com/")


# -- metadata ---------------------------------------------------------------------------

def meta_of(head: str, body: str = "", url: str = "https://example.com/post/") -> dict:
    article = extract(page(body, head), url)
    return article.__dict__


def test_jsonld_graph_list_authors_and_keywords() -> None:
    head = ('<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Site"},'
            '{"@type": "BlogPosting", "headline": "Graph &amp; title", "author": [{"name": "A B"},'
            ' "C D"], "keywords": "x, y", "datePublished": "2024-05-17",'
            ' "articleSection": "Notes", "image": {"url": "/i.png"}}]}</script>'
            '<script type="application/ld+json">{broken</script>')
    meta = meta_of(head)
    assert meta["title"] == "Graph & title"
    assert meta["authors"] == ("A B", "C D")
    assert meta["tags"] == ("x", "y")
    assert meta["categories"] == ("Notes",)
    assert meta["published"] == dt.date(2024, 5, 17)
    assert meta["site_name"] == "Site"
    assert meta["image"] == "https://example.com/i.png"


def test_author_meta_skips_urls_and_handles() -> None:
    head = ('<meta property="article:author" content="https://facebook.com/someone">'
            '<meta name="twitter:creator" content="@someone">'
            '<meta name="author" content="Real Name">')
    assert meta_of(head)["authors"] == ("Real Name",)


def test_byline_element() -> None:
    meta = meta_of("", '<p class="byline">By <a href="/author/jo/">Jo Bloggs</a>, Reporter</p>')
    assert meta["authors"] == ("Jo Bloggs",)


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta name="date" content="2020-01-02">', dt.date(2020, 1, 2)),
    ('<meta name="DC.date.issued" content="2020-01-02T10:00:00Z">',
     dt.datetime(2020, 1, 2, 10, tzinfo=dt.timezone.utc)),
    ('<meta name="sailthru.date" content="2020-01-02 10:00:00">', dt.datetime(2020, 1, 2, 10)),
    ('<meta name="parsely-pub-date" content="2020-01-02T10:00:00+02:00">',
     dt.datetime(2020, 1, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
])
def test_date_meta_variants(head: str, expected: dt.date) -> None:
    assert meta_of(head)["published"] == expected


def test_date_from_time_element_and_url() -> None:
    assert meta_of("", '<time datetime="2021-03-04">March</time>')["published"] == dt.date(
        2021, 3, 4)
    assert meta_of("", url="https://example.com/2019/07/08/post/")["published"] == dt.date(
        2019, 7, 8)


def test_canonical_base_language_description() -> None:
    head = ('<link rel="canonical" href="/canon/"><base href="/sub/">'
            '<meta property="og:description" content="Og text">'
            '<meta property="og:locale" content="de_DE">')
    article = extract(page("", head, lang=""), "https://example.com/a/b")
    assert article.url == "https://example.com/canon/"
    assert article.base_url == "https://example.com/sub/"
    assert article.description == "Og text"
    assert article.language == "de-DE"
    assert article.site_url == "https://example.com/"


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("A post about things | Site", "Site", "A post about things"),
    ("A post about things - Site", "", "A post about things"),
    ("A post about things — My Site", "", "A post about things"),
    ("A post about things · Site", "", "A post about things"),
    ("Site: A post", "Site", "A post"),
    ("Short - title", "", "Short - title"),
])
def test_title_suffix(title: str, site: str, expected: str) -> None:
    assert strip_site_suffix(title, site) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-05-17", dt.date(2024, 5, 17)),
    ("2024-05-17T08:30:00Z", dt.datetime(2024, 5, 17, 8, 30, tzinfo=dt.timezone.utc)),
    ("Fri, 17 May 2024 08:30:00 +0000", dt.datetime(2024, 5, 17, 8, 30,
                                                    tzinfo=dt.timezone.utc)),
    ("May 17, 2024", dt.date(2024, 5, 17)),
    ("17 May 2024", dt.date(2024, 5, 17)),
    ("yesterday", None),
])
def test_parse_date(raw: str, expected: dt.date | None) -> None:
    assert parse_date(raw) == expected


def test_a_short_post_that_mentions_404_is_not_an_error_page() -> None:
    from vellum.pipeline import convert_html

    page = wordpress_post("Notes on caching (#404)", body="<p>" + "Caches hide slow disks. " * 30
                          + "</p>")
    assert "Caches hide slow disks." in convert_html(page, "https://e.com/404/")
    error = wordpress_post("Page not found", body="<p>Try the search box above instead.</p>")
    with pytest.raises(NotArticleError, match="an error page"):
        convert_html(error, "https://e.com/missing/")
