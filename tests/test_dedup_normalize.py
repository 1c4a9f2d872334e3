"""Normalisation: every form of a post reduces to the same comparable words."""

from __future__ import annotations

from pathlib import Path

import pytest

from vellum.dedup import normalize
from vellum.dedup.normalize import repair

FIXTURES = Path(__file__).parent / "dedup_fixtures"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_markdown_source_and_rendered_text_reduce_to_the_same_words() -> None:
    source, rendered = normalize(read("homelab-source.md")), normalize(read("homelab-rendered.txt"))
    assert source.format == "markdown-front-matter"
    assert rendered.format == "text"
    assert source.title == rendered.title == "Moving My Homelab to Proxmox"
    assert source.date == "2023-03-14"
    extra = set(source.words) ^ set(rendered.words)
    assert extra <= {"1"}  # the rendered footnote number, nothing else


@pytest.mark.parametrize(
    ("dropped", "kept"),
    [
        ("annotate", "flashlight"),  # { .annotate } attribute list, the sentence stays
        ("sparkles", "backups"),  # :sparkles: emoji shortcode
        ("align", "hardware"),  # { align=right width="30%" }
        ("jpg", "quiet"),  # image
        ("https", "mirror"),  # link target, link text stays
        ("more", "hello"),  # <!-- more -->
    ],
)
def test_markdown_syntax_is_reduced_to_text(dropped: str, kept: str) -> None:
    words = normalize(read("homelab-source.md")).words
    assert dropped not in words
    assert kept in words


def test_mojibake_is_repaired_and_accents_folded() -> None:
    assert repair("took a caf√© menu project") == "took a café menu project"
    assert repair("itâ€™s a cafÃ©") == "it’s a café"
    assert "cafe" in normalize(read("homelab-source.md")).words


def test_raw_text_title_and_posted_on_line_are_metadata() -> None:
    doc = normalize(read("oncall-raw.txt"))
    assert (doc.format, doc.title, doc.date) == ("text", "A Year on the Pager", "9 November 2023")
    assert doc.words[:4] == ["hello", "again", "friends", "and"]
    assert "posted" not in doc.words


def test_aggregator_copy_with_html_body() -> None:
    doc = normalize(read("oncall-aggregator.md"))
    assert doc.format == "html-front-matter"
    assert doc.url == "https://mkeller.example.net/2023/11/a-year-on-the-pager/"
    assert doc.date == "2023-11-09 07:15:00"
    assert "terrifying every alert" in doc.text
    assert "href" not in doc.words
    assert "separator" not in doc.words
    assert "our team lead she wanted" in doc.text


def test_saved_html_page_loses_chrome_and_permalinks() -> None:
    page = """<!DOCTYPE html><html><head><title>Notes on Tea | Mara's blog</title>
    <link rel="canonical" href="https://mkeller.example.net/tea/"></head><body>
    <nav><a href="/">Home</a> <a href="/about">About</a></nav>
    <article><h1>Notes on Tea</h1>
    <h2 id="green">Green tea<a class="headerlink" href="#green">¶</a></h2>
    <p>Steep it<b>cool</b>, never boiling.</p><script>alert(1)</script></article>
    <aside><p>Subscribe to my newsletter</p></aside><footer>© Mara</footer></body></html>"""
    doc = normalize(page)
    assert (doc.format, doc.title, doc.url) == ("html", "Notes on Tea",
                                               "https://mkeller.example.net/tea/")
    assert doc.text == "green tea steep itcool never boiling"


def test_case_punctuation_and_unicode_are_folded() -> None:
    doc = normalize("Title Line\nＦｕｌｌ‑width “QUOTES” — and Ünïcödé!\n")
    assert doc.text == "full width quotes and unicode"


def test_bare_markdown_with_a_heading_title() -> None:
    doc = normalize("# A Title\n\nSome **bold** text with a [link](https://x.example/).\n")
    assert (doc.format, doc.title, doc.text) == ("markdown", "A Title",
                                                 "some bold text with a link")


def test_raw_text_header_lines_in_any_order() -> None:
    doc = normalize("Posted on: March 3, 2019\nURL: https://old.example.org/p/42\n"
                    "Notes on Tea\n\nSteep it cool, never boiling.\n")
    assert (doc.title, doc.date, doc.url) == ("Notes on Tea", "March 3, 2019",
                                              "https://old.example.org/p/42")
    assert doc.text == "steep it cool never boiling"
