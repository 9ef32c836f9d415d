"""A local news site with deep archives, for backfill tests.

- WordPress-style RSS at /wp/feed/ with ?paged=N (10 posts a page, newest first, 404 past the
  end): one post every 5 days from 2024-01-03 to 2026-11-20 (three years).
- Blogger-style Atom at /blog/feeds/posts/default with start-index/max-results and rel="next":
  one post a week through 2025–2026.
- /robots.txt → /sitemap_index.xml → three child sitemaps (2024, 2025, 2026) listing the
  WordPress posts with lastmod and news:publication_date.
Article pages carry their date (article:published_time). ``hits`` counts requests per path.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from tests.local_site import LocalSite

PLACES = [
    "Celaya",
    "Culiacán",
    "Fresnillo",
    "Reynosa",
    "Uruapan",
    "Tijuana",
    "Acapulco",
    "Irapuato",
    "Zamora",
    "Matamoros",
    "Caborca",
    "Chilapa",
    "Apatzingán",
]
VERBS = ["hallaron", "reportaron", "confirmaron", "documentaron", "investigan", "registraron"]


@dataclass(frozen=True)
class Post:
    kind: str  # wp | blog
    n: int
    day: date

    @property
    def when(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, 12, 0, tzinfo=UTC)

    @property
    def path(self) -> str:
        if self.kind == "wp":
            return f"/wp/{self.day:%Y/%m/%d}/nota-{self.n}/"
        return f"/blog/{self.day:%Y/%m}/entrada-{self.n}.html"

    @property
    def title(self) -> str:
        place = PLACES[self.n % len(PLACES)]
        return f"Nota {self.kind} {self.n}: reporte de seguridad en {place} del {self.day:%d/%m/%Y}"

    def body(self) -> list[str]:
        place = PLACES[self.n % len(PLACES)]
        verb = VERBS[self.n % len(VERBS)]
        return [
            f"Autoridades de {place} {verb} el {self.day:%d de %m de %Y} un nuevo hecho "
            f"registrado con el folio {self.kind}-{self.n * 7919} en la zona norte del municipio.",
            f"Según el reporte número {self.n}, las patrullas recorrieron {self.n % 17 + 3} "
            f"colonias y entrevistaron a {self.n % 23 + 2} vecinos durante la jornada.",
            f"El expediente {self.n * 31} quedó abierto y la fiscalía pidió a la población "
            f"aportar datos sobre los vehículos vistos cerca del lugar, entre ellos "
            f"{self.n % 5 + 1} camionetas sin placas.",
            f"La nota {self.n} de este archivo se publicó para la prueba de recuperación "
            f"histórica y su contenido es ficticio, escrito para el proyecto.",
        ]


def _posts() -> tuple[list[Post], list[Post]]:
    wp, d, n = [], date(2024, 1, 3), 0
    while d <= date(2026, 11, 20):
        wp.append(Post("wp", n, d))
        d, n = d + timedelta(days=5), n + 1
    blog, d, n = [], date(2025, 1, 2), 0
    while d <= date(2026, 11, 20):
        blog.append(Post("blog", n, d))
        d, n = d + timedelta(days=7), n + 1
    return wp[::-1], blog[::-1]  # newest first


class ArchiveSite(LocalSite):
    WP_PAGE = 10

    def __init__(self) -> None:
        self.wp, self.blog = _posts()
        self.by_path = {p.path: p for p in self.wp + self.blog}
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[str, dict[str, list[str]]]] = []  # every request, in order
        self._lock = threading.Lock()
        super().__init__()

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        with self._lock:
            self.hits[path] += 1
            self.log.append((path, query))
        return self.route(path, query)

    # ------------------------------------------------------------ content

    def in_range(self, posts: list[Post], since: date, until: date) -> set[str]:
        return {self.base + p.path for p in posts if since <= p.day <= until}

    def article_hits(self) -> set[str]:
        return {self.base + p for p, n in self.hits.items() if n and p in self.by_path}

    def wp_pages_requested(self, since: int = 0) -> list[int]:
        """The ``?paged=N`` numbers of the WordPress archive requests from ``self.log[since:]``."""
        return [int(q.get("paged", ["1"])[0]) for p, q in self.log[since:] if p == "/wp/feed/"]

    def articles_requested(self, since: int = 0) -> set[str]:
        return {self.base + p for p, _ in self.log[since:] if p in self.by_path}

    def route(self, path: str, q: dict[str, list[str]]) -> tuple[int, str, bytes]:
        if path in self.by_path:
            return 200, "text/html; charset=utf-8", self.page(self.by_path[path]).encode()
        if path == "/wp/feed/":
            page = int(q.get("paged", ["1"])[0])
            items = self.wp[(page - 1) * self.WP_PAGE : page * self.WP_PAGE]
            if not items:
                return 404, "text/html", b"<h1>Not found</h1>"
            return 200, "application/rss+xml; charset=utf-8", self.rss(items).encode()
        if path == "/blog/feeds/posts/default":
            start = int(q.get("start-index", ["1"])[0])
            size = int(q.get("max-results", ["25"])[0])
            return 200, "application/atom+xml; charset=utf-8", self.atom(start, size).encode()
        if path == "/robots.txt":
            return (
                200,
                "text/plain",
                f"User-agent: *\nSitemap: {self.base}/sitemap_index.xml\n".encode(),
            )
        if path == "/sitemap_index.xml":
            kids = "".join(
                f"<sitemap><loc>{self.base}/sitemap-{y}.xml</loc><lastmod>{y}-12-31</lastmod>"
                "</sitemap>"
                for y in (2024, 2025, 2026)
            )
            return (
                200,
                "application/xml",
                (
                    '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                    f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{kids}</sitemapindex>'
                ).encode(),
            )
        if path.startswith("/sitemap-") and path.endswith(".xml"):
            year = int(path[len("/sitemap-") : -4])
            urls = "".join(
                f"<url><loc>{self.base}{p.path}</loc><lastmod>{p.day.isoformat()}</lastmod>"
                f"<news:news><news:publication_date>{p.day.isoformat()}</news:publication_date>"
                "</news:news></url>"
                for p in self.wp
                if p.day.year == year
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
        return 404, "text/html", b"<h1>Not found</h1>"

    def page(self, p: Post) -> str:
        paras = "".join(f"<p>{escape(t)}</p>" for t in p.body())
        return (
            f'<!doctype html><html lang="es"><head><title>{escape(p.title)}</title>'
            f'<meta property="article:published_time" content="{p.when.isoformat()}">'
            f'<link rel="canonical" href="{self.base}{p.path}"></head><body>'
            '<nav><a href="/">Inicio</a> <a href="/seguridad">Seguridad</a></nav>'
            f"<article><h1>{escape(p.title)}</h1>"
            f'<time datetime="{p.when.isoformat()}">{p.day:%d/%m/%Y}</time>{paras}</article>'
            "<footer>Archivo de prueba. Todos los derechos reservados.</footer></body></html>"
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
            f"<title>Archivo WP</title><link>{self.base}/wp/</link>{entries}</channel></rss>"
        )

    def atom(self, start: int, size: int) -> str:
        items = self.blog[start - 1 : start - 1 + size]
        nxt = ""
        if start - 1 + size < len(self.blog):
            nxt = (
                f'<link rel="next" type="application/atom+xml" href="{self.base}/blog/feeds/'
                f'posts/default?start-index={start + size}&amp;max-results={size}"/>'
            )
        entries = "".join(
            f"<entry><id>tag:blog,{p.n}</id><title>{escape(p.title)}</title>"
            f'<link rel="alternate" href="{self.base}{p.path}"/>'
            f"<published>{p.when.isoformat()}</published><updated>{p.when.isoformat()}</updated>"
            f"<summary>{escape(p.body()[0])}</summary></entry>"
            for p in items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:openSearch="http://a9.com/-/spec/opensearchrss/1.0/">'
            f"<title>Archivo Blogger</title><openSearch:totalResults>{len(self.blog)}"
            f"</openSearch:totalResults>{nxt}{entries}</feed>"
        )
