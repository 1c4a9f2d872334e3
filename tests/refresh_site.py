"""A live blog for refresh tests: a feed and posts on the loopback server, editable between
runs, answering conditional requests the way real servers do (ETag and Last-Modified).

It counts the full responses (200 with a body) apart from the 304s, so a test can
assert that an unchanged site cost nothing but conditional requests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.utils import format_datetime

from .server import LocalServer, Request, Response
from .sites import wordpress_post

BASE_DATE = "Fri, 17 May 2024 09:30:00 GMT"
LOGIN_WALL = """<!DOCTYPE html><html><head><title>Sign in &#8211; Example Engineering</title>
<meta property="og:site_name" content="Example Engineering"></head>
<body class="login"><main><article class="post"><h1 class="entry-title">Members only</h1>
<div class="entry-content"><p>Please log in to continue reading this post.</p>
<p><a href="/login/">Log in</a> or <a href="/join/">create a free account</a>.</p></div>
</article></main></body></html>"""


def paragraphs(topic: str, n: int = 4) -> str:
    return "".join(
        f"<p>Part {i} about {html.escape(topic)}: the measurements were repeated on a laptop "
        "and a small server, and the numbers moved for reasons this paragraph explains.</p>"
        for i in range(1, n + 1)
    )


@dataclass
class Post:
    slug: str
    title: str
    body: str
    published: str = "2024-05-17T09:30:00+00:00"
    categories: tuple[str, ...] = ("Databases",)
    status: int = 200
    html_override: str | None = None
    location: str | None = None

    def page(self) -> str:
        if self.html_override is not None:
            return self.html_override
        return wordpress_post(self.title, body=self.body, published=self.published)


@dataclass
class Blog:
    """One blog (a virtual host) with an RSS feed at /feed.xml."""

    server: LocalServer
    host: str = "127.0.0.1"
    title: str = "Example Engineering"
    subtitle: str = "Notes from the storage team"
    author: str = "Ada Example"
    feed_path: str = "/feed.xml"
    posts: list[Post] = field(default_factory=list)
    full: Counter[str] = field(default_factory=Counter)
    """Full (200) responses per path."""
    not_modified: Counter[str] = field(default_factory=Counter)
    delay: float = 0.0
    """Seconds each post page takes to answer (a slow host, for runs caught midway)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.server.route(self.feed_path, self._serve_feed, host=self.host)
        # A client closing an idle keep-alive connection is no error worth a traceback on
        # stderr, where it would land in the output of the command under test.
        self.server.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]

    def url(self, path: str = "/") -> str:
        return self.server.url(path, host=self.host)

    @property
    def feed_url(self) -> str:
        return self.url(self.feed_path)

    def post_url(self, slug: str) -> str:
        return self.url(f"/{slug}/")

    def add(self, slug: str, title: str, body: str | None = None, **kwargs: object) -> Post:
        post = Post(slug, title, body or paragraphs(title), **kwargs)  # type: ignore[arg-type]
        self.posts.append(post)
        self.server.route(f"/{slug}/", lambda r, p=post: self._serve_post(r, p), host=self.host)
        return post

    def get(self, slug: str) -> Post:
        return next(p for p in self.posts if p.slug == slug)

    @property
    def full_responses(self) -> int:
        return sum(self.full.values())

    def reset_counts(self) -> None:
        self.full.clear()
        self.not_modified.clear()

    # -- serving ---------------------------------------------------------------------
    def _serve_feed(self, request: Request) -> Response:
        return self._conditional(request, self.feed_xml(), "application/rss+xml; charset=utf-8")

    def _serve_post(self, request: Request, post: Post) -> Response:
        if post.location:
            return Response(status=301, headers={"Location": post.location})
        if post.status != 200:
            return Response(status=post.status, body="<html><body><h1>Not Found</h1></body></html>")
        response = self._conditional(request, post.page(), "text/html; charset=utf-8")
        response.delay = self.delay
        return response

    def _conditional(self, request: Request, body: str, content_type: str) -> Response:
        etag = '"' + hashlib.sha1(body.encode("utf-8")).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Last-Modified": BASE_DATE}
        with self.lock:
            if request.headers.get("If-None-Match") == etag:
                self.not_modified[request.path] += 1
                return Response(status=304, headers=headers, content_type="")
            self.full[request.path] += 1
        return Response(body=body, content_type=content_type, headers=headers)

    def feed_xml(self) -> str:
        items = "".join(self._item(p) for p in reversed(self.posts))
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{html.escape(self.title)}</title>
<link>{html.escape(self.url("/"))}</link>
<description>{html.escape(self.subtitle)}</description>
{items}
</channel>
</rss>"""

    def _item(self, post: Post) -> str:
        when = format_datetime(dt.datetime.fromisoformat(post.published))
        cats = "".join(f"<category>{html.escape(c)}</category>" for c in post.categories)
        return f"""<item>
<title>{html.escape(post.title)}</title>
<link>{html.escape(self.post_url(post.slug))}</link>
<guid isPermaLink="false">post-{post.slug}</guid>
<dc:creator>{html.escape(self.author)}</dc:creator>
<pubDate>{when}</pubDate>
{cats}
<content:encoded><![CDATA[{post.body}]]></content:encoded>
</item>"""
