"""End to end: teasers followed to their post, split posts joined, feeds refused.

Fixture pages under tests/pages/ imitate WordPress (``<!--nextpage-->`` page links),
Blogger (jump link), Ghost (tag page with one card) and a news site ("Seite 2"),
served by the real loopback server.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from vellum import frontmatter
from vellum.cli import app
from vellum.commands import add, convert_url, rebuild
from vellum.commands.importer import ImportSummary, import_urls
from vellum.commands.refresh import RefreshOptions, refresh
from vellum.fetch.crawl import CrawlOptions
from vellum.models import Outcome
from vellum.store import Store

from .conftest import page_html
from .server import LocalServer, Request, Response

runner = CliRunner()

WP = "/2024/03/the-long-way-round-the-baltic/"
BLOGGER_LABEL = "/search/label/type"
BLOGGER_POST = "/2023/11/setting-wood-type-by-hand.html"
GHOST_TAG = "/tag/tooling/"
GHOST_POST = "/why-we-pinned-every-dependency/"
NEWS = "/lokales/stadtbahn-streit.html"

WP_PAGES = ("We left Gdańsk on a grey Tuesday", "Nida deserves more than a night",
            "Liepāja greeted us with rain", "the long way round was the right way.")
BLOGGER_AFTER_JUMP = "I measured every letter with a type-high gauge"
GHOST_AFTER_EXCERPT = "We found it by bisecting the lock file itself"


def md_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if ".vellum" not in p.parts)


def add_one(root: Path, url: str, **kwargs: object) -> Outcome:
    with Store(root) as store:
        [outcome] = add([url], store, **kwargs)  # type: ignore[arg-type]
    return outcome


def serve_wordpress(server: LocalServer) -> str:
    server.page(WP, page_html("multipage_wordpress_1.html"))
    server.page(f"{WP}2/", page_html("multipage_wordpress_2.html"))
    server.page(f"{WP}3/", page_html("multipage_wordpress_3.html"))
    return server.url(WP)


def body_of(path: Path) -> str:
    return frontmatter.split(path.read_text(encoding="utf-8"))[1]


# -- split posts ----------------------------------------------------------------------------------


def test_wordpress_split_post_is_archived_whole_in_order(server: LocalServer,
                                                          archive_dir: Path) -> None:
    outcome = add_one(archive_dir, serve_wordpress(server))
    assert outcome.status == "written", outcome.error
    [path] = md_files(archive_dir)
    assert path.relative_to(archive_dir).as_posix() == (
        "127.0.0.1/2024/the-long-way-round-the-baltic.md")
    body = body_of(path)
    positions = [body.index(snippet) for snippet in WP_PAGES]
    assert positions == sorted(positions)
    assert "## Crossing the Curonian Spit" in body
    assert "## Up the coast to Latvia" in body
    for chrome in ("Pages:", "post-page-numbers", "Page 2", "Previous post", "Riga's markets"):
        assert chrome not in body
    assert body.count("We left Gdańsk") == 1
    for path_ in (WP, f"{WP}2/", f"{WP}3/"):
        assert len(server.requests_for(path_)) == 1
    front = frontmatter.split(path.read_text(encoding="utf-8"))[0]
    assert front["title"] == "The long way round the Baltic"
    assert front["original_url"] == server.url(WP)


def test_adding_a_later_page_updates_the_same_file(server: LocalServer,
                                                   archive_dir: Path) -> None:
    serve_wordpress(server)
    first = add_one(archive_dir, server.url(f"{WP}2/"))
    assert first.status == "written", first.error
    [path] = md_files(archive_dir)
    body = body_of(path)
    assert all(snippet in body for snippet in WP_PAGES)
    assert body.index(WP_PAGES[0]) < body.index(WP_PAGES[1])
    again = add_one(archive_dir, server.url(WP))
    third = add_one(archive_dir, server.url(f"{WP}3/"))
    assert (again.status, again.path) == ("unchanged", first.path)
    assert (third.status, third.path) == ("unchanged", first.path)
    assert len(md_files(archive_dir)) == 1


def test_news_article_with_seite_2_query_pages(server: LocalServer, archive_dir: Path) -> None:
    server.page(NEWS, page_html("news_seite_1.html"))
    server.page(f"{NEWS}?seite=2", page_html("news_seite_2.html"))
    outcome = add_one(archive_dir, server.url(NEWS))
    assert outcome.status == "written", outcome.error
    body = body_of(md_files(archive_dir)[0])
    assert body.index("Das Gutachten umfasst 340 Seiten") < body.index(
        "## Was die Anwohner sagen") < body.index("Die Bürgerinitiative kündigte an")
    for chrome in ("Nächste Seite", "Vorherige Seite", "Seite 1 von 2", "Seite 2 von 2",
                   "Radweg am Ufer"):
        assert chrome not in body


def test_rebuild_reproduces_a_split_post_without_network(server: LocalServer,
                                                          archive_dir: Path) -> None:
    serve_wordpress(server)
    add_one(archive_dir, server.url(WP))
    [path] = md_files(archive_dir)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Liepāja greeted us", "damaged"), encoding="utf-8")
    requests = len(server.log)
    with Store(archive_dir) as store:
        [outcome] = rebuild(store)
    assert outcome.status == "updated", outcome.error
    assert path.read_text(encoding="utf-8") == original
    assert len(server.log) == requests


def test_page_loop_is_fetched_once(server: LocalServer, archive_dir: Path) -> None:
    # Page 2 claims page 1 is its next page: each page is fetched once, both are kept.
    serve_wordpress(server)
    looping = page_html("multipage_wordpress_2.html").replace(
        f'<link rel="next" href="{WP}3/" />', f'<link rel="next" href="{WP}" />').replace(
        f'<a href="{WP}3/" class="post-page-numbers">3</a>', "")
    server.page(f"{WP}2/", looping)
    server.page(WP, page_html("multipage_wordpress_1.html").replace(
        f'<a href="{WP}3/" class="post-page-numbers">3</a>', ""))
    outcome = add_one(archive_dir, server.url(WP))
    assert outcome.status == "written", outcome.error
    body = body_of(md_files(archive_dir)[0])
    assert WP_PAGES[0] in body
    assert WP_PAGES[1] in body
    assert WP_PAGES[2] not in body
    assert len(server.requests_for(WP)) == 1
    assert len(server.requests_for(f"{WP}2/")) == 1
    assert not server.requests_for(f"{WP}3/")


def endless_page(request: Request) -> Response:
    last = request.path.strip("/").split("/")[-1]
    number = int(last) if last.isdigit() else 1
    text = " ".join(f"Paragraph of page {number}, sentence {i}." for i in range(12))
    html = (f"<html><head><title>Endless story</title>"
            f'<link rel="next" href="/story/endless/{number + 1}/"></head><body><article>'
            f"<h1>Endless story</h1><p>{text}</p>"
            f'<nav class="pagination"><a href="/story/endless/">1</a> …</nav>'
            "</article></body></html>")
    return Response(body=html)


def test_page_cap_stops_an_endless_chain(server: LocalServer, archive_dir: Path) -> None:
    server.route("/story/endless/", endless_page)
    for n in range(2, 40):
        server.route(f"/story/endless/{n}/", endless_page)
    outcome = add_one(archive_dir, server.url("/story/endless/"))
    assert outcome.status == "written", outcome.error
    body = body_of(md_files(archive_dir)[0])
    assert "Paragraph of page 20, sentence 0." in body
    assert "Paragraph of page 21," not in body
    assert len(server.log) == 20


def test_failed_later_page_names_both_urls(server: LocalServer, archive_dir: Path) -> None:
    server.page(WP, page_html("multipage_wordpress_1.html"))
    server.page(f"{WP}2/", page_html("multipage_wordpress_2.html"))
    outcome = add_one(archive_dir, server.url(WP))
    assert outcome.status == "failed"
    assert outcome.error == (f"{server.url(WP)}: page 3 of the post ({server.url(WP)}3/) "
                             f"could not be fetched: HTTP 404 Not Found")
    assert md_files(archive_dir) == []


def test_blog_index_with_rel_next_is_still_no_article(server: LocalServer,
                                                      archive_dir: Path) -> None:
    html = page_html("blog_index.html").replace(
        "</head>", '<link rel="next" href="/page/2/"></head>', 1)
    outcome = add_one(archive_dir, server.page("/", html))
    assert outcome.status == "failed"
    assert "teasers, not an article" in (outcome.error or "")
    assert not server.requests_for("/page/2/")


# -- teasers --------------------------------------------------------------------------------------


def serve_blogger(server: LocalServer) -> str:
    server.page(BLOGGER_POST, page_html("blogger_full_post.html"))
    return server.page(BLOGGER_LABEL, page_html("blogger_teaser_label.html"))


def test_blogger_teaser_archives_the_full_post(server: LocalServer, archive_dir: Path) -> None:
    outcome = add_one(archive_dir, serve_blogger(server))
    assert outcome.status == "written", outcome.error
    [path] = md_files(archive_dir)
    assert path.relative_to(archive_dir).as_posix() == (
        "127.0.0.1/2023/setting-wood-type-by-hand.md")
    front, body = frontmatter.split(path.read_text(encoding="utf-8"))
    assert front["original_url"] == server.url(BLOGGER_POST)
    assert BLOGGER_AFTER_JUMP in body
    assert "## Locking up" in body
    for chrome in ("Read more", "Popular Posts", "Mixing ink", "Show all posts"):
        assert chrome not in body
    # The teaser URL is an alias: adding it again updates the same file.
    again = add_one(archive_dir, server.url(BLOGGER_LABEL))
    assert (again.status, again.path) == ("unchanged", outcome.path)
    direct = add_one(archive_dir, server.url(BLOGGER_POST))
    assert (direct.status, direct.path) == ("unchanged", outcome.path)
    assert len(md_files(archive_dir)) == 1
    with Store(archive_dir) as store:
        entry = store.find(server.url(BLOGGER_LABEL))
        assert entry is not None
        assert entry.path == outcome.path
        # The full post's page is what was stored: rebuild redoes the same file.
        assert [o.status for o in rebuild(store)] == ["unchanged"]


def test_full_post_with_read_more_in_popular_posts_is_not_followed(
        server: LocalServer, archive_dir: Path) -> None:
    outcome = add_one(archive_dir, server.page(BLOGGER_POST, page_html("blogger_full_post.html")))
    assert outcome.status == "written", outcome.error
    assert [r.path for r in server.log] == [BLOGGER_POST]


def test_ghost_excerpt_converts_to_the_full_post(server: LocalServer) -> None:
    server.page(GHOST_POST, page_html("ghost_full_post.html"))
    text = convert_url(server.page(GHOST_TAG, page_html("ghost_tag_excerpt.html")))
    front, body = frontmatter.split(text)
    assert front["title"] == "Why we pinned every dependency"
    assert GHOST_AFTER_EXCERPT in body
    assert "## What we changed" in body
    for chrome in ("Read more", "Linters as documentation", "Sign up for more like this"):
        assert chrome not in body
    assert [r.path for r in server.log] == [GHOST_TAG, GHOST_POST]


def test_cli_add_teaser_whose_post_fails_is_one_clear_error(server: LocalServer,
                                                            archive_dir: Path) -> None:
    url = server.page(GHOST_TAG, page_html("ghost_tag_excerpt.html"))
    result = runner.invoke(app, ["add", url, "-a", str(archive_dir)])
    assert result.exit_code != 0
    assert result.stderr.strip().splitlines() == [
        f"vellum: {url}: a teaser of {server.url(GHOST_POST)}, which could not be fetched: "
        f"HTTP 404 Not Found"]
    assert md_files(archive_dir) == []


def test_teaser_linking_to_another_site_is_not_followed(server: LocalServer,
                                                        archive_dir: Path) -> None:
    # localhost and 127.0.0.1 reach the same server but are different sites.
    other = server.url(GHOST_POST, host="localhost")
    html = page_html("ghost_tag_excerpt.html").replace(
        f'class="read-more" href="{GHOST_POST}"', f'class="read-more" href="{other}"')
    server.page(GHOST_POST, page_html("ghost_full_post.html"))
    outcome = add_one(archive_dir, server.page(GHOST_TAG, html))
    assert outcome.status == "written", outcome.error
    assert [r.path for r in server.log] == [GHOST_TAG]


def test_teaser_link_back_to_itself_archives_the_page(server: LocalServer,
                                                      archive_dir: Path) -> None:
    server.redirect(GHOST_POST, GHOST_TAG)
    outcome = add_one(archive_dir, server.page(GHOST_TAG, page_html("ghost_tag_excerpt.html")))
    assert outcome.status == "written", outcome.error
    assert [r.path for r in server.log] == [GHOST_TAG, GHOST_POST, GHOST_TAG]


def test_page_of_several_teasers_is_no_article(server: LocalServer, archive_dir: Path) -> None:
    card = page_html("ghost_tag_excerpt.html").split('<article class="post-card', 1)[1].split(
        "</article>", 1)[0]
    second = card.replace(GHOST_POST, "/linters-as-documentation/").replace(
        "Why we pinned every dependency", "Linters as documentation")
    html = page_html("ghost_tag_excerpt.html").replace(
        "</article>", f'</article>\n<article class="post-card{second}</article>', 1)
    outcome = add_one(archive_dir, server.page(GHOST_TAG, html))
    assert outcome.status == "failed"
    assert outcome.error == f"{server.url(GHOST_TAG)}: a page of post teasers, not an article"
    assert [r.path for r in server.log] == [GHOST_TAG]


def test_import_follows_teasers_and_joins_pages(server: LocalServer, archive_dir: Path) -> None:
    serve_wordpress(server)
    teaser = serve_blogger(server)
    options = CrawlOptions(concurrency=4, per_host=2, delay=0.0, retries=0)
    with Store(archive_dir) as store:
        items = list(import_urls([server.url(WP), teaser], store, options=options, workers=1))
    assert isinstance(items[-1], ImportSummary)
    assert items[-1].written == 2
    outcomes = {o.url: o for o in items[:-1] if isinstance(o, Outcome)}
    wp = archive_dir / str(outcomes[server.url(WP)].path)
    blogger = archive_dir / str(outcomes[teaser].path)
    assert all(snippet in body_of(wp) for snippet in WP_PAGES)
    assert BLOGGER_AFTER_JUMP in body_of(blogger)
    assert blogger.name == "setting-wood-type-by-hand.md"


# -- feeds ----------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>
<rss version="2.0"><channel><title>Quiet Compiler</title><link>https://q.example/</link>
<item><title>Why we pinned every dependency</title><link>https://q.example/pins/</link></item>
</channel></rss>
"""


