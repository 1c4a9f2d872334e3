"""EXTRACT's rules as data: selectors, class/id word lists, text patterns and tables.

Kept apart from the code that applies them so a false positive can be fixed by
editing a tuple. Class and id values are split into words on ``-``, ``_``, spaces
and camelCase humps before they are matched, so ``shareholder`` never matches
``share`` and ``header-image`` can be spared by a keep word.
"""

from __future__ import annotations

import re

from ..marks import EMBED, FOOTNOTE, FOOTNOTE_REF, FOOTNOTES, MATH
from . import markup

# Platform and semantic containers of the article body, most specific first.
CONTENT_SELECTORS: tuple[str, ...] = (
    "[itemprop~=articleBody]",
    ".md-content__inner",
    ".post-body",
    ".entry-content",
    ".gh-content",
    ".available-content",
    ".body.markup",
    ".post-content",
    ".article-content",
    ".article-body",
    ".article__body",
    ".story-body",
    ".e-content",
    "article section",
    "article",
    "[role=main]",
    "main",
)

# The attribute marking an embed turned into a link or a quote: pruning must spare it.
EMBED_MARK = EMBED

# Dropped everywhere before anything else: never content. Ruby readings (rt, rp) go too:
# Markdown has no ruby, and inline they split every annotated word of the base text.
DROP_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "template", "link", "meta", "button", "input",
    "select", "textarea", "option", "dialog", "object", "embed", "canvas", "frameset",
    "rt", "rp",
)

# Dropped inside the chosen article: page chrome by its semantic tag.
CHROME_TAGS: tuple[str, ...] = ("nav", "aside", "footer", "menu")

# A class/id word that marks chrome...
NOISE_WORDS: frozenset[str] = frozenset({
    "share", "shares", "sharing", "sharedaddy", "sharethis", "addthis", "social", "socials",
    "sidebar", "comment", "comments", "disqus", "respond", "related", "relatedposts",
    "breadcrumb", "breadcrumbs", "crumbs", "footer", "masthead", "navbar", "navigation",
    "nav", "menu", "newsletter", "subscribe", "subscription", "signup", "cookie", "cookies",
    "consent", "gdpr", "promo", "advert", "advertisement", "ad", "ads", "adsbygoogle",
    "sponsor", "sponsored", "popup", "modal", "tagcloud", "pagination", "pager", "paging",
    "widget", "widgets", "toolbar", "skip", "print", "outbrain", "taboola", "byline",
    "author", "bio", "avatar", "postnav", "prevnext", "like", "likes", "clap", "claps",
    "follow", "recirc", "recommended", "trending", "banner", "tags", "categories",
    "screenreader", "donate", "paywall", "meta", "postmeta",
    "entrymeta", "toc", "headerlink", "permalink", "jp", "sd", "wpcnt", "rating",
    "reactions", "feedback", "readmore", "moreposts", "topbar", "sitenav", "siteheader",
    "globalheader", "headernav", "backtotop", "totop", "scrolltop", "gototop", "upvote",
    "teilen", "kommentare", "kommentar", "partager", "commentaires", "condividi", "commenti",
    "compartir", "comentarios", "teaser", "teasers", "dateline", "timestamp",
    "recommendations", "recommendation", "empfehlungen", "alert", "contact", "crumb",
    "utility", "postmetadata", "notice", "disclaimer", "buybox", "affiliate", "flyout",
    "actionbar", "inlinetextbox",
})

# Words that name chrome even when it reads like prose (comments, related teasers);
# the other noise words spare a block that looks like running text.
HARD_NOISE_WORDS: frozenset[str] = frozenset({
    "comment", "comments", "disqus", "respond", "share", "sharing", "sharedaddy", "sharethis",
    "addthis", "social", "related", "relatedposts", "newsletter", "subscribe", "subscription",
    "signup", "cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "footer",
    "sidebar", "navbar", "navigation", "nav", "menu", "pagination", "pager", "outbrain",
    "taboola", "recirc", "recommended", "trending", "postnav", "prevnext", "paywall", "popup",
    "modal", "masthead", "teilen", "kommentare", "kommentar", "partager", "commentaires",
    "condividi", "commenti", "compartir", "comentarios", "teaser", "teasers", "flyout",
    "inlinetextbox",
})

# Words naming a posted comment: the content itself on a forum thread or a Q&A page.
COMMENT_WORDS: frozenset[str] = frozenset({
    "comment", "comments", "kommentar", "kommentare", "commentaires", "commenti",
    "comentarios", "replies", "answer", "answers",
})

# ...unless the same attribute also carries one of these words.
KEEP_WORDS: frozenset[str] = frozenset({
    "content", "body", "text", "article", "image", "img", "photo", "figure", "count",
    "main", "caption", "hero", "title", "heading", "code", "highlight", "math",
    "footnote", "footnotes", "markup", "prose", "story", "entry",
})

# Whole class tokens that are chrome regardless of keep words (platform widgets).
NOISE_TOKENS: frozenset[str] = frozenset({
    "sharedaddy", "jp-relatedposts", "post-navigation", "nav-links", "comments-area",
    "comment-respond", "wp-block-comments", "author-box", "author-bio", "tag-cloud",
    "subscribe-widget", "subscription-widget-wrap", "post-footer", "entry-footer",
    "entry-meta", "post-meta", "md-header", "md-sidebar", "md-footer", "md-source-file",
    "md-content__button", "md-post__meta", "md-tabs", "paginav", "post-tags", "share-buttons",
    "toc", "table-of-contents", "hidden", "is-hidden", "more-link", "site-header",
    "related-posts", "subscribe-footer", "post-share",
    "article-byline", "gh-post-upgrade-cta", "footer-cta", "read-next", "comments-section",
    "button-wrapper", "subscribe-dialog", "post-ufi", "pencraft-share", "cookie-banner",
    "skip-link", "screen-reader-text", "sr-only", "visually-hidden", "adsbygoogle",
    "blog-pager", "post-footer-line", "comment-form", "share-this", "addtoany",
    "social-share", "speechify-ignore", "pw-post-body-paragraph-footer", "entryfooter",
    "entry-utility", "postmetadata", "saboxplugin-wrap",
})

# A class/id naming an author box ("author-card", "article_author", "artDetailAutor"):
# chrome even though a bio reads like prose and its class may also say "text".
AUTHOR_BOX_RE = re.compile(r"(author|autor|auteur)(s|en|in|innen)?($|[-_]|box|bio|card|info|"
                           r"profile)|^(about-?the-?author|bio|biography)$")

