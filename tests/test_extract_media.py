"""Embeds, sidenotes, images and mojibake: the exact Markdown ``convert_html`` produces."""

from __future__ import annotations

from pathlib import Path

import pytest

from vellum.pipeline import convert_html

PAGES = Path(__file__).parent / "pages"
PROSE = ("A sentence about nothing much, written to give the page some weight. " * 4).strip()


def middle(markup: str, url: str = "https://example.com/post/") -> str:
    """The Markdown body produced for ``markup`` set between two prose paragraphs."""
    html = (f"<html><head><title>T</title></head><body><article><h1>T</h1><p>{PROSE}</p>"
            f"{markup}<p>{PROSE}</p></article></body></html>")
    body = convert_html(html, url).split("---\n", 2)[2]
    assert body.count(PROSE) == 2
    return "\n".join(line.rstrip() for line in body.replace(PROSE, "").strip().splitlines())


def test_tufte_page_with_embeds() -> None:
    html = (PAGES / "tufte_embeds_post.html").read_text(encoding="utf-8")
    markdown = convert_html(html, "https://fieldnotes.example.org/2024/03/margins/")
    body = markdown.split("---\n", 2)[2]
    assert body == """
Edward Tufte’s books put notes beside the text[^1] instead of at the foot of the page, \
so the reader’s eye travels a few centimetres instead of a whole page.

Margin notes carry no number at all[^2] and read like asides.

Somebody summed it up well on the fediverse:

[Post by @mholt@mastodon.social](https://mastodon.social/@mholt/109876543210)

And on the other site:

> Sidenotes are footnotes that finally found a better seat.
>
> — Mira Holt (@mholt) [March 5, 2022](https://twitter.com/mholt/status/1500000000000000000)

The CSS that does it, as a pen and as a gist:

[Tufte sidenotes](https://codepen.io/mholt/pen/wvEqYpL)

[sidenotes.css (GitHub gist by mholt)](https://gist.github.com/mholt/9f8e7d6c5b4a)

The talk that started it:

[Edward Tufte: The Future of Data Analysis](https://www.youtube.com/watch?v=fSgEeI2Xpdc)

Newer Hugo themes put the note in an aside after the paragraph it belongs to, which works \
without the checkbox trick.[^3]

[Subscribe by RSS](https://fieldnotes.example.org/feed.xml) if you want more of these.

[^1]: See _Beautiful Evidence_ (2006), chapter one.

[^2]: On small screens the ⊕ toggles them.

[^3]: The Hugo `sidenote` shortcode renders exactly this.
"""
    for absent in ("<svg", "margin-toggle", "platform.twitter.com", "ref_src", "embed.js",
                   "pixel.wp.com", "See the Pen", "View on Mastodon"):
        assert absent not in markdown


