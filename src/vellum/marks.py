"""MARKS: the ``data-*`` attributes vellum writes into an article's HTML for a later
stage (or a later run) to read: the contract between extract, convert and archive.

extract marks what it recognised (footnotes, math, embeds); convert marks what its own
passes decided (a code block's language and title) and reads all of them. Attributes
read from the pages themselves (``data-src``, ``data-lazy-src``...) are platform rules:
they live in ``vellum.rules``, not here.
"""

from __future__ import annotations

# Footnotes (models.Article.body_html): <sup data-footnote-ref="ID"></sup> in the text,
# the definitions in one <section data-footnotes> of <div data-footnote="ID">.
FOOTNOTE_REF = "data-footnote-ref"
FOOTNOTE = "data-footnote"
FOOTNOTES = "data-footnotes"
# Math recovered as TeX: <span data-math="inline"> or <div data-math="display">.
MATH = "data-math"
MATH_DISPLAY = "display"
MATH_INLINE = "inline"
# An embed (video, gist, pen...) extract turned into a link.
EMBED = "data-vellum-embed"
# A code block prepared by convert: its language and its title bar's text.
CODE_LANGUAGE = "data-vellum-lang"
CODE_TITLE = "data-vellum-title"
