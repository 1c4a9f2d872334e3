"""Metadata: source priority, entity repair, author hygiene, the lead-paragraph description."""

from __future__ import annotations

import pytest

from vellum.extract import extract
from vellum.extract.metadata import _byline_class, split_authors, strip_site_suffix
from vellum.extract.postmeta import _taxonomy_hint
from vellum.rules.extract import BYLINE_CLASS_RE, TAXONOMY_HINT_RE

LEAD = ("<p>Static site generators turned blogging back into writing files. This post looks at "
        "why that matters for archiving, and what breaks when a theme changes its markup "
        "under you. It also covers the boring parts: redirects, feeds, and the long tail of "
        "old permalinks that nobody remembers until a search engine does.</p>")
MORE = "<p>" + "Another paragraph of plain prose for the page to have weight. " * 4 + "</p>"


def article(head: str = "", body: str = LEAD + MORE, h1: str = "<h1>Post title</h1>"):
    html = (f"<html><head><title>Post title | Site</title>{head}</head><body><article>"
            f"{h1}{body}</article></body></html>")
    return extract(html, "https://example.com/post/")


def test_dublin_core_and_property_attributes_win() -> None:
    head = ('<meta name="og:title" content="Name copy"><meta property="og:title" '
            'content="Property title"><meta name="DC.title" content="DC name">'
            '<meta property="dc:title" content="DC property title">'
            '<meta property="dc:description" content="DC summary">'
            '<meta name="description" content="Plain">')
    found = article(head, h1="")
    assert found.title == "DC property title"
    assert found.description == "DC summary"


def test_space_separated_properties_are_each_read() -> None:
    head = ('<meta property="x:title dc:title" content="Preferred">'
            '<meta property="og:title twitter:title" content="Other">')
    assert article(head, h1="").title == "Preferred"


def test_cut_off_description_loses_to_the_whole_copy() -> None:
    head = ('<meta name="description" content="He said the laws are the ">'
            '<meta property="og:description" content="He said the laws are the biggest '
            'frustration of his term.">')
    assert article(head).description == "He said the laws are the biggest frustration of his term."


def test_double_escaped_description_is_unescaped() -> None:
    head = '<meta property="og:description" content="That&amp;#039;s &amp;quot;it&amp;quot;">'
    assert article(head).description == "That's \"it\""


def test_description_falls_back_to_first_paragraph_cut_at_a_sentence() -> None:
    body = '<figure><p>A caption paragraph, not the lead of the post.</p></figure>' + LEAD + MORE
    assert article(body=body).description == (
        "Static site generators turned blogging back into writing files. This post looks at "
        "why that matters for archiving, and what breaks when a theme changes its markup "
        "under you.")


def test_short_first_paragraph_kept_whole_and_tiny_ones_skipped() -> None:
    body = "<p>Hi.</p><p>A short opening line that says what this is about.</p>" + MORE
    assert article(body=body).description == (
        "A short opening line that says what this is about.")


def test_taglines_and_bylines_are_not_the_lead() -> None:
    body = ("<p>From Wikipedia, the free encyclopedia</p>"
            "<p>Posted by Ann Lee on 2019-02-15, all posts.</p>" + LEAD + MORE)
    assert article(body=body).description.startswith("Static site generators turned")


def test_lead_without_sentence_end_is_cut_at_a_word() -> None:
    body = "<p>" + "word " * 100 + "</p>" + MORE
    description = article(body=body).description
    assert description.endswith("word…")
    assert len(description) <= 301


@pytest.mark.parametrize(("raw", "expected"), [
    ("By Ann Lee and Bo Chu", ["Ann Lee", "Bo Chu"]),
    ("Ann Lee, Bo Chu & Cy Dee", ["Ann Lee", "Bo Chu", "Cy Dee"]),
    ("Lee, Ann", ["Lee, Ann"]),
    ("By Nathan Willis March 25, 2015", ["Nathan Willis"]),
    ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", ["Bradley M. Kuhn"]),
    ("https://www.facebook.com/someone", []),
    ("By", []),
    ("Staff", []),
    ("Posted on 2020-01-02", []),
    ("Last Updated: January 7, 2025", []),
])
def test_split_authors(raw: str, expected: list[str]) -> None:
    assert split_authors(raw) == expected


def test_author_meta_with_two_people() -> None:
    head = '<meta name="author" content="Ann Lee and Bo Chu">'
    assert article(head).authors == ("Ann Lee", "Bo Chu")


def test_org_author_from_og_article_author() -> None:
    head = '<meta property="og:article:author" content="Example News">'
    assert article(head).authors == ("Example News",)


def test_jsonld_author_that_is_junk_falls_through_to_meta() -> None:
    head = ('<script type="application/ld+json">{"@type": "BlogPosting", "author": '
            '{"name": "Staff"}}</script><meta name="author" content="Real Person">')
    assert article(head).authors == ("Real Person",)


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Chapter 1 - Some Author - Fandom | Series [Archive of Our Own]", "",
     "Chapter 1 - Some Author - Fandom"),
    ("Release notes [Example Blog]", "Example Blog", "Release notes"),
    ("A post about things [Example Blog]", "", "A post about things"),
])
def test_bracketed_site_suffix(title: str, site: str, expected: str) -> None:
    assert strip_site_suffix(title, site) == expected


@pytest.mark.parametrize("names", ["post-author", "Entry-Byline", "WrittenBy", "c-DATELINE x",
                                   "nav-item", "autor", "bylıne", "AUTHOR-ñ", "ɑuthor"])
def test_the_fast_byline_class_test_says_what_the_pattern_says(names: str) -> None:
    assert _byline_class(names) == bool(BYLINE_CLASS_RE.search(names))


@pytest.mark.parametrize("href", ["/tags/python/", "/Category/News", "/T/x", "/TOPICS/",
                                  "/blog/post/", "/labelled", "/catégorie/", "/taĝ/", "/tİg"])
def test_the_fast_taxonomy_hint_says_what_the_pattern_says(href: str) -> None:
    assert _taxonomy_hint(href) == bool(TAXONOMY_HINT_RE.search(href))


def test_a_byline_class_with_a_dotless_i_still_counts() -> None:
    # Python's IGNORECASE pattern takes ı for i; the ASCII shortcut must not lose that.
    assert _byline_class("post-bylıne") is True
