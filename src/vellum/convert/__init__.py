"""CONVERT stage: article HTML → Markdown body + YAML front matter.

Markdown written: ATX headings, ``-`` bullets, fenced code with the language
found in highlighter markup (gutters dropped), GFM pipe tables (layout tables
unwrapped), ``[^ID]`` footnotes with definitions at the end, ``$…$``/``$$…$$``
math, absolute link and image URLs, ``\\`` hard breaks, and backslash escapes only
where a character would otherwise be read as Markdown. Raw HTML never passes
through; script/style content, ``javascript:``/``vbscript:``/``data:`` links
(``data:image`` excepted) are dropped or kept as plain text. Images take their
real URL from lazy-loading attributes when ``src`` is a ``data:`` placeholder;
inline ``data:`` images are dropped (kilobytes of base64 in the text). Click-
tracking query parameters (``utm_*``, ``fbclid``...) are removed from URLs.

Renderings chosen where Markdown has no syntax (readable in any renderer):
admonitions and ``<details>`` → blockquote opening with the bold title; content
tabs → each bold label followed by its content; ``<dl>`` → ``**term**`` then
``:   definition`` (pandoc / Python-Markdown def_list syntax); ``<kbd>`` → code
span; ``<abbr title>`` → "HTML (HyperText Markup Language)" the first time, the
bare text after; ``<mark>`` → ``==text==``; ``<del>``/``<s>`` → ``~~text~~``;
``<sup>`` → ``x^2`` / ``x^(n+1)`` for exponents, plain for ordinals and words
(1st, TM); ``<sub>`` → plain for digits (H2O), ``x_i`` / ``x_(i,j)`` otherwise;
figure captions and table captions → an italic line (after the image, above
the table), and so are layout tables pairing one image with one short text cell
(Blogger's ``tr-caption-container``); one-column tables without a header are
layout; heading edit controls ("[edit]") and self-permalinks are dropped; typed
separator paragraphs ("* * *") → ``---``; emoji images → their alt text; checkbox
list items → ``[x]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from .. import frontmatter
from ..errors import ExtractError, InputError
from ..models import Article, Document
from ..rules.convert import BACKLINK_MARKS_RE
from ..soup import paused_gc
from ..urls import host_dir
from . import cleanup
from .fields import FIELDS, Context
from .markdown import MarkdownWriter
from .prepare import prepare
from .profiles import PROFILES, Profile, file_name, values

__all__ = ["PROFILES", "Profile", "front_matter", "html_to_markdown", "render"]


def _markdown(body: str | Article, base_url: str | None, title: str | None = None) -> str:
    with paused_gc():
        return _render_body(body, base_url, title)


def _render_body(body: str | Article, base_url: str | None, title: str | None) -> str:
    # extract's tree when this article still has it (one parse per page), else its text
    tree = body.body_tree() if isinstance(body, Article) else None
    prepared = prepare(tree or (body.body_html if isinstance(body, Article) else body), title)
    converter = MarkdownWriter(base_url=base_url)
    body = cleanup.tidy(converter.convert_soup(prepared.root))
    notes = []
    for key, definition in prepared.footnotes:
        text = cleanup.tidy(converter.convert_soup(definition)).strip("\n")
        text = BACKLINK_MARKS_RE.sub("", text)
        if text:
            lines = text.split("\n")
            rest = "\n".join(("    " + line) if line else "" for line in lines[1:])
            notes.append(f"[^{key}]: {lines[0]}" + (f"\n{rest}" if rest else ""))
    if notes:
        body = f"{body}\n" + "\n\n".join(notes) + "\n" if body else "\n\n".join(notes) + "\n"
    return body


def html_to_markdown(body_html: str, base_url: str | None = None) -> str:
    """The Markdown for ``body_html``, links and images made absolute against ``base_url``.

    Ends with exactly one newline (empty string for an empty body).
    """
    return _markdown(body_html, base_url)


def _profile(name: str | Profile) -> Profile:
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except KeyError:
        valid = ", ".join(PROFILES)
        raise InputError(name, f"unknown front matter profile; choose one of {valid}") from None


def front_matter(
    article: Article,
    profile: str | Profile = "default",
    *,
    archived_at: dt.datetime | None = None,
    slug: str | None = None,
) -> dict[str, Any]:
    """The front matter values of ``article`` in ``profile`` (empty values left out)."""
    return values(_profile(profile), Context(article, archived_at, slug))


def render(
    article: Article,
    profile: str | Profile = "default",
    *,
    archived_at: dt.datetime | None = None,
    slug: str | None = None,
    source_tag: str = "",
    feed_id: str = "",
) -> Document:
    """The complete Markdown document for ``article``: front matter, body, and the path
    the profile files it under (relative to the archive; the store makes it unique).

    A leading h1/h2 repeating the title is dropped (the title is in the front matter).
    ``source_tag`` and ``feed_id`` come from the followed feed the post came through.
    """
    chosen = _profile(profile)
    context = Context(article, archived_at, slug, source_tag=source_tag, feed_id=feed_id)
    if not slug:  # made once: the values and the file name both read it
        context = replace(context, slug=FIELDS["slug"](context))
    data = values(chosen, context)
    base = article.base_url or article.final_url or article.url
    try:
        body = _markdown(article, base, article.title)
    except RecursionError:  # markdownify recurses per level: a cut post is never written
        raise ExtractError(article.url or base or "<html>", "damaged: nested too deeply to "
                           "convert whole (hundreds of levels); not archived") from None
    text = frontmatter.join(data, body, sort_keys=chosen.sort_keys)
    url = article.url or article.final_url or ""
    path = file_name(chosen, context, host_dir(url), FIELDS["slug"](context))
    return Document(front_matter=data, body=body, text=text, profile=chosen.name,
                    sort_keys=chosen.sort_keys, path=path)