def test_add_on_a_feed_says_follow_it(server: LocalServer, archive_dir: Path) -> None:
    typed = server.page("/rss/", RSS, content_type="application/rss+xml; charset=utf-8")
    plain_xml = server.page("/feed.xml", RSS, content_type="text/xml")
    as_html = server.page("/feed/", RSS.replace('<?xml-stylesheet type="text/xsl" '
                                                'href="/feed.xsl"?>\n', ""))
    for url, kind in ((typed, "application/rss+xml"), (plain_xml, "text/xml"),
                      (as_html, "RSS/Atom XML")):
        outcome = add_one(archive_dir, url)
        assert outcome.status == "failed"
        assert outcome.error == (f"{url}: a feed ({kind}), not a post; to archive its posts, "
                                 f"follow it: vellum follow {url}")
    result = runner.invoke(app, ["add", typed, "-a", str(archive_dir)])
    assert result.exit_code != 0
    assert result.stderr.strip() == (f"vellum: {typed}: a feed (application/rss+xml), not a "
                                     f"post; to archive its posts, follow it: vellum follow "
                                     f"{typed}")


def test_other_xml_is_still_not_an_html_page(server: LocalServer, archive_dir: Path) -> None:
    url = server.page("/sitemap.xml", '<?xml version="1.0"?><urlset></urlset>',
                      content_type="application/xml")
    outcome = add_one(archive_dir, url)
    assert outcome.error == f"{url}: not an HTML page (content type application/xml)"


