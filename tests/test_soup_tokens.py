"""The extraction parse leaves out what no pass reads, and nothing else.

``parse_html(html, lean=True)`` drops childless ``<span>``s in ``<pre>`` that only
colour code, comments and the inside of ``<svg>``; the code's text, its gutters and
line structure, and the Markdown that comes out must be exactly what the full tree
gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Tag

from vellum import extract as extract_module
from vellum import soup as soup_module
from vellum.pipeline.flow import convert_html
from vellum.soup import parse_html

CODE = Path(__file__).parent / "pages" / "code"
# Only the direct copy builds the lean tree; a bs4 release it does not model parses in full.
LEAN = pytest.mark.skipif(soup_module._LAYOUT is None,
                          reason="this bs4 release failed the copy's self-check: every parse "
                                 "is bs4's full tree")
PROSE = "<p>" + "A paragraph that explains the code below, at some length. " * 6 + "</p>"


def _code_fixtures() -> list[Path]:
    return sorted(CODE.glob("*.html"))


def _spans_in_pre(tree: BeautifulSoup) -> list[Tag]:
    return [span for pre in tree.find_all("pre") for span in pre.find_all("span")]


@pytest.mark.parametrize("path", _code_fixtures(), ids=lambda p: p.stem)
def test_code_text_is_unchanged(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    full, lean = BeautifulSoup(html, "lxml"), parse_html(html, lean=True)
    assert [pre.get_text() for pre in lean.find_all("pre")] == \
        [pre.get_text() for pre in full.find_all("pre")]
    assert len(_spans_in_pre(lean)) <= len(_spans_in_pre(full))


@LEAN
@pytest.mark.parametrize("name", ["pygments", "rouge", "chroma-classes", "chroma-inline",
                                  "prism", "shiki", "hljs"])
def test_each_highlighters_tokens_go(name: str) -> None:
    html = (CODE / f"{name}.html").read_text(encoding="utf-8")
    full, lean = BeautifulSoup(html, "lxml"), parse_html(html, lean=True)
    assert len(_spans_in_pre(lean)) < len(_spans_in_pre(full)) / 2


@LEAN
@pytest.mark.parametrize("path", _code_fixtures(), ids=lambda p: p.stem)
def test_what_remains_is_not_a_token(path: Path) -> None:
    lean = parse_html(path.read_text(encoding="utf-8"), lean=True)
    for span in _spans_in_pre(lean):
        assert soup_module._token_text(_lxml_span(span.decode())) is None


@pytest.mark.parametrize("path", _code_fixtures(), ids=lambda p: p.stem)
def test_markdown_is_unchanged(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = (f"<html><head><title>Code</title></head><body><article><h1>Code</h1>{PROSE}"
            f"{path.read_text(encoding='utf-8')}{PROSE}</article></body></html>")
    lean = convert_html(page, "https://example.org/post")
    monkeypatch.setattr(extract_module, "parse_html", lambda html, lean=False: parse_html(html))
    assert convert_html(page, "https://example.org/post") == lean


def _lxml_span(markup: str) -> object:
    from lxml import etree

    return etree.fromstring(markup, etree.HTMLParser()).find(".//span")


@pytest.mark.parametrize("markup", [
    '<span class="k">def</span>',  # Pygments, Rouge, Chroma
    '<span class="s2">"x"</span>',
    '<span class="hljs-keyword">def</span>',  # highlight.js
    '<span class="token punctuation" style="color: rgb(57, 58, 52);">(</span>',  # Docusaurus
    '<span style="color:#F97583">def</span>',  # Shiki
    '<span style="--shiki-light:#D73A49;--shiki-dark:#F97583">def</span>',  # Shiki dual theme
    '<span style="color: #cf222e; font-style: italic">#</span>',
    "<span>plain</span>",
])
def test_tokens(markup: str) -> None:
    assert soup_module._is_token(_lxml_span(markup))


@pytest.mark.parametrize("markup", [
    '<span class="lnt">1</span>',  # Chroma/Pygments line numbers: a gutter, dropped later
    '<span class="hljs-ln-n">1</span>',
    '<span class="line">x</span>',  # Chroma/Shiki line: kept for its structure
    '<span class="k" id="x">def</span>',  # anything addressable stays
    '<span class="k" aria-hidden="true">$ </span>',
    '<span style="display:none">secret</span>',  # hidden: the extractor must see it
    '<span class="token" style="visibility: hidden">x</span>',
    '<span class="filename">app.py</span>',
    '<span class="sr-only">Copy</span>',
])
def test_not_tokens(markup: str) -> None:
    assert not soup_module._is_token(_lxml_span(markup))


@LEAN
def test_text_around_tokens_joins_in_order() -> None:
    html = ('<pre><code>a<span class="k">b</span>c<!--n--><span class="n">d</span>'
            '<span class="line"><span class="cl">e</span></span>f</code></pre>')
    code = parse_html(html, lean=True).code
    assert code is not None
    assert [str(node) for node in code.contents] == \
        ["abc", "d", '<span class="line">e</span>', "f"]
    assert parse_html(html, lean=True).get_text() == "abcdef"


@LEAN
def test_lean_tree_has_no_comments_and_empty_svgs() -> None:
    html = ('<body><!--x--><p>a<!--y-->b</p><svg class="icon" viewBox="0 0 1 1"><title>Icon'
            '</title><path d="M0"/></svg><pre>c<!--z--></pre></body>')
    lean, full = parse_html(html, lean=True), BeautifulSoup(html, "lxml")
    assert not lean.find_all(string=lambda s: isinstance(s, Comment))
    assert full.find_all(string=lambda s: isinstance(s, Comment))
    assert lean.p is not None
    assert [str(node) for node in lean.p.contents] == ["a", "b"]  # as after preclean
    assert str(lean.svg) == '<svg class="icon" viewbox="0 0 1 1"></svg>'


@LEAN
def test_a_span_holding_only_tokens_is_a_token() -> None:
    html = ('<pre><span style="display:flex;"><span><span style="color:#66d9ef">def</span> '
            '<span style="color:#a6e22e">f</span>():\n</span></span>'
            '<span class="x"><span class="k">a</span><b>b</b></span></pre>')
    pre = parse_html(html, lean=True).pre
    assert pre is not None
    assert [str(node) for node in pre.contents] == [
        '<span style="display:flex;">def f():\n</span>',
        '<span class="x">a<b>b</b></span>']
    assert parse_html(html, lean=True).get_text() == BeautifulSoup(html, "lxml").get_text()


@LEAN
def test_spans_outside_code_stay() -> None:
    html = '<p><span class="k">word</span></p><pre><span class="k">x</span></pre>'
    tree = parse_html(html, lean=True)
    assert tree.p is not None
    assert tree.p.span is not None
    assert tree.pre is not None
    assert tree.pre.span is None


def test_the_default_parse_is_the_full_tree() -> None:
    html = (CODE / "pygments.html").read_text(encoding="utf-8")
    assert soup_module._same(parse_html(html), BeautifulSoup(html, "lxml"))


@LEAN
def test_token_spans_are_read_one_level_deep() -> None:
    # Deeper nesting is no highlighter's: each level keeps its span, so a page nesting
    # spans hundreds deep is not read over and over.
    html = '<pre><span class="k"><span class="n"><span class="o">x</span></span></span></pre>'
    pre = parse_html(html, lean=True).pre
    assert pre is not None
    assert [str(node) for node in pre.contents] == ['<span class="k">x</span>']
