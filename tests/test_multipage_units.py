"""Units of teaser/pagination detection (extract) and page joining (archive), no network."""

from __future__ import annotations

import pytest

from vellum.archive.multipage import bundle, extract_stored, gather, join_articles, unbundle
from vellum.convert import render
from vellum.errors import NotArticleError
from vellum.extract import extract
from vellum.extract.pagination import CONTINUE_LINK_RE, page_number, same_site
from vellum.models import Article, Page
from vellum.urls import url_key

from .conftest import page_html

SITE = "https://blog.example.org"
PROSE = ("<p>Our allotment had three beds of leeks that never grew thicker than a pencil, "
         "and the neighbours had opinions about every one of them, loudly, every weekend.</p>")


def page(body: str, head: str = "", title: str = "A post") -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>"
            f'<header class="site-header"><a href="/">Allotment diary</a></header>'
            f"<main>{body}</main><footer class='site-footer'>© 2024</footer></body></html>")


@pytest.mark.parametrize("text", [
    "Read more »", "Read More", "Continue reading →", "Continue reading “Leeks, again”",
    "Weiterlesen", "Mehr lesen …", "Lire la suite", "Leer más", "Seguir leyendo",
    "Read the full post", "Read the full article", "Keep reading", "[Read more...]",
])
def test_read_more_phrases(text: str) -> None:
    assert CONTINUE_LINK_RE.match(text)


@pytest.mark.parametrize("text", [
    "Read more about leeks in my earlier post", "Continue", "More", "Reading list",
])
def test_sentences_are_not_read_more_links(text: str) -> None:
    assert not CONTINUE_LINK_RE.match(text)


@pytest.mark.parametrize(("url", "stem", "number"), [
    ("https://x.org/2024/03/post/", "x.org/2024/03/post", 1),
    ("https://x.org/2024/03/post/2/", "x.org/2024/03/post", 2),
    ("https://x.org/news/story.html?seite=3", "x.org/news/story.html", 3),
    ("https://x.org/news/story.html?page=2&utm_source=feed", "x.org/news/story.html", 2),
    ("https://x.org/news/story-2.html", "x.org/news/story.html", 2),
    ("https://x.org/page/2/", "x.org/page/2", 1),  # a blog index page, not an article page
    ("https://x.org/2024/05/", "x.org/2024/05", 1),  # a date archive
    ("https://x.org/?p=123", "x.org/?p=123", 1),  # WordPress's post id
    ("https://x.org/episode/1/", "x.org/episode/1", 1),  # page 1 is the bare URL
])
def test_page_number(url: str, stem: str, number: int) -> None:
    assert page_number(url) == (stem, number)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://www.x.org/a", "https://blog.x.org/b", True),
    ("https://x.org/a", "http://x.org:8080/b", True),
    ("https://a.example.co.uk/", "https://b.example.co.uk/", True),
    ("https://example.co.uk/", "https://other.co.uk/", False),
    ("https://x.org/", "https://x.com/", False),
    ("http://127.0.0.1:8000/", "http://localhost:8000/", False),
])
def test_same_site(a: str, b: str, same: bool) -> None:
    assert same_site(a, b) is same


def test_wordpress_more_link_teaser() -> None:
    html = page('<article class="post type-post hentry"><h2 class="entry-title">'
                '<a href="/2024/leeks/">Leeks, again</a></h2><div class="entry-content">'
                f'{PROSE}<p><a href="/2024/leeks/#more-88" class="more-link">Continue reading'
                '<span class="screen-reader-text"> "Leeks, again"</span></a></p></div></article>')
    article = extract(html, f"{SITE}/category/garden/")
    assert article.continuation_url == f"{SITE}/2024/leeks/"
    assert article.next_page_url is None


def test_hugo_summary_read_more() -> None:
    html = page('<div class="relative w-100 mb4"><div class="summary"><h1 class="f3">'
                '<a href="/posts/leeks/">Leeks, again</a></h1>'
                f'<div class="nested-copy-line-height">{PROSE}</div>'
                '<a href="/posts/leeks/" class="ba b--moon-gray bg-light-gray br2 ph2 pv1">'
                "read more</a></div></div>")
    assert extract(html, f"{SITE}/tags/garden/").continuation_url == f"{SITE}/posts/leeks/"