# Attribute prefixes describing the state of a container, not its role (``has-sidebar``).
STATE_PREFIXES: tuple[str, ...] = ("has", "with", "no", "non", "is", "show", "hide-on", "js")
# ... and words saying a script did something to it ("CtxtMenu_Attached_0").
STATE_WORDS: frozenset[str] = frozenset({
    "attached", "enabled", "initialized", "initialised", "loaded", "ready", "active",
})

# Scoring: readability-style class/id weights.
POSITIVE_RE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|markup|prose",
    re.IGNORECASE,
)
NEGATIVE_RE = re.compile(
    r"-ad-|hidden|^hid$|banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|"
    r"outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|"
    r"tags|widget|nav|menu|breadcrumb|cookie|teaser",
    re.IGNORECASE,
)
UNLIKELY_RE = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|"
    r"footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|"
    r"social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|"
    r"cookie|newsletter|subscribe|reviews",
    re.IGNORECASE,
)
MAYBE_RE = re.compile(r"and|article|body|column|content|main|mathjax|shadow", re.IGNORECASE)

SCORE_TAGS: tuple[str, ...] = ("p", "pre", "td", "blockquote", "h2", "h3", "li", "div",
                               "section", "dd")
BLOCK_TAGS: frozenset[str] = frozenset({
    "p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "dl", "table",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "form", "header", "footer", "main",
    "aside", "nav", "li", "dd", "dt", "address", "details", "figcaption",
})

# Heading permalinks and footnote back references.
PERMALINK_SELECTORS: tuple[str, ...] = (
    "a.headerlink", "a.anchor", ".heading-anchor", "a.anchor-link", ".hanchor",
    ".heading-link", "a.header-anchor", "a.hash-link", ".anchorjs-link", "a.permalink",
    "a.zola-anchor", "a[aria-hidden=true]",
)
PERMALINK_TEXT: frozenset[str] = markup.PERMALINK_TEXTS
BACKREF_SELECTORS: tuple[str, ...] = (
    "a.footnote-backref", "a.reversefootnote", ".footnote-return", "a.footnote-number",
    "a.footnote-back", "a[role=doc-backlink]", "a.fn-backref", "a.footnote-backlink",
)
BACKREF_TEXT_RE = re.compile(
    r"^\s*(↩|↑|⤴|\^|↩︎|↩︎?\s*\d*|back|return( to (the )?(text|article|content|top))?|"
    r"jump back.*)\s*$",
    re.IGNORECASE,
)
FOOTNOTE_REF_TEXT_RE = re.compile(r"^\s*[\[(]?\s*(\d{1,3}|[a-z]|[*†‡§¶]{1,3})\s*[\])]?\s*$",
                                  re.IGNORECASE)
FOOTNOTE_CONTAINERS: tuple[str, ...] = (
    "section.footnotes", "div.footnotes", "div.footnote", "aside#footnotes",
    "ol.wp-block-footnotes", "section[role=doc-endnotes]", "div.footnote-definitions",
    ".easy-footnotes-wrapper", "div.jetpack-footnotes", "ol.footnotes", "section#footnotes",
)
FOOTNOTE_HEADING_RE = re.compile(r"^\s*(foot|end)?notes?\s*:?\s*$", re.IGNORECASE)

# Images.
LAZY_SRC_ATTRS: tuple[str, ...] = (
    "data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src",
    "data-srcset", "data-lazy-srcset",
)
EMOJI_CLASSES: frozenset[str] = frozenset({"emoji", "twemoji", "wp-smiley", "emojione"})
PLACEHOLDER_SRC_RE = re.compile(
    r"^data:image/(gif|png|svg)|spacer\.gif|blank\.gif|pixel\.gif|transparent\.(gif|png)|"
    r"placeholder|1x1\.",
    re.IGNORECASE,
)

