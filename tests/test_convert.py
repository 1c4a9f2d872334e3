"""HTML → Markdown rules (issue 2): small snippets, exact output."""

from __future__ import annotations

import pytest

from vellum.convert import html_to_markdown

BASE = "https://blog.example.org/2024/05/post.html"


def md(html: str) -> str:
    return html_to_markdown(html, BASE)


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
     '![A \\[b\\]](https://blog.example.org/i.png "say &quot;hi&quot;")\n'),
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
     "<p>&gt; q</p><p>--- x</p><p>=== y</p>",
     "1\\. one\n\n2\\) two\n\n\\# h\n\n\\- b\n\n\\+ c\n\n\\> q\n\n\\--- x\n\n\\=== y\n"),
    ("not line start", "<p>Chapter 1. Then # and - and &gt;.</p>",
     "Chapter 1. Then # and - and >.\n"),
    ("after br", "<p>a<br>1. b</p>", "a\\\n1\\. b\n"),
    ("in list item", "<ul><li>1. x</li></ul>", "- 1\\. x\n"),
    ("heading number kept", "<h2>1. Intro</h2>", "## 1. Intro\n"),
    ("brackets", "<p>[a](b) [c]: d [^1] [plain]</p>", "[a\\](b) [c\\]: d \\[^1] [plain]\n"),
    ("backticks", "<p>use `x`</p>", "use \\`x\\`\n"),
    ("html-like", "<p>&lt;div&gt; a &lt; b &amp;amp; &amp;copy;</p>",
     "&lt;div> a < b &amp;amp; &amp;copy;\n"),
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