def test_refresh_refetches_every_page_of_a_split_post(server: LocalServer,
                                                      archive_dir: Path) -> None:
    serve_wordpress(server)
    add_one(archive_dir, server.url(WP))
    [path] = md_files(archive_dir)
    server.page(f"{WP}3/", page_html("multipage_wordpress_3.html").replace(
        "two punctures and one broken spoke", "three punctures and one broken spoke"))
    options = RefreshOptions(workers=0, crawl=CrawlOptions(delay=0.0, retries=0))
    with Store(archive_dir) as store:
        changes = list(refresh(store, options))
    assert [(c.status, c.path) for c in changes] == [
        ("updated", path.relative_to(archive_dir).as_posix())]
    body = body_of(path)
    assert "three punctures and one broken spoke" in body
    assert body.index(WP_PAGES[0]) < body.index(WP_PAGES[1]) < body.index(WP_PAGES[2])


def test_front_page_teaser_of_another_post_later_is_a_new_file(server: LocalServer,
                                                                archive_dir: Path) -> None:
    teaser = serve_blogger(server)
    first = add_one(archive_dir, teaser)
    [path] = md_files(archive_dir)
    kept = path.read_text(encoding="utf-8")
    other = "/2023/12/ink-drying.html"
    server.page(other, page_html("blogger_full_post.html").replace(
        BLOGGER_POST, other).replace("Setting wood type by hand", "How long ink takes to dry"))
    server.page(BLOGGER_LABEL, page_html("blogger_teaser_label.html").replace(
        BLOGGER_POST, other).replace("Setting wood type by hand", "How long ink takes to dry"))
    second = add_one(archive_dir, teaser)
    assert second.status == "written", second.error
    assert second.path != first.path
    assert path.read_text(encoding="utf-8") == kept
    assert len(md_files(archive_dir)) == 2
