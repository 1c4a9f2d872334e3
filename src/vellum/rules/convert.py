"""Rules of the CONVERT stage: the tag sets, class names, phrases and patterns that decide
how an article's HTML becomes Markdown. Data only; the logic is in ``vellum.convert``."""

from __future__ import annotations

import re

from . import markup

# --- Text hygiene and escaping (text.py) ---------------------------------------------
# Spaces that only stop a line from wrapping: plain spaces in Markdown.
NBSP_RE = re.compile("[\u00a0\u2007\u202f]")
# Invisible characters that only carry line-breaking hints. ZWJ (U+200D) and ZWNJ
# (U+200C) are kept: emoji sequences and Persian/Indic spelling depend on them.
INVISIBLE_RE = re.compile("[\u00ad\u200b\u2060\ufeff\u180e]")
# C0/C1 control characters (tab and newlines excepted) and lone surrogates never
# belong in text; removing them also keeps the converter's sentinels unique.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Any character one of the three above would change (a quick test for clean text).
UNCLEAN_RE = re.compile("[\u00a0\u2007\u202f\u00ad\u200b\u2060\ufeff\u180e"
                        "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
HTML5_ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
WHITESPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
# Whitespace that squashing would change: a run, or any space character but " ".
SQUASHED_RE = re.compile(r"[\t\n\r\f\v]|  ")
# What entity decoding, clean or squash would change: text without it goes as it is.
TEXT_HYGIENE_RE = re.compile("[&\t\n\r\f\v" + UNCLEAN_RE.pattern[1:] + "|  ")
# Text of these alone (clean keeps each) squashes to one space.
SQUASHED_TO_SPACE = " \t\n\r"
ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
LINE_START_RES = (
    re.compile(r"#{1,6}(?=\s|$)"),  # ATX heading
    re.compile(r"([-+*=_])\1*(?=\s|$)"),  # bullet, thematic break, setext underline
    re.compile(r">"),  # blockquote
    re.compile(r"\|"),  # table row
)
ORDERED_ITEM_RE = re.compile(r"\d{1,9}([.)])(?=\s|$)")
# The characters the escapes outside a line start look at (a quick test for plain text).
ESCAPABLE_RE = re.compile(r"[\\`\[\]<&{|*_~=]")
# Characters whose escaping depends on the text around: delimiter runs, a closing "]".
CONTEXT_CHARS = frozenset("*_~=")
# Escaped as entities: a backslash before them is literal text to Python-Markdown and kramdown.
ENTITIES = {"<": "&lt;", "&": "&amp;"}
# Runs that may open or close emphasis, strikethrough or highlight.
DELIMITER_RUN_RE = re.compile(r"\*+|_+|~+|={2,}")
# Characters escaped wherever they stand: a backslash before punctuation, a backtick, "]"
# before "(", "[" or ":" (a link), "[^" (a footnote), "<" opening a tag, "&" opening an
# entity, "{" (attribute lists). One match per position.
ALWAYS_ESCAPED_RE = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)|`|\](?=[(\[:])|\[(?=\^)|"
                               r"<(?=[A-Za-z/!?]|$)|&(?=#?[A-Za-z0-9]+;)|\{")
CELL_PIPE_RE = re.compile(r"\|")

# --- Code blocks: highlighter markup (code.py) ---------------------------------------
# Class-name patterns that name a code block's language (the group is the language).
LANGUAGE_CLASS_RES = (
    re.compile(r"^(?:language|lang)-(.+)$"),
    re.compile(r"^highlight-source-(.+)$"),  # GitHub
    re.compile(r"^highlight-(?!ipynb)(.+)$"),  # Sphinx: div.highlight-python
    re.compile(r"^brush:(.+)$"),  # SyntaxHighlighter: class="brush: js"
)
LANGUAGE_ATTRS = ("data-lang", "data-language", "lang-data", "data-enlighter-language",
                  "data-syntax")  # WordPress Enlighter; data-syntax: other plugins
# Class names that sit beside a bare language name (pandoc: pre.sourceCode.python).
BARE_LANGUAGE_MARKERS = frozenset({"sourceCode", "hljs"})
NOT_LANGUAGES = frozenset({
    "sourcecode", "numbersource", "number-lines", "none", "nohighlight", "no-highlight",
    "default", "auto", "hljs", "highlight", "notranslate", "chroma", "line-numbers",
    "highlighter-rouge", "prettyprint", "linenums", "code", "source",
})
# Elements inside a code block that may carry its language.
LANGUAGE_HOLDERS = ("code", "td", "table")
# Ancestors of a <pre> searched for a language class (wrapper divs, figures).
LANGUAGE_ANCESTORS = 3
# Elements that hold line numbers, copy buttons or other non-code furniture.
GUTTER_CLASSES = markup.GUTTER_CLASSES
GUTTER_TAGS = frozenset({"button", "script", "style", "template", "svg"})
# Tables that are highlighter output, not data (their code cells become one block).
CODE_TABLE_CLASSES = frozenset({"highlighttable", "rouge-table", "lntable", "hljs-ln",
                                "js-file-line-container", "highlight"})
CODE_CELL_CLASSES = frozenset({"code", "rouge-code", "blob-code", "hljs-ln-code",
                               "blob-code-inner"})
# Children of a <pre> that each hold one line when the highlighter leaves out "\n".
LINE_TAGS = frozenset({"div", "p", "tr", "li"})
LANGUAGE_SAFE_RE = re.compile(r"[^\w+#.-]")
# Material for MkDocs code annotations: a line-end comment holding only a marker,
# "# (1)!" (the "!" form is Material's own syntax) or "# (1)" when the annotation list
# follows the block. The marker is the theme's, not the program's.
ANNOTATION_BANG_RE = re.compile(r"[ \t]*(?:#|//|--|;|%|/\*)[ \t]*\(\d+\)![ \t]*(?:\*/)?[ \t]*$",
                                re.MULTILINE)
ANNOTATION_RE = re.compile(r"[ \t]*(?:#|//|--|;|%|/\*)[ \t]*\(\d+\)[ \t]*(?:\*/)?[ \t]*$",
                           re.MULTILINE)
# A code block's title bar (a file name): pymdownx.highlight (Material for MkDocs)
# span.filename, in the block or in a header row of its line-number table; Docusaurus
# div.codeBlockTitle_x1y2 before the block. It becomes the fence's title="...".
CODE_TITLE_RE = re.compile(r"^(?:filename|codeBlockTitle_\w+)$")
CODE_TITLE_ANCESTORS = 3
BRUSH_RE = re.compile(r"brush:\s*([\w+#.-]+)")  # SyntaxHighlighter's class="brush: js"
BACKTICK_RUN_RE = re.compile(r"`+")