def test_long_article_ending_with_unmarked_related_card_is_no_teaser() -> None:
    body = PROSE * 14 + ('<div class="cards"><h3><a href="/2023/beans/">Beans</a></h3>'
                         '<a href="/2023/beans/">Read more →</a></div>')
    article = extract(page(f"<article>{body}</article>"), f"{SITE}/2024/leeks/")
    assert article.continuation_url is None
    assert "Our allotment had three beds" in article.body_html


def test_read_more_link_mid_article_is_no_teaser() -> None:
    body = (PROSE + '<p><a href="/2023/beans/">Read more</a></p>' + PROSE * 2)
    article = extract(page(f"<article>{body}</article>"), f"{SITE}/2024/leeks/")
    assert article.continuation_url is None


def test_adjacent_post_rel_next_is_not_a_next_page() -> None:
    html = page(f"<article>{PROSE * 3}</article>",
                head='<link rel="next" href="/2024/05/beans/"><link rel="prev" href="/2024/01/">')
    article = extract(html, f"{SITE}/2024/04/leeks/")
    assert (article.next_page_url, article.first_page_url) == (None, None)


def test_rel_next_to_page_two_of_the_same_post() -> None:
    html = page(f"<article>{PROSE * 3}</article>", head='<link rel="next" href="2/">')
    article = extract(html, f"{SITE}/2024/04/leeks/")
    assert article.next_page_url == f"{SITE}/2024/04/leeks/2/"


def test_index_of_teasers_with_rel_next_is_no_article() -> None:
    html = page_html("blog_index.html").replace("</head>", '<link rel="next" href="/page/2/">')
    with pytest.raises(NotArticleError, match="teasers, not an article"):
        extract(html, "https://fieldnotes.example.com/")


def test_page_links_are_removed_from_every_page() -> None:
    html = page_html("multipage_wordpress_2.html")
    article = extract(html, "https://slow.example.com/2024/03/the-long-way-round-the-baltic/2/")
    assert "Nida deserves more" in article.body_html
    assert "Pages:" not in article.body_html
    assert "post-page-numbers" not in article.body_html


def with_note(text: str, note: str) -> Article:
    return Article(body_html=(f'<p>{text}<sup data-footnote-ref="1"></sup></p>'
                              f'<section data-footnotes><div data-footnote="1"><p>{note}</p>'
                              "</div></section>"), title="Split", url=f"{SITE}/split/")


def test_join_keeps_footnotes_of_every_page_apart() -> None:
    joined = join_articles([with_note("First page.", "Note one."),
                            with_note("Second page.", "Note two."),
                            Article(body_html="<p>Third page.</p>")])
    assert joined.title == "Split"
    assert joined.body_html.count("<section data-footnotes") == 1
    assert joined.body_html.index("Third page.") < joined.body_html.index("<section")
    body = render(joined, "default").body
    assert "First page.[^1]" in body
    assert "Second page.[^2]" in body
    assert "[^1]: Note one." in body
    assert "[^2]: Note two." in body


def test_bundle_round_trip() -> None:
    pages = [Page(url=f"{SITE}/a/", final_url=f"{SITE}/a/", html="<html>ä\n<!--vellum:pages"),
             Page(url=f"{SITE}/a/2/", final_url=f"{SITE}/a/2/", html="<html>🙂 two</html>")]
    raw = bundle(pages)
    assert unbundle(raw) == [(f"{SITE}/a/", pages[0].html), (f"{SITE}/a/2/", pages[1].html)]
    assert unbundle("<html><body>one page</body></html>") is None
    assert unbundle(raw[:-3]) is None  # damaged: read as one page, never mis-split


def test_extract_stored_joins_a_bundle_like_add_did() -> None:
    urls = [f"https://slow.example.com/2024/03/the-long-way-round-the-baltic/{n}" for n in
            ("", "2/", "3/")]
    pages = [Page(url=u, final_url=u, html=page_html(f"multipage_wordpress_{n}.html"))
             for n, u in enumerate(urls, start=1)]
    joined = extract_stored(bundle(pages), urls[0])
    assert [joined.body_html.index(s) for s in ("We left", "Nida deserves", "Liepāja")] == sorted(
        joined.body_html.index(s) for s in ("We left", "Nida deserves", "Liepāja"))
    assert joined.next_page_url is None
    assert url_key(str(joined.url)) == url_key(urls[0])


def test_short_article_with_related_cards_is_kept_whole() -> None:
    cards = "".join(f'<div class="card"><h3><a href="/2023/{s}/">{s.title()}</a></h3>'
                    f'<p>A short note.</p><a href="/2023/{s}/">Read more</a></div>'
                    for s in ("beans", "kale"))
    article = extract(page(f"<article>{PROSE * 4}{cards}</article>"), f"{SITE}/2024/leeks/")
    assert article.continuation_url is None
    assert "Our allotment had three beds" in article.body_html


