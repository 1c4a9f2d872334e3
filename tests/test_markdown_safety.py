"""Issue 13 (items 4 and 6): the Markdown vellum writes is inert in every renderer.

Hostile page text and attributes are converted, the Markdown is rendered with
CommonMark (markdown-it-py), Python-Markdown with the extensions MkDocs sites turn
on, and kramdown (Jekyll) when Debian's ruby-kramdown is installed, and the HTML
each renderer makes is searched for anything live: a script-like element, an
``on*`` attribute, or a link/image whose scheme is not http(s), mailto or none.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import markdown as python_markdown
import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from vellum import frontmatter
from vellum.cli import app
from vellum.convert import html_to_markdown

from .server import LocalServer
from .sites import wordpress_post

BASE = "https://blog.example.org/2024/05/post.html"
# What an MkDocs (Material) site typically enables: attr_list is the dangerous one.
MKDOCS_EXTENSIONS = ["attr_list", "md_in_html", "fenced_code", "tables", "footnotes",
                     "def_list", "abbr", "toc", "admonition"]
LIVE_ELEMENTS = ("script", "iframe", "object", "embed", "svg", "math", "style", "form",
                 "base", "meta", "link", "frame", "frameset", "applet")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "background",
                  "xlink:href", "srcset")
SAFE_SCHEME_RE = re.compile(r"^(https?|mailto):", re.IGNORECASE)
SCHEME_RE = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.IGNORECASE)
KRAMDOWN = ["ruby", "-rkramdown", "-e",
            "print Kramdown::Document.new($stdin.read, input: 'kramdown').to_html"]


def commonmark(text: str) -> str:
    # html=True: raw HTML on, as in the CommonMark spec and most static sites.
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def mkdocs(text: str) -> str:
    return python_markdown.markdown(text, extensions=MKDOCS_EXTENSIONS)


def _kramdown_available() -> bool:
    if shutil.which("ruby") is None:
        return False
    probe = subprocess.run([*KRAMDOWN[:2], "-e", "1"], capture_output=True, check=False)
    return probe.returncode == 0


def kramdown(text: str) -> str:
    done = subprocess.run(KRAMDOWN, input=text, capture_output=True, text=True, check=True,
                          timeout=60)
    return done.stdout


KRAMDOWN_MISSING = "kramdown not installed (apt-get install ruby-kramdown); CI gates on the " \
                   "two Python renderers"
RENDERERS: list[object] = [
    pytest.param(commonmark, id="commonmark"),
    pytest.param(mkdocs, id="python-markdown"),
    pytest.param(kramdown, id="kramdown",
                 marks=pytest.mark.skipif(not _kramdown_available(), reason=KRAMDOWN_MISSING)),
]


def live_parts(rendered: str) -> list[str]:
    """Everything in rendered HTML that would run script or navigate to a script URL."""
    soup = BeautifulSoup(rendered, "html.parser")
    found = [f"<{el.name}>" for el in soup.find_all(LIVE_ELEMENTS)]
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{el.name} {name}={text}")
            elif name.lower() in URL_ATTRIBUTES:
                scheme = SCHEME_RE.match(text)
                if scheme and not SAFE_SCHEME_RE.match(text.strip()):
                    found.append(f"{el.name} {name}={text}")
    return found


# Hostile page fragments, as a hostile author (or a hostile comment quoted in a post)
# would write them: each shows markup literally, or smuggles a scheme or a brace group.
HOSTILE = [
    ("script shown as text", "<p>Never write &lt;script&gt;alert(1)&lt;/script&gt; in a "
                             "template.</p>"),
    ("img onerror as text", "<p>Try &lt;img src=x onerror=alert(1)&gt; in the box.</p>"),
    ("svg onload at line start", "<p>&lt;svg onload=alert(1)&gt;&lt;/svg&gt; is the "
                                 "classic.</p>"),
    ("block html at line start", "<p>&lt;div onclick=alert(1)&gt;click&lt;/div&gt;</p>"),
    ("anchor as text", '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>'),
    ("comment and cdata", "<p>&lt;!-- c --&gt; &lt;![CDATA[x]]&gt; &lt;?php echo 1 ?&gt;</p>"),
    ("entity-encoded script", "<p>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"
                              " and &amp;#60;img src=x onerror=alert(1)&amp;#62;</p>"),
    ("autolink to javascript", "<p>&lt;javascript:alert(1)&gt; and &lt;x@y.org&gt;</p>"),
    ("script in table cell", "<table><tr><th>a</th></tr><tr><td>&lt;script&gt;alert(1)"
                             "&lt;/script&gt;</td></tr></table>"),
    ("script in heading", "<h2>&lt;img src=x onerror=alert(1)&gt; heading</h2><p>x</p>"),
    ("script in link text", '<p><a href="/ok">&lt;img src=x onerror=alert(1)&gt;</a></p>'),
    ("attr_list after heading", '<h2>Title {: onclick="alert(1)" }</h2><p>x</p>'),
    ("attr_list after paragraph", "<p>Some text {: onmouseover=alert(1) }</p>"),
    ("attr_list after link", '<p><a href="https://x.example/">l</a>{: onclick=alert(1)}</p>'),
    ("attr_list without colon", "<p>Text { onclick=alert(1) }</p>"),
    ("kramdown nomarkdown", "<p>{::nomarkdown}&lt;script&gt;alert(1)&lt;/script&gt;{:/}</p>"),
    ("kramdown options", "<p>{::options parse_block_html=\"true\" /}</p><p>&lt;div&gt;x"
                         "&lt;/div&gt;</p>"),
    ("reference definition", "<p>[x]: javascript:alert(1)</p><p>see [x] and [x][]</p>"),
    ("inline link syntax as text", "<p>[y](javascript:alert(1)) and ![i](javascript:1)</p>"),
    ("javascript href", '<p><a href="javascript:alert(1)">a</a> <a href="JaVaScRiPt:alert(1)">'
                        'b</a> <a href="java&#x09;script:alert(1)">c</a> <a href="  '
                        'javascript:alert(1)">d</a> <a href="vbscript:msgbox(1)">e</a></p>'),
    ("data and file hrefs", '<p><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">'
                            'a</a> <a href="file:///etc/passwd">b</a> <a href="data:image/'
                            'svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">c</a></p>'),
    ("entity scheme", '<p><a href="javascript&amp;colon;alert(1)">a</a> '
                      '<a href="&amp;#106;avascript:alert(1)">b</a></p>'),
    ("parenthesis injection", '<p><a href="https://x/a)[y](javascript:alert(1)">click</a></p>'),
    ("parenthesis injection in image",
     '<p><img src="https://x/a.png)![y](javascript:alert(1)" alt="i"></p>'),
    ("escaped parenthesis injection", '<p><a href="https://x/a\\)[y](javascript:alert(1)">'
                                      'click</a></p>'),
    ("angle bracket destination", '<p><a href="https://x/a>[y](javascript:alert(1)">c</a></p>'),
    ("title breaks out", '<p><a href="https://x.example/" title=\'a") [z](javascript:alert(1)) '
                         '"\'>t</a> and <img src="/i.png" title=\'t\\") [z](javascript:a(1)'
                         '\' alt="i"></p>'),
    ("alt text", '<p><img src="/i.png" alt="&lt;script&gt;alert(1)&lt;/script&gt; ](javascript:'
                 'alert(1))"></p>'),
    ("javascript image", '<p><img src="javascript:alert(1)" alt="a"> <img src="x" '
                         'onerror="alert(1)" alt="b"></p>'),
    ("media poster", '<video src="javascript:alert(1)" poster="javascript:alert(2)"></video>'
                     '<video src="/v.mp4" poster="vbscript:x">clip</video>'),
    ("abbr title", '<p><abbr title="&lt;img src=x onerror=alert(1)&gt;">HTML</abbr></p>'),
    ("math alttext", '<p><math alttext="&lt;img src=x onerror=alert(1)&gt;"><mi>x</mi>'
                     "</math></p>"),
    ("code stays code", "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre><p>"
                        "<code>&lt;img src=x onerror=alert(1)&gt;</code></p>"),
    ("mailto with markup", '<p><a href="mailto:a@b.org?subject=&lt;script&gt;">mail</a></p>'),
]


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize(("html", "base"), [
    pytest.param(html, base, id=f"{name}{'' if base else ' (no base)'}")
    for name, html in HOSTILE for base in (BASE, None)])
def test_hostile_page_renders_inert(html: str, base: str | None,
                                    render: Callable[[str], str]) -> None:
    text = html_to_markdown(html, base)
    assert live_parts(render(text)) == [], text


SHOWN = [
    ("<p>Never write &lt;script&gt;alert(1)&lt;/script&gt; here.</p>",
     "Never write <script>alert(1)</script> here."),
    ("<p>a &lt;b&gt; &amp;amp; &amp;copy; {: x} c</p>", "a <b> &amp; &copy; {: x} c"),
    ("<p>&lt;img src=x onerror=alert(1)&gt;</p>", "<img src=x onerror=alert(1)>"),
]


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize(("html", "shown"), SHOWN)
def test_markup_text_is_shown_not_lost(html: str, shown: str,
                                       render: Callable[[str], str]) -> None:
    """Escaping keeps the reader's text: the renderer shows what the page showed."""
    rendered = BeautifulSoup(render(html_to_markdown(html, BASE)), "html.parser")
    assert rendered.get_text().strip() == shown


