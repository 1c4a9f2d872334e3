"""Issue 3 renderings: highlighters, math, widgets, inline semantics. Exact output."""

from __future__ import annotations

import pytest

from vellum.convert import html_to_markdown

BASE = "https://docs.example.net/blog/post/"


def md(html: str) -> str:
    return html_to_markdown(html, BASE)


CODE = [
    ("pygments material", '<div class="language-python highlight"><pre><span></span><code>'
     '<span id="__span-0-1"><a id="__codelineno-0-1" href="#__codelineno-0-1"></a>'
     '<span class="k">def</span> <span class="nf">f</span><span class="p">():</span>\n</span>'
     '<span id="__span-0-2"><a href="#__codelineno-0-2"></a>    <span class="k">return</span> '
     '<span class="s2">"*_x_*"</span>\n</span></code></pre></div>',
     '```python\ndef f():\n    return "*_x_*"\n```\n'),
    ("pygments table gutter", '<div class="highlight-python notranslate"><table '
     'class="highlighttable"><tr><td class="linenos"><div class="linenodiv"><pre>1\n2</pre>'
     '</div></td><td class="code"><div class="highlight"><pre><span></span>a = 1\nb = 2\n'
     "</pre></div></td></tr></table></div>", "```python\na = 1\nb = 2\n```\n"),
    ("pygments inline linenos", '<div class="highlight"><pre><span></span>'
     '<span class="linenos">1</span>x = 1\n<span class="linenos">2</span>y = 2\n</pre></div>',
     "```\nx = 1\ny = 2\n```\n"),
    ("rouge table", '<figure class="highlight"><pre><code class="language-ruby" data-lang="ruby">'
     '<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">1\n2\n'
     '</pre></td><td class="code"><pre><span class="nb">puts</span> <span class="s2">"hi"</span>'
     "\nputs 2\n</pre></td></tr></tbody></table></code></pre></figure>",
     '```ruby\nputs "hi"\nputs 2\n```\n'),
    ("rouge wrapper class", '<div class="language-yaml highlighter-rouge"><div class="highlight">'
     '<pre class="highlight"><code><span class="na">a</span><span class="pi">:</span> 1\n'
     "</code></pre></div></div>", "```yaml\na: 1\n```\n"),
    ("chroma inline numbers", '<div class="highlight"><pre tabindex="0" class="chroma"><code '
     'class="language-go" data-lang="go"><span class="line"><span class="ln">1</span>'
     '<span class="cl">package main\n</span></span><span class="line"><span class="ln">2</span>'
     '<span class="cl">\n</span></span><span class="line"><span class="ln">3</span>'
     '<span class="cl">func main() {}\n</span></span></code></pre></div>',
     "```go\npackage main\n\nfunc main() {}\n```\n"),
    ("chroma table", '<div class="highlight"><div class="chroma"><table class="lntable"><tr>'
     '<td class="lntd"><pre class="chroma"><code><span class="lnt">1\n</span><span class="lnt">'
     '2\n</span></code></pre></td><td class="lntd"><pre class="chroma"><code class='
     '"language-go" data-lang="go"><span class="line"><span class="cl">x := 1\n</span></span>'
     '<span class="line"><span class="cl">y := 2\n</span></span></code></pre></td></tr></table>'
     "</div></div>", "```go\nx := 1\ny := 2\n```\n"),
    ("gist", '<div class="file"><div class="Box-body blob-wrapper data type-python">'
     '<table class="highlight tab-size js-file-line-container"><tr><td id="L1" class="blob-num '
     'js-line-number" data-line-number="1"></td><td class="blob-code blob-code-inner">'
     '<span class="pl-k">import</span> os</td></tr><tr><td class="blob-num"></td>'
     '<td class="blob-code blob-code-inner">\n</td></tr><tr><td class="blob-num"></td>'
     '<td class="blob-code blob-code-inner">    print(os.name)</td></tr></table></div></div>',
     "```python\nimport os\n\n    print(os.name)\n```\n"),
    ("prism line numbers", '<pre class="line-numbers language-js"><code class="language-js">'
     'let a = 1;\nlet b = "```";<span aria-hidden="true" class="line-numbers-rows"><span>'
     "</span><span></span></span></code></pre>", '````js\nlet a = 1;\nlet b = "```";\n````\n'),
    ("highlight.js ln plugin", '<pre><code class="hljs language-js"><table class="hljs-ln">'
     '<tbody><tr><td class="hljs-ln-line hljs-ln-numbers" data-line-number="1"><div '
     'class="hljs-ln-n" data-line-number="1"></div></td><td class="hljs-ln-line hljs-ln-code">'
     'const x = 1;</td></tr><tr><td class="hljs-ln-line hljs-ln-numbers"><div class="hljs-ln-n">'
     '</div></td><td class="hljs-ln-line hljs-ln-code">42</td></tr></tbody></table></code></pre>',
     "```js\nconst x = 1;\n42\n```\n"),
    ("hljs bare class", '<pre><code class="python hljs">x = 1</code></pre>',
     "```python\nx = 1\n```\n"),
    ("pandoc", '<div class="sourceCode" id="cb1"><pre class="sourceCode haskell"><code '
     'class="sourceCode haskell"><span id="cb1-1"><a href="#cb1-1" aria-hidden="true" '
     'tabindex="-1"></a>main <span class="ot">=</span> print 1</span></code></pre></div>',
     "```haskell\nmain = print 1\n```\n"),
    ("github highlight-source", '<div class="highlight highlight-source-shell"><pre>'
     "echo hi</pre></div>", "```shell\necho hi\n```\n"),
    ("data-lang", '<pre data-lang="SQL">select 1;</pre>', "```sql\nselect 1;\n```\n"),
    ("enlighter", '<pre class="EnlighterJSRAW" data-enlighter-language="python">x = 1</pre>',
     "```python\nx = 1\n```\n"),
    ("syntaxhighlighter", '<pre class="brush: js; gutter: false">var x;</pre>',
     "```js\nvar x;\n```\n"),
    ("copy button dropped", '<pre><button class="md-clipboard">Copy</button><code>ls</code></pre>',
     "```\nls\n```\n"),
    ("code with br, no pre", "<p><code>a = 1<br>  b = 2</code></p>",
     "```\na = 1\n  b = 2\n```\n"),
    ("code in list", '<ul><li><p>Install:</p><div class="highlight"><pre><code class="language-sh">'
     "pip install x\n</code></pre></div></li><li>Done</li></ul>",
     "- Install:\n\n  ```sh\n  pip install x\n  ```\n\n- Done\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in CODE], ids=[c[0] for c in CODE])
def test_code_blocks(html: str, expected: str) -> None:
    assert md(html) == expected


MATH = [
    ("inline contract", '<p>Area <span data-math="inline">\\pi r^2</span> here.</p>',
     "Area $\\pi r^2$ here.\n"),
    ("display contract", '<div data-math="display">\\int_0^1 f(x)\\,dx\n\n= 1</div>',
     "$$\n\\int_0^1 f(x)\\,dx\n= 1\n$$\n"),
    ("mathjax script", '<p>Let <script type="math/tex">a_1*b</script> be.</p>'
     '<span class="MathJax_Preview">a1b</span>'
     '<script type="math/tex; mode=display">E = mc^2</script>',
     "Let $a_1*b$ be.\n\n$$\nE = mc^2\n$$\n"),
    ("katex", '<p>So <span class="katex"><span class="katex-mathml"><math><semantics><mrow>'
     '<mi>α</mi></mrow><annotation encoding="application/x-tex">\\alpha_1</annotation>'
     '</semantics></math></span><span class="katex-html" aria-hidden="true">α1</span></span>.'
     '</p><span class="katex-display"><span class="katex"><span class="katex-mathml"><math '
     'display="block"><semantics><annotation encoding="application/x-tex">\\sum_i x_i'
     "</annotation></semantics></math></span></span></span>",
     "So $\\alpha_1$.\n\n$$\n\\sum_i x_i\n$$\n"),
    ("arithmatex", '<p><span class="arithmatex">\\(a_b\\)</span></p>'
     '<div class="arithmatex">\\[x^2\\]</div>', "$a_b$\n\n$$\nx^2\n$$\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in MATH], ids=[c[0] for c in MATH])
def test_math(html: str, expected: str) -> None:
    assert md(html) == expected


WIDGETS = [
    ("admonition", '<div class="admonition warning"><p class="admonition-title">Watch out</p>'
     "<p>Body <em>text</em>.</p><ul><li>one</li></ul></div>",
     "> **Watch out**\n>\n> Body _text_.\n>\n> - one\n"),
    ("admonition no title", '<div class="admonition tip"><p>Just a tip.</p></div>',
     "> **Tip**\n>\n> Just a tip.\n"),
    ("details", '<details class="note"><summary>More <b>info</b></summary><p>Hidden.</p>'
     "</details>", "> **More info**\n>\n> Hidden.\n"),
    ("github alert", '<div class="markdown-alert markdown-alert-note"><p class='
     '"markdown-alert-title"><svg></svg>Note</p><p>Read this.</p></div>',
     "> **Note**\n>\n> Read this.\n"),
    ("nested admonition", '<div class="admonition note"><p class="admonition-title">Outer</p>'
     '<div class="admonition danger"><p class="admonition-title">Inner</p><p>x</p></div></div>',
     "> **Outer**\n>\n> > **Inner**\n> >\n> > x\n"),
    ("tabs", '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked '
     'id="__tabbed_1_1" name="__tabbed_1" type="radio"><input id="__tabbed_1_2" '
     'name="__tabbed_1" type="radio"><div class="tabbed-labels"><label for="__tabbed_1_1">C'
     '</label><label for="__tabbed_1_2">C++</label></div><div class="tabbed-content">'
     '<div class="tabbed-block"><pre><code class="language-c">int x;</code></pre></div>'
     '<div class="tabbed-block"><p>Plus plus.</p></div></div></div>',
     "**C**\n\n```c\nint x;\n```\n\n**C++**\n\nPlus plus.\n"),
    ("legacy tabs", '<div class="tabbed-set" data-tabs="1:2"><input checked id="t1" '
     'type="radio"><label for="t1">One</label><div class="tabbed-content"><p>First</p></div>'
     '<input id="t2" type="radio"><label for="t2">Two</label><div class="tabbed-content" '
     'style="display:none"><p>Second</p></div></div>',
     "**One**\n\nFirst\n\n**Two**\n\nSecond\n"),
    ("definition list", "<dl><dt>Term</dt><dd>Short definition.</dd><dt>Other</dt>"
     "<dd><p>Para A.</p><p>Para B.</p></dd></dl><p>After</p>",
     "**Term**\n: Short definition.\n\n**Other**\n: Para A.\n\n    Para B.\n\nAfter\n"),
    ("task list", '<ul><li><input type="checkbox" checked disabled> done</li>'
     '<li><input type="checkbox"> todo</li></ul>', "- [x] done\n- [ ] todo\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in WIDGETS],
                         ids=[c[0] for c in WIDGETS])
def test_widgets(html: str, expected: str) -> None:
    assert md(html) == expected


INLINE = [
    ("kbd", "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>.</p>", "Press `Ctrl`+`C`.\n"),
    ("pymdownx keys", '<p><span class="keys"><kbd class="key-control"><span>Ctrl</span></kbd>'
     '<span>+</span><kbd class="key-alt"><span>Alt</span></kbd></span></p>', "`Ctrl`+`Alt`\n"),
    ("abbr first time only", '<p><abbr title="HyperText Markup Language">HTML</abbr> and '
     '<abbr title="HyperText Markup Language">HTML</abbr>, <abbr title="abc">abc</abbr></p>',
     "HTML (HyperText Markup Language) and HTML, abc\n"),
    ("sup exponent", "<p>x<sup>2</sup> and 10<sup>-3</sup> and e<sup>i π</sup></p>",
     "x^2 and 10^-3 and e^(i π)\n"),
    ("sup ordinal and words", "<p>1<sup>st</sup> 2<sup>nd</sup> Acme<sup>TM</sup> "
     "x<sup>®</sup></p>", "1st 2nd AcmeTM x®\n"),
    ("sub", "<p>H<sub>2</sub>O, x<sub>i</sub>, a<sub>i,j</sub></p>", "H2O, x_i, a_(i,j)\n"),
    ("mark del", "<p><mark>key</mark> <del>old</del> <s>gone</s> <strike>x</strike> "
     "<ins>new</ins> <u>u</u></p>", "==key== ~~old~~ ~~gone~~ ~~x~~ new u\n"),
    ("emoji images", '<p>Hi <img class="emoji" alt="😀" src="/e/1f600.png"> and '
     '<img class="wp-smiley" alt=":)" src="/s.png"> <img alt="🚀" src="/rocket.svg"></p>',
     "Hi 😀 and :) 🚀\n"),
    ("missing src dropped", '<p>a <img alt="x"> <img src="" alt="y"> b</p>', "a b\n"),
    ("q and cite", "<p><q>Hi</q> said <cite>Book</cite></p>", '"Hi" said _Book_\n'),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in INLINE],
                         ids=[c[0] for c in INLINE])
def test_inline_semantics(html: str, expected: str) -> None:
    assert md(html) == expected


MATHML = [
    ("tokens", "<p>When <math><mi>a</mi><mo>≠</mo><mn>0</mn></math>, ok</p>",
     "When $a ≠ 0$, ok\n"),
    ("fraction root power", '<math display="block"><mi>x</mi><mo>=</mo><mfrac><mrow><mo>−</mo>'
     "<mi>b</mi><mo>±</mo><msqrt><msup><mi>b</mi><mn>2</mn></msup><mo>−</mo><mn>4</mn><mi>a</mi>"
     "<mi>c</mi></msqrt></mrow><mrow><mn>2</mn><mi>a</mi></mrow></mfrac></math>",
     "$$\nx = \\frac{− b ± \\sqrt{b^2 − 4 a c}}{2 a}\n$$\n"),
    ("scripts accents words", "<p><math><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1"
     "</mn></mrow><mi>n</mi></munderover><msub><mi>a</mi><mi>k</mi></msub><mover><mi>E</mi>"
     "<mo>→</mo></mover><mi>sin</mi><mfrac linethickness='0'><mi>n</mi><mi>k</mi></mfrac>"
     "</math></p>", "$∑_{k = 1}^n a_k \\vec{E} \\mathrm{sin} \\binom{n}{k}$\n"),
    ("matrix", "<p><math><mtable><mtr><mtd><mi>i</mi></mtd><mtd><mi>j</mi></mtd></mtr><mtr>"
     "<mtd><mn>0</mn></mtd><mtd><mn>1</mn></mtd></mtr></mtable></math></p>",
     "$\\begin{matrix} i & j \\\\ 0 & 1 \\end{matrix}$\n"),
    ("alttext preferred", '<p><math alttext="{\\displaystyle x^{2}}"><mi>x</mi></math></p>',
     "$x^{2}$\n"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in MATHML],
                         ids=[c[0] for c in MATHML])
def test_bare_mathml(html: str, expected: str) -> None:
    assert md(html) == expected
