"""Body rules of the extract stage: teaser lines, datelines, very short posts, selectors."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from vellum.errors import NotArticleError
from vellum.extract import extract
from vellum.extract.dom import parse_selector

PROSE = ("<p>" + "A sentence about nothing much, written to give the page some weight. " * 4
         + "</p>")
URL = "https://example.com/post/"


def body_of(inner: str) -> str:
    html = (f"<html><head><title>T</title></head><body><article>{PROSE}{inner}{PROSE}"
            "</article></body></html>")
    return extract(html, URL).body_html


@pytest.mark.parametrize("line", [
    '<p><strong>Read more:</strong> <a href="/other">Another story about boats</a></p>',
    '<p>Lesen Sie auch: <a href="/andere">Ein anderer Artikel</a></p>',
    '<p>VEA TAMBIÉN: <a href="/otra">Otra noticia</a></p>',
])
def test_read_more_lines_inside_the_body_go(line: str) -> None:
    body = body_of(line)
    for href in ("/other", "/andere", "/otra"):
        assert href not in body
    assert "nothing much" in body


def test_a_read_more_word_in_a_sentence_stays() -> None:
    body = body_of('<p>Read more about it in <a href="/doc">the manual</a>, which is long '
                   "and has many chapters about boats, sails and the sea.</p>")
    assert "the manual" in body


def test_a_dateline_goes_but_a_date_in_a_sentence_stays() -> None:
    body = body_of('<div class="x"><time datetime="2020-04-03">03.04.2020</time></div>'
                   '<p>The law changed on <time datetime="2019-01-01">1 January 2019</time>, '
                   "after a long debate in parliament about the details of it.</p>"
                   '<p>Prep time: <time datetime="PT15M">15 min</time></p>')
    assert "03.04.2020" not in body
    assert "1 January 2019" in body
    assert "15 min" in body


def test_a_page_that_is_one_short_note_is_kept() -> None:
    article = extract("<html><body><main><p>Shipped v2 today.</p></main></body></html>", URL)
    assert "Shipped v2 today." in article.body_html


@pytest.mark.parametrize("html", [
    "<html><body><div id='app'>Loading…</div></body></html>",
    "<html><body><div id='app'> </div></body></html>",
])
def test_a_placeholder_page_is_not_an_article(html: str) -> None:
    with pytest.raises(NotArticleError, match="no meaningful text"):
        extract(html, URL)


@pytest.mark.parametrize(("selector", "markup", "hit"), [
    ("[itemprop~=articleBody]", '<div itemprop="text articleBody">x</div>', True),
    ("[itemprop~=articleBody]", '<div itemprop="articleBodyX">x</div>', False),
    (".body.markup", '<div class="markup body extra">x</div>', True),
    (".body.markup", '<div class="body">x</div>', False),
    ("article section", "<article><div><section>x</section></div></article>", True),
    ("article section", "<div><section>x</section></div>", False),
    ("a[aria-hidden=true]", '<a aria-hidden="true">x</a>', True),
    ("[role=main]", '<div role="main">x</div>', True),
])
def test_simple_selectors_match_like_css(selector: str, markup: str, hit: bool) -> None:
    soup = BeautifulSoup(markup, "lxml")
    rule = parse_selector(selector)
    found = [t for t in soup.find_all(True) if rule.matches(t, frozenset(t.get("class") or ()))]
    assert bool(found) == hit
    assert bool(soup.select(selector)) == hit


def test_ruby_readings_do_not_split_the_words() -> None:
    ruby = "<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>"
    text = BeautifulSoup(body_of(f"<p>{ruby}を読む練習をします。</p>"), "lxml").get_text()
    assert "漢字を読む練習をします。" in text
    assert "かんじ" not in text


def test_text_is_stored_in_one_unicode_spelling() -> None:
    decomposed = "Cafe\u0301 de\u0301ja\u0300 vu"
    html = (f"<html><head><title>{decomposed}</title></head><body><article>{PROSE}"
            f"<p>{decomposed}, and \u09a1\u09bc / \u09dc in Bengali.</p></article></body></html>")
    article = extract(html, URL)
    assert article.title == "Café déjà vu"
    assert "Café déjà vu, and" in article.body_html
    # U+09DC is excluded from composition: NFC spells it as the pair, both ways in.
    assert "\u09a1\u09bc / \u09a1\u09bc in Bengali" in article.body_html


def _script_rendered_page(article_body: str) -> str:
    data = ('{"@context": "https://schema.org", "@type": "NewsArticle", '
            '"headline": "How to fold a tablecloth", '
            f'"articleBody": "{article_body}"}}')
    return ("<html><head><title>How to fold a tablecloth</title>"
            f'<script type="application/ld+json">{data}</script></head>'
            '<body><div id="app"></div><script src="/bundle.js"></script></body></html>')


def test_a_script_rendered_post_comes_from_its_schema_org_article_body() -> None:
    text = ("Lay the cloth flat on the table. " * 5 + "\\n"
            + "Fold it in half &amp; then in half again, <never> by the corners. " * 3)
    article = extract(_script_rendered_page(text), URL)
    assert article.title == "How to fold a tablecloth"
    paragraphs = BeautifulSoup(article.body_html, "lxml").find_all("p")
    assert len(paragraphs) == 2
    assert paragraphs[0].get_text().startswith("Lay the cloth flat on the table. Lay")
    assert "in half & then in half again, <never> by" in paragraphs[1].get_text()
    assert "<never>" not in article.body_html  # text, escaped, never markup


def test_a_short_article_body_does_not_rescue_an_empty_page() -> None:
    with pytest.raises(NotArticleError, match="no meaningful text"):
        extract(_script_rendered_page("A teaser sentence."), URL)