# Video embeds kept as a link.
VIDEO_EMBEDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"youtube(?:-nocookie)?\.com/embed/([\w-]{6,})"),
     "https://www.youtube.com/watch?v={}"),
    (re.compile(r"player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
)

# Not-an-article pages.
SHELL_RE = re.compile(
    r"(enable|turn on|requires?)\s+javascript|javascript (is )?(required|disabled)|"
    r"you need to enable javascript",
    re.IGNORECASE,
)
LOGIN_RE = re.compile(
    r"\b(log ?in|sign ?in|sign up|create an account|subscribe)\b.{0,60}\b(to (continue|read|"
    r"view|access)|required)|please (log|sign) in|members only",
    re.IGNORECASE,
)
# An error page's title or h1 *is* the error ("404 Not Found", "Page not found | Blog",
# "Oops! That page can't be found"); a post that merely mentions a 404 is not one.
ERROR_RE = re.compile(
    r"^\W*(?:(?:oops|sorry|error)\b\W*)*(?:"
    r"(?:error\s*)?(?:404|403|410|500)\b|"
    r"(?:the\s+)?(?:page|file|post|article|content)?\s*(?:was\s+)?not\s+found\b|"
    r"that\s+page\s+can['’]?t\s+be\s+found|"
    r"(?:this|the)\s+page(?:\s+you\s+(?:requested|are\s+looking\s+for))?\s+"
    r"(?:doesn['’]t|does\s+not)\s+exist|"
    r"(?:this\s+)?page\s+(?:is\s+)?no\s+longer\s+available|"
    r"access\s+denied|forbidden\b|internal\s+server\s+error)",
    re.IGNORECASE,
)

# Title suffix separators: " | Site", " - Site", " — Site", " · Site".
TITLE_SEPARATORS_RE = re.compile(r"\s+[|\-–—·•:»]\s+")

KEEP_ATTRS: frozenset[str] = frozenset({
    "href", "src", "alt", "title", "colspan", "rowspan", "start", "datetime", "lang", "dir",
    FOOTNOTE_REF, FOOTNOTE, FOOTNOTES, MATH, "class",
    "srcset", "width", "height", "type", "reversed", "cite", "id",
})

# Widgets whose class names the converter reads to rewrite them, kept through cleaning:
# admonitions (Material for MkDocs / Python-Markdown / Sphinx "admonition", Docusaurus
# "theme-admonition" with CSS-module "admonitionHeading_x1y2", GitHub "markdown-alert",
# Quarto/Obsidian "callout") and Material content tabs (pymdownx.tabbed).
WIDGET_CLASS_RE = re.compile(
    r"^(?:admonition|theme-admonition|markdown-alert|callout|admonition-title|"
    r"admonition-heading|markdown-alert-title|callout-title|"
    r"tabbed-(?:set|labels|content|block)|filename)$|^admonition(?:Heading|Title)_\w+$|"
    r"^codeBlockTitle_\w+$")  # code titles: pymdownx "filename", Docusaurus codeBlockTitle_x1y2
# The boxes among them: content, whatever other classes ("alert", "note") they carry.
CONTENT_WIDGET_RE = re.compile(r"^(?:admonition|theme-admonition|markdown-alert|callout|"
                               r"tabbed-set)$")
# An admonition's type ("admonition tip") is kept beside it: it names an untitled box.
ADMONITION_TYPE_RE = re.compile(r"^[a-z]{2,12}$")
# ARIA tab widgets (Docusaurus, Bootstrap, Starlight...): panels hidden until chosen are
# content, and the converter pairs each panel with its tab's label.
TAB_ROLES = frozenset({"tablist", "tab", "tabpanel"})

# Short blocks whose whole text is a chrome phrase (related-posts headings, share and
# comment prompts, ad labels, image credits), in the languages we meet most.
CHROME_TEXT_RE = re.compile(
    r"^\W*(you (might|may) also like|related( posts| articles| stories)?|read (more|next)|"
    r"more (from|on) |also on |share (this|on)|leave a (reply|comment)|\d* ?comments?|"
    r"advertisement|sponsored|anzeige|werbung|auch interessant|mehr zum thema|"
    r"(das|dies) (thema )?könnte (dich|sie) auch interessieren|weitere artikel|"
    r"lesen sie (auch|hier|mehr)|weiterlesen|kommentare?( schreiben| geschlossen)?|"
    r"artikel teilen|teilen( sie)?|war (der|dieser) artikel (nützlich|hilfreich)|"
    r"à (lire|découvrir)|lire aussi|leggi anche|lee también|beitragsbild|"
    r"(photo|image|bild|foto|titelbild|beitragsbild|quelle|source|źródło|fuente|fonte|crédito|"
    r"cr[ée]dits?( photos?)?)( credit)?s? ?:.{0,60}|©.{0,80}|"  # French: "Crédits photos :"
    r"(veja|vea|lea|ver) (también|também|más|mais)|czytaj (też|także|więcej)|siehe auch|"
    r"see also|weiterführende links|weitere (themen|informationen|meldungen|nachrichten)|"
    r"mehr (aus|zu|von) .{1,40}|notas relacionadas|zum weiterlesen|das könnte sie auch|"
    r"(aktualisiert|updated|veröffentlicht|published|erschienen)\b( am| on| in)?:?.{0,40}|"
    r"(möchten|willst) (sie|du) (den|diesen) artikel teilen|"
    # widget labels and buttons: most read, about the author, tags, back links
    r"(meist|am meisten |viel )(gelesen|diskutiert|kommentiert)\w*( \w+)?( in .{1,30})?|"
    r"most (read|popular|viewed|shared)|latest (comments|news|posts)|letzte kommentare|"
    r"über (den|die) autor(in)?|fragen an (den|die) autor(in)?|about the author|"
    r"(themen|schlagworte|schlagwörter|stichworte|stichwörter|tags)( (im|zum) "
    r"(artikel|thema|beitrag))?:?|weiterführende(r|n)? (links?|informationen|artikel)|"
    r"(diese[ns]? )?(seite|artikel|beitrag|rezept) (teilen|drucken|merken)|"
    r"zurück( zu[mr]? .{1,30})?|back to .{1,30}|kommentieren|permalink|permalien|"
    r"(noch )?keine bewertungen|bild anzeigen|pinnen|pin it|quellen (aus|ein)blenden|"
    r".{0,40} als pdf( herunterladen)?|(nos )?s[ií]g(a|ue)nos( no| en)?.{0,30}|"
    r"(folgen sie|folge) uns\b( auf)?.{0,30}|follow us\b( on)?.{0,30}|"
    r"mehr (kolumnen|interessantes|artikel|beiträge|news)|entdecken? (sie )?(jetzt|weitere).{0,30}|"
    r"lo último|valora esta noticia|video recomendado|zobacz (też|także|również)|"
    r"reklama|publicidad|pubblicità|related (coverage|content|links|news)|"
    r"\d+ ?min(ute)?s?\.? (read|lesezeit)|lesezeit:? ?\d+ ?min(uten)?\.?|"
    r"(ähnliche|empfohlene|verwandte|neueste|kommentierte) (beiträge|artikel|themen)|"
    r"weitere (artikel|beiträge)( zum thema)?|mehr zum thema( auf .{1,30})?|mehr themen|"
    r"lesen sie auch( die folgenden beiträge| diese artikel)?|auch (auf|bei) [\w.-]+\.\w{2,3}|"
    r"schon gelesen\??|vorschau auf den nächsten artikel|no responses?( so far| yet)?|"
    r"(contenidos?|art[ií]culos|notas|noticias) relacionad[oa]s?|"
    r"(audios et )?(vidéos|articles) sur le (même )?sujet|diskussion im forum|"
    r"externer inhalt|(meist|am meisten |viel )-?(gelesen|diskutiert|kommentiert)\w*|"
    r"(presse)?kontakt|contact|press contact|media contact|zum shop|jetzt kaufen|shop now|"
    r"buy now|in den warenkorb|"
    r"(release|news|publication|publish(ed)?) date:?|weitere informationen zu[mr]? .{1,40}|"
    r"ansprechpartner(in)?( zum thema| für die presse)?|\(?alle angaben ohne gewähr\)?|"
    r"(mitglieder in diesem forum|users browsing this forum|wer ist online|who is online)"
    r":?.{0,60}|(kommentare|comments) (insgesamt|total):? ?\d+|"
    r"(ultima modifica|aggiornato|pubblicato|zuletzt aktualisiert|stand)\b:? ?.{0,40})\W*$",
    re.IGNORECASE,
)

# A photo credit closing an image caption: "Foto: dpa", "© Jane Doe", "(REUTERS/J. Doe)",
# "Augusta National/Getty Images". Credits are about the picture, not the post.
_STOCK = (r"getty ?images|shutterstock(\.com)?|istock(photo)?(\.com)?|unsplash|adobe ?stock|"
          r"stock\.adobe\.com|pixabay|pexels|fotolia|clipdealer|depositphotos")
_AGENCIES = (rf"{_STOCK}|reuters|dpa|imago|afp|ap photo|wenn\.com|picture[ -]alliance|"
             r"keystone|epa")
CREDIT_RE = re.compile(
    r"(^|(?<=[.;,|–—]\s)|(?<=[.;,|–—])|(?<=\s-\s)|\s(?=[(\[©]))[(\[]?\s*("
    r"(fotos?|photos?|bild(er)?|image|imagen|foto ?credits?|crédito|credits?|quelle|source|"
    r"fuente|fonte|copyright)\s*[:©][^:]{1,80}|(©|(?-i:\(C\) [A-Z])).{1,80}|bild via\b.{0,40}|"
    rf"[\w .,&'-]{{0,40}}/?\s*({_AGENCIES})(\s*/[^.]{{0,60}})?"
    r")[)\]]?\s*$",
    re.IGNORECASE,
)
# Text holding none of these cannot hold a credit (each branch above needs a colon or
# ©, "(C) ", "bild via" or an agency's name): a substring test that spares most caption
# strings the costly regex.
def _literal_head(alternative: str) -> str:
    """The words an alternative of a regex opens with, minus a letter made optional."""
    head = re.match(r"[a-z]*(?: [a-z]+)*", alternative).group(0)  # type: ignore[union-attr]
    return head[:-1] if alternative[len(head):len(head) + 1] in ("?", "*", "{") else head


CREDIT_HINTS: tuple[str, ...] = (":", "©", "(c) ", "bild via",
                                 *map(_literal_head, _AGENCIES.split("|")))
# ... and a stock-photo credit in brackets closing any short line: the line is a caption
# whatever its markup ("Das Hermelin im Winter. (mlharing / iStock.com)").
STOCK_CREDIT_RE = re.compile(rf"\([^()]{{0,40}}({_STOCK})[^()]{{0,30}}\)\s*$", re.IGNORECASE)
CAPTION_CLASS_RE = re.compile(r"caption|legend|credit|copyright|bildunterschrift|subtitle|"
                              r"untertitel|bildtext|annotation|image-?desc", re.IGNORECASE)

# A short paragraph that opens with one of these and holds a link points at another
# article ("Read more: ...", "Lesen Sie auch: ..."): a teaser inside the body text.
_READ_MORE_WORDS = (
    r"^\W*(read (more|also)|see also|related|more|lesen sie (auch|mehr|hier)|mehr zum thema|"
    r"auch (interessant|lesen)|schon gelesen|siehe auch|lire aussi|à lire aussi|voir aussi|"
    r"leggi anche|(lea|vea|veja|leia|ver|lee) (también|também|más|mais)|lea|"
    r"(le |te )?puede(s)? (interesar|ver)|mira|czytaj (też|także|więcej)|"
    r"zobacz (też|także|również))"
)
READ_MORE_PREFIX_RE = re.compile(_READ_MORE_WORDS + r"\s*[:>»|–?-]", re.IGNORECASE)
# ... the words alone: the colon may sit outside the string ("<em>Read more</em>: <a>").
READ_MORE_START_RE = re.compile(_READ_MORE_WORDS + r"\W*$|" + _READ_MORE_WORDS + r"\s*[:>»|–?-]",
                                re.IGNORECASE)

# A short block that asks the reader to do something for the publisher (subscribe,
# follow, donate, get the app, write a letter), discloses ads and affiliate links, or
# states the publisher's reprint terms: addressed to the reader, never the story.
CALL_TO_ACTION_RE = re.compile(
    # subscriptions, newsletters, memberships, paywall notes
    r"\bsubscribe (now|today|here|to our)|\bsign up (here|now|for our)|already a subscriber|"
    r"to (view|read|continue reading) the (full|whole|rest of the) (story|article)|"
    r"first-time subscribers|\bzum newsletter anmelden|newsletter (abonnieren|bestellen)|"
    r"für (den|unseren) newsletter|werden sie mitglied|suscr[ií]b(ete|ase|irse)|"
    r"hazte (miembro|socio)|zapraszamy (też |także )?do (subskrypcji|prenumeraty)|"
    r"pour lire la suite|abonnez-vous|cancela cuando quieras|cancel any ?time|"
    r"jederzeit kündbar|"
    # support and donations
    r"would you consider supporting|support (our|independent) (work|journalism)|"
    r"unterstützen sie (diese|unsere|unabhängigen)|unterstütze \w+ (bereits |schon )?mit|"
    r"apoya (el|nuestro) periodismo|apóyanos|únete a nuestra comunidad|wesprzyj nas|"
    r"gefällt (dir|ihnen) unser|"
    # follow us (or "the Gleaner", "TechCrunch": not "him", a bio), apps, channels
    r"\bfollow (us|(?-i:[Tt]he [A-Z][\w.]*|[A-Z][\w.]*[A-Z][\w.]*)) on "
    r"(twitter|facebook|instagram)|\bs[ií]g(a|ue)nos en|\b(folgen sie|folge) uns auf|"
    r"(nuestro|tenemos) canal de (youtube|telegram|whatsapp)|únete desde|"
    r"for the latest (stories|news|updates)|download our app|straight to your phone|"
    r"\bwir (sind )?(auch )?bei whatsapp|send us a message on whatsapp|"
    r"\badd (the |all )?(ingredients|items?|products?) to (your |the )?(basket|cart)|"
    # letters, feedback, comment and login prompts
    r"submit (a|your) letter to the editor|we want to hear what you think|"
    r"(verraten|schreiben|sagen) sie (uns )?(es )?(gerne )?in den kommentaren|"
    r"hinterlasse (doch |einfach )*einen kommentar|let us know in the comments|"
    r"(sie müssen|du musst) (sich |dich )?(einloggen|anmelden|angemeldet sein)|"
    r"you must be logged in|"
    # magazine plugs
    r"\bals e-paper\b|einzelheft|bahnhofskiosk|einfach hier klicken und|"
    # disclosures
    r"we may receive (a )?compensation|advertisers do not influence|"
    r"contains references to products|für links auf dieser seite|"
    r"enthält (affiliate[- ]links|werbung)|affiliate[- ]links? (sein|enthalten)|"
    # reprint terms
    r"copyrighted property|written permission must be obtained|reprinting content|"
    r"materiał chroniony prawem|zasady przedruków|n'engagent que leurs auteurs|"
    r"unter (der |einer )?(lizenz )?cc[- ]by|licensed under (a |the )?creative commons",
    re.IGNORECASE,
)
# Lowercased text holding none of these cannot hold a call to action: each branch above
# needs one of them (tests/test_extract_pruning.py proves it branch by branch). The
# substring tests cost a few microseconds a line; the regex costs a hundred and more.
CALL_TO_ACTION_HINTS: tuple[str, ...] = (
    "subscri", "suscr", "sign up", "to view the", "to read the", "reading the", "newsletter",
    "mitglied", "hazte", "zapraszamy", "lire la suite", "abonnez", "cancela", "cancel any",
    "kündbar", "consider supporting", "support our", "support independent", "unterstütze",
    "periodismo", "apóyanos", "únete", "wesprzyj", "gefällt", "on twitter", "on facebook",
    "on instagram", "ganos en", "guenos en", "uns auf", "canal de", "for the latest",
    "download our app", "straight to your phone", "whatsapp", "basket", "cart",
    "letter to the editor", "hear what you think", "kommentar", "in the comments",
    "einloggen", "anmelden", "angemeldet", "logged in", "e-paper", "einzelheft",
    "bahnhofskiosk", "hier klicken", "compensation", "advertisers", "references to products",
    "links auf dieser seite", "affiliate", "werbung", "copyrighted", "written permission",
    "reprinting", "chroniony", "przedruk", "n'engagent", "cc-by", "cc by", "creative commons",
)

# A post-meta line: a full date (or a clock time) with nothing around it but words like
# these ("Donnerstag, 31. Mai 2012", "Last Modified: 03-10-2004", "24.01.2022 11:38
# Kategorie: News", "asked Feb 6, 2014 at 20:37"). The story's own dates sit in sentences.
_MONTH_NAMES = (r"jan(uar|uary|vier)?|feb(ruar|ruary|rero)?|mär(z)?|mar(ch|s|zo)?|apr(il)?|"
                r"mai|may|mayo|jun(i|e|io)?|juin|jul(i|y|io)?|juillet|aug(ust)?|août|ago(sto)?|"
                r"sep(t|tember|tembre|tiembre)?|o[ck]t(ober|obre|ubre)?|nov(ember|embre|iembre)?|"
                r"de[cz](ember|embre)?|déc(embre)?|dic(iembre)?|ene(ro)?|abr(il)?|avr(il)?")
META_DATE_RE = re.compile(
    r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}\b|"
    rf"\b\d{{1,2}}(\.|er|st|nd|rd|th)?\s+(de\s+)?({_MONTH_NAMES})\.?,?\s+(de\s+)?\d{{4}}\b|"
    rf"\b({_MONTH_NAMES})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}}\b|"
    r"\b\d{1,2}[:.]\d\d\s*([ap]\.?m\.?|uhr|h)?(?!\d)",
    re.IGNORECASE,
)
META_WORDS_RE = re.compile(
    r"\b(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|am|um|uhr|at|on|le|el|"
    r"de|à|a las|von|by|par|por|posted|published|updated|created|veröffentlicht|aktualisiert|"
    r"erstellt|geschrieben|verfasst|letzte änderung|zuletzt geändert|last modified|"
    r"last updated|stand|datum|date|news date|release date|publié|mis à jour|publicado|"
    r"actualizado|category|categories|kategorie|rubrik|news|press releases?|"
    r"pressemitteilung|aktuell|asked|answered|edited|modified)\b",
    re.IGNORECASE,
)
BYLINE_WORD_RE = re.compile(r"\b(von|by|par|por|verfasst|geschrieben|posted)\b", re.IGNORECASE)