# --- The tree before markdownify (prepare.py) ----------------------------------------
# Never content; <script type="math/tex"> is turned into math before this runs.
DROP_TAGS = ("script", "style", "noscript", "template", "object", "embed", "applet",
             "head", "title", "meta", "link", "base", "button", "select", "textarea",
             "svg", "canvas", "map", "dialog", "datalist", "output", "progress", "meter")
HIDDEN_STYLE_RE = markup.HIDDEN_STYLE_RE
# Tags after which text starts a new line (markdownify renders them as blocks).
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "blockquote", "section", "article", "header", "footer",
    "main", "aside", "nav", "figure", "figcaption", "dl", "dt", "dd", "h1", "h2", "h3",
    "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
    "pre", "hr", "details", "summary", "address", "center", "hgroup", "fieldset", "form",
    "body", "html", "[document]",
})
# Blocks whose text is rendered inline, after a marker or inside a pipe table.
INLINE_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt",
                           "figcaption", "caption", "summary"})
# Inline tags that write markup before their text: the text is not at a line start.
PREFIX_TAGS = frozenset({"a", "strong", "b", "em", "i", "del", "s", "strike", "mark",
                         "code", "kbd", "samp", "q", "sup", "sub"})
RAW_TEXT_TAGS = frozenset({"code", "kbd", "samp", "tt"})
# A cell holding any of these is page layout, not data.
BLOCKY_CELL_CONTENT = ("table", "pre", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4",
                       "h5", "h6", "figure", "hr", "dl")
