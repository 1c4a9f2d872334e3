"""HTML → Markdown rules (issue 2): small snippets, exact output."""

from __future__ import annotations

import pytest

from vellum.convert import to_markdown

BASE = "https://blog.example.org/2024/05/post.html"


def md(html: str) -> str:
    return to_markdown(html, BASE)


CASES = [
    # headings and paragraphs
    ("atx", "<h2>Section <em>two</em></h2><p>Text.</p>", "## Section _two_\n\nText.\n"),
    ("h1-h6", "<h3>a</h3><h6>b</h6>", "### a\n\n###### b\n"),
    ("empty heading", "<h2> </h2><p>x</p>", "x\n"),
    ("heading br", "<h2>One<br>Two</h2>", "## One Two\n"),
    ("heading anchor", '<h2 id="a">Title<a class="headerlink" href="#a">¶</a></h2>',
     "## Title\n"),
    # lists
    ("bullets", "<ul><li>one</li><li>two</li></ul>", "- one\n- two\n"),
    ("nested", "<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>",
     "- a\n  - b\n    1. c\n- d\n"),
    ("ordered start", '<ol start="7"><li>seven</li><li>eight</li></ol>', "7. seven\n8. eight\n"),
    ("loose items", "<ul><li><p>para one</p><p>para two</p></li><li>next</li></ul>",
     "- para one\n\n  para two\n\n- next\n"),
    ("code in list", '<ol><li>Run:<pre><code class="language-sh">make\n\n  make install</code>'
     "</pre></li><li>Done</li></ol>",
     "1. Run:\n\n   ```sh\n   make\n\n     make install\n   ```\n\n2. Done\n"),
    ("list then paragraph", "<ul><li>a</li></ul><p>b</p>", "- a\n\nb\n"),
    # blockquotes
    ("nested quote", "<blockquote><p>a</p><blockquote><p>b</p></blockquote></blockquote>",
     "> a\n>\n> > b\n"),
    # breaks
    ("br hard break", "<p>one<br>two</p>", "one\\\ntwo\n"),
    ("br br paragraph", "<p>one<br><br>two</p>", "one\n\ntwo\n"),
    ("br at edges", "<p><br>one<br></p>", "one\n"),
    ("hr", "<p>a</p><hr><p>b</p>", "a\n\n---\n\nb\n"),
    # emphasis
    ("strong em", "<p><strong>bold</strong> and <em>it</em> and <b><i>both</i></b></p>",
     "**bold** and _it_ and **_both_**\n"),
    ("intraword em", "<p>un<em>believ</em>able</p>", "un*believ*able\n"),
    ("empty emphasis", "<p>a<strong> </strong>b <em></em>c</p>", "a b c\n"),
    ("emphasis spaces", "<p>a<strong> b </strong>c</p>", "a **b** c\n"),
    ("nested same", "<p><b>x <strong>y</strong></b></p>", "**x y**\n"),
    ("punct flanking", "<p><b>Note:</b>text</p>", "**Note**:text\n"),
    ("strike mark", "<p><del>old</del> <s>gone</s> <mark>hot</mark></p>",
     "~~old~~ ~~gone~~ ==hot==\n"),
    # inline code
    ("code", "<p>Call <code>f(*args)</code>.</p>", "Call `f(*args)`.\n"),
    ("code backticks", "<p><code>a `b` c</code> and <code>`x</code></p>",
     "``a `b` c`` and `` `x ``\n"),
    ("code whitespace", "<p><code>a\n   b</code></p>", "`a b`\n"),
    # links and images
    ("relative link", '<p><a href="../other.html" title="Other">next</a></p>',
     '[next](https://blog.example.org/2024/other.html "Other")\n'),
    ("autolink", '<p><a href="https://x.org/">https://x.org/</a></p>', "<https://x.org/>\n"),
    ("mailto autolink", '<p><a href="mailto:a@b.org">a@b.org</a></p>', "<mailto:a@b.org>\n"),
    ("empty link dropped", '<p>a<a href="/x"></a> b</p>', "a b\n"),
    ("image link kept", '<p><a href="/big.png"><img src="small.png" alt="s"></a></p>',
     "[![s](https://blog.example.org/2024/05/small.png)](https://blog.example.org/big.png)\n"),
    ("image title", '<p><img src="/i.png" alt="A [b]" title="say &quot;hi&quot;"></p>',
     '![A \\[b\\]](https://blog.example.org/i.png "say \\"hi\\"")\n'),
    ("image no src", '<p>x <img alt="gone"> y</p>', "x y\n"),
    ("lazy image", '<p><img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="r">'
     "</p>", "![r](https://blog.example.org/real.jpg)\n"),
    ("link parens", '<p><a href="https://w.org/A_(b)">w</a> <a href="https://w.org/a)">v</a></p>',
     "[w](https://w.org/A_(b)) [v](https://w.org/a%29)\n"),
    ("link spaces", '<p><a href="/a b">x</a></p>', "[x](https://blog.example.org/a%20b)\n"),
    ("link multiline", '<p><a href="/c"><span>Card</span>\n <span>title</span></a></p>',
     "[Card title](https://blog.example.org/c)\n"),
    # figures
    ("figure", '<figure><img src="/p.jpg" alt="Pic"><figcaption>The <b>caption</b>, '
     "<em>here</em>.</figcaption></figure>",
     "![Pic](https://blog.example.org/p.jpg)\n\n_The **caption**, here._\n"),
    ("figure caption first", '<figure><figcaption>Cap</figcaption><img src="/p.jpg" alt="">'
     "</figure>", "![](https://blog.example.org/p.jpg)\n\n_Cap_\n"),
    # whitespace and text hygiene
    ("blank lines", "<p>a</p>\n\n\n<div><p></p></div><p>b</p>", "a\n\nb\n"),
    ("nbsp", "<p>a&nbsp;b&#8239;c</p>", "a b c\n"),
    ("zero width", "<p>ze\u200bro\u00adhy\u2060phen\ufeff</p>", "zerohyphen\n"),
    ("zwj kept", "<p>\U0001f468\u200d\U0001f469</p>", "\U0001f468\u200d\U0001f469\n"),
    ("spaces squeezed", "<p>a  <b>b</b>   c</p>", "a **b** c\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_markdown_rules(html: str, expected: str) -> None:
    assert md(html) == expected


ESCAPES = [
    ("stars in words", "<p>a*b*c and 2 * 3</p>", "a\\*b\\*c and 2 * 3\n"),
    ("underscores", "<p>snake_case __init__ _x_</p>",
     "snake_case \\_\\_init\\_\\_ \\_x\\_\n"),
    ("line start markers", "<p>1. one</p><p>2) two</p><p># h</p><p>- b</p><p>+ c</p>"
     "<p>&gt; q</p><p>---</p><p>===</p>",
     "1\\. one\n\n2\\) two\n\n\\# h\n\n\\- b\n\n\\+ c\n\n\\> q\n\n\\---\n\n\\===\n"),
    ("not line start", "<p>Chapter 1. Then # and - and &gt;.</p>",
     "Chapter 1. Then # and - and >.\n"),
    ("after br", "<p>a<br>1. b</p>", "a\\\n1\\. b\n"),
    ("in list item", "<ul><li>1. x</li></ul>", "- 1\\. x\n"),
    ("heading number kept", "<h2>1. Intro</h2>", "## 1. Intro\n"),
    ("brackets", "<p>[a](b) [c]: d [^1] [plain]</p>", "[a\\](b) [c\\]: d \\[^1] [plain]\n"),
    ("backticks", "<p>use `x`</p>", "use \\`x\\`\n"),
    ("html-like", "<p>&lt;div&gt; a &lt; b &amp;amp; &amp;copy;</p>",
     "\\<div> a < b \\&amp; \\&copy;\n"),
    ("backslash", "<p>C:\\path \\* end\\</p>", "C:\\path \\\\\\* end\\\\\n"),
    ("tilde equals", "<p>~5 and a~~b~~ and x == y</p>", "\\~5 and a\\~\\~b\\~\\~ and x == y\n"),
    ("no escape in code", "<p><code>*a* _b_ [c](d) &lt;e&gt;</code></p>",
     "`*a* _b_ [c](d) <e>`\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in ESCAPES],
                         ids=[c[0] for c in ESCAPES])
def test_escaping_only_where_meaningful(html: str, expected: str) -> None:
    assert md(html) == expected


def test_code_block_verbatim_with_long_fence() -> None:
    html = '<pre><code class="language-md">```\n  *keep*  _this_\n\n\n[x](y)\n```</code></pre>'
    assert md(html) == "````md\n```\n  *keep*  _this_\n\n\n[x](y)\n```\n````\n"


def test_file_ends_with_one_newline_and_no_trailing_spaces() -> None:
    out = md("<div>  <p>a   </p>\n\n  <p>b <br>  c</p>  </div>")
    assert out == "a\n\nb\\\nc\n"
    assert not any(line != line.rstrip() for line in out.split("\n"))


def test_empty_body() -> None:
    assert md("") == ""
    assert md("<div> <p> </p> </div>") == ""


def test_footnotes_contract() -> None:
    html = ('<p>Claim<sup data-footnote-ref="1"></sup> and more<sup data-footnote-ref="n 2">'
            "</sup>.</p><section data-footnotes>"
            '<div data-footnote="1"><p>First <a href="/src">source</a>.</p></div>'
            '<div data-footnote="n 2"><p>Para one.</p><p>Para two.</p>'
            '<pre><code>code\n  indented</code></pre></div></section>')
    assert md(html) == (
        "Claim[^1] and more[^n-2].\n\n"
        "[^1]: First [source](https://blog.example.org/src).\n\n"
        "[^n-2]: Para one.\n\n    Para two.\n\n    ```\n    code\n      indented\n    ```\n"
    )


def test_footnote_backref_dropped() -> None:
    html = ('<p>x<sup data-footnote-ref="a"></sup></p><section data-footnotes>'
            '<div data-footnote="a"><p>Note <a href="#fnref-a" class="footnote-backref">↩</a>'
            "</p></div></section>")
    assert md(html) == "x[^a]\n\n[^a]: Note\n"