# What a theme shows about the post (extract/postmeta.py).
# Containers of a post's date, author and taxonomy line: whole class tokens...
POST_META_TOKENS: frozenset[str] = frozenset({
    "md-post__meta", "md-post__authors", "post-meta", "post-tags", "post-categories",
    "post-footer", "post-info", "entry-meta", "entry-footer", "entry-tags", "entry-categories",
    "article-meta", "article-tags", "article-footer", "tags-links", "cat-links", "post-taxonomies",
    "blog-post-meta", "theme-doc-footer", "md-tags",
})
# ...or two class words (``postMeta``, ``entry_tags``): a post word and a meta word.
POST_META_WORDS: frozenset[tuple[str, str]] = frozenset(
    (post, meta) for post in ("post", "entry", "article", "blog")
    for meta in ("meta", "tags", "categories", "category", "taxonomy", "taxonomies", "labels",
                 "footer", "info", "details")
)
# Class words of lists that link many posts' tags: never the post's own taxonomy.
TAXONOMY_CHROME_WORDS: frozenset[str] = frozenset({
    "related", "relatedposts", "tagcloud", "cloud", "teaser", "teasers",
    "recommended", "recirc", "popular", "trending", "menu", "navbar", "breadcrumb",
    "breadcrumbs", "crumbs", "comment", "comments", "archive", "archives", "pagination",
    "postnav", "prevnext", "paginav",
})
# ...and whole class tokens of WordPress's site-wide category and tag lists.
TAXONOMY_CHROME_TOKENS: frozenset[str] = frozenset({
    "cat-item", "widget_categories", "widget_tag_cloud", "wp-block-categories",
    "wp-block-tag-cloud", "tag-cloud", "tagcloud",
})
# Class words of an element holding a post's date as text ("post-date", "entry-time").
POST_DATE_WORDS: frozenset[str] = frozenset({
    "date", "dateline", "time", "posted", "published", "pubdate", "datetime", "timestamp",
})
# Author lists of blog themes whose names appear nowhere else, as (class token of the
# list, selector of a name inside it): Material for MkDocs' blog plugin (sidebar profiles).
POST_AUTHOR_SELECTORS: tuple[tuple[str, str], ...] = (
    ("md-post__authors", ".md-profile__description > strong"),
)
# A post-meta line listing terms as plain text ("Tags: econ, ultra-rationalism" in
# Pelican themes): its label, and whether it names tags or categories.
TERM_LINE_RE = re.compile(
    r"^\s*(?:(?P<tags>tags?|tagged(?: with)?|labels?|keywords)|"
    r"(?P<categories>categories|category|filed under|posted in))\s*:\s*(?P<terms>.+)$",
    re.IGNORECASE,
)
# Hugo's ``article:section`` is the content folder, not a category the post shows.
GENERIC_SECTIONS: frozenset[str] = frozenset({
    "posts", "post", "blog", "blogs", "articles", "article",
})

