"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a small handler function.

    server = Loopback()          # started on a free port, in a thread
    server.serve("/feed.xml", body, content_type="application/rss+xml", etag='"v1"')
    server.route("/slow", drip(b"<rss>", delay=1.0))
    url = server.url("/feed.xml")

Every request is counted in `server.hits[path]`, and the headers of the last request to each
path are kept in `server.last_headers[path]` (for conditional-GET assertions).
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[BaseHTTPRequestHandler], None]


class QuietServer(ThreadingHTTPServer):
    """A threaded server that says nothing when a client hangs up early (a client that gives
    up on a 401 or a deadline resets the connection: socketserver would print a traceback on
    stderr, which the tests read as the command's own)."""

    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Other errors as socketserver reports them."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Server(QuietServer):
    request_queue_size = 256


class Loopback:
    """A threaded HTTP/1.1 server on a free loopback port."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.last_headers: dict[str, dict[str, str]] = {}
        self.lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), self._handler_class())
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def serve(self, path: str, body: bytes, **kw: object) -> str:
        return self.route(path, static(body, **kw))  # type: ignore[arg-type]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with server.lock:
                    server.hits[path] += 1
                    server.last_headers[path] = {k.lower(): v for k, v in self.headers.items()}
                handler = server.routes.get(path)
                if handler is None:
                    send(self, 404, b"not found", "text/plain")
                else:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        handler(self)

        return H


def send(
    h: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str = "application/xml",
    headers: dict[str, str] | None = None,
) -> None:
    """Send a complete response with a correct Content-Length."""
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def static(
    body: bytes,
    *,
    content_type: str = "application/rss+xml",
    status: int = 200,
    etag: str | None = None,
    last_modified: str | None = None,
    gzip_it: bool = False,
    headers: dict[str, str] | None = None,
) -> Handler:
    """A fixed body; honours If-None-Match / If-Modified-Since when etag/last_modified set."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        extra = dict(headers or {})
        if etag:
            extra["ETag"] = etag
        if last_modified:
            extra["Last-Modified"] = last_modified
        inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
        if (etag and inm == etag) or (not etag and last_modified and ims == last_modified):
            h.send_response(304)
            for k, v in extra.items():
                h.send_header(k, v)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        data = body
        if gzip_it and "gzip" in (h.headers.get("Accept-Encoding") or ""):
            data = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        send(h, status, data, content_type, extra)

    return handle


def redirect(location: str, status: int = 301) -> Handler:
    """A redirect to `location`."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        send(h, status, b"", "text/plain", {"Location": location})

    return handle


def drip(body: bytes, delay: float, chunk: int = 1) -> Handler:
    """Send headers at once, then the body `chunk` bytes every `delay` seconds."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for i in range(0, len(body), chunk):
            h.wfile.write(body[i : i + chunk])
            h.wfile.flush()
            time.sleep(delay)

    return handle


def silence(seconds: float) -> Handler:
    """Accept the request and say nothing for `seconds`."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)

    return handle


def endless_chunked(piece: bytes = b"<item>x</item>" * 64) -> Handler:
    """A chunked body that never ends (until the client hangs up)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        head = b"<rss><channel>"
        try:
            h.wfile.write(f"{len(head):x}\r\n".encode() + head + b"\r\n")
            while True:
                h.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        except OSError:
            return

    return handle


def free_port() -> int:
    """A port nothing listens on (bound then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
