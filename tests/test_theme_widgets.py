"""Theme widgets keep the author's content: admonitions, tabs (hidden panels too),
reference lists; a blog's tagline is not the post's lead.

Fixtures imitate each theme family's markup (Docusaurus 2 classic, Material for
MkDocs, Hexo/NexT), whitespace included; they are written by hand.
"""

from __future__ import annotations

from vellum.pipeline.flow import convert_html

from .conftest import page_html


def fixture(name: str) -> str:
    """A hand-written imitation of one family's markup, under tests/pages/widgets/."""
    return page_html(f"widgets/{name}").rstrip("\n")

PROSE = "<p>" + "The post explains one idea at length, with examples and caveats. " * 6 + "</p>"
URL = "https://blog.example.com/posts/widgets/"


def page(body: str, header: str = "") -> str:
    return (f"<!doctype html><html><head><title>Widgets</title></head><body>{header}"
            f"<main><article><h1>Widgets</h1>{PROSE}\n{body}\n{PROSE}</article></main>"
            f"<footer>© 2024 Someone</footer></body></html>")


DOCUSAURUS_ADMONITION = fixture("docusaurus-admonition.html")

DOCUSAURUS_TABS = fixture("docusaurus-tabs.html")

MATERIAL_ADMONITION = fixture("material-admonition.html")

MATERIAL_TABS = fixture("material-tabs.html")

NEXT_REFERENCES = fixture("next-references.html")

NEXT_HEADER = fixture("next-header.html")

RELATED = fixture("related.html")


def test_docusaurus_admonition_keeps_title_list_and_links() -> None:
    markdown = convert_html(page(DOCUSAURUS_ADMONITION), URL)
    assert "For more news and updates:" in markdown
    assert "- Subscribe to our [Newsletter](https://news.example.org/)" in markdown
    assert "- Follow us on [Mastodon](https://social.example.net/ours)" in markdown


def test_docusaurus_tabs_keep_hidden_panels_under_their_labels() -> None:
    markdown = convert_html(page(DOCUSAURUS_TABS), URL)
    mac = markdown.index("**macOS**")
    win = markdown.index("**Windows**")
    assert mac < markdown.index("Install it with") < win < markdown.index("Download the installer")
    assert "- macOS" not in markdown


def test_material_admonition_and_tabs() -> None:
    markdown = convert_html(page(MATERIAL_ADMONITION + "\n" + MATERIAL_TABS), URL)
    assert "Keep the cache warm" in markdown
    assert "- once a day" in markdown
    assert "- after each release" in markdown
    assert markdown.index("**Linux**") < markdown.index("distribution's packages") \
        < markdown.index("**macOS**") < markdown.index("Homebrew formula")


def test_reference_list_stays_related_list_goes() -> None:
    markdown = convert_html(page(NEXT_REFERENCES + RELATED), URL)
    assert "[Inline assembly in C](http://wiki.example.org/inline-assembly)" in markdown
    assert "[二進位技巧一百招](https://books.example.com/products/0010)" in markdown
    assert "A third post of the blog" not in markdown


def test_blog_tagline_is_not_the_lead() -> None:
    markdown = convert_html(page("", header=NEXT_HEADER), URL)
    assert "Every piece of work prepares you" not in markdown


def test_short_cjk_alt_names_a_picture_not_an_emoji() -> None:
    figure = ('<p><img src="https://img.example.com/a/handler_thread.PNG" alt="模式切換"></p>'
              '<p>A smiley <img class="wp-smiley" src="https://s.w.org/images/core/emoji/14.0.0/'
              '72x72/1f600.png" alt="😀"> stays a character.</p>')
    markdown = convert_html(page(figure), URL)
    assert "![模式切換](https://img.example.com/a/handler_thread.PNG)" in markdown
    assert "A smiley 😀 stays a character." in markdown


def test_headings_that_start_like_a_chrome_word_stay() -> None:
    # "Stand:" (German "as of"), "Updated", "Follow us" are chrome only as whole words.
    body = ("<h3>Standard Setup (Linux / macOS)</h3><p>Run the installer.</p>"
            "<h3>Updatedness of caches</h3><p>Caches age.</p>"
            "<h3>Follow useful conventions</h3><p>Name things well.</p>")
    markdown = convert_html(page(body), URL)
    for heading in ("Standard Setup (Linux / macOS)", "Updatedness of caches",
                    "Follow useful conventions"):
        assert f"### {heading}" in markdown


def test_a_source_link_inside_a_sentence_stays() -> None:
    body = ('<p>This closes the loop: push, deploy, sync, and the IDs come back as a pull '
            'request. (<a href="https://code.example.org/blog/sync.yml">source: '
            '<code>sync.yml</code></a>)</p>')
    markdown = convert_html(page(body), URL)
    assert "[source: `sync.yml`](https://code.example.org/blog/sync.yml)" in markdown


def test_lists_the_post_introduces_stay() -> None:
    # Hugo/PaperMod-style: a heading with an anchor id, or a label line, then links
    # that may all go to one documentation site.
    body = ('<h2 id="resources">Resources<a hidden class="anchor" aria-hidden="true" '
            'href="#resources">#</a></h2>\n<ul>\n<li><a href="https://spec.example.org/psr/3/">'
            'Official specification</a></li>\n<li><a href="https://spec.example.org">The '
            'group\'s website</a></li>\n</ul>\n<p><strong>Additional Resources:</strong></p>\n'
            '<ul>\n<li><a href="https://docs.example.org/cors">CORS - docs</a></li>\n'
            '<li><a href="https://docs.example.org/same-origin">Same-origin policy - docs</a>'
            '</li>\n</ul>')
    markdown = convert_html(page(body), URL)
    for link in ("[Official specification](https://spec.example.org/psr/3/)",
                 "[Same-origin policy - docs](https://docs.example.org/same-origin)"):
        assert link in markdown


def test_a_picture_sharing_a_paragraph_with_its_credit_stays() -> None:
    body = ('<p><img loading="lazy" src="https://img.example.org/evodb/stages.jpg" '
            'alt="tutorial image 2" class="img_ev3q">\nCredit: example.org </p>')
    markdown = convert_html(page(body), URL)
    assert "![tutorial image 2](https://img.example.org/evodb/stages.jpg)" in markdown


def test_a_one_link_sub_list_stays() -> None:
    body = ('<p>Two files hold the settings:</p>\n<ul>\n<li>the site: <code>_config.yml</code>'
            '<ul>\n<li><a target="_blank" rel="noopener" href="https://docs.example.org/'
            'configuration">the official guide</a></li>\n</ul>\n</li>\n<li>the theme: '
            '<code>_config.next.yml</code></li>\n</ul>')
    markdown = convert_html(page(body), URL)
    assert "[the official guide](https://docs.example.org/configuration)" in markdown
