"""A real HTTP/1.1 server on 127.0.0.1 for tests, with fault routes and a request log.

It binds port 0 and reports the port it got, serves each connection in a thread (keep-alive),
and logs every request with its arrival and completion times, so tests measure delays and
attempts from what the server saw rather than from wall-clock asserts.

Routes are data: a path maps to one or more ``Reply`` values, served in order (the last one
repeats), so "500 then success" is ``route_replies(path, Reply(500), Reply(200, body=...))``.
A ``Reply`` can also misbehave: wait before the first byte, stall mid-body, cut the body short,
or reset the connection. ``fault_routes()`` lists the usual faults, served under /fault/...
unless ``TestServer(with_faults=False)``.

    with TestServer() as server:
        server.route("/page", body="<p>hi</p>")
        url = server.url("/page")
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import gzip
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import brotli  # type: ignore[import-untyped]

__all__ = ["LoggedRequest", "Reply", "TestServer", "fault_routes", "http_date"]

_HTML = "text/html; charset=utf-8"
_IDLE_TIMEOUT = 10.0  # seconds an idle keep-alive connection is kept by the server
_BOMB_SIZE = 20 * 1024 * 1024  # decompressed size of the gzip/brotli bombs
_HUGE_SIZE = 3 * 1024 * 1024  # bytes of the huge bodies (tests use max_bytes of 1 MiB)
_FAULT_DELAY = 2.0  # seconds the slow and stalling routes wait (tests use timeouts < 1 s)


@dataclass(frozen=True)
class Reply:
    """One response, possibly misbehaving.

    Attributes:
        status: the status code.
        headers: extra headers; Content-Type defaults to HTML in UTF-8.
        body: the body (str is encoded as UTF-8).
        first_byte_delay: seconds to wait before sending anything.
        stall_after: send this many body bytes, then stall ``stall`` seconds.
        stall: see stall_after.
        truncate_to: announce the full Content-Length but send only this many bytes, then close.
        reset: abort the connection with a TCP reset instead of answering.
        chunked: send the body with chunked transfer encoding (no Content-Length).
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | str = b""
    first_byte_delay: float = 0.0
    stall_after: int | None = None
    stall: float = 0.0
    truncate_to: int | None = None
    reset: bool = False
    chunked: bool = False

    @property
    def data(self) -> bytes:
        """The body as bytes."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass
class LoggedRequest:
    """A request as the server saw it; times are time.monotonic() values."""

    method: str
    path: str
    headers: dict[str, str]
    started: float
    finished: float | None = None

    @property
    def host(self) -> str:
        """The Host header, without the port."""
        return self.headers.get("host", "").rsplit(":", 1)[0]


def http_date(seconds_from_now: float) -> str:
    """An HTTP date (for Retry-After, Last-Modified) this many seconds from now."""
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


def _page(title: str, size: int = 0) -> str:
    """A small HTML page, padded with paragraphs to about ``size`` bytes."""
    filler = "<p>" + "Lorem ipsum dolor sit amet. " * 8 + "</p>\n"
    body = filler * (size // len(filler) + 1) if size else filler
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


@functools.cache
def _bombs() -> tuple[bytes, bytes]:
    """gzip and brotli encodings of _BOMB_SIZE zero bytes (small on the wire, huge unpacked)."""
    zeros = bytes(_BOMB_SIZE)
    return gzip.compress(zeros, compresslevel=9), brotli.compress(zeros, quality=5)


def _redirects(prefix: str, hops: int, final: Reply) -> dict[str, tuple[Reply, ...]]:
    """prefix/0 -> prefix/1 -> ... -> prefix/hops, which answers ``final``."""
    routes: dict[str, tuple[Reply, ...]] = {
        f"{prefix}/{i}": (Reply(302, {"Location": f"{prefix}/{i + 1}"}),) for i in range(hops)
    }
    routes[f"{prefix}/{hops}"] = (final,)
    return routes


@functools.cache
def fault_routes() -> dict[str, tuple[Reply, ...]]:
    """The built-in fault routes, path -> replies in order (built once: the bombs take a moment)."""
    gzip_bomb, brotli_bomb = _bombs()
    ok = Reply(body=_page("ok"))
    return {
        "/fault/slow-first-byte": (Reply(body=_page("slow"), first_byte_delay=_FAULT_DELAY),),
        "/fault/stall-mid-body": (
            Reply(body=_page("stall", 4096), stall_after=512, stall=_FAULT_DELAY),
        ),
        "/fault/reset": (Reply(reset=True),),
        "/fault/truncated": (Reply(body=_page("cut", 4096), truncate_to=512),),
        "/fault/429-seconds": (Reply(429, {"Retry-After": "1"}), ok),
        "/fault/503-seconds": (Reply(503, {"Retry-After": "1"}), ok),
        "/fault/500-then-ok": (Reply(500), ok),
        "/fault/redirect-loop/a": (Reply(302, {"Location": "/fault/redirect-loop/b"}),),
        "/fault/redirect-loop/b": (Reply(301, {"Location": "/fault/redirect-loop/a"}),),
        "/fault/redirect-private": (
            Reply(302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
        ),
        "/fault/huge": (Reply(body=bytes(_HUGE_SIZE)),),
        "/fault/huge-chunked": (Reply(body=bytes(_HUGE_SIZE), chunked=True),),
        "/fault/gzip-bomb": (Reply(headers={"Content-Encoding": "gzip"}, body=gzip_bomb),),
        "/fault/brotli-bomb": (Reply(headers={"Content-Encoding": "br"}, body=brotli_bomb),),
        "/fault/wrong-charset": (Reply(body="<p>caf\xe9 cr\xe8me</p>".encode("cp1252")),),
        "/fault/missing-charset": (
            Reply(
                headers={"Content-Type": "text/html"},
                body=("<p>" + "Un caf\xe9, une cr\xe8me br\xfbl\xe9e. " * 20).encode("cp1252"),
            ),
        ),
        "/fault/binary-as-html": (Reply(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),),
        "/fault/pdf": (Reply(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.4"),),
        **_redirects("/fault/redirect-chain", 3, ok),
        **_redirects("/fault/redirect-chain-long", 12, ok),
    }


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the owning TestServer."""

    protocol_version = "HTTP/1.1"
    timeout = _IDLE_TIMEOUT
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.owner._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._closed(self.connection)

    def do_GET(self) -> None:
        self.server.owner._serve(self)

    do_HEAD = do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its TestServer and joins its threads on close."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, owner: TestServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet for dropped or reset connections (the fault tests cause them); loud otherwise."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class TestServer:
    """The test HTTP server; use as a context manager (or start()/stop())."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, *, with_faults: bool = True) -> None:
        self._routes: dict[str, tuple[Reply, ...]] = dict(fault_routes()) if with_faults else {}
        self._served: dict[str, int] = {}
        self._log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> TestServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server got from the OS."""
        assert self._server is not None, "start the server first"
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Bind 127.0.0.1:0 and serve in a background thread."""
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, wake stalled handlers, close every connection and join threads."""
        if self._server is None:
            return
        self._stop.set()
        self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """An http URL for ``path`` on this server, under the given host name."""
        return f"http://{host}:{self.port}{path}"

    def route(
        self,
        path: str,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        body: bytes | str = b"",
    ) -> str:
        """Serve (status, headers, body) at ``path``; returns the URL. HTML unless told."""
        self.route_replies(path, Reply(status, dict(headers or {}), body))
        return self.url(path)

    def route_replies(self, path: str, *replies: Reply) -> str:
        """Serve ``replies`` at ``path`` in order, repeating the last; returns the URL."""
        with self._lock:
            self._routes[path] = replies
            self._served[path] = 0
        return self.url(path)

    def requests(self, path: str | None = None) -> list[LoggedRequest]:
        """The log of requests so far (for ``path`` only, when given), oldest first."""
        with self._lock:
            return [r for r in self._log if path is None or r.path == path]

    def _opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        """Log the request, pick its reply and send it; client aborts are not errors."""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        entry = LoggedRequest(handler.command, handler.path, headers, time.monotonic())
        with self._lock:
            self._log.append(entry)
            reply = self._next_reply(handler.path.split("?", 1)[0])
        try:
            _send(handler, reply, self._stop)
        except OSError:
            handler.close_connection = True
        finally:
            entry.finished = time.monotonic()

    def _next_reply(self, path: str) -> Reply:
        """The reply due for ``path`` (caller holds the lock); 404 for unknown paths."""
        replies = self._routes.get(path)
        if not replies:
            return Reply(404, body=_page("not found"))
        served = self._served.get(path, 0)
        self._served[path] = served + 1
        return replies[min(served, len(replies) - 1)]


