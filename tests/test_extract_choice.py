"""Choosing the article box: overlays, related-post cards, script-rendered posts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from vellum.errors import NotArticleError
from vellum.extract import extract
from vellum.extract.noise import is_noise

URL = "https://example.com/post/"
SENTENCE = "The river rose again overnight, and the town council met at dawn to plan. "


def _card(n: int) -> str:
    # Elementor's "posts" widget: the related-story cards WordPress themes show.
    return (f'<article class="elementor-post post"><div class="elementor-post__card">'
            f'<h3 class="elementor-post__title"><a href="/p{n}/">Story number {n}</a></h3>'
            f'<div class="elementor-post__excerpt"><p>{"A short teaser line. " * 3}</p></div>'
            f'<a class="elementor-post__read-more" href="/p{n}/">Weiterlesen »</a>'
            "</div></article>")


def test_related_cards_do_not_hide_a_long_text() -> None:
    cards = "".join(_card(n) for n in range(4))
    html = ("<html><head><title>Flood</title></head><body>"
            '<div class="elementor-widget-theme-post-content">'
            '<div class="elementor-widget-container">'
            f"<p>{SENTENCE * 2}</p><p>{SENTENCE * 2}</p><p>{SENTENCE * 2}</p></div></div>"
            f'<div class="elementor-posts-container elementor-grid">{cards}{cards}</div>'
            "</body></html>")
    body = extract(html, URL).body_html
    assert "town council met at dawn" in body
    assert "Story number 1" not in body


def test_cards_without_any_long_text_are_an_index() -> None:
    cards = "".join(_card(n) for n in range(6))
    html = f"<html><head><title>News</title></head><body><main>{cards}</main></body></html>"
    with pytest.raises(NotArticleError, match="an index of 6 teasers"):
        extract(html, URL)


def test_a_modal_body_is_not_the_article() -> None:
    # Bootstrap's modal: its "modal-body" class must not outscore the post.
    html = ("<html><head><title>Camping</title></head><body>"
            '<div class="modal app-modal fade" id="app-modal"><div class="modal-dialog">'
            '<div class="modal-content"><div class="modal-body">'
            "<p>Laden Sie unsere App für iOS und Android herunter, jetzt, gratis, sofort.</p>"
            "</div></div></div></div>"
            f'<div class="col-md-8 news_detail"><div class="row"><p>{SENTENCE * 3}</p>'
            f"<p>{SENTENCE * 2}</p></div></div></body></html>")
    body = extract(html, URL).body_html
    assert "town council met at dawn" in body
    assert "Laden Sie unsere App" not in body


def test_a_post_rendered_from_a_script_template_is_read_from_noscript() -> None:
    # Blogger's dynamic templates put the post in a script template and a noscript copy.
    post = f"<p>{SENTENCE * 3}</p><p>{SENTENCE * 3}</p>"
    html = ("<html><head><title>Safe</title></head><body>"
            '<div class="post"><h3 class="post-title">Safe</h3>'
            '<div class="post-body"><div class="post-content" itemprop="articleBody">'
            f"<script type='text/template'>{post}</script><noscript>{post}</noscript>"
            "</div></div></div>"
            "<noscript><p>Please enable JavaScript to view the comments.</p></noscript>"
            "</body></html>")
    body = extract(html, URL).body_html
    assert body.count("town council met at dawn") == 6
    assert "enable JavaScript" not in body


def test_a_noscript_the_parser_let_swallow_the_page_is_kept() -> None:
    # An unclosed div inside noscript makes lxml nest the rest of the page in it.
    html = ("<html><head><title>Orso</title></head><body>"
            '<noscript><div id="nojava"></noscript><div id="main">'
            f'<div id="testo"><p>{SENTENCE * 3}</p><p>{SENTENCE * 3}</p></div>'
            '<div id="foto"><img src="/grafico.jpg" alt="Grafico"></div>'
            "</div></body></html>")
    body = extract(html, URL).body_html
    assert "town council met at dawn" in body


@pytest.mark.parametrize(("classes", "noise"), [
    ("row non-paywall", False),  # a state, like "no-sidebar": the box is not the paywall
    ("row paywall", True),
])
def test_a_non_prefix_names_a_state_not_chrome(classes: str, noise: bool) -> None:
    tag = BeautifulSoup(f'<section class="{classes}">x</section>', "lxml").section
    assert tag is not None
    assert is_noise(tag) is noise
