"""GFM tables, layout tables and sanitisation."""

from __future__ import annotations

import re

import pytest

from vellum.convert import html_to_markdown

BASE = "https://site.example/a/"


def md(html: str) -> str:
    return html_to_markdown(html, BASE)


TABLES = [
    ("thead", "<table><thead><tr><th>Name</th><th>Qty</th></tr></thead><tbody>"
     "<tr><td>apple</td><td>3</td></tr></tbody></table>",
     "| Name | Qty |\n| --- | --- |\n| apple | 3 |\n"),
    ("th first row", "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>",
     "| A | B |\n| --- | --- |\n| 1 | 2 |\n"),
    ("no header: first row", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr>"
     "</table>", "| a | b |\n| --- | --- |\n| c | d |\n"),
    ("pipes and br", "<table><tr><th>x|y</th><th>c</th></tr><tr><td>1<br>2</td>"
     "<td><code>a|b</code></td></tr></table>",
     "| x\\|y | c |\n| --- | --- |\n| 1 2 | `a\\|b` |\n"),
    ("colspan", "<table><tr><th>A</th><th>B</th><th>C</th></tr><tr><td colspan='2'>wide</td>"
     "<td>c</td></tr></table>", "| A | B | C |\n| --- | --- | --- |\n| wide | | c |\n"),
    ("rowspan", "<table><tr><th>k</th><th>v</th></tr><tr><td rowspan='2'>r</td><td>1</td></tr>"
     "<tr><td>2</td></tr></table>", "| k | v |\n| --- | --- |\n| r | 1 |\n| | 2 |\n"),
    ("ragged rows padded", "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td></tr></table>",
     "| a | b |\n| --- | --- |\n| 1 | |\n"),
    ("alignment", "<table><tr><th align='right'>n</th><th style='text-align:center'>c</th>"
     "<th>l</th></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>",
     "| n | c | l |\n| ---: | :---: | --- |\n| 1 | 2 | 3 |\n"),
    ("caption", "<table><caption>Prices</caption><tr><th>a</th></tr><tr><td>1</td></tr>"
     "</table>", "_Prices_\n\n| a |\n| --- |\n| 1 |\n"),
    ("links and images in cells", "<table><tr><th>l</th><th>i</th></tr><tr>"
     "<td><a href='/x|y'>x</a></td><td><img src='i.png' alt='i'></td></tr></table>",
     "| l | i |\n| --- | --- |\n| [x](https://site.example/x%7Cy) "
     "| ![i](https://site.example/a/i.png) |\n"),
    ("single cell unwrapped", "<table><tr><td><p>Just <b>text</b>.</p></td></tr></table>",
     "Just **text**.\n"),
    ("nested blocks unwrapped", "<table><tr><td><h3>Side</h3><ul><li>x</li></ul></td>"
     "<td><p>Main one.</p><p>Main two.</p></td></tr></table>",
     "### Side\n\n- x\n\nMain one.\n\nMain two.\n"),
    ("long cells no header unwrapped", "<table><tr><td>" + "word " * 50 + "</td><td>b</td></tr>"
     "</table>", ("word " * 50).strip() + "\n\nb\n"),
    ("stray cells outside a table", "<div><td>clipped</td><td>cells</td></div>",
     "clipped\n\ncells\n"),
    ("cell outside any row", "<table><tr><td>a</td><td>b</td></tr><td>Orphan</td><tr><td>c"
     "</td><td>d</td></tr></table>", "a\n\nb\n\nOrphan\n\nc\n\nd\n"),
    ("presentation role", "<table role='presentation'><tr><td>a</td><td>b</td></tr></table>",
     "a\n\nb\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in TABLES], ids=[c[0] for c in TABLES])
def test_tables(html: str, expected: str) -> None:
    assert md(html) == expected


SANITISE = [
    ("script and style", "<p>a</p><script>alert('x')</script><style>p{color:red}</style>"
     "<noscript>enable js</noscript><p>b</p>", "a\n\nb\n"),
    ("onerror", '<p><img src="x.png" onerror="alert(1)" alt="x"> <span onclick="evil()">t</span>'
     "</p>", "![x](https://site.example/a/x.png) t\n"),
    ("javascript link", '<p><a href="javascript:alert(1)">click</a> '
     '<a href=" JaVa&#x09;Script:alert(1)">two</a></p>', "click two\n"),
    ("vbscript link", '<p><a href="vbscript:msgbox">vb</a></p>', "vb\n"),
    ("data html link", '<p><a href="data:text/html;base64,PHNjcmlwdD4=">d</a></p>', "d\n"),
    ("data image dropped", '<p>a <img src="data:image/png;base64,' + "A" * 400 + '" alt="px">'
     " b</p>", "a b\n"),
    ("javascript image", '<p>a <img src="javascript:alert(1)" alt="x"> b</p>', "a b\n"),
    ("raw html text", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
     "&lt;script>alert(1)&lt;/script>\n"),
    ("hidden", '<p>a</p><div hidden>secret</div><p style="display: none">no</p><p>b</p>',
     "a\n\nb\n"),
    ("forms", "<p>a<button>Copy</button><input type='text' value='v'><select><option>o"
     "</option></select></p>", "a\n"),
    ("iframe becomes link", '<iframe src="https://www.youtube.com/embed/abc" title="Demo">'
     "</iframe>", "[Demo](https://www.youtube.com/embed/abc)\n"),
    ("iframe javascript", '<iframe src="javascript:alert(1)"></iframe><p>x</p>', "x\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in SANITISE],
                         ids=[c[0] for c in SANITISE])
def test_sanitise(html: str, expected: str) -> None:
    out = md(html)
    assert out == expected
    for bad in ("<script", "onerror", "onclick", "javascript:", "vbscript:", "data:text"):
        assert not re.search(r"(?<!\\)" + bad, out.lower())


LAYOUT = [
    ("blogger image caption", '<p>Intro</p><table class="tr-caption-container" style="float: '
     'left;"><tbody><tr><td style="text-align: center;"><a href="/s1600/d.png"><img border="0" '
     'src="/s640/d.png" width="640"></a></td></tr><tr><td class="tr-caption" style="text-align: '
     'center;">Block diagram (from <a href="/ds.pdf">datasheet</a>)</td></tr></tbody></table>'
     "<p>After</p>",
     "Intro\n\n[![](https://site.example/s640/d.png)](https://site.example/s1600/d.png)\n\n"
     "_Block diagram (from [datasheet](https://site.example/ds.pdf))_\n\nAfter\n"),
    ("caption above image", "<table><tr><td>Fig. 1</td></tr><tr><td><img src='/f.png' alt='f'>"
     "</td></tr></table>", "![f](https://site.example/f.png)\n\n_Fig. 1_\n"),
    ("image beside caption", "<table><tr><td><img src='/f.png' alt=''></td><td>Caption</td></tr>"
     "</table>", "![](https://site.example/f.png)\n\n_Caption_\n"),
    ("single column is layout", "<table><tr><td>Note</td></tr><tr><td>Second <b>row</b></td></tr>"
     "</table>", "Note\n\nSecond **row**\n"),
    ("single column with header is data", "<table><tr><th>Name</th></tr><tr><td>a</td></tr>"
     "</table>", "| Name |\n| --- |\n| a |\n"),
    ("two texts and an image: no caption", "<table><tr><td><img src='/f.png' alt=''></td></tr>"
     "<tr><td>one</td></tr><tr><td>two</td></tr></table>",
     "![](https://site.example/f.png)\n\none\n\ntwo\n"),
    ("br in a cell is no line start", "<table><tr><td>Buch<br>30. Auflage</td><td>+ x</td></tr>"
     "<tr><td>a</td><td>b</td></tr></table>",
     "| Buch 30. Auflage | + x |\n| --- | --- |\n| a | b |\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in LAYOUT], ids=[c[0] for c in LAYOUT])
def test_layout_tables(html: str, expected: str) -> None:
    assert md(html) == expected
