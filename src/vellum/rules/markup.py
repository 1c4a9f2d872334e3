"""Markup both extract and convert recognise: one table each, so the stages cannot drift.

extract applies these to the page; convert applies them again only to HTML that did
not come through extract (the public ``html_to_markdown``).
"""

from __future__ import annotations

import re

# Inline styles that hide an element from every reader.
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Math: <script type="math/tex"> (MathJax 2; "; mode=display" for blocks) holds the TeX;
# these classes are MathJax's rendering of it, left beside the source (previews, output).
MATH_SCRIPT_RE = re.compile(r"^math/tex", re.IGNORECASE)
MATHJAX_RENDERINGS = frozenset({"MathJax_Preview", "MathJax", "MathJax_Display", "MathJax_SVG",
                                "MathJax_CHTML", "MathJax_SVG_Display"})
# KaTeX boxes, whose MathML <annotation encoding="application/x-tex"> holds the TeX.
KATEX_CLASSES = frozenset({"katex-display", "katex"})

# The text of a heading's permalink anchor ("¶", "#", an icon left empty): furniture.
PERMALINK_TEXTS = frozenset({"", "¶", "#", "§", "🔗", "link", "permalink", "∞"})

# Code-block furniture: line numbers and copy buttons, never the code.
GUTTER_CLASSES = frozenset({
    "linenos", "linenodiv", "lineno", "linenumber", "line-number", "line-numbers-rows",
    "gutter", "gl", "rouge-gutter", "ln", "lnt", "blob-num", "js-line-number",
    "hljs-ln-numbers", "hljs-ln-n", "react-syntax-highlighter-line-number",
    "code-line-number", "md-clipboard", "copy-button", "copybtn", "code-copy-button",
})

# Highlighter token spans: a childless <span> inside <pre> that only colours its text.
# The parse for extraction keeps their text and drops the element (half of a technical
# blog's elements; no pass reads them). Pygments, Rouge and Chroma give short classes
# ("k", "nf", "s2"), highlight.js "hljs-*" ones, Prism (and prism-react-renderer, as in
# Docusaurus) "token" plus a type; Shiki and prism-react-renderer colour with a style.
TOKEN_CLASS_RE = re.compile(r"^(?:[a-z]{1,3}\d?|hljs-(?!ln)[\w-]+)$")
TOKEN_CLASS = "token"
TOKEN_STYLE_RE = re.compile(
    r"^(?:\s*(?:color|background-color|font-style|font-weight|text-decoration|--[\w-]+)"
    r"\s*:[^;:]*(?:;|$))*\s*$", re.IGNORECASE)