# Where a parse keeps whitespace-only text as it is (bs4's preserve_whitespace_tags).
PRESERVE_SPACE = ("pre", "textarea")


# -- the stage entry (extract/__init__.py)

WORD_RE = re.compile(r"\w")
PLACEHOLDER_RE = re.compile(r"^\W*(loading|please wait|wird geladen|chargement|cargando)\b",
                             re.IGNORECASE)
MOJIBAKE_RE = re.compile("[ÃÂâ][\u0080-\u00bf€™œ˜]|Ã[©¨¶¼¤]|â€[™œ\u009d“”˜¦]|√©")


# -- content

# Overlays: a modal's "modal-body" must not pass for the article body. Whole class
# names only ("modal", "app-modal"): "modal-enabled" marks a page that opens one.
OVERLAY_RE = re.compile(r"(^|\s)([\w-]*[-_])?(modal|dialog|lightbox|popup)(\s|$)",
                         re.IGNORECASE)
# An overlay's own class: "login-modal", not "enable-lightbox" (a theme setting).
OVERLAY_TOKEN_RE = re.compile(r"^([\w-]*[-_])?(modal|dialog|popup)$", re.IGNORECASE)
# A container match carrying one of these words is a box beside the article.
NOT_BODY_RE = re.compile(r"teaser|comment|related|sidebar|widget|promo|login|signup",
                          re.IGNORECASE)