@pytest.mark.parametrize(("markup", "expected"), [
    # Mastodon: the embed frame, and the newer blockquote embed code
    ('<iframe src="https://mastodon.social/@Gargron/111222333/embed" class="mastodon-embed" '
     'width="400"></iframe><script src="https://mastodon.social/embed.js" async></script>',
     "[Post by @Gargron@mastodon.social](https://mastodon.social/@Gargron/111222333)"),
    ('<blockquote class="mastodon-embed" data-embed-url="https://fosstodon.org/@ann/112233/embed"'
     ' style="background: #FCF8FF;"><a href="https://fosstodon.org/@ann/112233" target="_blank">'
     '<svg width="32" height="32" viewBox="0 0 79 75"><path d="M74"/></svg>'
     '<div style="color: #787588;">Post by @ann@fosstodon.org</div><div>View on Mastodon</div>'
     '</a></blockquote><script async src="https://fosstodon.org/embed.js"></script>',
     "[Post by @ann@fosstodon.org](https://fosstodon.org/@ann/112233)"),
    # CodePen: the embed paragraph and the iframe
    ('<p class="codepen" data-height="300" data-slug-hash="abXyZ1" data-pen-title="Flexbox holy '
     'grail" data-user="annlee"><span>See the Pen <a href="https://codepen.io/annlee/pen/abXyZ1">'
     'Flexbox holy grail</a> by Ann Lee on <a href="https://codepen.io">CodePen</a>.</span></p>',
     "[Flexbox holy grail](https://codepen.io/annlee/pen/abXyZ1)"),
    ('<iframe height="300" title="Grid demo" src="https://codepen.io/bob/embed/preview/QwErTy?'
     'default-tab=result" loading="lazy"></iframe>',
     "[Grid demo](https://codepen.io/bob/pen/QwErTy)"),
    # GitHub gist scripts, with and without a file
    ('<script src="https://gist.github.com/annlee/0a1b2c3d4e5f.js?file=deploy.sh"></script>',
     "[deploy.sh (GitHub gist by annlee)](https://gist.github.com/annlee/0a1b2c3d4e5f)"),
    ('<script src="https://gist.github.com/annlee/0a1b2c3d4e5f.js"></script>',
     "[GitHub gist by annlee](https://gist.github.com/annlee/0a1b2c3d4e5f)"),
    # YouTube and Vimeo: title kept, a player's generic title replaced, lazy frames read
    ('<figure class="wp-block-embed is-provider-youtube"><div class="wp-block-embed__wrapper">'
     '<iframe title="Rust in 100 Seconds" src="https://www.youtube.com/embed/5C_HPTJg5ek?feature='
     'oembed"></iframe></div></figure>',
     "[Rust in 100 Seconds](https://www.youtube.com/watch?v=5C_HPTJg5ek)"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/5C_HPTJg5ek" title="YouTube video '
     'player"></iframe>',
     "[YouTube video](https://www.youtube.com/watch?v=5C_HPTJg5ek)"),
    ('<iframe data-src="https://player.vimeo.com/video/76979871?h=8272103f6e" class="lazyload" '
     'title="The New Vimeo Player"></iframe>',
     "[The New Vimeo Player](https://vimeo.com/76979871)"),
    ('<lite-youtube videoid="dQw4w9WgXcQ" playlabel="Play: Keynote (2023)"></lite-youtube>',
     "[Play: Keynote (2023)](https://www.youtube.com/watch?v=dQw4w9WgXcQ)"),
    # A tweet stays a quote, credited, its link without the embed's tracking
    ('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Shipping day! <a href="https://'
     't.co/x1">pic.twitter.com/x1</a></p>&mdash; Ann Lee (@annlee) <a href="https://twitter.com/'
     'annlee/status/1234567890?ref_src=twsrc%5Etfw">March 1, 2020</a></blockquote>'
     '<script async src="https://platform.twitter.com/widgets.js"></script>',
     "> Shipping day! [pic.twitter.com/x1](https://t.co/x1)\n>\n"
     "> — Ann Lee (@annlee) [March 1, 2020](https://twitter.com/annlee/status/1234567890)"),
    # A tweet saved after the widget rendered it: only the frame knows the post
    ('<div class="twitter-tweet twitter-tweet-rendered"><iframe title="X Post" src="https://'
     'platform.twitter.com/embed/Tweet.html?dnt=false&amp;id=1500000000000000000&amp;lang=en">'
     "</iframe></div>",
     "[Post on X (Twitter)](https://twitter.com/i/status/1500000000000000000)"),
    # Inline SVG icons go, the link text stays
    ('<p><a href="https://github.com/ann"><svg class="icon icon-github" viewBox="0 0 16 16" '
     'aria-hidden="true"><path d="M8 0C3.58"></path></svg> GitHub</a> and <svg width="12" '
     'height="12"><use href="#rss"></use></svg>RSS</p>',
     "[GitHub](https://github.com/ann) and RSS"),
])
def test_embeds(markup: str, expected: str) -> None:
    assert middle(markup) == expected


def test_unknown_frames_are_dropped() -> None:
    assert middle('<iframe src="https://ads.example.net/slot/7" title="Ad"></iframe>') == ""


def test_rendered_gist_next_to_its_script_is_not_linked_twice() -> None:
    markup = ('<script src="https://gist.github.com/ann/0a1b2c.js"></script>'
              '<div class="gist"><div class="gist-file"><table><tr><td class="blob-code">'
              "echo hi</td></tr></table></div></div>")
    assert "gist.github.com/ann" not in middle(markup)


