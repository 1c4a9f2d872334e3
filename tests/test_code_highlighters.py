"""Code blocks keep their exact text under every highlighter's markup.

Each fixture imitates one highlighter's real output, whitespace included: the spaces
and newlines of the code often live in elements holding nothing else (Pygments'
``<span class="w">``, a Chroma line span of a blank line, a Prism ``token plain``).
"""

from __future__ import annotations

import re

import pytest

from vellum.archive.pipeline import convert_html

PROSE = "<p>" + "A paragraph of the post that explains what the code below does. " * 6 + "</p>"


def page(block: str) -> str:
    return (f"<!doctype html><html><head><title>Code post</title></head><body>"
            f"<header><nav><a href='/'>Home</a></nav></header><main><article>"
            f"<h1>Code post</h1>{PROSE}\n{block}\n{PROSE}</article></main>"
            f"<footer>© 2024 Someone</footer></body></html>")


def code_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.DOTALL | re.MULTILINE)


PYTHON = "def f(n: int):\n    '''\n    Iterates n times.\n    '''\n\n    return n + 1"

PYGMENTS = """<div class="highlight"><pre><span></span><span class="k">def</span><span class="w"> </span><span class="nf">f</span><span class="p">(</span><span class="n">n</span><span class="p">:</span> <span class="nb">int</span><span class="p">):</span>
<span class="w">    </span><span class="sd">&#39;&#39;&#39;</span>
<span class="sd">    Iterates n times.</span>
<span class="sd">    &#39;&#39;&#39;</span>

<span class="w">    </span><span class="k">return</span> <span class="n">n</span> <span class="o">+</span> <span class="mi">1</span>
</pre></div>"""

ROUGE = """<div class="language-python highlighter-rouge"><div class="highlight"><pre class="highlight"><code><span class="k">def</span> <span class="nf">f</span><span class="p">(</span><span class="n">n</span><span class="p">:</span> <span class="nb">int</span><span class="p">):</span>
    <span class="s">'''
    Iterates n times.
    '''</span>

    <span class="k">return</span> <span class="n">n</span> <span class="o">+</span> <span class="mi">1</span>
</code></pre></div></div>"""

CHROMA_CLASSES = """<div class="highlight"><pre tabindex="0" class="chroma"><code class="language-python" data-lang="python"><span class="line"><span class="cl"><span class="k">def</span> <span class="nf">f</span><span class="p">(</span><span class="n">n</span><span class="p">:</span> <span class="nb">int</span><span class="p">):</span>
</span></span><span class="line"><span class="cl">    <span class="s2">&#39;&#39;&#39;</span>
</span></span><span class="line"><span class="cl"><span class="s2">    Iterates n times.</span>
</span></span><span class="line"><span class="cl"><span class="s2">    &#39;&#39;&#39;</span>
</span></span><span class="line"><span class="cl">
</span></span><span class="line"><span class="cl">    <span class="k">return</span> <span class="n">n</span> <span class="o">+</span> <span class="mi">1</span>
</span></span></code></pre></div>"""

CHROMA_INLINE = """<div class="highlight"><pre tabindex="0" style="color:#f8f8f2;background-color:#272822;"><code class="language-python" data-lang="python"><span style="display:flex;"><span><span style="color:#66d9ef">def</span> <span style="color:#a6e22e">f</span>(n: int):
</span></span><span style="display:flex;"><span>    <span style="color:#e6db74">&#39;&#39;&#39;</span>
</span></span><span style="display:flex;"><span><span style="color:#e6db74">    Iterates n times.</span>
</span></span><span style="display:flex;"><span><span style="color:#e6db74">    &#39;&#39;&#39;</span>
</span></span><span style="display:flex;"><span>
</span></span><span style="display:flex;"><span>    <span style="color:#66d9ef">return</span> n <span style="color:#f92672">+</span> <span style="color:#ae81ff">1</span>
</span></span></code></pre></div>"""