# -- dates

ISO_RE = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?\s*$",
    re.IGNORECASE,
)
COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*$")
WORDY_RE = re.compile(
    r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})|"
    r"([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))\b",
    re.IGNORECASE,
)
# A date written in words or numbers inside free text ("Veröffentlicht am 5. März 2024",
# "Posted 14/05/2024 by"): the span handed to the locale-aware parser.
TEXT_DATE_RE = re.compile(
    r"\d{1,2}\.?\s*(?:de\s+)?[^\W\d_]{3,12}\.?,?\s*(?:de\s+)?\d{4}|"
    r"[^\W\d_]{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}[./-]\d{1,2}[./-]\d{4}|"
    r"\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]?",
)


# -- dom

WORD_SPLIT_RE = re.compile(r"[\s_\-:./]+")
CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
SIMPLE_RE = re.compile(r"^(?P<tag>[a-z0-9]*)(?P<classes>(\.[\w-]+)*)"
                        r"(\[(?P<attr>[\w-]+)(?P<op>~?=)(?P<value>[^\]]+)\])?$")


# -- embeds

# Frames whose address maps to the page that shows the same thing: (pattern, template,
# label used when the frame has no usable title). Groups fill the template in order.
FRAME_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"youtube(?:-nocookie)?\.com/embed/([\w-]{6,})"),
     "https://www.youtube.com/watch?v={0}", "YouTube video"),
    (re.compile(r"player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{0}", "Vimeo video"),
    (re.compile(r"codepen\.io/([\w-]+)/(?:embed|pen)/(?:preview/)?([\w-]+)"),
     "https://codepen.io/{0}/pen/{1}", "CodePen by {0}"),
    (re.compile(r"^(?:https?:)?//([\w.-]+)/@([\w.]+)/(\d+)/embed"),
     "https://{0}/@{1}/{2}", "Post by @{1}@{0}"),
    (re.compile(r"^(?:https?:)?//([\w.-]+)/users/([\w.]+)/statuses/(\d+)/embed"),
     "https://{0}/@{1}/{2}", "Post by @{1}@{0}"),
    (re.compile(r"platform\.twitter\.com/embed/Tweet\.html\?.*\bid=(\d+)"),
     "https://twitter.com/i/status/{0}", "Post on X (Twitter)"),
)
# A CodePen embed's fallback link to the pen; a tweet's or toot's link to the post itself.
PEN_LINK_RE = re.compile(r"codepen\.io/[\w-]+/pen/")
STATUS_LINK_RE = re.compile(r"/status(es)?/\d+|/@[\w.]+/\d+")
# Frame titles that name the player, not what it plays.
GENERIC_TITLES_RE = re.compile(
    r"^(youtube( video)?( player)?|vimeo( video)?( player)?|embedded (content|video)|"
    r"video|iframe|embed|codepen( embed)?|mastodon|x post|twitter tweet|tweet)$",
    re.IGNORECASE,
)
GIST_SRC_RE = re.compile(r"^(?:https?:)?//gist\.github\.com/([\w-]+)/([0-9a-f]+)\.js",
                         re.IGNORECASE)
TRACKING_QUERY_RE = re.compile(r"^(ref_src|ref_url|s|t|utm_\w+)$")


# -- footnotes

LEADING_NUMBER_RE = re.compile(r"^\s*[\[(]?\s*(\d{1,3}|[*†‡§]{1,3})\s*[\]).:]?\s*")
MARKER_RE = re.compile(r"\((\d{1,2})\)")


# -- lead

# Class/id words of a lead paragraph, in the languages we meet most. "teaser" is not
# one: it names other stories' boxes as often as the lead; nor is "subtitle", a field
# of its own on Substack and Medium that the front matter's description carries.
LEAD_RE = re.compile(
    r"(^|[-_])(lead|leadin|lede|intro|introduction|standfirst|dek|deck|summary|excerpt|"
    r"abstract|vorspann|einleitung|anriss|bajada|entradilla|sommario|chapo|chapeau|"
    r"leader|kicker-text|description|sub-?headline)($|[-_]|text)",
    re.IGNORECASE,
)
# "teaser" alone names other stories' boxes; the story's own teaser says whose it is.
OWN_TEASER_RE = re.compile(r"(^|[-_])(article|artikel|news|story|beitrag)[-_]*teaser|"
                            r"teaser[-_]*(text|intro)($|[-_])", re.IGNORECASE)
# ... unless the class says what the text describes: a picture, a video, the author.
NOT_LEAD_RE = re.compile(r"image|img|photo|picture|bild|foto|caption|media|video|gallery|"
                          r"author|autor|meta|product|teaser|card|site|blog", re.IGNORECASE)
