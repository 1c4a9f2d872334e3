"""Small generated pages for end-to-end tests (platform fixtures live in tests/pages/)."""

from __future__ import annotations

import html


def wordpress_post(
    title: str = "Tuning SQLite for write-heavy workloads",
    *,
    body: str | None = None,
    canonical: str | None = None,
    author: str = "Ada Example",
    published: str = "2024-05-17T09:30:00+00:00",
    extra_head: str = "",
) -> str:
    """A WordPress (Twenty Twenty-Four style) single-post page with its usual chrome."""
    body = body or (
        "<p>SQLite is fast when you let it batch writes. This post measures three ways of "
        "doing that, on a laptop and on a small server, and explains why the numbers move.</p>"
        "<h2 class=\"wp-block-heading\">Write-ahead logging</h2>"
        "<p>Turning on WAL mode lets readers and one writer proceed together, and it turns "
        "most random writes into sequential appends to the log file.</p>"
        "<pre class=\"wp-block-code\"><code class=\"language-sql\">PRAGMA journal_mode=WAL;\n"
        "PRAGMA synchronous=NORMAL;</code></pre>"
        "<p>With both settings the insert rate went from 900 to 41,000 rows per second, "
        "which is the single largest gain in this whole experiment.</p>"
    )
    canonical_tag = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    t, a = html.escape(title), html.escape(author)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>{t} &#8211; Example Engineering</title>
{canonical_tag}
<meta property="og:site_name" content="Example Engineering">
<meta property="og:title" content="{t}">
<meta name="description" content="How batching, WAL and pragmas change SQLite write speed.">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{a}">
{extra_head}
</head>
<body class="post-template-default single single-post">
<header class="wp-block-template-part site-header">
  <p class="wp-block-site-title"><a href="/">Example Engineering</a></p>
  <nav class="wp-block-navigation"><ul><li><a href="/about/">About us here</a></li>
  <li><a href="/archive/">Archive of posts</a></li></ul></nav>
</header>
<main class="wp-block-group site-main">
<article id="post-42" class="post-42 post type-post status-publish hentry">
  <h1 class="wp-block-post-title entry-title">{t}</h1>
  <div class="entry-meta">Posted on <time datetime="{published}">May 17, 2024</time>
    by <span class="author vcard"><a rel="author" href="/author/ada/">{a}</a></span></div>
  <div class="entry-content wp-block-post-content">
  {body}
  <div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
    <ul><li><a class="share-twitter" href="https://twitter.com/share">Share on X</a></li></ul></div>
  </div>
  <nav class="post-navigation"><a rel="prev" href="/older/">Previous post: Older thoughts</a></nav>
</article>
<section id="comments" class="comments-area"><h2 class="comments-title">3 thoughts on this</h2>
  <p>Great post, thanks for writing it up!</p></section>
</main>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">
  <h2 class="widget-title">Recent Posts</h2><ul><li><a href="/x/">Another sidebar link</a></li></ul>
</section></aside>
<footer class="wp-block-template-part site-footer"><p>Proudly powered by WordPress</p></footer>
</body>
</html>
"""
