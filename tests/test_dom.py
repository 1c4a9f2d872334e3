"""dom helpers: the hand-written walks give what bs4's own calls give."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from vellum.extract.dom import (
    Selectors,
    changed,
    descendants,
    joined,
    link_densities,
    link_density,
    norm_space,
    strings_matching,
    tags_and_strings,
    tags_keeping_text,
    text_of,
    unchanging,
)

PAGE = """<html><head><title>T</title><style>p{}</style></head><body>
<div id="a"> One <b>two</b><!-- hidden --> <script>var x = 1;</script>
  <p>three&nbsp; <a href="/x">four <i>five</i></a></p><![CDATA[six]]></div>
<div id="b"><a href="/y">all linked</a></div><div id="c"></div>
<pre>  keep\n  lines </pre><template><p>tpl</p></template></body></html>"""


def _soup() -> BeautifulSoup:
    return BeautifulSoup(PAGE, "lxml")


def _bs4_text(node: Tag) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


@pytest.mark.parametrize("name", ["body", "div", "p", "a", "pre", "template", "head", "style"])
def test_text_of_matches_get_text(name: str) -> None:
    soup = _soup()
    for tag in soup.find_all(name):
        assert text_of(tag) == _bs4_text(tag)


def test_text_of_whole_document_and_strings() -> None:
    soup = _soup()
    assert text_of(soup) == _bs4_text(soup)
    assert "hidden" not in text_of(soup)
    assert "var x" not in text_of(soup)
    assert text_of(soup.find(string=re.compile("One"))) == "One"  # type: ignore[arg-type]
    assert text_of(soup.find(id="c")) == ""  # type: ignore[arg-type]


def test_text_of_after_the_tree_changed() -> None:
    soup = _soup()
    body = soup.body
    assert isinstance(body, Tag)
    body.find("b").decompose()  # type: ignore[union-attr]
    body.find(id="b").insert_before(soup.new_string(" inserted "))  # type: ignore[union-attr]
    body.find("p").append(soup.new_tag("span", string="appended"))  # type: ignore[union-attr]
    assert text_of(body) == _bs4_text(body)
    assert "two" not in text_of(body)
    assert "inserted" in text_of(body)


def test_descendants_is_the_generator_as_a_list() -> None:
    soup = _soup()
    for tag in [soup, *soup.find_all(True)]:
        assert descendants(tag) == list(tag.descendants)
    assert all(a is b for a, b in zip(descendants(soup), soup.descendants, strict=True))


def test_link_density() -> None:
    soup = _soup()
    linked = soup.find(id="b")
    mixed = soup.find(id="a")
    assert isinstance(linked, Tag)
    assert isinstance(mixed, Tag)
    assert link_density(linked) == 1.0
    assert link_density(mixed) == pytest.approx(len("four five") / len(text_of(mixed)))
    assert link_density(mixed, text_len=0) == 0.0
    densities = link_densities(soup.body)  # type: ignore[arg-type]
    assert densities[id(linked)] == 1.0
    assert densities[id(soup.find(id="c"))] == 0.0


def test_norm_space() -> None:
    assert norm_space("  a \u00a0 b\n\tc  ") == "a b c"
    assert norm_space(" \n ") == ""


SELECTORS = ("a.headerlink", ".heading-anchor", "a[aria-hidden=true]", "nav a",
             "span", "[data-role~=note]")
MARKUP = """<body><nav><a href="/">home</a></nav><h2>T<a class="headerlink">#</a></h2>
<p class="heading-anchor x">p</p><a aria-hidden="true">¶</a><a aria-hidden="false">x</a>
<span>s</span><b data-role="side note">n</b><i class="headerlink">not an a</i></body>"""


def test_a_selector_list_matches_what_css_matches() -> None:
    soup = BeautifulSoup(MARKUP, "lxml")
    chosen = Selectors(SELECTORS)
    css = {id(t) for t in soup.select(", ".join(SELECTORS))}
    assert {id(t) for t in soup.find_all(True) if chosen.match(t)} == css
    assert len(css) == 6  # every rule kind took part


def test_texts_are_kept_while_unchanging_and_forgotten_on_a_change() -> None:
    soup = _soup()
    box = soup.find(id="a")
    assert isinstance(box, Tag)
    with unchanging():
        before = text_of(box)
        box.append(soup.new_string(" seven"))
        assert text_of(box) == before  # the promise: nothing changes inside
        changed()
        assert text_of(box) == before + " seven"
    box.append(soup.new_string(" eight"))
    assert text_of(box).endswith("seven eight")  # outside, every call reads the tree


def test_tags_and_strings_is_one_walk_of_tags_and_text() -> None:
    soup = _soup()
    found, strings = tags_and_strings(soup.body)
    assert found == soup.body.find_all(True)
    assert joined(strings) == text_of(soup.body)


@pytest.mark.parametrize("box", ["body", "a", "c", "pre", "soup"])
def test_tags_keeping_text_keeps_the_boxes_text(box: str) -> None:
    soup = _soup()
    target = soup if box == "soup" else soup.find(box) or soup.find(id=box)
    assert isinstance(target, Tag)
    expected = text_of(target)
    with unchanging():
        assert tags_keeping_text(soup, target) == soup.find_all(True)
        target.append(soup.new_string(" later"))  # kept: no walk reads the tree again
        assert text_of(target) == expected
    assert text_of(target) == f"{expected} later".strip()


def test_strings_matching_among_an_earlier_walk_skips_removed_ones() -> None:
    soup = _soup()
    pattern = re.compile(r"o")
    _, strings = tags_and_strings(soup.body)
    box = soup.find(id="b")
    assert isinstance(box, Tag)
    box.decompose()
    assert strings_matching(soup.body, pattern, strings) == [
        s for s in strings_matching(soup.body, pattern) if type(s) is NavigableString]
