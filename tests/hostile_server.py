"""A reusable local hostile HTTP server for tests (loopback only).

One ``ThreadingHTTPServer`` per address (127.0.0.1 … 127.0.0.4 by default, all on the SAME
port, so ``http://127.0.0.2:PORT/`` is a different *host* for politeness tests). It records
per-path hits, the arrival time and headers of every request, and the MAXIMUM number of
concurrent in-flight requests per Host.

Usage::

    from tests.hostile_server import HostileServer

    with HostileServer() as srv:
        srv.url("/feed")                      # http://127.0.0.1:PORT/feed
        srv.url("/slow?delay=0.3", host="127.0.0.2")
        srv.hits["/feed"], srv.max_in_flight("127.0.0.1"), srv.starts("127.0.0.1")

or as a fixture: ``from tests.hostile_server import hostile_server_fixture`` and assign it
(``hostile = hostile_server_fixture``) in a test module. ``never_accepting_port()`` gives a
port whose SYNs are dropped (listen backlog full), for connect timeouts.

Routes (query parameters in brackets):

=========================  ==============================================================
/feed [etag, lm]           RSS, ETag + Last-Modified; 304 on a matching validator
/article                   small HTML page; /article-noct the same without Content-Type
/html-as-feed              a Cloudflare-like challenge page (text/html)
/plain-feed                RSS served as text/plain
/image                     image/png bytes
/empty                     200 with an empty body
/slow [delay]              sleeps, then an RSS feed
/hang                      accepts and never answers
/trickle [every]           200 headers, then one byte every ``every`` s, forever
/big [size, cl, ct]        ``size`` bytes streamed lazily (cl=0 → chunked, no length)
/lying-length              Content-Length 1000, sends 10 bytes and closes
/close                     closes the connection without answering
/loop-a, /loop-b           302 to each other
/chain/N                   302 to /chain/N-1; /chain/0 is a feed
/redirect [to, code]       redirect to ``to`` (absolute or relative)
/status/CODE [retry_after] that status (e.g. /status/404, /status/500)
/flaky/KEY [fail, code, retry_after]  ``code`` for the first ``fail`` hits of KEY, then a feed
/gzip-bomb [mb]            gzip of ``mb`` MB of zeros, generated lazily
/encoded/ENC [kind]        feed body with Content-Encoding gzip | deflate | rawdeflate | br
/echo                      the request headers as text/plain lines
=========================  ==============================================================
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import brotli  # type: ignore[import-untyped]
import pytest

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>T</title>'
    b"<link>http://example.test/</link><description>d</description>"
    b"<item><title>Balacera en Reynosa</title><link>http://example.test/a</link>"
    b"<guid>a</guid></item></channel></rss>\n"
)
ARTICLE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Nota</title></head>"
    b"<body><article><p>Enfrentamiento armado en la frontera.</p></article></body></html>"
)
CHALLENGE = (
    b"<!DOCTYPE html><html lang='en-US'><head><title>Just a moment...</title></head>"
    b"<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>"
)
LAST_MODIFIED = "Tue, 24 Nov 2026 10:00:00 GMT"
DEFAULT_HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")


def _gzip_zeros(total: int, block: int = 1 << 20) -> Iterator[bytes]:
    """A valid gzip stream of ``total`` zero bytes, produced lazily (~1 KB per MB)."""
    zeros = bytes(block)
    yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)  # independent of history
    crc = zlib.crc32(zeros)
    yield piece
    sent = block
    while sent + block <= total:
        yield piece
        crc = zlib.crc32(zeros, crc)
        sent += block
    yield zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    yield struct.pack("<II", crc & 0xFFFFFFFF, sent & 0xFFFFFFFF)


class HostileServer:
    def __init__(self, hosts: tuple[str, ...] = DEFAULT_HOSTS) -> None:
        self.hosts = hosts
        self.port = 0
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self._in_flight: Counter[str] = Counter()
        self._max_in_flight: Counter[str] = Counter()
        self._total_in_flight = 0
        self.max_total_in_flight = 0
        self._starts: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self.last_headers: dict[str, dict[str, str]] = {}
        self._stop = threading.Event()

    # ------------------------------------------------------------ lifecycle

    def start(self) -> HostileServer:
        handler = _make_handler(self)
        for _ in range(20):
            servers: list[ThreadingHTTPServer] = []
            try:
                port = 0
                for h in self.hosts:
                    srv = ThreadingHTTPServer((h, port), handler)
                    srv.daemon_threads = True
                    srv.block_on_close = False
                    port = srv.server_address[1]
                    servers.append(srv)
                self.port = port
                self._servers = servers
                break
            except OSError:
                for s in servers:
                    s.server_close()
        else:  # pragma: no cover
            raise RuntimeError("could not bind the hostile server on one port for all hosts")
        for host, srv in zip(self.hosts, self._servers, strict=True):
            t = threading.Thread(
                target=srv.serve_forever,
                kwargs={"poll_interval": 0.05},
                daemon=True,
                name=f"hostile-{host}",
            )
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stop.set()
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
        for t in self._threads:
            t.join(timeout=5)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------ helpers

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def reset(self) -> None:
        with self._lock:
            self.hits.clear()
            self._max_in_flight.clear()
            self.max_total_in_flight = 0
            self._starts.clear()
            self.last_headers.clear()

    def max_in_flight(self, host: str) -> int:
        with self._lock:
            return self._max_in_flight[host]

    def starts(self, host: str, path_prefix: str = "") -> list[float]:
        """Monotonic arrival times of requests to ``host`` (optionally only some paths)."""
        with self._lock:
            return [t for t, p in self._starts[host] if p.startswith(path_prefix)]

    # called by the handler
    def _enter(self, host: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.hits[path] += 1
            self._starts[host].append((time.monotonic(), path))
            self.last_headers[path] = headers
            self._in_flight[host] += 1
            self._max_in_flight[host] = max(self._max_in_flight[host], self._in_flight[host])
            self._total_in_flight += 1
            self.max_total_in_flight = max(self.max_total_in_flight, self._total_in_flight)

    def _leave(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] -= 1
            self._total_in_flight -= 1


def never_accepting_port(host: str = "127.0.0.1") -> tuple[socket.socket, list[socket.socket]]:
    """A listening socket that never accepts, its backlog filled: new SYNs are dropped so a
    connect() hangs until the client's connect timeout. Close all returned sockets after."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(0)
    fillers: list[socket.socket] = []
    for _ in range(8):  # backlog 0 holds 1-2 connections on Linux; fill it
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect(srv.getsockname())
        except BlockingIOError:
            pass
        fillers.append(c)
    time.sleep(0.05)
    return srv, fillers