DEFECTS = [
    ("punctuation out of emphasis keeps its space",
     "<p>on Kotaku<em>. <strong>W:</strong> chug</em></p>",
     "on Kotaku. ***W:** chug*\n"),
    ("split emphasis merged", "<p><b>S</b><b>unshine:</b> hi <code>x</code><code>y</code> "
     "<em>a</em> <em>b</em> <code>c</code> <code>d</code></p>",
     "**Sunshine:** hi `xy` _a b_ `c` `d`\n"),
    ("wiki jump-up back-link dropped", '<ol><li><b><a href="https://w.org/wiki/X#cite_ref-2" '
     'title="Jump up">^</a></b> <i>Ref</i></li></ol>', "1. _Ref_\n"),
    ("typed separators", "<p>a</p><p>******</p><p>b</p><p>* * *</p><p>~ ~ ~</p><p>c</p>"
     "<p>-</p><p>**S**</p>", "a\n\n---\n\nb\n\n---\n\nc\n\n\\-\n\n\\*\\*S\\*\\*\n"),
    ("trailing punctuation out of emphasis keeps its space",
     "<p><em>see it :</em>now</p>", "*see it* :now\n"),
    ("sub prose plain", "<p><img src='/a.png' alt='a'><br><em><sub>Abbildung 3: Ein "
     "Schneekristall (2 mm).</sub></em></p>",
     "![a](https://blog.example.org/a.png)\\\n_Abbildung 3: Ein Schneekristall (2 mm)._\n"),
    ("sup prose plain", "<p>a<sup>see the note below</sup></p>", "asee the note below\n"),
    ("data image with lazy attribute", '<p><img src="data:image/jpeg;base64,' + "A" * 400
     + '" data-dejavu-src="/real.jpg" alt="r"></p>', "![r](https://blog.example.org/real.jpg)\n"),
    ("data srcset skipped", '<p><img srcset="data:image/gif;base64,R0lG 1x, /big.jpg 2x" '
     'alt="b"></p>', "![b](https://blog.example.org/big.jpg)\n"),
    ("entities left in alt and title", '<p><img src="/i.png" alt="Meghan&amp;#39;s view" '
     'title="World&amp;#039;s best"></p>',
     "![Meghan's view](https://blog.example.org/i.png \"World's best\")\n"),
    ("tracking parameters dropped", '<p><a href="https://x.org/a?id=3&amp;utm_source=nl&amp;'
     'utm_medium=email#top">a</a> <a href="/b?fbclid=Iw1">b</a> <a href="https://m.com/@x?'
     'source=post_page-----d6e6----">c</a> <a href="/d?ref=main&amp;source=rss">d</a></p>',
     "[a](https://x.org/a?id=3#top) [b](https://blog.example.org/b) [c](https://m.com/@x) "
     "[d](https://blog.example.org/d?ref=main&source=rss)\n"),
    ("heading edit section", '<h2><span class="mw-headline">History</span><span class='
     '"mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w?action=edit">'
     'edit</a><span class="mw-editsection-bracket">]</span></span></h2><h3>Plain <span>['
     '<a href="/e">edit</a>]</span></h3>', "## History\n\n### Plain\n"),
    ("heading self link", '<h2 id="x"><a href="#x">Anchored title</a></h2>'
     '<h3><a href="/other">Related post</a></h3>',
     "## Anchored title\n\n### [Related post](https://blog.example.org/other)\n"),
    ("heading ending in hashes", "<h2>Title #</h2><h3>### Foo ##</h3><h2>C#</h2><h2>Issue #42</h2>",
     "## Title \\#\n\n### ### Foo \\##\n\n## C#\n\n## Issue #42\n"),
    ("html5 entities lxml leaves", "<p>400&percnt; &lpar;x&rpar; &amp;copy; &copy;</p>",
     "400% (x) &amp;copy; ©\n"),
    ("figure placeholder dropped", '<figure><div><img src="https://m.com/max/60/1*5o3M.png?q=20" '
     'alt="CPU"></div><img src="https://m.com/max/3788/1*5o3M.png"><figcaption>Leak'
     "</figcaption></figure>", "![CPU](https://m.com/max/3788/1*5o3M.png)\n\n_Leak_\n"),
    ("empty list items dropped", '<ol><li>a</li><li><p> </p></li><li><br></li><li><a href="/x">'
     "</a></li><li>b</li></ol>", "1. a\n2. b\n"),
    ("bold heading", "<h2><strong>All bold</strong></h2><h3><b>a</b> and <b>b</b></h3>",
     "## All bold\n\n### **a** and **b**\n"),
    ("link around blocks", '<a href="https://e.pa/"><div><h2>Ellas <span>e.pa</span></h2></div>'
     'Tu <b>espacio</b></a><a href="/c"><ul><li>x</li></ul></a>',
     "## [Ellas e.pa](https://e.pa/)\n\n[Tu **espacio**](https://e.pa/)\n\n- x\n"),
    ("link around plain blocks flattened", '<a href="/p"><div>Drüfusan</div><div>Syxyl</div></a>',
     "[Drüfusan Syxyl](https://blog.example.org/p)\n"),
    ("stray rules", "<hr><p>a</p><hr><hr><p>b</p><hr><p>c</p><hr><div><hr></div>",
     "a\n\n---\n\nb\n\n---\n\nc\n"),
    ("rules beside code kept apart", "<pre>---</pre><hr><p>a</p>", "```\n---\n```\n\n---\n\na\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in DEFECTS],
                         ids=[c[0] for c in DEFECTS])
def test_rendering_defects(html: str, expected: str) -> None:
    assert md(html) == expected


def test_spaces_opening_a_line_are_not_an_indented_code_block() -> None:
    html = ("<p>When</p><span>\n <var><i> a </i> <span>≠</span> <b>0</b></var></span>, two"
            "<p>\u3000\u3000段落</p>")
    assert md(html) == "When\n\n_a_ ≠ **0**, two\n\n\u3000\u3000段落\n"


def test_wiki_reference_footnote_plain_without_backlink_mark() -> None:
    html = ('<p>x<sup data-footnote-ref="2"></sup> <cite>Dune</cite></p><section data-footnotes>'
            '<div data-footnote="2"><span>^  </span> <span><cite><a href="/p">"Population clock"'
            '</a>. <a href="/s">Statistics NZ</a>. Retrieved 2016.</cite></span> More.</div>'
            "</section>")
    assert md(html) == ('x[^2] _Dune_\n\n[^2]: ["Population clock"](https://blog.example.org/p).'
                        " [Statistics NZ](https://blog.example.org/s). Retrieved 2016. More.\n")