@pytest.mark.parametrize(("markup", "expected"), [
    ('<p>Text<label for="mn-1" class="margin-toggle">&#8853;</label><input type="checkbox" '
     'id="mn-1" class="margin-toggle"/><span class="marginnote">A margin note.</span> goes on.</p>',
     "Text[^1] goes on.\n\n\n\n[^1]: A margin note."),
    ('<p>Claim here.</p><aside class="sidenote"><p>First para of the note.</p>'
     "<p>Second para.</p></aside><p>After.</p>",
     "Claim here.[^1]\n\nAfter.\n\n\n\n[^1]: First para of the note.\n\n    Second para."),
    ('<p>Numbered<label for="sn-1" class="margin-toggle sidenote-number"></label>'
     '<input type="checkbox" id="sn-1" class="margin-toggle"/><span class="sidenote">One.</span>'
     ' and<label for="sn-2" class="margin-toggle sidenote-number"></label><input type="checkbox" '
     'id="sn-2" class="margin-toggle"/><span class="sidenote">Two.</span> done.</p>',
     "Numbered[^1] and[^2] done.\n\n\n\n[^1]: One.\n\n[^2]: Two."),
])
def test_sidenotes_become_footnotes(markup: str, expected: str) -> None:
    assert middle(markup) == expected


@pytest.mark.parametrize(("markup", "expected"), [
    ('<p><img src="/blank.gif" data-lazy-src="/l.jpg" alt="lazy"></p>',
     "![lazy](https://example.com/l.jpg)"),
    ('<p><img class="lazyload" data-original="/o.jpg" alt="orig"></p>',
     "![orig](https://example.com/o.jpg)"),
    ('<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/d.jpg" alt="d"></p>',
     "![d](https://example.com/d.jpg)"),
    ('<p><img src="/s-400.jpg" srcset="/s-400.jpg 400w, /s-1600.jpg 1600w, /s-800.jpg 800w" '
     'alt="set"></p>', "![set](https://example.com/s-1600.jpg)"),
    ('<picture><source type="image/webp" srcset="/p-480.webp 480w, /p-1200.webp 1200w">'
     '<img src="/p-480.jpg" alt="pic"></picture>', "![pic](https://example.com/p-1200.webp)"),
    ('<p><img class="lazy" src="/placeholder.png" alt="n"><noscript><img src="/n.jpg" alt="n">'
     "</noscript></p>", "![n](https://example.com/n.jpg)"),
    # tracking pixels (by size, by host, by spacer name) leave no trace
    ('<p>Read<img src="https://pixel.wp.com/g.gif?v=ext&amp;blog=1" alt=""> on.'
     '<img src="https://example.com/spacer.gif" width="10" alt="">'
     '<img src="/track.gif" width="1" height="1"></p>', "Read on."),
    # emoji images become their character (or alt shortcode)
    ('<p>Done <img draggable="false" role="img" class="emoji" alt="🎉" src="https://s.w.org/'
     'images/core/emoji/14.0.0/svg/1f389.svg"> and <img src="/e/thumbsup.png" alt="👍"> ok '
     '<img class="twemoji" alt=":smile:" src="/s.png"></p>', "Done 🎉 and 👍 ok :smile:"),
    ('<p>Go <img src="https://cdn.jsdelivr.net/gh/twitter/twemoji@14.0.2/assets/svg/'
     '1f1fa-1f1f8.svg" alt=""> team <img src="https://s.w.org/images/core/emoji/15.0.3/72x72/'
     '2764.png"></p>', "Go 🇺🇸 team ❤"),
])
def test_images(markup: str, expected: str) -> None:
    assert middle(markup) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("My fianc√© booked the caf√© for Saturday.", "My fiancé booked the café for Saturday."),
    ("My fiancÃ© booked the cafÃ© for Saturday.", "My fiancé booked the café for Saturday."),
    ("It’s â€œquotedâ€\x9d twice.", "It’s “quoted” twice."),
])
def test_mojibake_repaired(text: str, expected: str) -> None:
    assert middle(f"<p>{text}</p>") == expected


@pytest.mark.parametrize("text", [
    "Clean text: café, naïve, São Paulo, SÃO PAULO, Ærø, “quotes” — and √2 ≈ 1.414.",
    "Ã la carte is not a word, but Â is a letter in Romanian.",
])
def test_clean_text_untouched(text: str) -> None:
    assert middle(f"<p>{text}</p>") == text