def test_numbered_series_is_not_one_split_post() -> None:
    html = page(f"<article>{PROSE * 3}</article>",
                head='<link rel="prev" href="/episode/1/"><link rel="next" href="/episode/3/">')
    article = extract(html, f"{SITE}/episode/2/")
    assert (article.next_page_url, article.first_page_url) == (None, None)


def test_weiterlesen_to_page_two_is_the_next_page() -> None:
    html = page('<article><h1>Ehe-Aus</h1>' + PROSE * 2 + '<div class="text-center">'
                '<a class="btn btn-success" href="/contents/177-ehe-aus?p=2&amp;locale=de">'
                "Weiterlesen &gt;&gt;</a></div></article>")
    article = extract(html, f"{SITE}/contents/177-ehe-aus?locale=de")
    assert article.next_page_url == f"{SITE}/contents/177-ehe-aus?p=2&locale=de"
    assert article.continuation_url is None
    assert "Weiterlesen" not in article.body_html
    third = extract(html.replace("p=2&amp;", "p=3&amp;"),
                    f"{SITE}/contents/177-ehe-aus?p=2&locale=de")
    assert third.next_page_url == f"{SITE}/contents/177-ehe-aus?p=3&locale=de"


def test_wordpress_post_id_urls_are_not_pages() -> None:
    html = page(f"<article>{PROSE * 3}</article>", head='<link rel="next" href="/?p=13">')
    assert extract(html, f"{SITE}/?p=12").next_page_url is None


def test_gather_teaser_of_a_split_post_without_network() -> None:
    base = "https://slow.example.com/2024/03/the-long-way-round-the-baltic/"
    teaser_url = "https://slow.example.com/category/travel/"
    teaser = page('<article class="post hentry"><h2 class="entry-title">'
                  f'<a href="{base}">The long way round the Baltic</a></h2>'
                  f'<div class="entry-content">{PROSE}<p><a class="more-link" '
                  f'href="{base}#more-311">Continue reading</a></p></div></article>')
    served = {base: "multipage_wordpress_1.html", f"{base}2/": "multipage_wordpress_2.html",
              f"{base}3/": "multipage_wordpress_3.html"}
    asked: list[str] = []

    def fetch_page(url: str, via: str) -> Page:
        assert via == "public"  # links found on a page served from a public address
        asked.append(url)
        return Page(url=url, final_url=url, html=page_html(served[url]))

    first = Page(url=teaser_url, final_url=teaser_url, html=teaser)
    whole = gather(first, extract(teaser, teaser_url), fetch_page)
    assert asked == [base, f"{base}2/", f"{base}3/"]
    assert whole.page.url == base
    assert set(whole.aliases) == {teaser_url, f"{base}2/", f"{base}3/"}
    body = whole.article.body_html
    assert body.index("We left Gdańsk") < body.index("Nida deserves") < body.index("Liepāja")
    assert "Our allotment" not in body
    assert [u for u, _ in unbundle(whole.page.html) or []] == [base, f"{base}2/", f"{base}3/"]


def test_page_of_lines_are_removed() -> None:
    html = page(f'<article>{PROSE * 2}<p class="info">Page 1 of 3</p>{PROSE}'
                '<div><span>Seite 1 von 3</span></div></article>',
                head='<link rel="next" href="2/">')
    article = extract(html, f"{SITE}/2024/04/leeks/")
    assert article.next_page_url == f"{SITE}/2024/04/leeks/2/"
    assert "Page 1 of 3" not in article.body_html
    assert "Seite 1 von 3" not in article.body_html
    assert article.body_html.count("Our allotment") == 3


def test_index_of_whole_posts_with_query_pagination_is_not_split() -> None:
    posts = "".join(f'<div class="blog-item"><h2><a href="/blog/{s}">{s.title()}</a></h2>'
                    f"{PROSE}</div>" for s in ("leeks", "beans", "kale"))
    html = page(f'<div class="blog-list">{posts}<div class="pagination">'
                '<a href="/blog?page=2">Next page</a></div></div>',
                head='<link rel="next" href="/blog?page=2">')
    article = extract(html, f"{SITE}/blog")
    assert (article.next_page_url, article.continuation_url) == (None, None)