def test_parenthesis_injection_stays_one_link() -> None:
    text = html_to_markdown('<p><a href="https://x/a)[y](javascript:alert(1)">click</a></p>', BASE)
    assert text == "[click](https://x/a%29[y]%28javascript:alert%281%29)\n"
    for render in (commonmark, mkdocs):
        links = BeautifulSoup(render(text), "html.parser").find_all("a")
        assert [a.get_text() for a in links] == ["click"]


def test_balanced_parentheses_stay_readable() -> None:
    html = '<p><a href="https://en.wikipedia.org/wiki/Set_(mathematics)">sets</a></p>'
    text = html_to_markdown(html, BASE)
    assert text == "[sets](https://en.wikipedia.org/wiki/Set_(mathematics))\n"
    for render in (commonmark, mkdocs):
        [a] = BeautifulSoup(render(text), "html.parser").find_all("a")
        assert a["href"] == "https://en.wikipedia.org/wiki/Set_(mathematics)"


@pytest.mark.parametrize(("href", "kept"), [
    ("https://x.example/a", True), ("http://x.example/a", True), ("mailto:a@x.example", True),
    ("/relative/path", True), ("tel:+123456", False), ("ftp://x.example/f", False),
    ("javascript:alert(1)", False), ("data:image/png;base64,AAAA", False),
    ("intent://x#Intent;end", False),
])
def test_only_web_and_mail_destinations_survive(href: str, kept: bool) -> None:
    """Links and images alike: any other scheme leaves the text (or alt) as plain text."""
    link = html_to_markdown(f'<p><a href="{href}">label</a></p>', None)
    picture = html_to_markdown(f'<p><img src="{href}" alt="alt"></p>', None)
    assert ("](" in link) is kept, link
    assert link.startswith("label") is not kept
    assert ("](" in picture) is kept, picture


def test_archived_post_is_inert_end_to_end(server: LocalServer, archive_dir: Path) -> None:
    """`vellum add --profile mkdocs` of a hostile post: the file on disk renders inert."""
    body = "".join(html for _, html in HOSTILE)
    url = server.page("/2024/05/hostile/", wordpress_post("A hostile post", body=body))
    result = CliRunner().invoke(app, ["add", url, "--archive", str(archive_dir),
                                      "--profile", "mkdocs"])
    assert result.exit_code == 0, result.output
    [path] = [p for p in archive_dir.rglob("*.md") if ".vellum" not in p.parts]
    _, text = frontmatter.split(path.read_text(encoding="utf-8"))
    assert "onerror=alert(1)" in text  # the text is kept, shown literally
    renderers = [commonmark, mkdocs] + ([kramdown] if _kramdown_available() else [])
    for render in renderers:
        assert live_parts(render(text)) == [], render.__name__
