from __future__ import annotations

import pytest

from vellum.errors import InputError
from vellum.urls import check_url, host_dir, make_slug, strip_tracking, url_key


@pytest.mark.parametrize(
    "variant",
    [
        "https://blog.example.com/2024/05/post/",
        "http://blog.example.com/2024/05/post",
        "https://www.blog.example.com/2024/05/post/",
        "https://BLOG.example.com:443/2024/05/post/#comments",
        "https://blog.example.com/2024/05/post/?utm_source=rss&utm_medium=feed",
        "https://blog.example.com/2024//05/post/index.html",
        "https://blog.example.com/2024/05/post/?fbclid=abc",
    ],
)
def test_url_key_ignores_what_does_not_identify_the_post(variant: str) -> None:
    assert url_key(variant) == "blog.example.com/2024/05/post"


def test_url_key_keeps_meaningful_query_sorted() -> None:
    assert url_key("https://e.com/view?p=2&id=9&utm_campaign=x") == "e.com/view?id=9&p=2"
    assert url_key("https://e.com/view?id=9") != url_key("https://e.com/view?id=10")


def test_url_key_keeps_non_default_port() -> None:
    assert url_key("http://127.0.0.1:8080/a") == "127.0.0.1:8080/a"


def test_strip_tracking() -> None:
    got = strip_tracking("https://e.com/a?utm_source=x&page=2#frag")
    assert got == "https://e.com/a?page=2"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/file", "unsupported scheme 'ftp'"),
        ("javascript:alert(1)", "unsupported scheme 'javascript'"),
        ("example.com/post", "not an absolute URL"),
        ("https:///nohost", "URL has no host"),
        ("https://exa mple.com/", "whitespace"),
    ],
)
def test_check_url_rejects_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as info:
        check_url(url)
    assert str(info.value).startswith(url.strip())


def test_check_url_trims() -> None:
    assert check_url("  https://example.com/a \n") == "https://example.com/a"


@pytest.mark.parametrize(
    ("title", "url", "slug"),
    [
        ("2024 Career Reflections", None, "2024-career-reflections"),
        ("Ünïcödé: café & crème brûlée", None, "unicode-cafe-creme-brulee"),
        ("../../etc/passwd", None, "etc-passwd"),
        ("a/b\\c", None, "a-b-c"),
        ("", "https://e.com/2024/05/my-post.html", "my-post"),
        ("", "https://e.com/", "post"),
        ("🎉🎉", "https://e.com/../..", "post"),
        ("\x00\x01", None, "post"),
    ],
)
def test_make_slug_is_always_a_safe_file_name(title: str, url: str | None, slug: str) -> None:
    assert make_slug(title, url) == slug


def test_make_slug_is_capped_on_a_word_boundary() -> None:
    slug = make_slug("word " * 60)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.endswith("word")


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("https://www.Example.COM/a", "example.com"),
        ("http://127.0.0.1:8080/a", "127.0.0.1"),
        ("https://xn--bcher-kva.example/", "xn--bcher-kva.example"),
        ("https://../", "unknown-host"),
    ],
)
def test_host_dir(url: str, folder: str) -> None:
    assert host_dir(url) == folder
