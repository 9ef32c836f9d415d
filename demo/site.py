"""An offline news site for demos and tests: five fictional border-news outlets on loopback.

Standard library only (``http.server.ThreadingHTTPServer`` in a background thread). The
articles are the fixture files under ``demo/content/<outlet-slug>/*.yaml``; every feed and page
is generated from them at ``start()`` and is byte-for-byte deterministic for a given base URL.
This module is the server (routes, hits, conditional GETs); ``demo.content`` holds the outlets,
feeds and articles, ``demo.pages`` renders them.

Layout (``<base>`` is ``http://127.0.0.1:<port>``)::

    /                                           index of outlets and feeds (HTML)
    /robots.txt                                 allows all, lists the sitemaps
    /<outlet>/                                  outlet home page (HTML)
    /<outlet>/sitemap.xml                       news sitemap of the outlet
    /<outlet>/<yyyy>/<mm>/<slug>/               article page (query string ignored)
    /<outlet>/<yyyy>/<mm>/<slug>/amp/           AMP variant, rel=canonical to the page above
    /frontera-norte-hoy/feed/                   RSS 2.0, utf-8
    /frontera-norte-hoy/category/seguridad/feed/  RSS 2.0, the outlet's security section
    /border-dispatch/atom.xml                   Atom 1.0
    /el-bajio-informa/feed/atom/                Atom 1.0
    /pacific-coast-monitor/rss.xml              RSS 2.0 with content:encoded (full text)
    /noticias-del-golfo/rss/                    RSS 2.0 declared and served as ISO-8859-1
    /broken/feed/                               500           (only with include_broken=True)
    /garbage/feed/                              200, not XML  (only with include_broken=True)

Feeds carry ETag and Last-Modified and answer conditional GETs with 304. A few feed items
link to their article through a tracking spelling (``?utm_source=…``, ``?fbclid=…``,
``#comments``, ``/amp/``), and some articles are listed twice; the server answers every
spelling with the same page. ``hits`` counts requests per path (without the query string).

Run it: ``python -m demo.site [--host 127.0.0.1] [--port 0] [--write-feeds PATH] [--broken]``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import signal
import socket
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import yaml

from demo.content import BROKEN_FEEDS, OUTLETS, Article, FeedSpec, Outlet, http_date, load_articles
from demo.pages import Pages

# ------------------------------------------------------------------ the site


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    etag: str | None = None
    last_modified: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


class DemoSite:
    """The demo news site. ``with DemoSite() as site: site.base_url`` …"""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        content_dir: Path | str | None = None,
        *,
        include_broken: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.include_broken = include_broken
        self.articles = load_articles(content_dir)
        self._by_path = {a.path: a for a in self.articles}
        self._base_url: str | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._routes: dict[str, Response] = {}
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()

    # -------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("DemoSite is not started")
        return self._base_url

    def start(self) -> str:
        """Bind, render every page and feed, serve in a daemon thread; returns the base URL."""
        if self._server is not None:
            return self.base_url
        server = ThreadingHTTPServer((self.host, self.port), _make_handler(self))
        server.daemon_threads = True
        host, port = str(server.server_address[0]), int(server.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        self._base_url = f"http://{shown}:{port}"
        self.port = int(port)
        self._routes = self._render_all()
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
            name=f"demo-site-{port}",
        )
        self._thread.start()
        return self._base_url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        with self._lock:
            conns = list(self._conns)
        for c in conns:  # idle keep-alive connections would otherwise outlive the server
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoSite:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -------------------------------------------------------- public helpers

    def url(self, path: str) -> str:
        return self.base_url + path

    def feed_specs(self) -> list[tuple[Outlet | None, FeedSpec]]:
        specs: list[tuple[Outlet | None, FeedSpec]] = [
            (o, f) for o in OUTLETS.values() for f in o.feeds
        ]
        if self.include_broken:
            specs += [(None, f) for f in BROKEN_FEEDS]
        return specs

    def feeds(self) -> list[dict[str, Any]]:
        """feeds.yaml entries: name, url, language, country, tags."""
        out: list[dict[str, Any]] = []
        for outlet, spec in self.feed_specs():
            if outlet is None:
                out.append(
                    {
                        "name": spec.name,
                        "url": self.url(spec.path),
                        "language": "en",
                        "country": "US",
                        "tags": ["demo", "broken"],
                    }
                )
                continue
            tags = ["demo", outlet.kind]
            if spec.section:
                tags.append(spec.section)
            if outlet.encoding != "utf-8":
                tags.append(outlet.encoding)
            if outlet.full_content:
                tags.append("full-content")
            out.append(
                {
                    "name": spec.name,
                    "url": self.url(spec.path),
                    "language": outlet.lang,
                    "country": outlet.country,
                    "tags": tags,
                }
            )
        return out

    def write_feeds_yaml(self, path: Path | str) -> Path:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        header = (
            "# Feeds of the borderwatch offline demo news site (demo/site.py), "
            f"served at {self.base_url}.\n"
        )
        body = yaml.safe_dump({"feeds": self.feeds()}, allow_unicode=True, sort_keys=False)
        p.write_text(header + body, encoding="utf-8")
        return p

    def article_urls(self) -> list[str]:
        """Canonical URL of every article page (one per stored article; newest first)."""
        return [self.url(a.path) for a in self.articles]

    def article_for(self, url_or_path: str) -> Article | None:
        """The article a URL (any tracking/AMP spelling) or path points to."""
        path = urlsplit(url_or_path).path
        if not path.endswith("/"):
            path += "/"
        if path.endswith("/amp/"):
            path = path[: -len("amp/")]
        return self._by_path.get(path)

    @property
    def hits(self) -> Counter[str]:
        """Requests per path (query string dropped). A snapshot copy: safe to read."""
        with self._lock:
            return Counter(self._hits)

    def hit_count(self, path_or_url: str) -> int:
        path = urlsplit(path_or_url).path or "/"
        with self._lock:
            return self._hits.get(path, 0)

    def reset_hits(self) -> None:
        with self._lock:
            self._hits.clear()

    # -------------------------------------------------------- request handling

    def _count(self, path: str) -> None:
        with self._lock:
            self._hits[path] += 1

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def respond(self, raw_path: str) -> Response:
        path = urlsplit(raw_path).path or "/"
        found = self._routes.get(path)
        if found is None and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            found = self._routes.get(path + "/")
        if found is not None:
            return found
        if self.include_broken and path == "/broken/feed/":
            return Response(
                500, b"<h1>500 Internal Server Error</h1>\n", "text/html; charset=utf-8"
            )
        if self.include_broken and path == "/garbage/feed/":
            rng = random.Random(20261124)
            junk = bytes(rng.randrange(256) for _ in range(4096))
            return Response(200, b"\x00\xff" + junk, "application/rss+xml; charset=utf-8")
        return Response(
            404, Pages(self.base_url, self.articles).page_404(path), "text/html; charset=utf-8"
        )

    # -------------------------------------------------------- rendering

    def _render_all(self) -> dict[str, Response]:
        pages = Pages(self.base_url, self.articles)
        routes: dict[str, Response] = {}
        for a in self.articles:
            page = pages.article_html(a, amp=False).encode("utf-8")
            amp = pages.article_html(a, amp=True).encode("utf-8")
            routes[a.path] = self._page(page, a.published)
            routes[a.path + "amp/"] = self._page(amp, a.published)
        for outlet, spec in self.feed_specs():
            if outlet is None:
                continue
            items = [a for a in self.articles if a.outlet == outlet.slug]
            if spec.section:
                items = [a for a in items if a.section == spec.section]
            body = (
                pages.rss(outlet, spec, items)
                if outlet.kind == "rss"
                else pages.atom(outlet, spec, items)
            )
            ctype = (
                "application/rss+xml" if outlet.kind == "rss" else "application/atom+xml"
            ) + f"; charset={outlet.encoding.upper()}"
            if outlet.encoding == "utf-8":
                ctype = ctype.replace("UTF-8", "utf-8")
            routes[spec.path] = Response(
                200, body, ctype, etag=_etag(body), last_modified=max(a.published for a in items)
            )
        for outlet in OUTLETS.values():
            items = [a for a in self.articles if a.outlet == outlet.slug]
            home = pages.home_html(outlet, items).encode("utf-8")
            routes[f"/{outlet.slug}/"] = self._page(home, max(a.published for a in items))
            smap = pages.sitemap(outlet, items)
            routes[f"/{outlet.slug}/sitemap.xml"] = Response(
                200,
                smap,
                "application/xml; charset=utf-8",
                etag=_etag(smap),
                last_modified=max(a.published for a in items),
            )
        routes["/"] = self._page(
            pages.index_html().encode("utf-8"), max(a.published for a in self.articles)
        )
        robots = "User-agent: *\nAllow: /\n\n" + "".join(
            f"Sitemap: {self.url(f'/{o}/sitemap.xml')}\n" for o in OUTLETS
        )
        routes["/robots.txt"] = Response(200, robots.encode(), "text/plain; charset=utf-8")
        return routes

    @staticmethod
    def _page(body: bytes, modified: datetime) -> Response:
        return Response(
            200, body, "text/html; charset=utf-8", etag=_etag(body), last_modified=modified
        )


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def _not_modified(resp: Response, headers: Any) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None and resp.etag:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or resp.etag in tags
    ims = headers.get("If-Modified-Since")
    if ims and resp.last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return resp.last_modified.replace(microsecond=0) <= since
    return False


def _make_handler(site: DemoSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "borderwatch-demo/1.0"
        sys_version = ""
        timeout = 30

        def setup(self) -> None:
            super().setup()
            try:  # headers and body are written separately: avoid Nagle/delayed-ACK stalls
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            site._track(self.connection, True)

        def finish(self) -> None:
            try:
                super().finish()
            finally:
                site._track(self.connection, False)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            pass

        def _serve(self, with_body: bool) -> None:
            site._count(urlsplit(self.path).path or "/")
            resp = site.respond(self.path)
            status, body = resp.status, resp.body
            if status == 200 and _not_modified(resp, self.headers):
                status, body = 304, b""
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", resp.content_type)
                self.send_header("Content-Length", str(len(body)))
            else:
                self.send_header("Content-Length", "0")
            if resp.etag:
                self.send_header("ETag", resp.etag)
            if resp.last_modified is not None:
                self.send_header("Last-Modified", http_date(resp.last_modified))
            if resp.status == 200:
                self.send_header("Cache-Control", "max-age=60")
            for k, v in resp.extra.items():
                self.send_header(k, v)
            self.end_headers()
            if with_body and body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self._serve(True)

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
            self._serve(False)

    return Handler


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m demo.site", description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = any free port (default)")
    ap.add_argument("--write-feeds", metavar="PATH", help="write a feeds.yaml for this site")
    ap.add_argument("--broken", action="store_true", help="also serve the two broken feeds")
    args = ap.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    site = DemoSite(args.host, args.port, include_broken=args.broken)
    base = site.start()
    try:
        print(base, flush=True)
        if args.write_feeds:
            path = site.write_feeds_yaml(args.write_feeds)
            print(f"feeds written to {path}", flush=True)
        print(
            f"{len(site.articles)} articles in {len(site.feeds())} feeds; Ctrl-C to stop",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
