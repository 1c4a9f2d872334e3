"""Metadata the theme shows: taxonomy links and chips, author lists, dates as text."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from vellum.extract import extract, jsonld
from vellum.extract.dates import parse_text_date
from vellum.models import Article

from .conftest import page_html

PROSE = ("<p>Static site generators turned blogging back into writing files, and this post "
         "looks at what breaks when a theme changes its markup under an archiver.</p>")


def run(name: str, url: str) -> Article:
    return extract(page_html(name), url)


def test_material_blog_sidebar_authors_categories_and_tags() -> None:
    article = run("meta_material_blog_post.html",
                  "https://hpc.example.org/blog/2025/02/11/summer-school/")
    assert article.authors == ("Ines Duarte", "Pieter de Wit")
    # "in Career, Events" in the sidebar's meta; the navigation's category list and the
    # category linked from a sentence of the post are not the post's.
    assert article.categories == ("Career", "Events")
    assert article.tags == ("training", "gpu")


def test_docusaurus_lists_every_author() -> None:
    article = run("meta_docusaurus_authors.html",
                  "https://orbit.example.io/blog/2023/03/14/schema-loader")
    assert article.authors == ("Mira Okafor", "Tobias Vance")
    assert article.tags == ("codegen", "schema")


def test_hexo_next_category_and_hash_tags_not_the_menu() -> None:
    article = run("meta_hexo_next_post.html", "https://tie.example.tw/2019/04/07/uart/")
    assert article.categories == ("技術",)  # the menu's /categories/ links are not it
    assert article.tags == ("UART", "嵌入式")  # "# UART" chips, without the mark


def test_astropaper_chips_beside_the_article_not_related_or_cloud() -> None:
    article = run("meta_astropaper_post.html",
                  "https://notes.example.net/posts/zero-downtime-migrations/")
    assert article.tags == ("postgres", "deployment")


def test_pelican_meta_tags_and_site_title_is_no_author() -> None:
    article = run("meta_pelican_post.html", "https://longdiv.example.com/queueing.html")
    assert article.tags == ("math", "performance-engineering")
    assert article.authors == ()  # <a class="site-title" rel="author" href="/">
    assert article.published == dt.date(2022, 3, 12)


def page(head: str = "", meta_line: str = "", lang: str = "en", after: str = "") -> str:
    return (f'<html lang="{lang}"><head><title>A post</title>{head}</head><body>'
            f'<header class="site-header"><a href="/">Site</a></header>'
            f'<article class="post"><header class="post-header"><h1>A post</h1>{meta_line}'
            f"</header>{PROSE * 3}{after}</article></body></html>")


def test_hugo_section_is_not_a_category_but_shown_categories_are() -> None:
    html = page('<meta property="article:section" content="posts">',
                after='<footer class="post-footer"><ul class="post-tags"><li>'
                      '<a href="/categories/databases/">Databases</a></li></ul></footer>')
    assert extract(html, "https://blog.example.com/p/").categories == ("Databases",)


def test_keywords_are_tags_only_on_static_generators() -> None:
    keywords = '<meta name="keywords" content="rust, wasm">'
    hugo = page(keywords + '<meta name="generator" content="Hugo 0.125.4">')
    assert extract(hugo, "https://blog.example.com/p/").tags == ("rust", "wasm")
    assert extract(page(keywords), "https://news.example.com/p/").tags == ()


def test_double_encoded_json_ld_is_read_unquoted() -> None:
    script = ('<script type="application/ld+json">{"@type": "BlogPosting", '
              '"headline": "\\"A post\\"", "datePublished": "\\"2026-08-21T00:00:00Z\\"", '
              '"author": {"@type": "Person", "name": "\\"Russell\\""}}</script>')
    article = extract(page(script), "https://blog.example.com/p/")
    assert article.authors == ("Russell",)
    assert article.published == dt.datetime(2026, 8, 21, tzinfo=dt.timezone.utc)


def test_a_quoted_headline_alone_stays_quoted() -> None:
    script = ('<script type="application/ld+json">{"@type": "BlogPosting", '
              '"headline": "\\"Quoted\\"", "datePublished": "2026-08-21"}</script>')
    objs = jsonld.objects(BeautifulSoup(script, "html.parser"))
    assert objs[0]["headline"] == '"Quoted"'


def test_wordpress_date_shown_only_as_text() -> None:
    line = ('<div class="entry-meta"><span class="posted-on">Posted on <a href="/p/" '
            'rel="bookmark"><time class="entry-date published">July 22, 2021</time></a>'
            '</span></div>')
    assert extract(page(meta_line=line), "https://blog.example.com/p/").published == \
        dt.date(2021, 7, 22)


@pytest.mark.parametrize(("lang", "shown", "day"), [
    ("de", "Veröffentlicht am 5. März 2024", dt.date(2024, 3, 5)),
    ("fr", "Publié le 14 mai 2024", dt.date(2024, 5, 14)),
    ("fr", "Publié le 14/05/2024", dt.date(2024, 5, 14)),
    ("en-US", "Posted 05/14/2024", dt.date(2024, 5, 14)),
    ("en-GB", "Posted 05/06/2024", dt.date(2024, 6, 5)),
    ("es", "Publicado el 5 de marzo de 2024", dt.date(2024, 3, 5)),
])
def test_dates_in_the_pages_language(lang: str, shown: str, day: dt.date) -> None:
    line = f'<div class="post-meta"><span class="post-date">{shown}</span></div>'
    article = extract(page(meta_line=line, lang=lang), "https://blog.example.com/p/")
    assert article.published == day


@pytest.mark.parametrize(("text", "lang", "day"), [
    ("5. März 2024", "de", dt.date(2024, 3, 5)),
    ("14 mai 2024", "fr", dt.date(2024, 5, 14)),
    ("14/05/2024", "fr", dt.date(2024, 5, 14)),
    ("05/14/2024", "en-US", dt.date(2024, 5, 14)),
    ("2018年12月2日", "zh-TW", dt.date(2018, 12, 2)),
    ("Posted on July 22, 2021 · 5 min read", "en", dt.date(2021, 7, 22)),
])
def test_parse_text_date(text: str, lang: str, day: dt.date) -> None:
    assert parse_text_date(text, lang) == day


@pytest.mark.parametrize("text", ["Updated 3 days ago", "12 apples in 2024", "", "x" * 300])
def test_text_without_a_date(text: str) -> None:
    assert parse_text_date(text, "en") is None


def test_numeric_date_needs_the_language_when_either_could_be_the_day() -> None:
    assert parse_text_date("02.11.2021", "") is None
    assert parse_text_date("02.11.2021", "de") == dt.date(2021, 11, 2)
    assert parse_text_date("21.04.2022", "") == dt.date(2022, 4, 21)


def test_related_post_times_are_not_the_posts_date() -> None:
    # PaperMod: the date only in the post-meta line's text, related posts with <time>.
    line = ("<div class=\"post-meta\"><span title='2026-08-21 00:00:00 +0000 UTC'>"
            "August 21, 2026</span>&nbsp;·&nbsp;<span>5 min</span>&nbsp;·&nbsp;"
            "<span>Russell</span></div>")
    related = ('<div class="related-posts"><h2>Related</h2><ul><li><a href="/blog/x/">X</a>'
               '<time class="related-post-date" datetime="2026-08-16">August 16, 2026</time>'
               "</li></ul></div>")
    article = extract(page(meta_line=line, after=related), "https://blog.example.com/p/")
    assert article.published == dt.date(2026, 8, 21)


def test_forem_hash_chips_are_tags_but_a_plain_t_link_is_not() -> None:
    # Forem (dev.to): tag chips link /t/<tag> and read "#tag".
    chips = ('<div class="spec__tags"><a class="crayons-tag" href="/t/python">'
             '<span class="crayons-tag__prefix">#</span>python</a>'
             '<a class="crayons-tag" href="/t/testing"><span class="crayons-tag__prefix">#'
             '</span>testing</a><a href="/t/about">About this tag</a></div>')
    article = extract(page(meta_line=chips), "https://dev.example.to/ann/post-1")
    assert article.tags == ("python", "testing")


def test_plain_text_tag_line_when_the_head_is_silent() -> None:
    # Pelican's minima-style theme: "Tags: a, b" (or "Tag: a") as text under the post.
    html = page_html("meta_pelican_post.html").replace('<meta name="tags"', '<meta name="x"')
    article = extract(html, "https://longdiv.example.com/queueing.html")
    assert article.tags == ("math", "performance-engineering")
    prose = page(after='<p>Tags: these are not a line of the post meta, but prose.</p>')
    assert extract(prose, "https://blog.example.com/p/").tags == ()
    single = page(after='<p class="post-meta">\n    Tag: rl\n  </p>')
    assert extract(single, "https://blog.example.com/p/").tags == ("rl",)
