"""extract hands convert its cleaned tree: one parse per page, the HTML text made on demand."""

from __future__ import annotations

import dataclasses
import pickle

from vellum import soup
from vellum.convert import render
from vellum.extract import extract
from vellum.pipeline.multipage import join_articles

PAGE = ("<html><head><title>Tide pools</title></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1>Tide pools</h1><p>Low tide at <b>six</b> shows the anemones, "
        "the crabs and the small fish that wait in the rock pools for the sea.</p>"
        "<p>1. Bring boots; the rocks are slippery and the weed hides the holes.</p>"
        "</article></body></html>")
URL = "https://shore.example/tide-pools/"


def test_convert_takes_the_tree_without_a_second_parse() -> None:
    soup.CENSUS.on = True
    try:
        before = soup.CENSUS.parses
        article = extract(PAGE, URL)
        body = render(article).body
        assert soup.CENSUS.parses - before == 1
    finally:
        soup.CENSUS.on = False
    assert "Low tide at **six**" in body
    assert body.count("1\\. Bring boots") == 1  # a line-start number is escaped as before


def test_text_after_convert_took_the_tree_is_the_same() -> None:
    fresh = extract(PAGE, URL).body_html
    article = extract(PAGE, URL)
    first = render(article).text
    assert article.body_html == fresh  # made again from the page
    assert render(article).text == first  # a second render parses the text


def test_a_pickled_article_carries_text() -> None:
    article = extract(PAGE, URL)
    copy = pickle.loads(pickle.dumps(article))
    assert copy.body_html == article.body_html
    assert copy.body_tree() is None
    assert render(copy).text == render(article).text


def test_replaced_keeps_the_tree_and_replace_keeps_it_too() -> None:
    article = extract(PAGE, URL)
    assert article.replaced(title="Other").body_tree() is not None
    again = extract(PAGE, URL)
    moved = dataclasses.replace(again, url="https://other.example/")
    assert moved.body_tree() is not None  # replace read the text, the tree went along
    assert moved.body_html == again.body_html


def test_join_of_trees_and_texts() -> None:
    first = extract(PAGE, URL)
    joined = join_articles([first, dataclasses.replace(first, body_html="<p>Page two.</p>")])
    assert joined.body_html.endswith("<p>Page two.</p>")
    assert "Low tide at <b>six</b>" in joined.body_html
