"""fetch: one page over HTTP(S) — unit tests on a mock transport, then the loopback server."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest
import respx

from vellum.errors import ContentTypeError, FetchError, HTTPStatusError, InputError, TooLargeError
from vellum.fetch import FetchOptions, decode_html, fetch, make_client

from .server import LocalServer, Request, Response

FRENCH = (
    "<html><head><title>Un café</title></head><body><p>Le café était très bon — naïve "
    "“quotes” et déjà vu, à côté de l’église.</p></body></html>"
)
HTML = "<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello</p></body></html>"


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return make_client(transport=httpx.MockTransport(handler))


def serve(response: httpx.Response) -> httpx.Client:
    return mock_client(lambda request: response)


def html_response(body: bytes | str = HTML, content_type: str | None = "text/html",
                  **kwargs: object) -> httpx.Response:
    headers = {"Content-Type": content_type} if content_type else {}
    data = body.encode("utf-8") if isinstance(body, str) else body
    return httpx.Response(200, headers=headers, content=data, **kwargs)  # type: ignore[arg-type]


# -- charset cascade ----------------------------------------------------------------------


def test_header_charset_wins_over_meta() -> None:
    body = '<meta charset="shift_jis"><p>ĉu</p>'.encode()
    assert decode_html(body, "text/html; charset=UTF-8") == ('<meta charset="shift_jis"><p>ĉu</p>',
                                                             "utf-8")


def test_windows_1252_page_without_any_declaration() -> None:
    text, encoding = decode_html(FRENCH.encode("cp1252"), "text/html")
    assert text == FRENCH
    assert encoding == "cp1252"


def test_undeclared_cyrillic_and_japanese_are_detected() -> None:
    russian = "<p>Привет, как дела? Это тест кодировки для русского текста.</p>"
    japanese = "<p>日本語のテキストです。文字コードの判定テスト。</p>"
    assert decode_html(russian.encode("cp1251"), None)[0] == russian
    assert decode_html(japanese.encode("shift_jis"), "text/html")[0] == japanese


def test_meta_http_equiv_charset() -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1252"></head><body>“Ça va” — oui</body></html>')
    assert decode_html(html.encode("cp1252"), "text/html") == (html, "cp1252")


def test_meta_charset_attribute() -> None:
    html = "<html><head><meta charset='koi8-r'></head><body>Привет мир</body></html>"
    assert decode_html(html.encode("koi8-r"), "text/html") == (html, "koi8-r")


def test_meta_beyond_prescan_window_is_ignored() -> None:
    html = "<!--" + "x" * 5000 + '--><meta charset="koi8-r"><p>ok</p>'
    assert decode_html(html.encode("ascii"), "text/html")[1] == "utf-8"


def test_latin1_label_means_windows_1252() -> None:
    assert decode_html(b"<p>\x93quoted\x94</p>", "text/html; charset=ISO-8859-1") == (
        "<p>“quoted”</p>", "cp1252")


def test_bogus_charset_names_fall_through() -> None:
    html = '<meta charset="no-such-charset"><p>caf\xe9 \x93ok\x94</p>'.encode("latin-1")
    text, encoding = decode_html(html, "text/html; charset=x-bogus")
    assert "café “ok”" in text
    assert encoding == "cp1252"
    # A bytes-to-bytes codec name is no text encoding either.
    assert decode_html(b"<p>hi</p>", "text/html; charset=base64") == ("<p>hi</p>", "utf-8")


def test_utf7_is_refused() -> None:
    assert decode_html(b"<p>+ADw-script+AD4-</p>", "text/html; charset=utf-7")[1] == "utf-8"


def test_bom_beats_header() -> None:
    body = "\ufeff<p>naïve</p>".encode()
    assert decode_html(body, "text/html; charset=iso-8859-1") == ("<p>naïve</p>", "utf-8")
    utf16 = "\ufeff<p>日本</p>".encode("utf-16-le")
    assert decode_html(utf16, None) == ("<p>日本</p>", "utf-16-le")


def test_stray_bad_byte_in_utf8_page_keeps_utf8() -> None:
    body = "<p>Crème brûlée, déjà vu, naïve</p>".encode() + b"\xff<p>end</p>"
    text, encoding = decode_html(body, "text/html; charset=utf-8")
    assert encoding == "utf-8"
    assert text == "<p>Crème brûlée, déjà vu, naïve</p>\ufffd<p>end</p>"


def test_page_mislabelled_utf8_falls_through_to_meta() -> None:
    html = '<meta charset="windows-1252"><p>caf\xe9 cr\xe8me</p>'
    assert decode_html(html.encode("latin-1"), "text/html; charset=utf-8") == (
        '<meta charset="windows-1252"><p>café crème</p>', "cp1252")


@pytest.mark.parametrize("body", [
    b"\xff\xfe\xfd\x80\x81\x00\x8d<p>\xc3</p>", bytes(range(256)) * 4, b"", b"\x00" * 100,
])
def test_bad_bytes_never_crash(body: bytes) -> None:
    for content_type in (None, "text/html", "text/html; charset=utf-8", "text/html; charset=zz"):
        text, encoding = decode_html(body, content_type)
        assert isinstance(text, str)
        assert encoding


# -- requests and responses (mock transport) ------------------------------------------------


def test_fetch_returns_decoded_page_with_validators() -> None:
    client = serve(httpx.Response(200, content=FRENCH.encode("cp1252"), headers={
        "Content-Type": "text/html; charset=windows-1252", "ETag": '"abc"',
        "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    page = fetch("https://example.com/post", client=client)
    assert page.html == FRENCH
    assert (page.status, page.encoding, page.content_type) == (200, "cp1252", "text/html")
    assert (page.etag, page.last_modified) == ('"abc"', "Wed, 21 Oct 2015 07:28:00 GMT")
    assert page.final_url == page.url == "https://example.com/post"
    assert page.redirects == ()


def test_request_headers_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return html_response()

    options = FetchOptions(user_agent="test-agent/1.0")
    fetch("https://example.com/", client=mock_client(handler), options=options)
    headers = seen[0].headers
    assert headers["User-Agent"] == "test-agent/1.0"
    assert headers["Accept-Encoding"] == "gzip, deflate, br"
    assert headers["Accept"].startswith("text/html,")
    assert "If-None-Match" not in headers
    assert "If-Modified-Since" not in headers


def test_default_user_agent_names_vellum() -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.get("https://example.com/a").respond(
            200, html=HTML)
        fetch("https://example.com/a")
    assert route.calls.last.request.headers["User-Agent"].startswith("vellum/")


def test_conditional_headers_sent_and_304_is_not_an_error() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(304)

    page = fetch("https://example.com/", client=mock_client(handler), etag='W/"v1"',
                 last_modified="Wed, 21 Oct 2015 07:28:00 GMT")
    assert seen[0].headers["If-None-Match"] == 'W/"v1"'
    assert seen[0].headers["If-Modified-Since"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert page.status == 304
    assert page.not_modified
    assert page.html == ""
    # The validators we sent stay valid when the 304 omits them.
    assert (page.etag, page.last_modified) == ('W/"v1"', "Wed, 21 Oct 2015 07:28:00 GMT")


def redirect_chain(hops: dict[str, tuple[int, str]]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = hops.get(str(request.url))
        if hop:
            return httpx.Response(hop[0], headers={"Location": hop[1]})
        return html_response()
    return mock_client(handler)


def test_redirect_chain_is_recorded_with_absolute_locations() -> None:
    client = redirect_chain({
        "http://example.com/a": (301, "https://example.com/a"),
        "https://example.com/a": (302, "/b?x=1"),
        "https://example.com/b?x=1": (308, "../c"),
    })
    page = fetch("http://example.com/a", client=client)
    assert page.url == "http://example.com/a"
    assert page.final_url == "https://example.com/c"
    assert page.redirects == ((301, "https://example.com/a"), (302, "https://example.com/b?x=1"),
                              (308, "https://example.com/c"))
    assert not page.permanently_moved


@pytest.mark.parametrize("target", ["ftp://example.com/file", "javascript:alert(1)",
                                    "file:///etc/passwd", "data:text/html,<p>x</p>",
                                    "http://exa mple.com/", "https://example.com:99999/"])
def test_redirect_to_other_scheme_refused(target: str) -> None:
    client = redirect_chain({"https://example.com/": (302, target)})
    with pytest.raises(FetchError, match="not an http\\(s\\) URL|invalid URL") as info:
        fetch("https://example.com/", client=client)
    assert info.value.subject == "https://example.com/"


def chain_of(length: int) -> httpx.Client:
    return redirect_chain({f"https://example.com/{i}": (301, f"/{i + 1}") for i in range(length)})


def test_ten_redirects_allowed_eleven_refused() -> None:
    assert fetch("https://example.com/0", client=chain_of(10)).final_url == "https://example.com/10"
    with pytest.raises(FetchError, match="too many redirects") as info:
        fetch("https://example.com/0", client=chain_of(11))
    assert info.value.subject == "https://example.com/0"
    with pytest.raises(FetchError, match="too many redirects"):
        fetch("https://example.com/0", client=chain_of(3), options=FetchOptions(max_redirects=2))


def test_redirect_without_location() -> None:
    with pytest.raises(FetchError, match="without a Location"):
        fetch("https://example.com/", client=serve(httpx.Response(302)))


@pytest.mark.parametrize("url", ["ftp://example.com/", "javascript:alert(1)", "/relative",
                                 "http://", "not a url", "http://example.com:99999/"])
def test_bad_input_urls_are_input_errors(url: str) -> None:
    with pytest.raises(InputError):
        fetch(url, client=serve(html_response()))


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8",
                                          "application/xhtml+xml", "TEXT/HTML"])
def test_html_content_types_accepted(content_type: str) -> None:
    page = fetch("https://example.com/", client=serve(html_response(HTML, content_type)))
    assert page.html == HTML


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json",
                                          "text/plain; charset=utf-8"])
def test_other_content_types_refused(content_type: str) -> None:
    with pytest.raises(ContentTypeError) as info:
        fetch("https://example.com/", client=serve(html_response(HTML, content_type)))
    assert info.value.content_type == content_type.split(";")[0]
    assert content_type.split(";")[0] in str(info.value)


@pytest.mark.parametrize("body", [HTML, "\n  <html><body>x</body></html>", "<!-- c --><p>x</p>",
                                  "\ufeff<html>x</html>"])
def test_missing_content_type_sniffs_html(body: str) -> None:
    page = fetch("https://example.com/", client=serve(html_response(body, None)))
    assert page.content_type == "text/html"
    assert "x" in page.html or "Hello" in page.html


@pytest.mark.parametrize("body", [b"%PDF-1.7\n...", b'{"a": 1}', b"\x89PNG\r\n", b"<htmlfoo>",
                                  b"plain text"])
def test_missing_content_type_non_html_refused(body: bytes) -> None:
    with pytest.raises(ContentTypeError, match="content type missing"):
        fetch("https://example.com/", client=serve(html_response(body, None)))


def test_error_status_raises_with_reason_phrase() -> None:
    with pytest.raises(HTTPStatusError) as info:
        fetch("https://example.com/x", client=serve(httpx.Response(503)))
    assert info.value.status == 503
    assert str(info.value) == "https://example.com/x: HTTP 503 Service Unavailable"


def test_declared_length_over_cap_refused_before_reading() -> None:
    def endless() -> Iterator[bytes]:
        raise AssertionError("the body must not be read")
        yield b""

    response = httpx.Response(200, headers={"Content-Type": "text/html",
                                            "Content-Length": "5000"}, content=endless())
    with pytest.raises(TooLargeError):
        fetch("https://example.com/", client=serve(response), options=FetchOptions(max_bytes=1000))


def test_endless_body_is_cut_off_while_streaming() -> None:
    produced = itertools.count()

    def endless() -> Iterator[bytes]:
        for _ in produced:
            yield b"<p>" + b"x" * 1021

    response = httpx.Response(200, headers={"Content-Type": "text/html"}, content=endless())
    with pytest.raises(TooLargeError) as info:
        fetch("https://example.com/", client=serve(response),
              options=FetchOptions(max_bytes=10_000))
    assert info.value.limit == 10_000
    assert next(produced) < 20  # stopped right after the cap, not at the end of the stream


def test_body_at_exactly_the_cap_is_accepted() -> None:
    body = HTML + " " * (1000 - len(HTML))
    page = fetch("https://example.com/", client=serve(html_response(body)),
                 options=FetchOptions(max_bytes=1000))
    assert page.html == body


@pytest.mark.parametrize(("error", "reason"), [
    (httpx.ConnectTimeout("timed out"), "connection timed out after 10 s"),
    (httpx.ReadTimeout("timed out"), "timed out after 30 s"),
    (httpx.ConnectError("[Errno 111] Connection refused"), "connection refused"),
    (httpx.ConnectError("[Errno -2] Name or service not known"), "host not found"),
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
     "TLS certificate verification failed"),
    (httpx.RemoteProtocolError("Server disconnected"), "connection broken (Server disconnected)"),
    (httpx.DecodingError("bad gzip"), "could not decode the compressed body (bad gzip)"),
])
def test_transport_errors_become_fetch_errors(error: Exception, reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(FetchError) as info:
        fetch("https://example.com/", client=mock_client(handler))
    assert type(info.value) is FetchError
    assert info.value.reason == reason
    assert info.value.__cause__ is error


def test_bad_gzip_body_is_a_fetch_error() -> None:
    response = httpx.Response(200, content=iter([b"not gzip at all"]),
                              headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="could not decode"):
        fetch("https://example.com/", client=serve(response))


def test_given_client_is_not_closed() -> None:
    client = serve(html_response())
    fetch("https://example.com/", client=client)
    assert not client.is_closed


# -- end to end against the loopback server ---------------------------------------------------


def recording(response: Response, seen: list[Request]) -> Callable[[Request], Response]:
    """A route handler that remembers its requests (the server log lags the response)."""
    def handler(request: Request) -> Response:
        seen.append(request)
        return response
    return handler


def test_e2e_page_and_redirect(server: LocalServer) -> None:
    seen: list[Request] = []
    server.route("/new", recording(Response(body=HTML, headers={"ETag": '"e1"'}), seen))
    old = server.redirect("/old", "/new", status=301)
    page = fetch(old)
    assert page.html == HTML
    assert page.final_url == server.url("/new")
    assert page.redirects == ((301, server.url("/new")),)
    assert page.permanently_moved
    assert page.etag == '"e1"'
    assert seen[0].headers["User-Agent"].startswith("vellum/")


def test_e2e_404(server: LocalServer) -> None:
    with pytest.raises(HTTPStatusError) as info:
        fetch(server.url("/missing"))
    assert info.value.status == 404
    assert "HTTP 404 Not Found" in str(info.value)


def test_e2e_redirect_to_404_names_final_url(server: LocalServer) -> None:
    url = server.redirect("/old", "/gone", status=302)
    with pytest.raises(HTTPStatusError, match="at http://127.0.0.1:\\d+/gone$"):
        fetch(url)


def test_e2e_pdf_refused(server: LocalServer) -> None:
    server.route("/paper.pdf", Response(body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
                                        content_type="application/pdf"))
    with pytest.raises(ContentTypeError) as info:
        fetch(server.url("/paper.pdf"))
    assert info.value.content_type == "application/pdf"


def test_e2e_oversized_with_content_length(server: LocalServer) -> None:
    url = server.page("/big", "<p>" + "x" * 5000 + "</p>")
    with pytest.raises(TooLargeError):
        fetch(url, options=FetchOptions(max_bytes=1000))


def test_e2e_oversized_streamed_without_content_length(server: LocalServer) -> None:
    server.route("/endless", Response(body=itertools.repeat(b"<p>" + b"x" * 4093)))
    with pytest.raises(TooLargeError):
        fetch(server.url("/endless"), options=FetchOptions(max_bytes=100_000))


def test_e2e_streamed_body_under_cap(server: LocalServer) -> None:
    server.route("/chunks", Response(body=[b"<html><body>", b"<p>one</p>", b"<p>two</p>",
                                           b"</body></html>"], chunk_delay=0.01))
    page = fetch(server.url("/chunks"))
    assert page.html == "<html><body><p>one</p><p>two</p></body></html>"


def test_e2e_slow_response_times_out(server: LocalServer) -> None:
    url = server.page("/slow", HTML, delay=1.0)
    with pytest.raises(FetchError, match="timed out after 0.2 s"):
        fetch(url, options=FetchOptions(read_timeout=0.2))


def test_e2e_gzip_body(server: LocalServer) -> None:
    # The server compresses whatever was asked; plain text in page.html proves decoding.
    seen: list[Request] = []
    server.route("/gz", recording(Response(body=FRENCH, gzip=True), seen))
    page = fetch(server.url("/gz"))
    assert page.html == FRENCH
    assert seen[0].headers["Accept-Encoding"] == "gzip, deflate, br"


def test_e2e_truncated_response(server: LocalServer) -> None:
    # Promises 100 000 bytes, sends a few and closes the connection.
    server.route("/cut", Response(body=[b"<html><body><p>partial"],
                                  headers={"Content-Length": "100000"}))
    with pytest.raises(FetchError, match="connection broken"):
        fetch(server.url("/cut"))


def test_e2e_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        fetch(f"http://127.0.0.1:{port}/")


def test_e2e_conditional_get(server: LocalServer) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v2"':
            return Response(status=304, content_type="", headers={"ETag": '"v2"'})
        return Response(body=HTML, headers={"ETag": '"v2"'})

    server.route("/post", handler)
    first = fetch(server.url("/post"))
    again = fetch(server.url("/post"), etag=first.etag)
    assert (first.status, first.etag) == (200, '"v2"')
    assert (again.status, again.html, again.etag) == (304, "", '"v2"')