LAYOUT_CELL_CHARS = 200
# A text cell beside an image cell is its caption when short and a single paragraph.
CAPTION_CHARS = 400
CAPTION_BLOCKERS = ("table", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5",
                    "h6", "img", "figure")
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Controls written into headings: "[edit]" section links (MediaWiki, wikis), edit buttons.
HEADING_CONTROL_CLASS_RE = re.compile(r"editsection|edit-link|edit-section|section-edit",
                                      re.IGNORECASE)
BRACKETED_CONTROL_RE = re.compile(r"^\[[^\[\]]{1,20}\]$")
# Blocks a link may wrap in HTML5 (cards); the link is pushed down into them.
LINKED_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "section",
                           "article", "header", "footer", "figure", "figcaption", "blockquote",
                           "ul", "ol", "table", "dl", "aside", "address"})
UNLINKABLE_BLOCKS = frozenset({"ul", "ol", "table", "dl"})
LINK_BREAKERS = sorted(HEADING_TAGS | UNLINKABLE_BLOCKS)
# A paragraph of nothing but these (three or more) is a typed scene break: "* * *", "~~~".
SEPARATOR_RE = re.compile(r"^(?:[*~=_#•·◆◇♦❖⁂※-]\s*){3,}$")
SEPARATOR_HOLDERS = frozenset({"p", "div", "center"})
SEPARATOR_CHARS = frozenset("*~=_#•·◆◇♦❖⁂※-")
# Inline elements an editor splits in two ("<b>S</b><b>unshine</b>"): adjacent ones merge.
MERGED_INLINE = frozenset({"b", "strong", "em", "i", "del", "s", "mark", "code"})
FOOTNOTE_ID_RE = re.compile(r"[^\w-]+")
TITLE_NORM_RE = re.compile(r"\W+")

# --- Page widgets: math, admonitions, tabs, embeds (widgets.py) ----------------------
EMBED_SRC_RE = re.compile(r"(https?:)?//")
# Callout boxes: Material for MkDocs / Sphinx, GitHub alerts, Docusaurus, Bootstrap-ish.
ADMONITION_BOXES = (("div", "admonition"), ("aside", "admonition"), ("div", "markdown-alert"),
                    ("div", "theme-admonition"), ("div", "callout"), ("aside", "callout"))
ADMONITION_CLASSES = frozenset(name for _, name in ADMONITION_BOXES)
ADMONITION_TITLE_CLASSES = ("admonition-title", "markdown-alert-title", "admonition-heading",
                            "callout-title")
# Docusaurus 2+ (CSS modules): div.admonitionHeading_x1y2 holds the icon and the title.
ADMONITION_TITLE_RE = re.compile(r"^admonition(?:Heading|Title)_\w+$")
# Type classes that name a callout when it has no title element.
ADMONITION_TYPES = ("note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint",
                    "important", "success", "check", "done", "question", "help", "faq",
                    "warning", "caution", "attention", "failure", "fail", "missing",
                    "danger", "error", "bug", "example", "quote", "cite", "seealso")
# Material for MkDocs content tabs (pymdownx.tabbed, new and legacy markup).
TAB_SET_CLASS = "tabbed-set"
TAB_LABELS = (":scope > .tabbed-labels > label", ":scope > label")
TAB_PANELS = (":scope > .tabbed-content > .tabbed-block", ":scope > .tabbed-content")
# Rendered math left beside the TeX source (MathJax 2 previews and output).
MATH_RENDERINGS = markup.MATHJAX_RENDERINGS
KATEX_CLASSES = markup.KATEX_CLASSES
ARITHMATEX_CLASS = "arithmatex"
# Class names whose presence means fix_math has work to do (with <math> and <script>).
MATH_MARKERS = MATH_RENDERINGS | KATEX_CLASSES | {ARITHMATEX_CLASS}
MATH_SCRIPT_RE = markup.MATH_SCRIPT_RE
ARITHMATEX_DELIMITERS = ((r"\(", r"\)"), (r"\[", r"\]"), ("$$", "$$"), ("$", "$"))

# --- MathML to TeX (mathml.py) -------------------------------------------------------
# Accents written as <mover> with one of these on top.
ACCENTS = {"→": "\\vec", "¯": "\\overline", "‾": "\\overline", "^": "\\hat", "ˆ": "\\hat",
           "˙": "\\dot", "¨": "\\ddot", "~": "\\tilde", "˜": "\\tilde"}
