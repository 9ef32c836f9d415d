"""A local WordPress-like outlet whose feed window turns over, for gap detection and gap fill.

The feed at /feed/ lists the newest ``window`` posts (newest first); ``?paged=N`` serves older
pages of the same size (404 past the end) unless ``paging`` is off, in which case the server
ignores the parameter (as many CMSs do) and the site's sitemap at /sitemap.xml (announced in
/robots.txt) lists every post with its publication date. The test decides when posts appear:
``publish(n, first, step)`` adds ``n`` posts dated ``first``, ``first + step``, … Every article
page has its own text and date. ``log`` keeps every request path and query, in order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from tests.local_site import LocalSite

TOWNS = ["Caborca", "Sásabe", "Altar", "Sonoyta", "Nogales", "Agua Prieta", "Naco", "Cananea"]
ANIMALS = ["halcones", "vigías", "escoltas", "choferes", "mensajeros", "cobradores", "pilotos"]


@dataclass(frozen=True)
class Post:
    n: int
    when: datetime

    @property
    def path(self) -> str:
        return f"/{self.when:%Y/%m/%d}/nota-{self.n}/"

    @property
    def title(self) -> str:
        return f"Reporte {self.n}: operativo en {TOWNS[self.n % len(TOWNS)]} número {self.n * 13}"

    def body(self) -> list[str]:
        town = TOWNS[self.n % len(TOWNS)]
        who = ANIMALS[self.n % len(ANIMALS)]
        return [
            f"El reporte {self.n} de la mesa de seguridad de {town} describe un operativo "
            f"con {self.n % 9 + 2} patrullas y el folio {self.n * 7717} en la carretera federal.",
            f"Los agentes detuvieron a {self.n % 4 + 1} {who} y aseguraron {self.n % 6 + 3} "
            f"radios, según la ficha {self.n * 29} que la fiscalía difundió por la tarde.",
            f"Vecinos de la colonia {self.n * 3} pidieron más vigilancia nocturna; el "
            f"ayuntamiento prometió {self.n % 5 + 2} nuevas cámaras en la zona del reporte "
            f"{self.n}.",
            "El texto es ficticio y fue escrito para la prueba de huecos entre dos consultas.",
        ]


class GapSite(LocalSite):
    def __init__(self, window: int = 10, paging: bool = True) -> None:
        self.window, self.paging = window, paging
        self.posts: list[Post] = []  # oldest first
        self.log: list[tuple[str, dict[str, list[str]]]] = []
        self._lock = threading.Lock()
        super().__init__()

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        with self._lock:
            self.log.append((path, query))
            return self.route(path, query)

    @property
    def feed_url(self) -> str:
        return f"{self.base}/feed/"

    def publish(self, n: int, first: datetime, step: timedelta = timedelta(minutes=1)) -> None:
        with self._lock:
            start = len(self.posts)
            self.posts.extend(Post(start + i + 1, first + i * step) for i in range(n))

    def urls(self, numbers: range | list[int]) -> set[str]:
        """Canonical URLs (no trailing slash) of posts by number (1 = the oldest)."""
        return {(self.base + self.posts[i - 1].path).rstrip("/") for i in numbers}

    def feed_pages(self) -> list[int]:
        """The page numbers of every feed request, in order (1 = the feed itself)."""
        return [int(q.get("paged", ["1"])[0]) for p, q in self.log if p == "/feed/"]

    def route(self, path: str, q: dict[str, list[str]]) -> tuple[int, str, bytes]:
        newest = self.posts[::-1]
        if path == "/feed/":
            page = int(q.get("paged", ["1"])[0]) if self.paging else 1
            items = newest[(page - 1) * self.window : page * self.window]
            if not items and page > 1:
                return 404, "text/html", b"<h1>Not found</h1>"
            return 200, "application/rss+xml; charset=utf-8", self.rss(items).encode()
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nSitemap: {self.base}/sitemap.xml\n".encode()
        if path == "/sitemap.xml":
            urls = "".join(
                f"<url><loc>{self.base}{p.path}</loc><lastmod>{p.when.isoformat()}</lastmod>"
                f"<news:news><news:publication_date>{p.when.isoformat()}"
                "</news:publication_date></news:news></url>"
                for p in newest
            )
            return (
                200,
                "application/xml",
                (
                    '<?xml version="1.0" encoding="UTF-8"?><urlset '
                    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                    f"{urls}</urlset>"
                ).encode(),
            )
        for p in self.posts:
            if p.path == path:
                return 200, "text/html; charset=utf-8", self.page(p).encode()
        return 404, "text/html", b"<h1>Not found</h1>"

    def page(self, p: Post) -> str:
        paras = "".join(f"<p>{escape(t)}</p>" for t in p.body())
        return (
            f'<!doctype html><html lang="es"><head><title>{escape(p.title)}</title>'
            f'<meta property="article:published_time" content="{p.when.isoformat()}">'
            f'<link rel="canonical" href="{self.base}{p.path}"></head><body>'
            f"<article><h1>{escape(p.title)}</h1>"
            f'<time datetime="{p.when.isoformat()}">{p.when:%d/%m/%Y}</time>{paras}</article>'
            "<footer>Sitio de prueba.</footer></body></html>"
        )

    def rss(self, items: list[Post]) -> str:
        entries = "".join(
            f"<item><title>{escape(p.title)}</title><link>{self.base}{p.path}</link>"
            f"<guid>{self.base}{p.path}</guid><pubDate>{format_datetime(p.when)}</pubDate>"
            f"<description>{escape(p.body()[0])}</description></item>"
            for p in items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Frontera Hoy</title><link>{self.base}/</link>{entries}</channel></rss>"
        )