PRISM = """<div class="language-python codeBlockContainer_Ab1c theme-code-block"><div class="codeBlockContent_x9Yz"><pre tabindex="0" class="prism-code language-python codeBlock_qQ2w thin-scrollbar"><code class="codeBlockLines_e6Vv"><span class="token-line"><span class="token keyword">def</span><span class="token plain"> </span><span class="token function">f</span><span class="token punctuation">(</span><span class="token plain">n</span><span class="token punctuation">:</span><span class="token plain"> </span><span class="token builtin">int</span><span class="token punctuation">)</span><span class="token punctuation">:</span><br></span><span class="token-line"><span class="token plain">    </span><span class="token triple-quoted-string string">'''</span><br></span><span class="token-line"><span class="token triple-quoted-string string">    Iterates n times.</span><br></span><span class="token-line"><span class="token triple-quoted-string string">    '''</span><br></span><span class="token-line"><span class="token plain" style="display:inline-block"></span><br></span><span class="token-line"><span class="token plain">    </span><span class="token keyword">return</span><span class="token plain"> n </span><span class="token operator">+</span><span class="token plain"> </span><span class="token number">1</span><br></span></code></pre><div class="buttonGroup_M5ko"><button type="button" aria-label="Copy code to clipboard" title="Copy" class="clean-btn"><span class="copyButtonIcons_IEyt" aria-hidden="true"></span></button></div></div></div>"""

SHIKI = """<pre class="shiki github-dark" style="background-color:#24292e;color:#e1e4e8" tabindex="0"><code><span class="line"><span style="color:#F97583">def</span><span style="color:#B392F0"> f</span><span style="color:#E1E4E8">(n: </span><span style="color:#79B8FF">int</span><span style="color:#E1E4E8">):</span></span>
<span class="line"><span style="color:#9ECBFF">    '''</span></span>
<span class="line"><span style="color:#9ECBFF">    Iterates n times.</span></span>
<span class="line"><span style="color:#9ECBFF">    '''</span></span>
<span class="line"></span>
<span class="line"><span style="color:#F97583">    return</span><span style="color:#E1E4E8"> n </span><span style="color:#F97583">+</span><span style="color:#79B8FF"> 1</span></span></code></pre>"""

HLJS = """<pre><code class="hljs language-python"><span class="hljs-keyword">def</span> <span class="hljs-title function_">f</span>(<span class="hljs-params">n: <span class="hljs-built_in">int</span></span>):
    <span class="hljs-string">&#39;&#39;&#39;
    Iterates n times.
    &#39;&#39;&#39;</span>

    <span class="hljs-keyword">return</span> n + <span class="hljs-number">1</span></code></pre>"""

HEXO_NEXT = """<figure class="highlight python"><table><tr><td class="gutter"><pre><span class="line">1</span><br><span class="line">2</span><br><span class="line">3</span><br><span class="line">4</span><br><span class="line">5</span><br><span class="line">6</span><br></pre></td><td class="code"><pre><span class="line"><span class="keyword">def</span> <span class="title function_">f</span>(<span class="params">n: <span class="built_in">int</span></span>):</span><br><span class="line">    <span class="string">&#39;&#39;&#39;</span></span><br><span class="line"><span class="string">    Iterates n times.</span></span><br><span class="line"><span class="string">    &#39;&#39;&#39;</span></span><br><span class="line"></span><br><span class="line">    <span class="keyword">return</span> n + <span class="number">1</span></span><br></pre></td></tr></table></figure>"""


@pytest.mark.parametrize("block", [PYGMENTS, ROUGE, CHROMA_CLASSES, CHROMA_INLINE, PRISM, SHIKI,
                                   HLJS, HEXO_NEXT],
                         ids=["pygments", "rouge", "chroma", "chroma-inline", "prism-docusaurus",
                              "shiki", "highlightjs", "hexo-next-table"])
def test_code_whitespace_survives(block: str) -> None:
    markdown = convert_html(page(block), "https://blog.example.com/posts/code/")
    blocks = code_blocks(markdown)
    assert [b.rstrip("\n") for b in blocks] == [PYTHON], markdown
    assert "Copy" not in markdown
