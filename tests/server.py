"""A real HTTP server on 127.0.0.1 for end-to-end tests.

Routes are registered per (host, path); the ``Host`` header picks the virtual
host, so one server can stand in for many sites. Every request is logged with
its timing so tests can assert politeness (concurrency, gaps) and counts.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Response:
    status: int = 200
    body: bytes | str | Iterable[bytes] = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a slow host)."""
    gzip: bool = False
    chunk_delay: float = 0.0
    """Seconds between body chunks when ``body`` is an iterable (a trickling host)."""


Handler = Callable[["Request"], Response]


@dataclass(frozen=True)
class Request:
    method: str
    host: str
    path: str
    headers: dict[str, str]
    started: float
    finished: float = 0.0


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up mid-response are normal here: never print a traceback.

    socketserver prints them to ``sys.stderr``, which a CliRunner test captures as
    if the command had written it.
    """

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class LocalServer:
    """Serve registered routes on 127.0.0.1 from a background thread."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Response | Handler] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self.active: dict[str, int] = {}
        self.max_active: dict[str, int] = {}
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_HEAD(self) -> None:
                server._serve(self, head=True)

            def do_GET(self) -> None:
                server._serve(self, head=False)

        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # -- set-up ---------------------------------------------------------------
    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, response: Response | Handler | str, host: str = "*") -> None:
        """Register ``response`` for ``path`` (``*`` host matches any virtual host)."""
        if isinstance(response, str):
            response = Response(body=response)
        self.routes[(host, path)] = response

    def page(self, path: str, html: str, host: str = "*", **kwargs: object) -> str:
        self.route(path, Response(body=html, **kwargs), host)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, target: str, status: int = 301, host: str = "*") -> str:
        self.route(path, Response(status=status, headers={"Location": target}), host)
        return self.url(path)

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    # -- serving --------------------------------------------------------------
    def _lookup(self, host: str, path: str) -> Response | Handler | None:
        # An exact route (query included) wins; else the route of the bare path.
        bare = path.split("?", 1)[0]
        for key in ((host, path), ("*", path), (host, bare), ("*", bare)):
            if key in self.routes:
                return self.routes[key]
        return None

    def _serve(self, h: BaseHTTPRequestHandler, head: bool) -> None:
        host = (h.headers.get("Host") or "").split(":")[0]
        started = time.monotonic()
        with self._lock:
            self.active[host] = self.active.get(host, 0) + 1
            self.max_active[host] = max(self.max_active.get(host, 0), self.active[host])
        request = Request(h.command, host, h.path, dict(h.headers.items()), started)
        try:
            found = self._lookup(host, h.path)
            if found is None:
                response = Response(status=404, body="<html><body>Not found</body></html>")
            elif callable(found):
                response = found(request)
            else:
                response = found
            self._write(h, response, head)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.active[host] -= 1
                self.log.append(
                    Request(request.method, host, h.path, request.headers, started,
                            time.monotonic())
                )

    @staticmethod
    def _write(h: BaseHTTPRequestHandler, response: Response, head: bool) -> None:
        if response.delay:
            time.sleep(response.delay)
        h.send_response(response.status)
        if response.content_type:
            h.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            h.send_header(name, value)
        body = response.body
        if isinstance(body, (bytes, str)):
            data = body.encode("utf-8") if isinstance(body, str) else body
            if response.gzip:
                data = gzip.compress(data)
                h.send_header("Content-Encoding", "gzip")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            if not head:
                h.wfile.write(data)
            return
        # An iterable body is streamed without Content-Length, closing the connection.
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        if head:
            return
        for chunk in body:
            h.wfile.write(chunk)
            h.wfile.flush()
            if response.chunk_delay:
                time.sleep(response.chunk_delay)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