HUMP_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
# A schema.org description is the lead whatever its class says ("teaser-text" in the
# TYPO3 news template), unless it describes a picture, a person or a product.
# The page's own parts are other things too: a WPHeader's description is the blog's
# tagline (Hexo/NexT, WordPress themes), not this post's lead.
OTHER_THING_RE = re.compile(r"image|video|media|person|organi[sz]ation|product|offer|place|"
                             r"event|review|rating|breadcrumb|wpheader|wpfooter|wpsidebar|"
                             r"website|sitenavigation", re.IGNORECASE)


# -- media

SRCSET_ITEM_RE = re.compile(r"^\s*(\S+)(?:\s+(\d+(?:\.\d+)?)([wx]))?\s*$")
WIDTH_RE = re.compile(r"\s(\d+)w\b")
# Counters and beacons that come as images (no size given, so the 1x1 test misses them).
TRACKER_SRC_RE = re.compile(
    r"^(?:https?:)?//(?:pixel\.wp\.com|stats\.wp\.com|[\w.]*doubleclick\.net|"
    r"www\.google-analytics\.com|www\.facebook\.com/tr|b\.scorecardresearch\.com|"
    r"pixel\.quantserve\.com|[\w.]*\.ampproject\.net/pixel|feeds\.feedburner\.com/~r/|"
    r"[\w.-]+/(?:pixel|beacon|tracking?)(?:\.gif|\.png|/|\?))|/~ff/|[?&]utm_[a-z]+=.*\.gif",
    re.IGNORECASE,
)
# Emoji CDNs (WordPress, Twemoji, JoyPixels) name the file by its code points.
EMOJI_SRC_RE = re.compile(
    r"(?:s\.w\.org/images/core/emoji|twemoji|emojione|joypixels|/emoji/)[^?#]*?/"
    r"((?:1f[0-9a-f]{3}|[23][0-9a-f]{3}|00a9|00ae)(?:-[0-9a-f]{2,5})*)\.(?:png|svg|gif)"
    r"(?:[?#]|$)",
    re.IGNORECASE,
)
MATH_SCRIPT_RE = markup.MATH_SCRIPT_RE
# Rendered math whose TeX extract reads back: MathJax 3's element and MathML, and the boxes
# of KaTeX and of MathJax 2's HTML output.
MATH_TAGS = frozenset({"mjx-container", "math"})
MATH_CLASSES = markup.KATEX_CLASSES | {"MathJax_Display", "MathJax", "MathJax_Preview"}


# -- metadata

BYLINE_PREFIX_RE = re.compile(
    r"^(written |posted |published |story |text |words )?(by|von|par|por|di|door|av)\b[:\s]*",
    re.IGNORECASE,
)
BYLINE_CUT_RE = re.compile(r"\s+(on|am|le|el|·|\||—|–|-)\s+.*$|\s*[|•·]\s*.*$", re.IGNORECASE)
URL_DATE_RE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])(?:/(0?[1-9]|[12]\d|3[01]))?(?=/)")
# Class words of an element that may hold the byline, in any case. For ASCII classes
# the lowercase pattern on the lowercased text says the same, a few times faster.
_BYLINE_CLASS_WORDS = "byline|author|writtenby|dateline"
BYLINE_CLASS_RE = re.compile(_BYLINE_CLASS_WORDS, re.IGNORECASE)
BYLINE_CLASS_LOWER_RE = re.compile(_BYLINE_CLASS_WORDS)
DATE_PUBLISHED_RE = re.compile(r"(^|\s)datePublished(\s|$)")
# "Post | Fandom [Archive of Our Own]": a bracketed tail of a few words names the site.
BRACKET_SITE_RE = re.compile(r"(?<=\S)\s+\[([^\[\]]{3,40})\]\s*$")
COMMENT_RE = re.compile(r"comment|reply|replies", re.IGNORECASE)
AUTHOR_HREF_RE = re.compile(r"/(authors?|people|writers?|bio|profiles?|users?|staff|@)[/\w]|"
                             r"/@", re.IGNORECASE)
URLISH_RE = re.compile(r"^(https?:)?//|^www\.|^\w+\.\w{2,4}/", re.IGNORECASE)
CUT_TAIL_RE = re.compile(r"[\s.…]+$")
DC_PREFIX_RE = re.compile(r"^(dc|dcterms?):")
ENTITY_RE = re.compile(r"&(#\d{1,7}|#x[\da-f]{1,6}|[a-z]{2,8});", re.IGNORECASE)
LEAD_BYLINE_RE = re.compile(r"^(posted|published|written|updated|last updated|by)\b",
                             re.IGNORECASE)
SENTENCE_CLOSE_RE = re.compile(r"[.!?…。！？:][\"”’»)]*$")
SENTENCE_END_RE = re.compile(r"[.!?…。！？](?=[\s\"”’»)]|$)[\"”’»)]*")
# Not a person: placeholders, roles and widget labels that bylines carry.
NOT_A_NAME_RE = re.compile(
    r"^(by|staff|admin|administrator|editor|editors|editorial|team|guest|guest author|"
    r"anonymous|unknown|author|authors|follow|follow author|posted|updated|published|"
    r"written|contributor|contributors|redaktion|rédaction|the editors|staff writer|"
    r"staff reporter|news desk|web desk)$",
    re.IGNORECASE,
)
DATEISH_RE = re.compile(
    r"\b(19|20)\d{2}\b|\d{1,2}[/.:]\d{1,2}|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec)[a-z]*\.? \d{1,2}\b|\b(updated|last updated|published|posted on)\b",
    re.IGNORECASE,
)
LINK_IN_NAME_RE = re.compile(r"\(?\b(?:https?://|www\.|mailto:)[^\s)]*\)?", re.IGNORECASE)
LETTER_RE = re.compile(r"[^\W\d_]")
# Static-site generators whose ``<meta name=keywords>`` lists the post's tags (Pelican
# themes, Hugo's PaperMod): on other pages keywords are SEO lists, not taxonomy.
KEYWORD_TAG_GENERATORS_RE = re.compile(r"^(pelican|hugo|hexo|jekyll|zola|eleventy|astro)\b",
                                        re.IGNORECASE)
AUTHOR_SPLIT_RE = re.compile(r"\s+(?:and|und|et|y|e|&)\s+|\s*&\s*|\s*;\s*", re.IGNORECASE)


# -- noise