def _send(handler: BaseHTTPRequestHandler, reply: Reply, stop: threading.Event) -> None:
    """Write ``reply`` to the client, misbehaving as it says."""
    if reply.reset:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        return
    if reply.first_byte_delay and stop.wait(reply.first_byte_delay):
        return
    data = reply.data
    handler.send_response(reply.status)
    headers = {"Content-Type": _HTML, **reply.headers}
    if reply.chunked:
        headers["Transfer-Encoding"] = "chunked"
    else:
        headers.setdefault("Content-Length", str(len(data)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if handler.command == "HEAD":
        return
    for part in _body_parts(reply, data):
        if part is None:
            handler.wfile.flush()
            if stop.wait(reply.stall):
                return
            continue
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part) if reply.chunked else part)
    if reply.chunked:
        handler.wfile.write(b"0\r\n\r\n")
    if reply.truncate_to is not None:
        handler.close_connection = True


def _body_parts(reply: Reply, data: bytes, size: int = 65536) -> Iterator[bytes | None]:
    """The body in pieces; None marks where to stall. Truncation drops the rest."""
    if reply.truncate_to is not None:
        data = data[: reply.truncate_to]
    if reply.stall_after is not None:
        yield data[: reply.stall_after]
        yield None
        data = data[reply.stall_after :]
    for start in range(0, len(data), size):
        yield data[start : start + size]
