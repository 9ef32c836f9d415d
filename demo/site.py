"""An offline news site for demos and tests: five fictional border-news outlets on loopback.

Standard library only (``http.server.ThreadingHTTPServer`` in a background thread). The
articles are the fixture files under ``demo/content/<outlet-slug>/*.yaml``; every feed and page
is generated from them at ``start()`` and is byte-for-byte deterministic for a given base URL.

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
import html
import json
import random
import signal
import socket
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"

# ------------------------------------------------------------------ outlets and feeds


@dataclass(frozen=True)
class FeedSpec:
    path: str  # under the site root, e.g. "/border-dispatch/atom.xml"
    name: str  # the name written to feeds.yaml
    section: str | None = None  # only articles of this section (None = all of the outlet)


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    lang: str
    country: str
    kind: str  # "rss" or "atom"
    encoding: str  # of the feed bytes
    tagline: str
    feeds: tuple[FeedSpec, ...]
    full_content: bool = False  # RSS content:encoded with the whole article


OUTLETS: dict[str, Outlet] = {
    o.slug: o
    for o in (
        Outlet(
            "frontera-norte-hoy",
            "Frontera Norte Hoy",
            "es",
            "MX",
            "rss",
            "utf-8",
            "Noticias de la frontera norte, desde Ciudad Juárez",
            (
                FeedSpec("/frontera-norte-hoy/feed/", "Frontera Norte Hoy"),
                FeedSpec(
                    "/frontera-norte-hoy/category/seguridad/feed/",
                    "Frontera Norte Hoy - Seguridad",
                    section="seguridad",
                ),
            ),
        ),
        Outlet(
            "border-dispatch",
            "Border Dispatch",
            "en",
            "US",
            "atom",
            "utf-8",
            "Independent reporting from the Texas-Mexico border",
            (FeedSpec("/border-dispatch/atom.xml", "Border Dispatch"),),
        ),
        Outlet(
            "el-bajio-informa",
            "El Bajío Informa",
            "es",
            "MX",
            "atom",
            "utf-8",
            "Guanajuato, Michoacán, Jalisco y el centro del país",
            (FeedSpec("/el-bajio-informa/feed/atom/", "El Bajío Informa"),),
        ),
        Outlet(
            "pacific-coast-monitor",
            "Pacific Coast Monitor",
            "en",
            "US",
            "rss",
            "utf-8",
            "Security and politics from Baja California to Guerrero",
            (FeedSpec("/pacific-coast-monitor/rss.xml", "Pacific Coast Monitor"),),
            full_content=True,
        ),
        Outlet(
            "noticias-del-golfo",
            "Noticias del Golfo",
            "es",
            "MX",
            "rss",
            "iso-8859-1",
            "Tamaulipas, Nuevo León y Veracruz al momento",
            (FeedSpec("/noticias-del-golfo/rss/", "Noticias del Golfo"),),
        ),
    )
}

BROKEN_FEEDS = (
    FeedSpec("/broken/feed/", "Demo broken feed (HTTP 500)"),
    FeedSpec("/garbage/feed/", "Demo garbage feed (not XML)"),
)

# ------------------------------------------------------------------ content


@dataclass(frozen=True)
class Article:
    id: str
    outlet: str
    lang: str
    title: str
    author: str
    published: datetime
    summary: str
    body: tuple[str, ...]  # paragraphs; a paragraph starting with "## " is a subheading
    section: str = "seguridad"
    relevant: bool = True
    syndicated_from: str | None = None
    feed_links: tuple[str, ...] = ("",)  # suffixes of the feed item links, one item each
    source_file: str = ""

    @property
    def path(self) -> str:
        return f"/{self.outlet}/{self.published:%Y}/{self.published:%m}/{self.id}/"

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body if not p.startswith("## ")]

    @property
    def first_sentence(self) -> str:
        first = self.paragraphs[0]
        for i, ch in enumerate(first):
            if ch in ".!?" and (i + 1 == len(first) or first[i + 1] == " ") and i > 20:
                return first[: i + 1]
        return first


_REQUIRED = ("id", "outlet", "lang", "title", "author", "published", "summary", "body")


def _parse_article(path: Path) -> Article:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping")
    missing = [k for k in _REQUIRED if not data.get(k)]
    if missing:
        raise ValueError(f"{path}: missing {missing}")
    published = data["published"]
    if isinstance(published, str):
        published = datetime.fromisoformat(published)
    if not isinstance(published, datetime) or published.tzinfo is None:
        raise ValueError(f"{path}: 'published' must be ISO 8601 with an offset")
    body = data["body"]
    if isinstance(body, str):
        body = [" ".join(p.split()) for p in body.split("\n\n")]
    paragraphs = tuple(p.strip() for p in body if p and p.strip())
    if data["outlet"] not in OUTLETS or path.parent.name != data["outlet"]:
        raise ValueError(f"{path}: outlet {data['outlet']!r} does not match its folder")
    links = data.get("feed_links") or [""]
    return Article(
        id=str(data["id"]),
        outlet=data["outlet"],
        lang=data["lang"],
        title=" ".join(str(data["title"]).split()),
        author=str(data["author"]),
        published=published,
        summary=" ".join(str(data["summary"]).split()),
        body=paragraphs,
        section=str(data.get("section") or "seguridad"),
        relevant=bool(data.get("relevant", True)),
        syndicated_from=data.get("syndicated_from") or None,
        feed_links=tuple(str(s) for s in links),
        source_file=str(path),
    )


def load_articles(content_dir: Path | str | None = None) -> list[Article]:
    """All fixture articles, newest first (ties by id). Raises ValueError on a bad file."""
    root = Path(content_dir) if content_dir else CONTENT_DIR
    arts = [_parse_article(p) for p in sorted(root.glob("*/*.yaml"))]
    seen: dict[str, str] = {}
    titles: dict[str, str] = {}
    for a in arts:
        if a.id in seen:
            raise ValueError(f"duplicate id {a.id!r} in {a.source_file} and {seen[a.id]}")
        if a.title in titles:
            raise ValueError(f"duplicate title in {a.source_file} and {titles[a.title]}")
        seen[a.id], titles[a.title] = a.source_file, a.source_file
    return sorted(arts, key=lambda a: (a.published, a.id), reverse=True)


# ------------------------------------------------------------------ rendering helpers

_MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_LABELS: dict[str, dict[str, Any]] = {
    "es": {
        "nav": [
            "Inicio",
            "Seguridad",
            "Política",
            "Frontera",
            "Economía",
            "Deportes",
            "Cultura",
            "Opinión",
            "Videos",
            "Clima",
            "Estados",
            "Internacional",
        ],
        "most_read": "Lo más leído",
        "related": "Notas relacionadas",
        "by": "Por",
        "share": [
            "Compartir en Facebook",
            "Compartir en X",
            "Enviar por WhatsApp",
            "Copiar enlace",
        ],
        "cookie": (
            "Usamos cookies propias y de terceros para mejorar tu experiencia y mostrarte "
            "publicidad personalizada. Al continuar navegando aceptas nuestra política de "
            "privacidad."
        ),
        "accept": "Aceptar todas",
        "newsletter": "Recibe el boletín matutino con las noticias de la frontera en tu correo.",
        "subscribe": "Suscribirme",
        "rights": "Todos los derechos reservados. Prohibida la reproducción total o parcial.",
        "about": [
            "Quiénes somos",
            "Aviso de privacidad",
            "Código de ética",
            "Contacto",
            "Publicidad",
            "Términos de uso",
            "Mapa del sitio",
        ],
        "comments": "Los comentarios están cerrados para esta nota.",
        "tags": "Temas",
        "ticker": "Última hora",
        "updated": "Actualizado",
        "skip": "Ir al contenido",
        "search": "Buscar",
    },
    "en": {
        "nav": [
            "Home",
            "Border",
            "Security",
            "Politics",
            "Immigration",
            "Business",
            "Sports",
            "Weather",
            "Opinion",
            "Podcasts",
            "Mexico",
            "Texas",
        ],
        "most_read": "Most read",
        "related": "Related stories",
        "by": "By",
        "share": ["Share on Facebook", "Share on X", "Share by email", "Copy link"],
        "cookie": (
            "We use cookies and similar technologies to measure traffic and personalize ads. "
            "By continuing to browse you agree to our privacy policy."
        ),
        "accept": "Accept all",
        "newsletter": "Get the Morning Border Briefing delivered to your inbox every weekday.",
        "subscribe": "Sign up",
        "rights": "All rights reserved. This material may not be republished without permission.",
        "about": [
            "About us",
            "Privacy policy",
            "Ethics policy",
            "Contact",
            "Advertise",
            "Terms of use",
            "Site map",
        ],
        "comments": "Comments are closed for this story.",
        "tags": "Topics",
        "ticker": "Breaking",
        "updated": "Updated",
        "skip": "Skip to content",
        "search": "Search",
    },
}


def _slugify(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isalnum() and ch.isascii():
            out.append(ch)
        elif ch in "áàä":
            out.append("a")
        elif ch in "éè":
            out.append("e")
        elif ch in "íì":
            out.append("i")
        elif ch in "óò":
            out.append("o")
        elif ch in "úü":
            out.append("u")
        elif ch == "ñ":
            out.append("n")
        else:
            out.append("-")
    return "-".join(filter(None, "".join(out).split("-")))


def human_date(dt: datetime, lang: str) -> str:
    if lang == "es":
        return f"{dt.day} de {_MONTHS_ES[dt.month - 1]} de {dt.year}, {dt:%H:%M}"
    return f"{_MONTHS_EN[dt.month - 1]} {dt.day}, {dt.year}, {dt:%H:%M}"


def rfc822(dt: datetime) -> str:
    return format_datetime(dt)


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


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
        return Response(404, self._page_404(path), "text/html; charset=utf-8")

    # -------------------------------------------------------- rendering

    def _render_all(self) -> dict[str, Response]:
        routes: dict[str, Response] = {}
        for a in self.articles:
            page = self._article_html(a, amp=False).encode("utf-8")
            amp = self._article_html(a, amp=True).encode("utf-8")
            routes[a.path] = self._page(page, a.published)
            routes[a.path + "amp/"] = self._page(amp, a.published)
        for outlet, spec in self.feed_specs():
            if outlet is None:
                continue
            items = [a for a in self.articles if a.outlet == outlet.slug]
            if spec.section:
                items = [a for a in items if a.section == spec.section]
            body = (
                self._rss(outlet, spec, items)
                if outlet.kind == "rss"
                else self._atom(outlet, spec, items)
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
            home = self._home_html(outlet, items).encode("utf-8")
            routes[f"/{outlet.slug}/"] = self._page(home, max(a.published for a in items))
            smap = self._sitemap(outlet, items)
            routes[f"/{outlet.slug}/sitemap.xml"] = Response(
                200,
                smap,
                "application/xml; charset=utf-8",
                etag=_etag(smap),
                last_modified=max(a.published for a in items),
            )
        routes["/"] = self._page(
            self._index_html().encode("utf-8"), max(a.published for a in self.articles)
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

    def _link(self, a: Article, suffix: str) -> str:
        url = self.url(a.path)
        if suffix.startswith("/"):
            suffix = suffix[1:]  # "amp/" → .../slug/amp/
        return url + suffix

    def _rss(self, outlet: Outlet, spec: FeedSpec, items: list[Article]) -> bytes:
        home = self.url(f"/{outlet.slug}/")
        lines = [
            f'<?xml version="1.0" encoding="{outlet.encoding.upper()}"?>',
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom">',
            "<channel>",
            f"<title>{xml_escape(spec.name)}</title>",
            f"<link>{xml_escape(home)}</link>",
            f'<atom:link href={quoteattr(self.url(spec.path))} rel="self" '
            'type="application/rss+xml"/>',
            f"<description>{xml_escape(outlet.tagline)}</description>",
            f"<language>{outlet.lang}-{outlet.country.lower()}</language>",
            f"<lastBuildDate>{rfc822(max(a.published for a in items))}</lastBuildDate>",
            "<generator>borderwatch demo site</generator>",
            "<ttl>15</ttl>",
        ]
        for a in items:
            for n, suffix in enumerate(a.feed_links):
                guid = f"{outlet.slug}:{a.id}" + (f":{n}" if n else "")
                lines += [
                    "<item>",
                    f"<title>{xml_escape(a.title)}</title>",
                    f"<link>{xml_escape(self._link(a, suffix))}</link>",
                    f'<guid isPermaLink="false">{xml_escape(guid)}</guid>',
                    f"<pubDate>{rfc822(a.published)}</pubDate>",
                    f"<dc:creator>{xml_escape(a.author)}</dc:creator>",
                    f"<category>{xml_escape(a.section.capitalize())}</category>",
                    f"<description>{xml_escape(a.summary)}</description>",
                ]
                if outlet.full_content:
                    full = "".join(_body_html(a))
                    lines.append(f"<content:encoded>{_cdata(full)}</content:encoded>")
                lines.append("</item>")
        lines += ["</channel>", "</rss>", ""]
        return "\n".join(lines).encode(outlet.encoding, errors="xmlcharrefreplace")

    def _atom(self, outlet: Outlet, spec: FeedSpec, items: list[Article]) -> bytes:
        home = self.url(f"/{outlet.slug}/")
        updated = max(a.published for a in items).isoformat()
        lines = [
            f'<?xml version="1.0" encoding="{outlet.encoding}"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">',
            f"<title>{xml_escape(spec.name)}</title>",
            f"<subtitle>{xml_escape(outlet.tagline)}</subtitle>",
            f"<id>tag:{outlet.slug}.example,2026:feed</id>",
            f'<link rel="self" type="application/atom+xml" href={quoteattr(self.url(spec.path))}/>',
            f'<link rel="alternate" type="text/html" href={quoteattr(home)}/>',
            f"<updated>{updated}</updated>",
            '<generator uri="https://example.invalid/borderwatch-demo">'
            "borderwatch demo</generator>",
        ]
        for a in items:
            for n, suffix in enumerate(a.feed_links):
                entry_id = f"tag:{outlet.slug}.example,2026:{a.id}" + (f":{n}" if n else "")
                lines += [
                    "<entry>",
                    f'<title type="text">{xml_escape(a.title)}</title>',
                    f'<link rel="alternate" type="text/html" '
                    f"href={quoteattr(self._link(a, suffix))}/>",
                    f"<id>{xml_escape(entry_id)}</id>",
                    f"<published>{a.published.isoformat()}</published>",
                    f"<updated>{a.published.isoformat()}</updated>",
                    f"<author><name>{xml_escape(a.author)}</name></author>",
                    f"<category term={quoteattr(a.section)}/>",
                    f'<summary type="text">{xml_escape(a.summary)}</summary>',
                    "</entry>",
                ]
        lines += ["</feed>", ""]
        return "\n".join(lines).encode(outlet.encoding, errors="xmlcharrefreplace")

    def _sitemap(self, outlet: Outlet, items: list[Article]) -> bytes:
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
        ]
        for a in items:
            lines += [
                "<url>",
                f"<loc>{xml_escape(self.url(a.path))}</loc>",
                f"<lastmod>{a.published.isoformat()}</lastmod>",
                "<news:news><news:publication>"
                f"<news:name>{xml_escape(outlet.name)}</news:name>"
                f"<news:language>{outlet.lang}</news:language></news:publication>"
                f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
                f"<news:title>{xml_escape(a.title)}</news:title></news:news>",
                "</url>",
            ]
        lines += ["</urlset>", ""]
        return "\n".join(lines).encode("utf-8")

    # -------------------------------------------------------- HTML pages

    def _others(self, a: Article, n: int, *, same_outlet: bool) -> list[Article]:
        pool = [b for b in self.articles if b.id != a.id and (b.outlet == a.outlet) == same_outlet]
        # deterministic but varied: rotate by a stable hash of the article id
        if not pool:
            return []
        start = int(hashlib.sha1(a.id.encode()).hexdigest(), 16) % len(pool)
        return (pool[start:] + pool[:start])[:n]

    def _chrome_top(self, outlet: Outlet, title: str, head_extra: str, lang: str) -> list[str]:
        lab = _LABELS[outlet.lang]
        nav = "".join(
            f'<li><a href="/{outlet.slug}/{_slugify(x)}/">{_e(x)}</a></li>' for x in lab["nav"]
        )
        states = [
            "Chihuahua",
            "Sonora",
            "Tamaulipas",
            "Sinaloa",
            "Guanajuato",
            "Michoacán",
            "Baja California",
            "Nuevo León",
        ]
        subnav = "".join(
            f'<li><a href="/{outlet.slug}/estados/{_slugify(s)}/">{_e(s)}</a></li>' for s in states
        )
        return (
            [
                "<!DOCTYPE html>",
                f'<html lang="{lang}"{head_extra and " " + head_extra}>',
            ]
            + [
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{_e(title)}</title>",
            ]
            + [
                "__HEAD__",
                "</head>",
                f'<body class="{outlet.slug} {outlet.kind}-outlet">',
                f'<a class="skip-link" href="#main">{lab["skip"]}</a>',
                '<div id="cookie-banner" class="cookie-consent" role="dialog">'
                f'<p>{_e(lab["cookie"])}</p><button type="button">{lab["accept"]}</button></div>',
                '<header class="site-header">',
                f'<div class="brand"><a href="/{outlet.slug}/" rel="home">{_e(outlet.name)}</a>'
                f'<span class="tagline">{_e(outlet.tagline)}</span></div>',
                f'<form class="search" action="/{outlet.slug}/buscar/"><input name="q" '
                f'placeholder="{lab["search"]}"></form>',
                f'<nav class="main-nav" aria-label="principal"><ul>{nav}</ul></nav>',
                f'<nav class="states-nav"><ul>{subnav}</ul></nav>',
                "</header>",
            ]
        )

    def _chrome_bottom(self, outlet: Outlet) -> list[str]:
        lab = _LABELS[outlet.lang]
        about = " | ".join(
            f'<a href="/{outlet.slug}/{_slugify(x)}/">{_e(x)}</a>' for x in lab["about"]
        )
        return [
            '<footer class="site-footer">',
            f'<div class="newsletter"><p>{_e(lab["newsletter"])}</p>'
            f'<form><input type="email"><button>{lab["subscribe"]}</button></form></div>',
            f'<div class="footer-links">{about}</div>',
            f'<p class="copyright">© 2026 {_e(outlet.name)}. {_e(lab["rights"])}</p>',
            "</footer>",
            "<script>window.dataLayer=window.dataLayer||[];"
            "function gtag(){dataLayer.push(arguments);}</script>",
            "</body>",
            "</html>",
            "",
        ]

    def _article_html(self, a: Article, *, amp: bool) -> str:
        outlet = OUTLETS[a.outlet]
        lab = _LABELS[outlet.lang]
        canonical = self.url(a.path)
        title = f"{a.title} | {outlet.name}"
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": a.published.isoformat(),
            "dateModified": a.published.isoformat(),
            "author": {"@type": "Person", "name": a.author},
            "publisher": {"@type": "Organization", "name": outlet.name},
            "mainEntityOfPage": canonical,
            "inLanguage": a.lang,
            "description": a.summary,
        }
        head = [
            f'<link rel="canonical" href="{_e(canonical)}">',
            f'<meta name="description" content="{_e(a.summary)}">',
            f'<meta name="author" content="{_e(a.author)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{_e(outlet.name)}">',
            f'<meta property="og:title" content="{_e(a.title)}">',
            f'<meta property="og:description" content="{_e(a.summary)}">',
            f'<meta property="og:url" content="{_e(canonical)}">',
            f'<meta property="og:locale" content="{a.lang}_{outlet.country}">',
            f'<meta property="article:published_time" content="{a.published.isoformat()}">',
            f'<meta property="article:section" content="{_e(a.section.capitalize())}">',
            '<meta name="twitter:card" content="summary_large_image">',
            '<script type="application/ld+json">'
            + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
            + "</script>",
        ]
        if not amp:
            head.append(f'<link rel="amphtml" href="{_e(canonical)}amp/">')
        else:
            head.append('<script async src="https://cdn.ampproject.org/v0.js"></script>')
        top = self._chrome_top(outlet, title, "amp" if amp else "", a.lang)
        top[top.index("__HEAD__")] = "\n".join(head)

        most_read = self._others(a, 5, same_outlet=True)
        related = self._others(a, 3, same_outlet=False)
        ticker = self._others(a, 1, same_outlet=True)
        share = "".join(
            f'<li><a class="share-{i}" href="#share-{i}">{_e(s)}</a></li>'
            for i, s in enumerate(lab["share"])
        )
        tags = "".join(
            f'<li><a href="/{outlet.slug}/tema/{_slugify(t)}/">{_e(t)}</a></li>'
            for t in (a.section.capitalize(), "Frontera" if a.lang == "es" else "Border")
        )
        out = (
            top
            + [
                '<div class="ticker">'
                + (
                    f'<strong>{lab["ticker"]}:</strong> <a href="{_e(self.url(ticker[0].path))}">'
                    f"{_e(ticker[0].title)}</a>"
                    if ticker
                    else ""
                )
                + "</div>",
                '<div class="layout">',
                '<main id="main" class="content">',
                f'<nav class="breadcrumbs"><a href="/{outlet.slug}/">{_e(outlet.name)}</a> › '
                f'<a href="/{outlet.slug}/{a.section}/">{_e(a.section.capitalize())}</a></nav>',
                '<article class="story" itemscope itemtype="https://schema.org/NewsArticle">',
                '<header class="story-header">',
                f'<p class="kicker">{_e(a.section.capitalize())}</p>',
                f'<h1 itemprop="headline">{_e(a.title)}</h1>',
                f'<p class="dek">{_e(a.summary)}</p>',
                f'<p class="byline">{lab["by"]} <span class="author" itemprop="author">'
                f"{_e(a.author)}</span> · "
                f'<time datetime="{a.published.isoformat()}" itemprop="datePublished">'
                f"{human_date(a.published, a.lang)}</time></p>",
                f'<ul class="share-buttons">{share}</ul>',
                "</header>",
                '<div class="story-body" itemprop="articleBody">',
                *_body_html(a),
                "</div>",
                f'<footer class="story-tags"><span>{lab["tags"]}:</span><ul>{tags}</ul></footer>',
                "</article>",
                '<section class="related-stories">',
                f"<h2>{lab['related']}</h2>",
                "<ul>"
                + "".join(
                    f'<li><a href="{_e(self.url(b.path))}">{_e(b.title)}</a></li>' for b in related
                )
                + "</ul>",
                "</section>",
                f'<section class="comments"><p>{lab["comments"]}</p></section>',
                "</main>",
                '<aside class="sidebar">',
                '<div class="most-read">',
                f"<h2>{lab['most_read']}</h2>",
                "<ol>"
                + "".join(
                    f'<li><a href="{_e(self.url(b.path))}">{_e(b.title)}</a></li>'
                    for b in most_read
                )
                + "</ol>",
                "</div>",
                '<div class="ad-slot" data-slot="sidebar-1"></div>',
                "</aside>",
                "</div>",
            ]
            + self._chrome_bottom(outlet)
        )
        return "\n".join(out)

    def _home_html(self, outlet: Outlet, items: list[Article]) -> str:
        top = self._chrome_top(outlet, outlet.name, "", outlet.lang)
        feeds = "".join(
            f'<link rel="alternate" type="application/{outlet.kind}+xml" '
            f'title="{_e(f.name)}" href="{_e(self.url(f.path))}">'
            for f in outlet.feeds
        )
        top[top.index("__HEAD__")] = feeds
        cards = "".join(
            f'<li class="card"><h2><a href="{_e(self.url(a.path))}">{_e(a.title)}</a></h2>'
            f'<p>{_e(a.summary)}</p><time datetime="{a.published.isoformat()}">'
            f"{human_date(a.published, a.lang)}</time></li>"
            for a in items
        )
        return "\n".join(
            top
            + [f'<main id="main"><ul class="cards">{cards}</ul></main>']
            + self._chrome_bottom(outlet)
        )

    def _index_html(self) -> str:
        rows = "".join(
            f'<li><a href="{_e(self.url("/" + o.slug + "/"))}">{_e(o.name)}</a> ({o.lang}) — '
            + ", ".join(f'<a href="{_e(self.url(f.path))}">{_e(f.path)}</a>' for f in o.feeds)
            + "</li>"
            for o in OUTLETS.values()
        )
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            "<title>borderwatch demo news site</title></head><body>"
            "<h1>borderwatch demo news site</h1><p>Fictional outlets, fictional events; "
            f"{len(self.articles)} articles.</p><ul>{rows}</ul></body></html>\n"
        )

    def _page_404(self, path: str) -> bytes:
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>404 Not Found'
            f"</title></head><body><h1>Not found</h1><p>{_e(path)}</p></body></html>\n"
        ).encode()


def _body_html(a: Article) -> list[str]:
    out = []
    for p in a.body:
        if p.startswith("## "):
            out.append(f"<h2>{_e(p[3:].strip())}</h2>")
        else:
            out.append(f"<p>{_e(p)}</p>")
    return out


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