SKIPPED = frozenset({"annotation", "annotation-xml", "mphantom", "none", "mprescripts"})
WORD_RE = re.compile(r"^[A-Za-z]{2,}$")
# Wikipedia's alttext wraps the formula in a style group that says nothing.
DISPLAYSTYLE_RE = re.compile(r"^\{\\displaystyle\s*(.*)\}$", re.DOTALL)
SPACE_RUN_RE_ANY = re.compile(r"\s+")

# --- Inline pieces: links, images, emphasis (inline.py) ------------------------------
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")
# The only schemes a written link or image may carry (an allowlist: a renderer such as
# Python-Markdown or kramdown filters nothing, so any other scheme could be live).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Characters a destination never carries literally: a renderer would read them as the
# end of the destination, an escape, or (in an attribute) an entity ("&colon;").
DESTINATION_ESCAPES = {"<": "%3C", ">": "%3E", "\\": "%5C", " ": "%20", '"': "%22"}
ENTITY_AMP_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
MATH_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])")
TITLE_ENTITIES = {'"': "&quot;", "\\": "&#92;", "(": "&#40;", ")": "&#41;"}
AUTOLINK_SCHEMES = ("http://", "https://", "mailto:")
# Permalink anchors beside headings and footnote back-references: page furniture.
ANCHOR_CLASSES = frozenset({"headerlink", "anchor", "anchorjs-link", "heading-anchor",
                            "hash-link", "header-anchor", "anchor-link", "permalink",
                            "footnote-backref", "reversefootnote", "footnote-back"})
# Arrows that only jump back to a reference ("^" on wikis), whatever the URL's form.
BACKLINK_TEXTS = frozenset({"^", "↑", "↩", "↩︎", "⤴"})
ANCHOR_TEXTS = markup.PERMALINK_TEXTS | BACKLINK_TEXTS
# Any other data-*src attribute is a lazy loader's too (data-lazy-src, data-hi-res-src...).
LAZY_ATTR_PREFIX, LAZY_ATTR_SUFFIX = "data-", "src"
SRCSET_ATTRS = ("srcset", "data-srcset")
# GitHub's footnote back-reference links (<a data-footnote-backref>).
FOOTNOTE_BACKREF_ATTR = "data-footnote-backref"
LAZY_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-lazy", "data-url")
EMOJI_CLASSES = frozenset({"emoji", "wp-smiley", "twemoji", "g-emoji", "emojione"})
ORDINALS = frozenset({"st", "nd", "rd", "th", "e", "er", "re", "o", "a", "º", "ª", "ème"})
HARD_BREAK = "\\\n"
# <sub>/<sup> longer than this is small print, rendered as plain text.
SCRIPT_MAX_CHARS = 24
SCRIPT_MAX_WORDS = 3
# A <cite> longer than this is a whole reference, not the title of a work.
CITE_TITLE_WORDS = 12
# Query parameters that only track the click (kept: "ref", "source": often meaningful),
# and (name, value prefix) pairs of platform trackers (Medium's "source=post_page---").
TRACKING_PARAM_RE = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|"
    r"igshid|yclid|twclid|s_kwcid|vero_id|oly_enc_id|oly_anon_id)$", re.IGNORECASE)