def _make_handler(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    flaky: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        # ------------------------------------------------ plumbing

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            parts = urlsplit(self.path)
            q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            server._enter(host, parts.path, {k.lower(): v for k, v in self.headers.items()})
            try:
                self.route(parts.path, q)
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                self.close_connection = True
            finally:
                server._leave(host)

        def send(
            self,
            status: int,
            body: bytes = b"",
            ctype: str | None = None,
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def stream(
            self,
            chunks: Iterator[bytes],
            ctype: str,
            length: int | None,
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if length is not None:
                self.send_header("Content-Length", str(length))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for c in chunks:
                if server._stop.is_set():
                    return
                if length is None:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(c), c))
                else:
                    self.wfile.write(c)
            if length is None:
                self.wfile.write(b"0\r\n\r\n")

        # ------------------------------------------------ routes

        def route(self, path: str, q: dict[str, str]) -> None:  # noqa: C901
            if path == "/feed":
                etag = q.get("etag", '"v1"')
                lm = q.get("lm", LAST_MODIFIED)
                hdr = {"ETag": etag, "Last-Modified": lm}
                if self.headers.get("If-None-Match") == etag or (
                    "If-None-Match" not in self.headers
                    and self.headers.get("If-Modified-Since") == lm
                ):
                    self.send_response(304)
                    for k, v in hdr.items():
                        self.send_header(k, v)
                    self.end_headers()
                    return
                self.send(200, FEED, "application/rss+xml; charset=utf-8", hdr)
            elif path == "/article":
                self.send(200, ARTICLE, "text/html; charset=utf-8")
            elif path == "/article-noct":
                self.send(200, ARTICLE)
            elif path == "/html-as-feed":
                self.send(
                    200,
                    CHALLENGE,
                    "text/html; charset=UTF-8",
                    {"Server": "cloudflare", "cf-mitigated": "challenge"},
                )
            elif path == "/plain-feed":
                self.send(200, b"\xef\xbb\xbf\n  " + FEED, "text/plain")
            elif path == "/image":
                self.send(200, b"\x89PNG\r\n\x1a\n" + bytes(1000), "image/png")
            elif path == "/empty":
                self.send(200, b"", "application/rss+xml")
            elif path == "/echo":
                body = "".join(f"{k}: {v}\n" for k, v in self.headers.items()).encode()
                self.send(200, body, "text/plain")
            elif path == "/slow":
                time.sleep(float(q.get("delay", "0.3")))
                self.send(200, FEED, "application/rss+xml")
            elif path == "/hang":
                server._stop.wait(float(q.get("for", "60")))
                self.close_connection = True
            elif path == "/trickle":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", "1000000")
                self.end_headers()
                self.wfile.write(b"<")
                every = float(q.get("every", "0.2"))
                while not server._stop.wait(every):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif path == "/big":
                size = int(q.get("size", str(50 * 2**20)))
                with_cl = q.get("cl", "1") == "1"
                block = b"<" + b"x" * (64 * 1024 - 1)

                def gen() -> Iterator[bytes]:
                    left = size
                    while left > 0:
                        yield block[: min(left, len(block))]
                        left -= len(block)

                self.stream(gen(), q.get("ct", "application/rss+xml"), size if with_cl else None)
                self.close_connection = True
            elif path == "/lying-length":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(FEED[:10])
                self.close_connection = True
            elif path == "/close":
                self.close_connection = True
            elif path in ("/loop-a", "/loop-b"):
                other = "/loop-b" if path == "/loop-a" else "/loop-a"
                self.send(302, b"", None, {"Location": other})
            elif path.startswith("/chain/"):
                n = int(path.rsplit("/", 1)[1])
                if n <= 0:
                    self.send(200, FEED, "application/rss+xml")
                else:
                    self.send(301, b"", None, {"Location": f"/chain/{n - 1}"})
            elif path == "/redirect":
                self.send(int(q.get("code", "302")), b"", None, {"Location": q.get("to", "/")})
            elif path.startswith("/status/"):
                code = int(path.rsplit("/", 1)[1])
                hdr = {"Retry-After": q["retry_after"]} if "retry_after" in q else {}
                self.send(code, b"<html>error</html>", "text/html", hdr)
            elif path.startswith("/flaky/"):
                key = path.rsplit("/", 1)[1]
                with server._lock:
                    flaky[key] += 1
                    n = flaky[key]
                if n <= int(q.get("fail", "1")):
                    hdr = {"Retry-After": q["retry_after"]} if "retry_after" in q else {}
                    self.send(int(q.get("code", "500")), b"busy", "text/plain", hdr)
                else:
                    self.send(200, FEED, "application/rss+xml")
            elif path == "/gzip-bomb":
                total = int(q.get("mb", "1024")) * 2**20
                self.stream(
                    _gzip_zeros(total), "application/rss+xml", None, {"Content-Encoding": "gzip"}
                )
                self.close_connection = True
            elif path.startswith("/encoded/"):
                enc = path.rsplit("/", 1)[1]
                body = ARTICLE if q.get("kind") == "article" else FEED
                if enc == "gzip":
                    c = zlib.compressobj(6, zlib.DEFLATED, 31)
                    data, name = c.compress(body) + c.flush(), "gzip"
                elif enc == "deflate":
                    data, name = zlib.compress(body), "deflate"
                elif enc == "rawdeflate":
                    c = zlib.compressobj(6, zlib.DEFLATED, -15)
                    data, name = c.compress(body) + c.flush(), "deflate"
                elif enc == "br":
                    data, name = brotli.compress(body), "br"
                else:
                    data, name = body, enc
                ctype = "text/html" if q.get("kind") == "article" else "application/rss+xml"
                self.send(200, data, ctype, {"Content-Encoding": name})
            else:
                self.send(404, b"not found", "text/plain")

    return Handler


@pytest.fixture(scope="module")
def hostile_server_fixture() -> Iterator[HostileServer]:
    """Module-scoped HostileServer; bind it in a test module: ``hostile = ...fixture``."""
    with HostileServer() as srv:
        yield srv
