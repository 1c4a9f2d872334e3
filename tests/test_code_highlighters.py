"""Code blocks keep their exact text under every highlighter's markup.

Each fixture imitates one highlighter's real output, whitespace included: the spaces
and newlines of the code often live in elements holding nothing else (Pygments'
``<span class="w">``, a Chroma line span of a blank line, a Prism ``token plain``).
"""

from __future__ import annotations

import re

import pytest

from vellum.pipeline.flow import convert_html

from .conftest import page_html


def fixture(name: str) -> str:
    """A hand-written imitation of one family's markup, under tests/pages/code/."""
    return page_html(f"code/{name}").rstrip("\n")

PROSE = "<p>" + "A paragraph of the post that explains what the code below does. " * 6 + "</p>"


def page(block: str) -> str:
    return (f"<!doctype html><html><head><title>Code post</title></head><body>"
            f"<header><nav><a href='/'>Home</a></nav></header><main><article>"
            f"<h1>Code post</h1>{PROSE}\n{block}\n{PROSE}</article></main>"
            f"<footer>© 2024 Someone</footer></body></html>")


def code_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.DOTALL | re.MULTILINE)


PYTHON = "def f(n: int):\n    '''\n    Iterates n times.\n    '''\n\n    return n + 1"

PYGMENTS = fixture("pygments.html")

ROUGE = fixture("rouge.html")

CHROMA_CLASSES = fixture("chroma-classes.html")

CHROMA_INLINE = fixture("chroma-inline.html")

PRISM = fixture("prism.html")

SHIKI = fixture("shiki.html")

HLJS = fixture("hljs.html")

HEXO_NEXT = fixture("hexo-next.html")


@pytest.mark.parametrize("block", [PYGMENTS, ROUGE, CHROMA_CLASSES, CHROMA_INLINE, PRISM, SHIKI,
                                   HLJS, HEXO_NEXT],
                         ids=["pygments", "rouge", "chroma", "chroma-inline", "prism-docusaurus",
                              "shiki", "highlightjs", "hexo-next-table"])
def test_code_whitespace_survives(block: str) -> None:
    markdown = convert_html(page(block), "https://blog.example.com/posts/code/")
    blocks = code_blocks(markdown)
    assert [b.rstrip("\n") for b in blocks] == [PYTHON], markdown
    assert "Copy" not in markdown


def test_material_code_annotations_leave_no_markers() -> None:
    markdown = convert_html(page(fixture("material-annotations.html")),
                            "https://docs.example.org/blog/ci/")
    assert code_blocks(markdown) == ["jobs:\n  build:\n    runs-on: ubuntu-latest\n"]
    assert "1. The job's name, shown in the checks list." in markdown


def test_a_plain_numbered_comment_without_a_list_is_code() -> None:
    block = '<pre><code class="language-python">x = f(1)  # (1)\n</code></pre><p>Done.</p>'
    markdown = convert_html(page(block), "https://blog.example.com/posts/code/")
    assert code_blocks(markdown) == ["x = f(1)  # (1)\n"]


def test_hexo_table_of_digit_data_keeps_the_data_not_the_gutter() -> None:
    markdown = convert_html(page(fixture("hexo-next-digits.html")),
                            "https://blog.example.com/posts/code/")
    assert code_blocks(markdown) == ["1 5\n2 10\n3 15\n"]


@pytest.mark.parametrize(("name", "opening", "code"), [
    ("material-title-linenums.html", '```yaml title="CI/CD workflow definition"',
     "on: push\njobs: {}"),
    ("material-title.html", '```python title="hello.py"', 'print("hi")'),
    ("docusaurus-title.html", '```go title="ent/schema/user.go"', "package schema"),
])
def test_code_title_bars_become_the_fence_title(name: str, opening: str, code: str) -> None:
    markdown = convert_html(page(fixture(name)), "https://docs.example.org/blog/ci/")
    assert f"{opening}\n{code}\n```" in markdown
    assert [b.rstrip("\n") for b in code_blocks(markdown)] == [code]


def test_annotations_leave_line_numbered_blocks_too() -> None:
    markdown = convert_html(page(fixture("material-linenums-annotated.html")),
                            "https://docs.example.org/blog/ci/")
    assert code_blocks(markdown) == ["on: push\njobs: {}\n"]