TRACKING_VALUES = (("source", "post_page"),)
# Punctuation that is Markdown syntax itself and must stay inside the markers.
STICKY_PUNCT = "\\[]!`*_~=<>&"
LIST_BLOCKS = frozenset({"p", "pre", "blockquote", "table", "div", "figure", "dl",
                         "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
URL_CONTROL_RE = re.compile(r"[\x00-\x1f]")  # browsers drop tabs and newlines in URLs
SRCSET_SPLIT_RE = re.compile(r",\s+")
ALT_ESCAPE_RE = re.compile(r"([\\\[\]`])")  # what would end or open markup in an image's alt
BLANK_LINES_RE = re.compile(r"\n\s*\n")
# A sub/superscript written as x^2, x^-1, x_i; a single word needs no parentheses.
SCRIPT_ATOM_RE = re.compile(r"[-+−]?(\d+|\w)")
WORD_CHARS_RE = re.compile(r"\w+")

# --- GFM pipe tables (tables.py) -----------------------------------------------------
CELL_OPEN, CELL_SEP, CELL_CLOSE = "\x1c", "\x1d", "\x1e"
ROW_MARK = "\x1f"
CAPTION_OPEN, CAPTION_CLOSE = "\x1a", "\x1b"
CELL_RE = re.compile(f"{CELL_OPEN}([^{CELL_SEP}]*){CELL_SEP}(.*?){CELL_CLOSE}", re.DOTALL)
ROW_RE = re.compile(f"{ROW_MARK}([hb]){ROW_MARK}(.*?){ROW_MARK}/", re.DOTALL)
CAPTION_RE = re.compile(f"{CAPTION_OPEN}(.*?){CAPTION_CLOSE}", re.DOTALL)
SPAN_MAX = 100
ALIGN_RE = re.compile(r"text-align\s*:\s*(left|right|center)", re.IGNORECASE)
DELIMITER_ROWS = {"left": ":---", "right": "---:", "center": ":---:", "": "---"}
CELL_HARD_BREAK_RE = re.compile(r"\\\n")

# --- The markdownify subclass (markdown.py) ------------------------------------------
CLOSING_HASHES_RE = re.compile(r"(^|\s)(#+)$")
# markdownify 1.2's own whitespace rules, which process_tag/process_text below keep:
# blocks that trim the whitespace inside them (and headings, h<N>), newline runs, spaces,
# and a child's output split into leading newlines, content, trailing newlines.
MD_HEADING_RE = re.compile(r"h(\d+)")
MD_TRIMMED_BLOCKS = frozenset({"p", "blockquote", "article", "div", "section", "ol", "ul",
                               "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot",
                               "tr", "td", "th"})
MD_NEWLINE_SPACE_RE = re.compile(r"(?<![\t \r\n])[\t \r\n]*[\r\n][\t \r\n]*")
MD_SPACE_RE = re.compile(r"[\t ]+")
MD_EDGE_NEWLINES_RE = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", flags=re.DOTALL)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# --- Whitespace hygiene of the Markdown (cleanup.py) ---------------------------------
FENCE_RE = re.compile(r"^((?:[ \t]*>)*)[ \t]*(`{3,}|~{3,})")
BLANK_RE = re.compile(r"^[\s>]*$")
CODE_SPAN_RE = re.compile(r"(?<!\\)(`+)(?:.*?[^`])?\1(?!`)")
SPACE_RUN_RE = re.compile(r"(?<=\S) {2,}")
SENTINELS_RE = re.compile("[\x1a-\x1f]")
RULE = "---"  # the converter's thematic break
TRAILING_BACKSLASHES_RE = re.compile(r"\\+$")

# --- Image links in written Markdown (imagelinks.py) ---------------------------------
# ![alt](url "title"): alt may hold escaped brackets; url balanced parentheses.
IMAGE_LINK = re.compile(
    r'(?P<head>!\[(?:[^\]\\\n]|\\.)*\]\()'
    r'(?P<url><[^>\n]*>|(?:[^\s()]|\([^\s()]*\))+)'
    r'(?P<tail>(?:\s+"(?:[^"\\\n]|\\.)*")?\))'
)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
REMOTE = re.compile(r"^https?://", re.IGNORECASE)

# --- Footnote definitions (convert/__init__.py) --------------------------------------
# Back-link arrows left at the start of a footnote ("^ ", "↑ "): the key links back already.
BACKLINK_MARKS_RE = re.compile(r"^(?:[\^↑↩]\ufe0e?\s*)+(?=\S)")

# --- Front matter profiles (profiles.py) ---------------------------------------------
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A slug from a URL path: the extension off, the last segment, dashes between words.
HTML_EXTENSION_RE = re.compile(r"\.html?$")
SLUG_SPLIT_RE = re.compile(r"[/:,?=#&.]+")
NOT_SLUG_CHARS_RE = re.compile(r"[^a-z0-9]+")
DASH_RUN_RE = re.compile(r"-{2,}")
