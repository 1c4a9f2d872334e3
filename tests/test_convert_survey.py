"""The survey behind convert's preparation passes: one walk, queries that follow the edits."""

from __future__ import annotations

from vellum.convert.survey import Survey
from vellum.soup import parse_html, tags


def _survey(html: str) -> Survey:
    soup = parse_html(html)
    assert soup.body is not None
    return Survey.of(soup.body)


def test_queries_match_a_fresh_walk_in_document_order() -> None:
    survey = _survey("<h2>A</h2><p>x <em>y</em></p><div><h3>B</h3><p>z</p></div><h2>C</h2>")
    wanted = ("h2", "h3", "p")
    assert survey.tags(wanted) == tags(survey.root, wanted)
    assert [el.get_text() for el in survey.tags(("h2", "h3"))] == ["A", "B", "C"]
    assert survey.names >= {"h2", "h3", "p", "em", "div"}


def test_removed_elements_and_their_subtrees_are_left_out() -> None:
    survey = _survey("<div id=a><p>1</p></div><div id=b><p>2</p></div><p>3</p>")
    first_div = survey.tags(("div",))[0]
    first_div.extract()  # extracted, not decomposed: its <p> still has a parent
    survey.tags(("div",))[0].decompose()
    assert [p.get_text() for p in survey.tags(("p",))] == ["3"]
    assert survey.tags(("div",)) == []


def test_a_renamed_element_is_not_found_under_its_old_name_until_a_refresh() -> None:
    survey = _survey("<div class='admonition note'><p>Careful</p></div>")
    box = survey.tags(("div",))[0]
    box.name = "blockquote"
    assert survey.tags(("div",)) == []
    assert survey.tags(("blockquote",)) == []
    survey.refresh()
    assert survey.tags(("blockquote",)) == [box]


def test_classes_roles_and_footnotes_are_noted() -> None:
    survey = _survey("<div role=tablist class='tabs x'></div>"
                     "<section data-footnotes><div data-footnote=1>n</div></section>")
    assert {"tabs", "x"} <= survey.classes
    assert "tablist" in survey.roles
    assert survey.footnotes
