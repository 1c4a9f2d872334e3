"""Chrome left inside the chosen box once its class rules ran: widget labels, link
boxes and short chrome lines that only make sense next to what was removed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from vellum.extract import extract
from vellum.rules import extract as rules

PROSE = ("<p>" + "A sentence about nothing much, written to give the page some weight. " * 4
         + "</p>")
URL = "https://example.com/post/"
HEADLINES = "".join(f'<li><a href="/story-{n}">Story number {n} of the week</a></li>'
                    for n in range(6))


def body_of(inner: str) -> str:
    html = (f"<html><head><title>T</title></head><body><main>{PROSE}{PROSE}{inner}"
            "</main></body></html>")
    return extract(html, URL).body_html


def test_the_label_of_a_removed_link_widget_goes() -> None:
    body = body_of(f'<div class="box"><h1>Am meisten gelesen...</h1><ul>{HEADLINES}</ul></div>'
                   f'<div class="box"><h2>Letzte Kommentare</h2><ul>{HEADLINES}</ul></div>')
    assert "Story number" not in body
    assert "Am meisten gelesen" not in body
    assert "Letzte Kommentare" not in body
    assert "nothing much" in body


def test_a_heading_whose_text_sits_in_the_next_box_stays() -> None:
    body = body_of('<div class="title"><h2>How we did it</h2></div>'
                   f'<div class="text">{PROSE}</div>'
                   "<h2>Pictures</h2><figure><img src='/a.jpg' alt='boat'></figure>")
    assert "How we did it" in body
    assert "Pictures" in body


def test_a_heading_followed_by_a_subheading_stays() -> None:
    body = body_of(f"<h2>Part one</h2><h3>The start</h3>{PROSE}")
    assert "Part one" in body
    assert "The start" in body


def test_text_set_in_heading_tags_stays_at_the_end() -> None:
    long_line = "findet in 2020 bereits zum 6. Mal statt, und alle Kinder sind aufgerufen."
    body = body_of(f"<blockquote><h2>Der Wettbewerb</h2><h3>{long_line}</h3></blockquote>")
    assert long_line in body
    assert "Der Wettbewerb" in body


@pytest.mark.parametrize("line", [
    "<h3>Meistgelesene Artikel</h3>",
    "<h1>Am meisten gelesen...</h1>",
    "<h4>Über den Autor</h4>",
    "<p><strong>Schlagworte zum Thema:</strong></p>",
    '<p><a href="/news">Zurück zum Newsroom</a></p>',
    '<div><a href="/pdf">Pressemitteilung als PDF</a></div>',
    "<div>Diesen Artikel teilen</div>",
    "<p>VIDEO RECOMENDADO</p>",
    "<span>Reklama</span>",
    "<h3>Ähnliche Beiträge</h3>",
    "<h3>Empfohlene Beiträge</h3>",
    "<h3>Mehr zum Thema auf Example.de</h3>",
    "<h3>Contenido Relacionado</h3>",
    "<h2>Auch auf example.de</h2>",
    "<p><strong>Lesen Sie auch die folgenden Beiträge:</strong></p>",
    "<p><strong>Schon gelesen?</strong></p>",
    "<h3>meist-diskutiert</h3>",
    "<h2 id='comments'>No Response so far »</h2>",
    "<h4>Audios et vidéos sur le sujet</h4>",
    "<p><strong>Mehr Themen:</strong></p>",
    "<div>Externer Inhalt</div>",
    "<p><strong>Kontakt:</strong></p>",
    "<h2>Ansprechpartnerin zum Thema:</h2>",
    "<p><em>(Alle Angaben ohne Gewähr)</em></p>",
    "<p>Mitglieder in diesem Forum: 0 Mitglieder und 2 Gäste</p>",
    "<p><span>Release Date:</span></p>",
    "<h3>Weitere Informationen zum Coronavirus in Thüringen:</h3>",
])
def test_a_chrome_label_line_goes(line: str) -> None:
    body = body_of(f"{line}{PROSE}")
    assert body.count("nothing much") == 3 * 4  # all three paragraphs, nothing else
    assert "<h" not in body
    assert "href" not in body


@pytest.mark.parametrize("line", [
    "<h3>Back to basics: why we rewrote the parser</h3>",
    "<p>Zurück in Berlin schrieb sie den Roman zu Ende, in nur drei Wochen.</p>",
])
def test_a_sentence_starting_like_a_label_stays(line: str) -> None:
    assert line.split(">")[1].split("<")[0] in body_of(f"{line}{PROSE}")


def _chosen(page: str) -> str:
    return extract(f"<html><head><title>T</title></head><body>{page}</body></html>",
                   URL).body_html


def test_a_teaser_section_inside_the_article_is_not_the_body() -> None:
    body = _chosen('<article><header><section class="article-teaser">'
                   "<p>Kurz gesagt: eine Einleitung, die auf den Text neugierig macht, "
                   "mit ein paar Worten mehr, damit sie lang genug ist für einen Kasten.</p>"
                   "</section></header>"
                   f'<div class="pt-xl"><section class="content content-article">{PROSE}{PROSE}'
                   "</section></div></article>")
    assert body.count("nothing much") == 2 * 4


def test_a_login_overlay_is_not_the_article() -> None:
    overlay = ('<article class="login-modal"><form><section class="article-body">'
               + "<p>Melden Sie sich an, um Artikel zu merken und Kommentare zu schreiben, "
               "und verwalten Sie Ihr Profil und Ihre Newsletter an einem Ort.</p>" * 2
               + "</section></form></article>")
    body = _chosen(f'{overlay}<div class="content-item">{PROSE}{PROSE}</div>')
    assert "Melden Sie sich an" not in body
    assert "nothing much" in body


def test_a_theme_setting_class_does_not_make_the_post_an_overlay() -> None:
    body = _chosen('<div class="container penci-enable-lightbox"><article class="post hentry '
                   f'tag-comments category-widgets"><div class="entry-content">{PROSE}{PROSE}'
                   '</div></article><div class="sidebar"><p>Über uns: ein kleiner Blog.</p>'
                   "</div></div>")
    assert body.count("nothing much") == 2 * 4
    assert "Über uns" not in body


@pytest.mark.parametrize("box", [
    '<div class="article_author"><div class="author_section-content"><p class="author_'
    'section-description">Martin has worked as a professional Python developer since 2007. '
    "He loves clean code, long walks and writing about both of them for this blog.</p></div>"
    "</div>",
    '<section class="artDetailAutor__outer"><div class="artDetailAutor__text"><p>Leiterin '
    "Redaktion Leben. Sie schreibt seit zehn Jahren über Familie, Wohnen und Gesundheit.</p>"
    "</div></section>",
    # the Simple Author Box plugin for WordPress
    '<div class="saboxplugin-wrap"><div class="saboxplugin-tab"><div class="saboxplugin-'
    'authorname"><a href="/author/martin">Martin</a></div><div class="saboxplugin-desc"><div>'
    "<p>Martin mag jede Art von Fotografie, am liebsten Landschaften im Morgenlicht. Er "
    "schreibt hier seit 2015.</p></div></div></div></div>",
])
def test_an_author_box_goes_even_when_it_reads_like_prose(box: str) -> None:
    body = body_of(box)
    assert "Martin" not in body
    assert "Leiterin" not in body
    assert body.count("nothing much") == 2 * 4


def test_an_authority_class_is_not_an_author_box() -> None:
    body = body_of('<div class="authority-note"><p>The authority said the bridge will stay '
                   "closed until the spring, when engineers finish their survey.</p></div>")
    assert "bridge will stay closed" in body


def test_a_related_list_with_long_excerpts_goes_even_when_it_is_longer() -> None:
    items = "".join(
        f'<li><a href="/p{n}">Another post number {n}</a><small>' + "An excerpt that runs "
        "on for a while, the way related-post plugins print them under a post. " * 3
        + "</small></li>" for n in range(5))
    body = body_of(f'<ul class="related_post wp_rp">{items}</ul>')
    assert "Another post" not in body
    assert "An excerpt" not in body


def test_a_pop_up_box_and_a_teaser_box_go() -> None:
    pitch = ("Unterstützen Sie diese Form von Journalismus. Jeder Beitrag hilft uns dabei, "
             "unabhängig zu bleiben. Werden Sie jetzt Mitglied und lesen Sie mehr.")
    body = body_of(f'<div class="rty-pop-up"><h4>Unterstützen Sie uns</h4><p>{pitch}</p></div>'
                   f'<div class="teaser"><h2><a href="/c">Was Sie wissen müssen</a></h2>'
                   f"<p>{pitch}</p></div>")
    assert "Unterstützen" not in body
    assert "Was Sie wissen" not in body


def test_a_list_of_teaser_cards_goes() -> None:
    cards = "".join(f'<div class="item"><a href="/s{n}"><img src="/s{n}.jpg" alt=""></a>'
                    f'<a href="/s{n}">A story we also recommend, number {n}</a></div>'
                    for n in range(4))
    body = body_of(f'<div class="grid">{cards}</div>')
    assert "recommend" not in body
    assert "s1.jpg" not in body


def test_a_bulleted_list_of_links_with_notes_stays() -> None:
    items = "".join(f'<li><a href="/doc{n}">The manual, chapter {n}</a>: what it covers and '
                    "why it matters.</li>" for n in range(4))
    body = body_of(f"<ul>{items}</ul>")
    assert "The manual, chapter 2" in body


@pytest.mark.parametrize(("caption", "kept"), [
    ("Erdölpumpen im Abendrot. Bild: TebNad/Shutterstock.com", "Erdölpumpen im Abendrot."),
    ("Premio Nobel de la Paz (REUTERS/Denis Balibouse)", "Premio Nobel de la Paz"),
    ("Cyber-Attacken nehmen zu. – © Sergey Nivens – stock.adobe.com", "Cyber-Attacken nehmen zu."),
    ('Boats at dawn. <span class="credit">Photo: Jane Doe</span>', "Boats at dawn."),
    ("The photo: a boat on the lake", "The photo: a boat on the lake"),
    ("Braunkohlekraftwerk © Ruth Röder / Clipdealer", "Braunkohlekraftwerk"),
    ("Le piquet de grève dans le hall / (C) Kab Niang", "Le piquet de grève dans le hall"),
    ("Paris Haute Couture, Serkan Cura, Bild via", "Paris Haute Couture, Serkan Cura"),
    ("Stapel mit Ziegeln. - © jollier_ - stock.adobe.com", "Stapel mit Ziegeln."),
    ("The language called (C) is old", "The language called (C) is old"),
    # credits running over links and boxes: "Foto: " + name, flickr link, license
    ('Nicht labern, ranklotzen. Foto: Timur | <a href="https://flickr.com/p/1">flickr</a>| '
     "CC BY 2.0", "Nicht labern, ranklotzen."),
    ('Cider and Ice. Foto: <a href="/cc">CC-BY-NC 2.0</a> <a href="/dm">David Merrigan</a>',
     "Cider and Ice."),
    ('<div>Marcell Jansen (l.) und Piotr Trochowski.</div> <div class="foto">Foto: <div><p>'
     "WITTERS</p></div></div>", "<div>Marcell Jansen (l.) und Piotr Trochowski.</div>"),
    # ... but not the caption's own text after a credit box
    ('<div class="image-copyright">© 2630ben / Getty Images / iStock</div><div class="image-'
     'text">Schuppentier</div>', "<div>Schuppentier</div>"),
])
def test_photo_credits_leave_image_captions(caption: str, kept: str) -> None:
    body = body_of(f'<figure><img src="/a.jpg" alt="a"><figcaption>{caption}</figcaption>'
                   "</figure>")
    assert body.split("<figcaption>")[1].split("</figcaption>")[0].strip() == kept


@pytest.mark.parametrize("picture", [
    # a caption line after the image, no caption markup (news CMS, uikit themes)
    '<img src="/a.jpg" alt="a"><p class="imagedescription">{}</p>',
    '<div class="img"><img src="/a.jpg" alt="a"></div><div class="txt">{}</div>',
    # a description span inside the figure
    '<figure class="element"><img src="/a.jpg" alt="a"><span class="description">{}</span>'
    "</figure>",
    # a heading used as the caption
    '<figure><img src="/a.jpg" alt="a"><h2 class="figure__caption">{}</h2></figure>',
])
def test_credits_leave_captions_set_without_caption_markup(picture: str) -> None:
    body = body_of(picture.format("Lee Elder sprach ihm Mut zu. | © Augusta National/Getty "
                                  "Images"))
    assert "Lee Elder sprach ihm Mut zu." in body
    assert "Getty" not in body


def test_a_stock_photo_credit_closing_any_short_line_goes() -> None:
    # TYPO3 rte image: caption spans inside a paragraph, the credit broken over lines
    line = ('<p><span class="rte-image"><img src="/h.jpg" alt="h"><span>Das Hermelin ist im '
            "Winter gut getarnt.\n    \xa0(mlharing\n        /\n     iStock.com)\n"
            "</span></span></p>")
    body = body_of(f"{line}{PROSE}")
    assert "Das Hermelin ist im Winter gut getarnt." in body
    assert "iStock" not in body
    assert "mlharing" not in body


@pytest.mark.parametrize("line", [
    "<p>Crédits photos : Bestimage</p>",  # French typography: a space before the colon
    '<p style="font-size:12px"><u>Beitragsbild:</u> Titelseite der Zeitung vom 2.4.2019, '
    "Ausriss.</p>",
    # a credit in brackets under a picture: the brackets go with it
    '<img src="/m.jpg" alt="m"><p>(Source: <a href="https://example.org/riivka">Riivka</a>)</p>',
])
def test_a_picture_credit_line_goes_whole(line: str) -> None:
    body = body_of(f"{line}{PROSE}")
    assert body.count("nothing much") == 3 * 4
    for gone in ("Bestimage", "Beitragsbild", "Riivka", "(", ")"):
        assert gone not in body


def test_a_caption_that_is_only_a_credit_goes_with_the_image_kept() -> None:
    body = body_of('<figure><img src="/a.jpg" alt="a"><figcaption>evgenyb/iStock/Getty Images'
                   "</figcaption></figure>")
    assert "Getty" not in body
    assert "figcaption" not in body
    assert "/a.jpg" in body


def test_headlines_set_as_linked_paragraphs_go() -> None:
    lines = "".join(f'<p><a href="/news/{n}">DTB nominiert Nachwuchsteams für {2020 + n}</a></p>'
                    for n in range(3))
    body = body_of(lines)
    assert "nominiert" not in body
    assert body.count("nothing much") == 2 * 4


def test_one_linked_line_and_bare_links_stay() -> None:
    body = body_of('<p><a href="/guide">Read the whole installation guide here</a></p>'
                   f"{PROSE}"
                   '<p><a href="/a.zip">a.zip</a></p><p><a href="/b.zip">b.zip</a></p>')
    assert "installation guide" in body
    assert "a.zip" in body
    assert "b.zip" in body


def test_a_forum_thread_keeps_its_posts() -> None:
    posts = "".join(f'<div class="MtnComment" id="c{n}"><p>Post {n}: ' + "Ich habe das auch "
                    "erlebt, und die Polizei kam erst nach einer Stunde, leider. " * 3
                    + "</p></div>" for n in range(4))
    body = _chosen(f'<form id="HtmlForm1"><div class="thread">{posts}</div>'
                   '<div class="comment-form"><p>Antworten</p></div></form>')
    assert body.count("Ich habe das auch erlebt") == 4 * 3
    assert "Antworten" not in body


def test_a_post_keeps_losing_its_comments_when_they_are_longer() -> None:
    comments = "".join('<li class="comment"><p>' + "Great post, thanks for sharing it! " * 6
                       + "</p></li>" for _ in range(6))
    body = _chosen(f"<article>{PROSE}{PROSE}<ol class='comment-list'>{comments}</ol>"
                   "</article>")
    assert "Great post" not in body
    assert "nothing much" in body


def test_class_words_split_on_camel_humps_but_not_in_hashes() -> None:
    body = body_of('<div id="FollowGoogleNews"><span>Google News</span></div>'
                   f'<div class="sc-qOiPt jpYiwZ">{PROSE}</div>')
    assert "Google News" not in body
    assert body.count("nothing much") == 3 * 4


LEAD = ("Der Reporter hat den Verlag mit erfundenen Geschichten getäuscht. Wie konnte es "
        "dazu kommen? Eine Rekonstruktion.")


def test_the_lead_in_the_article_header_comes_back_before_the_body() -> None:
    page = (f'<article><header><h1>T</h1><div class="dig-vorspann">{LEAD}</div></header>'
            f'<div class="article-body">{PROSE}{PROSE}</div></article>')
    body = _chosen(page)
    assert body.index("Wie konnte es dazu kommen?") < body.index("nothing much")
    assert body.count("Wie konnte") == 1


@pytest.mark.parametrize(("page", "count"), [
    # the body repeats its lead: not twice
    (f'<div class="intro"><p>{LEAD}</p></div><div class="article-body"><p>{LEAD}</p>{PROSE}'
     f"{PROSE}</div>", 1),
    # a summary in the navigation is not the lead
    (f'<nav><p class="summary">{LEAD}</p></nav><div class="article-body">{PROSE}{PROSE}</div>',
     0),
])
def test_a_lead_is_not_added_twice_nor_from_chrome(page: str, count: int) -> None:
    assert _chosen(page).count("Wie konnte es dazu kommen?") == count


def test_an_article_split_into_wrapped_sections_is_kept_whole() -> None:
    sections = "".join(
        f'<div class="wrap"><div class="inner"><section class="l-article__section">'
        f"<p>Part {n}. " + "The fires came early that year, and the smoke stayed. " * 5
        + "</p></section></div></div>"
        + ('<aside class="pullquote">A quote</aside>' if n < 2 else "") for n in range(3))
    body = _chosen(f'<article><div class="l-article__container">{sections}</div></article>')
    for n in range(3):
        assert f"Part {n}." in body


@pytest.mark.parametrize("box", [
    '<div class="entry-utility">This entry was posted in News and tagged boats.</div>',
    '<p class="postmetadata alt">Der Beitrag wurde am Mittwoch veröffentlicht.</p>',
    '<div class="mod mod-contactbox"><h4>Kommunikationsdienst</h4><p>Tel. 058 462 20 07</p>'
    "</div>",
    '<div class="community-notice">Dieser Beitrag gibt die Meinung des Autors wieder.</div>',
    '<div class="alert is--success"><div class="alert--content">Der Artikel wurde erfolgreich '
    "hinzugefügt.</div></div>",
    "<p>Related Coverage</p>",
    "<p>4 Min Read</p>",
    "<span>Ultima modifica 12 luglio 2023</span>",
    # post-meta lines: a date and meta words around it
    '<p class="newsdatum">Donnerstag, 31. Mai 2012</p>',
    "<p>23.10.2018</p>",
    '<p class="pull-left"><small><span class="text-dimmed">Letzte Änderung</span> 14.02.2019'
    "</small></p>",
    "<div>24.01.2022 11:38 Kategorie: News</div>",
    "<p>News date : 04/21/2022 Category : Press Releases</p>",
    '<div class="user-action-time">asked Feb 6, 2014 at 20:37</div>',
    "<div>Verfasst von: mitundvoneinander | 31. Dezember 2008</div>",
    "<div><span>Pressemitteilung</span> <span>Aktuell</span> 02. November 2021</div>",
])
def test_post_meta_contact_and_notice_boxes_go(box: str) -> None:
    body = body_of(f"{box}{PROSE}")
    assert body.count("nothing much") == 3 * 4
    assert len(body) == len(body_of(PROSE))


def test_a_camel_case_lead_class_far_up_the_page_is_found() -> None:
    inner = f'<div class="a"><div class="b"><div class="c">{PROSE}{PROSE}</div></div></div>'
    page = (f'<div class="content-inner"><p class="DefaultEinleitung">{LEAD}</p>'
            f'<div class="DefaultGorgia"><div class="frame">{inner}</div></div></div>')
    assert _chosen(page).startswith("<p")
    assert "Wie konnte es dazu kommen?" in _chosen(page)


@pytest.mark.parametrize("cls", ["imageDescription", "site-description", "author-intro"])
def test_descriptions_of_pictures_sites_and_authors_are_not_leads(cls: str) -> None:
    page = f'<div><p class="{cls}">{LEAD}</p><div class="article-body">{PROSE}{PROSE}</div></div>'
    assert "Wie konnte" not in _chosen(page)


def test_classless_article_sections_each_in_a_wrapper_are_one_article() -> None:
    parts = "".join(f'<div class="csc-default" id="c{n}"><article id="article_c{n}"><p>Teil {n}. '
                    + "Die Luft in der Stadt ist schlechter als auf dem Land, sagen alle. " * 4
                    + "</p></article></div>" for n in range(3))
    body = _chosen(f'<div class="content">{parts}</div>')
    for n in range(3):
        assert f"Teil {n}." in body


@pytest.mark.parametrize("box", [
    '<div class="col l9" id="comments18-wrapper"><p>Para comentar debes registrarte y '
    "completar los datos generales de tu perfil, gracias por participar.</p></div>",
    '<div class="inlineTextbox inlineTextboxstandard"><p>Heulage ist kein Heu. Sie hat mehr '
    "Wasser und Schimmelpilze. Was Sie bei der Fütterung beachten müssen, lesen Sie hier.</p>"
    "</div>",
    '<div class="c-flyout"><p>Jede kleine Spende hilft den Menschen.</p></div>',
])
def test_numbered_ids_inline_boxes_and_flyouts_go(box: str) -> None:
    body = body_of(f"{box}{PROSE}")
    for words in ("Para comentar", "Heulage", "Spende"):
        assert words not in body
    assert body.count("nothing much") == 3 * 4


def test_a_script_state_class_is_not_chrome() -> None:
    body = body_of('<p>The sum is <span class="MathJax CtxtMenu_Attached_0">x + y</span> '
                   "as the next line shows in full, for every reader of this page.</p>")
    assert "x + y" in body


def test_a_shop_reviews_widget_is_not_the_article() -> None:
    reviews = "".join('<div class="jdgm-rev"><p>' + "Sehr lecker, kräftig und doch mild, "
                      "gerne wieder bestellt, danke. " * 3 + "</p></div>" for _ in range(5))
    page = (f'<div class="product-description">{PROSE}{PROSE}</div>'
            f'<div class="jdgm-rev-widg__reviews">{reviews}</div>')
    body = _chosen(page)
    assert "nothing much" in body
    assert "Sehr lecker" not in body


def test_an_article_header_holding_the_lead_stays_and_a_byline_header_goes() -> None:
    body = body_of('<header class="Post__header"><p>Die Chancen für die Histo-Monte stehen gut. '
                   "Die Organisatoren rechnen mit einem vollen Starterfeld.</p></header>"
                   f"{PROSE}"
                   '<header class="meta"><a href="/a">Max</a> | <a href="/d">12.03.2022</a>'
                   "</header>")
    assert "Histo-Monte" in body
    assert "Max" not in body


def test_an_intertitle_with_a_nav_anchor_id_stays() -> None:
    body = body_of(f'<h3 class="subheading" id="nav_nur_die_folie__1">Nur die Folie bleibt'
                   f"</h3>{PROSE}")
    assert "Nur die Folie bleibt" in body


def test_wrapped_parts_of_a_post_around_figures_are_kept_together() -> None:
    part = ('<div class="acf-content"><div class="post__content">'
            + "<p>{n}. Physicists have argued for decades, and with some heat, about this.</p>"
            * 4 + "</div></div>")
    figure = '<figure><img src="/f.png" alt="f"><figcaption>A figure</figcaption></figure>'
    page = (f'<div id="postBody">{part.format(n="One")}{figure}{part.format(n="Two")}{figure}'
            f'{part.format(n="Three")}</div>')
    body = _chosen(page)
    for n in ("One.", "Two.", "Three."):
        assert n in body


def test_numbered_story_body_boxes_in_separate_wrappers_are_one_article() -> None:
    part = ('<div class="story-body-supplemental"><div class="story-body story-body-{n}">'
            + "<p>{n}: The sale is not a sale of the company, whatever the headlines say.</p>"
            * 5 + "</div></div>")
    cards = "".join(f'<a class="story-link" href="/s{n}"><div class="story-body">Another story '
                    f"{n}</div></a>" for n in range(3))
    body = _chosen(f'<article class="story">{part.format(n=1)}<aside>{cards}</aside>'
                   f"{part.format(n=2)}</article>")
    assert "1: The sale" in body
    assert "2: The sale" in body
    assert "Another story" not in body


def test_a_schema_description_in_the_typo3_news_template_is_the_lead() -> None:
    # EXT:news detail view: the teaser-text is the story's own lead, marked up as its
    # schema.org description beside the articleBody.
    page = ('<div class="news news-single"><div class="article" itemscope '
            'itemtype="http://schema.org/Article"><div class="header"><h3 itemprop="headline">'
            'T</h3></div><div class="footer"><p><span class="news-list-date">12.03.2021'
            '</span></p></div>'
            f'<div class="teaser-text" itemprop="description"><p>{LEAD}</p></div>'
            f'<div class="news-text-wrap" itemprop="articleBody">{PROSE}{PROSE}</div>'
            "</div></div>")
    body = _chosen(page)
    assert body.index("Wie konnte es dazu kommen?") < body.index("nothing much")


@pytest.mark.parametrize("lead", [
    f'<p class="article-teaser">{LEAD}</p>',
    f'<div class="pdb-article-teaser-intro"><p>{LEAD}</p></div>',
    f'<h2 class="article-subheadline">{LEAD}</h2>',
])
def test_the_articles_own_teaser_and_subheadline_are_its_lead(lead: str) -> None:
    page = f'<article><header><h1>T</h1>{lead}</header><div class="article-body">{PROSE}{PROSE}'
    body = _chosen(page + "</div></article>")
    assert body.index("Wie konnte es dazu kommen?") < body.index("nothing much")


@pytest.mark.parametrize("cls", ["teaser", "teaser-box", "article-teaser-image"])
def test_other_teasers_are_not_leads(cls: str) -> None:
    page = f'<div><p class="{cls}">{LEAD}</p><div class="article-body">{PROSE}{PROSE}</div></div>'
    assert "Wie konnte" not in _chosen(page)


@pytest.mark.parametrize("lead", [
    f'<div class="mosi-artikel-teaser"><p>{LEAD}</p></div>',  # German magazine theme
    f'<div class="ce-news--teaser">{LEAD}</div>',  # TYPO3 content element
])
def test_a_lead_named_a_teaser_is_not_taken_out_again_as_a_teaser_box(lead: str) -> None:
    page = f'<article><header><h1>T</h1>{lead}</header><div class="article-body">{PROSE}{PROSE}'
    body = _chosen(page + "</div></article>")
    assert body.index("Wie konnte es dazu kommen?") < body.index("nothing much")


def test_a_lead_in_the_chosen_box_keeps_its_teaser_wrapper() -> None:
    # Union and agency press pages: dateline and abstract in a "teaser" box atop the story.
    page = ('<article><header class="content-detail-header"><h1>T</h1><div class="teaser">'
            f'<i class="location">Berlin/Potsdam.</i><p class="abstract">{LEAD}</p></div>'
            f"</header><div>{PROSE}{PROSE}</div></article>")
    body = _chosen(page)
    assert body.index("Wie konnte es dazu kommen?") < body.index("nothing much")


def test_a_lead_set_as_bullet_points_is_the_lead() -> None:
    # EXT:news summary bullets ("Das Wichtigste in Kürze") as the schema description.
    bullets = "".join(f"<li>{point}.</li>" for point in LEAD.split(". "))
    page = (f'<div class="news news-single"><div class="teaser-text" itemprop="description">'
            f'<ul>{bullets}</ul></div><div class="news-text-wrap">{PROSE}{PROSE}</div></div>')
    body = _chosen(page)
    assert body.index("Wie konnte es dazu kommen?") < body.index("nothing much")


def test_an_intertitle_with_a_lead_class_in_the_body_does_not_hide_the_lead() -> None:
    # Ørsted-style pages mark every intertitle "article-subheadline", the lead too.
    intertitle = '<h3 class="article-subheadline">E-Fuels als Lösung für den Schwerverkehr</h3>'
    page = (f'<section><h1>T</h1><h2 class="article-subheadline">{LEAD}</h2></section>'
            f'<section><div class="article-content">{PROSE}{intertitle}{PROSE}</div></section>')
    body = _chosen(page)
    assert body.index("Wie konnte es dazu kommen?") < body.index("nothing much")
    assert "E-Fuels" in body


def test_a_description_inside_a_link_is_not_the_lead() -> None:
    # A mega-menu card: the other story's title and description, all one link.
    page = ('<div class="nav-flyout"><a class="nav-flyout-column" href="/other-story">'
            f'<div class="nav-flyout-description">{LEAD}</div></a></div>'
            f'<div class="article-body">{PROSE}{PROSE}</div>')
    assert "Wie konnte" not in _chosen(page)


def test_the_schema_description_of_a_picture_is_not_the_lead() -> None:
    page = ('<div itemscope itemtype="https://schema.org/ImageObject">'
            f'<p itemprop="description">{LEAD}</p></div>'
            f'<div class="article-body">{PROSE}{PROSE}</div>')
    assert "Wie konnte" not in _chosen(page)


@pytest.mark.parametrize("line", [
    # Caribbean/US news paywall notes (WordPress entry-content paragraphs)
    "<p>Subscribe now to our eNATION edition for the full story.</p>",
    "<p>To view the full story, please subscribe to The Daily Times. You can choose a $60 "
    "Annual Subscription.</p>",
    "<p>If you’re seeing this message but you’re already a subscriber, you can log in.</p>",
    "<p><strong>Follow The Gleaner on Twitter and Instagram @Gleaner.</strong></p>",
    "<p>We want to hear what you think about this article. Submit a letter to the editor.</p>",
    "<p><em>If you enjoyed reading this post – would you consider supporting our work? "
    "Just click here. Thanks!</em></p>",
    "<p>This post contains references to products from one or more of our advertisers. We "
    "may receive compensation when you click on links to those products.</p>",
    # German, Spanish, Polish, French magazines
    "<p><em>*Werbung. Dieser Beitrag enthält Werbung für eine Marke.</em></p>",
    "<p>Für Links auf dieser Seite erhält die Redaktion ggf. eine Provision vom Händler.</p>",
    "<p>Wenn Ihnen unser Artikel gefallen hat: Unterstützen Sie diese Form des Journalismus."
    "</p>",
    '<div class="et_pb_text_inner"><p>Zum Newsletter anmelden</p></div>',
    "<p><em>Siguenos en Telegram, Instagram, Facebook y Twitter</em></p>",
    "<p><strong>¡Mira lo que tiene nuestro canal de YouTube!</strong></p>",
    "<p>Materiał chroniony prawem autorskim - zasady przedruków określa regulamin.</p>",
    "<h2>Pour lire la suite et accéder gratuitement à 3 articles par mois, créez votre "
    "compte</h2>",
    # login and comment prompts, magazine plugs
    '<h3 class="SynMessageNote">Sie müssen sich einloggen, um sich an einer Diskussion '
    "beteiligen zu können.</h3>",
    "<p><i>Verraten Sie gerne in den Kommentaren: Wie wohnen Sie?</i></p>",
    "<h3>Lesen Sie das BIKE Magazin. Einfach digital in der App oder bestellen Sie es im Shop "
    "als Abo oder Einzelheft:</h3>",
    "<p><b><i>Die aktuelle Ausgabe der L-MAG jetzt an jedem Bahnhofskiosk, im Abo, als e-Paper"
    "</i></b></p>",
    "<h1>Unterstütze RosaMag bereits mit 2,50!</h1>",
    "<p>Like recipe? Add the ingredients to your basket and deliver to you.</p>",
    # license footers and subscription terms
    "<p>Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE. Die Fotos dürfen "
    "nicht verwendet werden.</p>",
    "<p>This work is licensed under a Creative Commons Attribution 4.0 License.</p>",
    "<div>Tú también puedes hacer periodismo incómodo. Cancela cuando quieras.</div>",
    '<div class="text-shop">Zum Shop</div>',
    # a longer paragraph that opens with the call
    "<p><strong>Gefällt dir unser Klettermagazin?</strong> " + "Wir haben entschieden, keine "
    "Bezahlschranke einzuführen, und das wird auch so bleiben. " * 6 + "</p>",
])
def test_calls_to_action_disclosures_and_reprint_terms_go(line: str) -> None:
    body = body_of(f"{line}{PROSE}")
    assert len(body) == len(body_of(PROSE))


@pytest.mark.parametrize("line", [
    "<p>Open the Photos app and tap Albums to find the pictures.</p>",
    "<p>Follow him on Twitter @jdoe or email him at jdoe@example.com.</p>",
    "<p>Makler erhalten meist eine Provision von drei Prozent des Kaufpreises.</p>",
    "<p>" + "The service lets users subscribe now and pay later, the company said. " * 6
    + "</p>",
    "<p>" + "The club kept its members close, and each season brought new faces. " * 5
    + "Gefällt dir unser Verein? Komm vorbei.</p>",
    # dates with content around them
    "<p>Termin: 29.02.2020, 19 Uhr</p>",
    "<p>Einsendeschluss: 03.11.2019 (Poststempel)</p>",
    "<ul><li>12. März 2020</li><li>Lockdown</li></ul>",
    "<pre><code>2020-08-01 18:00:00+00 │ 200 │ 4084</code></pre>",
    "<p>Am 19. Oktober 2019 gastiert Gladbach in Dortmund.</p>",
])
def test_story_lines_that_look_like_chrome_lines_stay(line: str) -> None:
    body = body_of(f"{line}{PROSE}")
    assert len(body) > len(body_of(PROSE))


@pytest.mark.parametrize("line", [
    # DW: the colon sits outside the emphasis
    '<p><em>Read more</em>: <a href="/en/other-story/a-1">Another story of the week</a></p>',
    # Latin American news sites
    '<p><b>LE PUEDE INTERESAR: </b><a href="/x">La ficha del expresidente en Nueva York</a></p>',
    '<blockquote><strong>PUEDES VER: </strong><a href="/y">¿Qué es la Sunedu?</a></blockquote>',
    '<h3><a href="/z">MIRA: Madre se acerca a conocer los motivos de la captura</a></h3>',
    '<p><strong><em>Auch lesen: </em></strong><a href="/h">Diese 3 Sternzeichen</a></p>',
])
def test_read_more_lines_in_more_languages_go(line: str) -> None:
    body = body_of(f"{PROSE}{line}{PROSE}")
    assert len(body) == len(body_of(PROSE + PROSE))


@pytest.mark.parametrize("label", [
    "<h2>Weiterlesen:</h2>",
    "<p><strong>Lesen Sie auch die folgenden Beiträge:</strong></p>",
    '<h2 class="intertitre">Auch auf example.de</h2>',
])
@pytest.mark.parametrize("count", [1, 2])
def test_a_widget_label_takes_its_link_lines_along(label: str, count: int) -> None:
    links = ('<p><a href="/blog/story">Herbstlicher Ausflug in die Steiermark</a></p>'
             '<p><a href="/blog/more">Ein Roadtrip entlang der Route 66</a></p>')
    body = body_of(f"{PROSE}{label}{links if count == 2 else links.split('</p>')[0]}{PROSE}")
    assert "Herbstlicher" not in body
    assert "Roadtrip" not in body
    assert body.count("nothing much") == 4 * 4


def _card(slug: str, title: str) -> str:
    return (f'<div class="column is-6"><article><figure><a href="/noticia/{slug}">'
            f'<img src="/{slug}.jpg" alt=""></a></figure><a href="/noticia/{slug}">'
            f'<h2 class="is-size-3">{title}</h2></a><p>Jueves 21 abril, 2022</p>'
            "<p>Sin embargo, la ministra señaló ayer en conferencia de prensa que no "
            "negociará.</p></article></div>")


def test_a_related_label_takes_its_teaser_cards_along_however_few() -> None:
    # Bulma-based news sites: the label, a line break, then two cards in columns.
    related = ('<section><h2 class="ribbon">NOTAS RELACIONADAS</h2><br>'
               '<div class="columns is-multiline">'
               + _card("hackers-ofrecen", "Hackers ofrecen descuento al Gobierno")
               + _card("grupo-conti", "Grupo Conti asegura haber hackeado Hacienda")
               + "</div></section>")
    body = body_of(related)
    assert "Hackers ofrecen" not in body
    assert "Grupo Conti" not in body
    assert body.count("nothing much") == 2 * 4


CREDITS = [
    "Der Hafen am Morgen. Foto: Max Muster",
    "Sunset over the bay (Photo: Jane Doe)",
    "Die Altstadt – © Stadt Köln",
    "Lee Elder sprach ihm Mut zu. | © Augusta National/Getty Images",
    "Smoke over the city (C) Reuters",
    "Ein Fuchs im Schnee, bild via Wikimedia",
    "Fans feiern den Titel. dpa/Marcus Brandt",
    "The new bridge. AP Photo/John Smith",
    "Das Hermelin im Winter. mlharing / iStock.com",
    "Marktplatz in Krakau, picture alliance / Zoonar",
    "Coffee beans, Unsplash",
]


@pytest.mark.parametrize("caption", CREDITS)
def test_every_credit_the_rule_cuts_holds_a_hint(caption: str) -> None:
    # The hint test runs first and skips the regex: it must never hide a credit.
    assert rules.CREDIT_RE.search(caption), caption
    assert any(hint in caption.lower() for hint in rules.CREDIT_HINTS)


# The hint prefilter of a costly regex must never hide a match. These helpers read the
# regex's parse tree: a branch is covered when every string it can match holds a hint.
try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_EXPANSION_MAX = 256
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def _expansions(item: tuple) -> set[str] | None:
    """Every string one regex node can match, lowercased; ``None`` when unbounded."""
    op, arg = item
    if op is sre_constants.LITERAL:
        return {chr(arg).lower()}
    if op is sre_constants.AT:
        return {""}  # \b, ^, $: zero width
    if op is sre_constants.IN:
        if all(kind is sre_constants.LITERAL for kind, _ in arg):
            return {chr(code).lower() for _, code in arg}
        return None
    if op is sre_constants.SUBPATTERN:
        return _sequence_expansions(arg[-1])
    if op is sre_constants.BRANCH:
        found: set[str] = set()
        for branch in arg[1]:
            more = _sequence_expansions(branch)
            if more is None:
                return None
            found |= more
        return found
    if op in _REPEATS and arg[1] <= 1:
        inner = _sequence_expansions(arg[2])
        return None if inner is None else inner | ({""} if arg[0] == 0 else set())
    return None


def _sequence_expansions(items: Any) -> set[str] | None:
    found = {""}
    for item in items:
        more = _expansions(item)
        if more is None:
            return None
        found = {a + b for a in found for b in more}
        if len(found) > _EXPANSION_MAX:
            return None
    return found


def _covered(items: Any, hints: tuple[str, ...]) -> bool:
    """True when every string the node sequence ``items`` matches holds a hint: a run of
    consecutive nodes whose every expansion holds one, or a group that is covered."""
    items = list(items)
    for start in range(len(items)):
        window = {""}
        for item in items[start:]:
            more = _expansions(item)
            if more is None:
                break
            window = {a + b for a in window for b in more}
            if len(window) > _EXPANSION_MAX:
                break
            if all(any(hint in text for hint in hints) for text in window):
                return True
    for op, arg in items:
        if op is sre_constants.SUBPATTERN and _covered(arg[-1], hints):
            return True
        if op is sre_constants.BRANCH and all(_covered(b, hints) for b in arg[1]):
            return True
        if op in _REPEATS and arg[0] >= 1 and _covered(arg[2], hints):
            return True
    return False


def _branches(pattern: re.Pattern[str]) -> list[Any]:
    (op, arg), = sre_parse.parse(pattern.pattern, pattern.flags).data
    assert op is sre_constants.BRANCH
    return list(arg[1])


@pytest.mark.parametrize("branch", range(len(_branches(rules.CALL_TO_ACTION_RE))))
def test_every_call_to_action_branch_needs_a_hint(branch: int) -> None:
    assert _covered(_branches(rules.CALL_TO_ACTION_RE)[branch], rules.CALL_TO_ACTION_HINTS)


@pytest.mark.parametrize(("pattern", "hints", "covered"), [
    (r"\bsubscribe (now|today)", ("subscribe",), True),
    (r"to (view|read) the (full|whole) story", ("view the", "read the"), True),
    (r"to (view|read) the (full|whole) story", ("view the", "whole"), False),
    (r"follow (us|[A-Z]\w*) on (twitter|facebook)", ("on twitter", "on facebook"), True),
    (r"follow (us|[A-Z]\w*) on (twitter|facebook)", ("follow us",), False),
    (r"unter (der )?(lizenz )?cc[- ]by", ("cc-by",), False),
])
def test_the_hint_check_catches_an_uncovered_branch(pattern: str, hints: tuple[str, ...],
                                                    covered: bool) -> None:
    parsed = sre_parse.parse(pattern, re.IGNORECASE)
    assert _covered(parsed, hints) is covered


def test_a_label_outliving_its_form_field_goes_and_a_checkbox_label_stays() -> None:
    # Stack Exchange's answer sort control; a recipe plugin's ingredient checklist.
    sort = ('<div id="answers-header"><h2>6 Answers</h2><label class="flex--item" '
            'for="answer-sort">Sorted by:</label><select id="answer-sort"><option>Highest '
            "score (default)</option></select></div>")
    ingredients = ('<h2>Ingredientes</h2><ul><li><input type="checkbox" id="ing-0"><label '
                   'for="ing-0">1 xícara de amido de milho</label></li><li><input '
                   'type="checkbox" id="ing-1"><label for="ing-1">50 gr de manteiga</label>'
                   "</li></ul>")
    body = body_of(f"{sort}{PROSE}{ingredients}{PROSE}")
    assert "Sorted by" not in body
    assert "6 Answers" in body
    assert "1 xícara de amido de milho" in body
    assert "50 gr de manteiga" in body
