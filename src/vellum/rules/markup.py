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