HIDDEN_STYLE_RE = markup.HIDDEN_STYLE_RE
CODE_CLASS_RE = re.compile(r"^(language-|lang-|highlight-source-)[\w+#.-]+$|^sourceCode$")
SAFE_HREF_RE = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
DIGITS_RE = re.compile(r"\d+")
GLUED_RE = re.compile(r"^([a-z]{3,}?)(block|box|bar|links?|buttons?|widget|wrapper|container|"
                       r"area|section|list|icons|tools|panel|module)$")


# -- pagination

# Link texts that say "the rest is there", in the languages we meet most.
TEASER_LINK_PHRASES = (
    r"read more|read (the )?(full|whole|complete|entire|rest of the) "
    r"(post|article|story|entry|text)|continue reading|keep reading|read on|"
    r"weiterlesen|mehr lesen|(den )?(ganzen|vollständigen|kompletten) (artikel|beitrag|text) "
    r"lesen|zum (ganzen |vollständigen )?(artikel|beitrag)|"
    r"lire la suite|lire plus|la suite|leer más|seguir leyendo|continuar leyendo|"
    r"sigue leyendo|continua a leggere|leggi tutto|leggi di più|lees verder|lees meer|"
    r"ler mais|continuar lendo|continue lendo|czytaj dalej|läs mer|les mer|læs mere"
)
# The phrase alone ("Read more »"), or followed by the post's quoted title (WordPress:
# Continue reading "Title"); a marked link may say anything after the phrase.
TEASER_LINK_RE = re.compile(rf"^[\W_]*({TEASER_LINK_PHRASES})([\W_]*|\s*[:–—-]?\s*[\"“„«‘'].*)$",
                          re.IGNORECASE | re.DOTALL)
TEASER_LINK_START_RE = re.compile(rf"^[\W_]*({TEASER_LINK_PHRASES})\b", re.IGNORECASE)
# Boxes whose "read more" links lead to other posts, not to the rest of this one.
OTHER_POSTS_RE = re.compile(
    r"related|recommend|read-?next|more-?(posts|stories|from)|yarpp|popular|trending|"
    r"sidebar|widget|you-?may|also|recent|latest",
    re.IGNORECASE,
)
NEXT_PAGE_RE = re.compile(
    r"^[\W_]*(next( page)?|nächste seite|weiter|page suivante|suivante?|página siguiente|"
    r"siguiente|pagina successiva|successiva|volgende( pagina)?|próxima( página)?|"
    r"następna( strona)?|nästa( sida)?|(weiter |continue |continuer )?(zu |to |à la |auf )?"
    r"(seite|page|página|pagina|strona|sida) \d{1,2})[\W_]*$",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(r"^[\W_]*(?:(?:seite|page|página|pagina|strona|sida)\s*)?(\d{1,2})[\W_]*$",
                       re.IGNORECASE)
PAGE_OF_RE = re.compile(
    r"^[\W_]*(seite|page|página|pagina|strona|sida)\s+\d{1,2}\s+(of|von|de|di|sur|z|av)\s+"
    r"\d{1,2}[\W_]*$", re.IGNORECASE)
PAGE_OF_WORDS_RE = re.compile(r"\b(seite|page|página|pagina|strona|sida)\s+\d", re.IGNORECASE)
# ``/post/2/``, ``/post-2.html``; ``/page/2/`` and date archives number index pages.
PAGE_PATH_RE = re.compile(r"/(?P<n>\d{1,2})/?$|[-_](?P<m>\d{1,2})\.(?P<ext>html?|php|aspx?)$",
                          re.IGNORECASE)
INDEX_STEM_RE = re.compile(r"/(page|seite|pagina|p)/?$|/\d{4}(/\d{1,2})?/?$|^/?$",
                           re.IGNORECASE)


# -- postmeta

# /tags/x/, /tag/x, /categories/x/, /category/x.html, Blogger's /search/label/x,
# Forem's /t/x; the term is the last path segment.
TAXONOMY_PATH_RE = re.compile(
    r"/(?P<kind>tags?|categor(?:y|ies)|topics?|labels?|t)/(?P<term>[^/]+?)"
    r"(?:/|/index\.html?|\.html?)?$",
    re.IGNORECASE,
)
# A cheap first look at a link; the lowercase twin reads lowercased ASCII hrefs faster.
_TAXONOMY_HINTS = r"tag|categor|topic|label|/t/"
TAXONOMY_HINT_RE = re.compile(_TAXONOMY_HINTS, re.IGNORECASE)
TAXONOMY_HINT_LOWER_RE = re.compile(_TAXONOMY_HINTS)
TAG_FRAGMENT_RE = re.compile(r"^tag:(?P<term>.+)$")  # Material's tags index: #tag:x
COUNT_RE = re.compile(r"\s*(\(\d+\)|\[\d+\]|\d+)$")  # "hugo (12)": a tag cloud's count


# -- prune

DATE_RE = re.compile(r"\d{4}-\d\d|\d\d?[./]\s*\d\d?[./]\s*\d{2,4}|\b(1[89]|20)\d\d\b|\d:\d\d")
LABEL_RE = re.compile(r"^.{0,80}(?<![^.]\.)$", re.DOTALL)  # short, not ending a sentence
SPACES_RE = re.compile(r"\s+")
WORDS_RE = re.compile(r"[^\W\d_]{2,}")

# A site-name separator left at the end (or start) of a title part: "Post title |".
TITLE_SEPARATOR_END_RE = re.compile(r"\s*[|\-–—·•:»]\s*$")
TITLE_SEPARATOR_START_RE = re.compile(r"^\s*[|\-–—·•:»]\s*")
# A date that already carries a clock time ("12:30").
CLOCK_TIME_RE = re.compile(r"\d{2}:\d{2}")
# srcset candidates are split at a comma followed by space (a URL may hold bare commas).
SRCSET_SPLIT_RE = re.compile(r",\s+(?=\S)")
NON_DIGITS_RE = re.compile(r"\D")
NON_WORD_RUN_RE = re.compile(r"\W+")
# Embeds: a YouTube/Vimeo-style video id, an "/embed" URL suffix, and the path of a
# post on Twitter/X or a Mastodon instance ("/status/123", "/@user/123").
VIDEO_ID_RE = re.compile(r"[\w-]{6,}")
EMBED_SUFFIX_RE = re.compile(r"/embed/?$")
SOCIAL_POST_PATH_RE = re.compile(r"/status(es)?/\d+|/@[\w.]+/\d+")
