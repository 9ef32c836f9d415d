"""The demo site's content: its five fictional outlets, their feeds, the articles loaded
from ``demo/content/<outlet-slug>/*.yaml`` and the date formats the pages use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import yaml

from extractors.lexicon import MONTHS_EN, MONTHS_ES

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


LABELS: dict[str, dict[str, Any]] = {
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


def slugify(text: str) -> str:
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
        return f"{dt.day} de {MONTHS_ES[dt.month - 1]} de {dt.year}, {dt:%H:%M}"
    return f"{MONTHS_EN[dt.month - 1]} {dt.day}, {dt.year}, {dt:%H:%M}"


def rfc822(dt: datetime) -> str:
    return format_datetime(dt)


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)
