"""Storage at scale (issue 6): insert-plus-dedup cost per article with N existing articles.

    .venv/bin/python -m bench.bench_storage                       # sqlite+postgres, 10k and 1M
    .venv/bin/python -m bench.bench_storage --engines sqlite --sizes 10000
    .venv/bin/python -m bench.bench_storage --readme              # also rewrite the README section

For each engine and each N:

1. a fresh database (SQLite file in WAL mode, or a PostgreSQL database ``bw_bench_<pid>_<n>``)
   is migrated to head with ``storage.db.open_database`` and seeded FAST with N synthetic
   articles (bulk ``executemany`` on SQLite, ``COPY`` on PostgreSQL; secondary indexes and the
   full-text triggers are dropped during the load and re-created from their own DDL, so the
   schema after seeding is exactly the migrated one): ~200 outlets (Zipf-like sizes), dates
   spread over 2 years, unique canonical URLs, content hashes and headlines, 1-3 URL aliases
   besides the canonical URL, ~3 mentions, a story cluster each, a feed link, and a MinHash
   signature + 20 LSH bucket rows for the articles of the last 30 days only (random 512-byte
   signatures; 200 "anchor" articles among them carry real ~300-word texts and real MinHash
   signatures so new copies of them can be found);
2. ANALYZE (SQLite) / VACUUM ANALYZE (PostgreSQL);
3. ``store_article`` is timed on M new articles with real ~300-word texts, in transactions of
   50 as the pipeline stores them, each batch preceded by ``known_urls`` for 50 URLs (half
   already stored) in its own transaction. Mix per repetition: 60 % fresh stories, 15 % wire
   copies (3 outlets, new lead sentence), 10 % copies of seeded anchors, 5 % exact re-posts,
   5 % republications (same outlet and headline, edited text), 5 % already-stored canonical
   URLs. Median of 3 repetitions, each on fresh articles;
4. every statement of the dedup path is timed on its own and EXPLAINed (EXPLAIN QUERY PLAN on
   SQLite; EXPLAIN on PostgreSQL, with custom and generic plans).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url

from extractors.fingerprint import content_hash, lsh_buckets, minhash_signature, title_key
from extractors.models import ArticleRecord, Mention
from extractors.urls import site_of
from storage import articles as articles_db
from storage.db import database_size, open_database, session_factory, session_scope

README = Path(__file__).resolve().parent / "README.md"
HEADING = "## Storage at scale (issue 6)"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

WINDOW_DAYS = 30  # the real system keeps signatures / LSH buckets for this window
HISTORY_DAYS = 730
N_SITES = 200
N_ANCHORS = 200
CHUNK = 10_000
BATCH = 50
MB = 1024 * 1024
WARMUP_REP = 99  # seed of the untimed warm-up batch

SEEDED_TABLES = (
    "feeds",
    "story_clusters",
    "articles",
    "article_urls",
    "article_feeds",
    "mentions",
    "article_signatures",
    "lsh_buckets",
)
_COLUMNS = {
    "feeds": "id name url language country tags created_at consecutive_failures interval_seconds",
    "story_clusters": "id representative_id size created_at updated_at",
    "articles": "id canonical_url site title_key cluster_id url feed_id title author "
    "published_at fetched_at language text raw_html content_hash text_source flagged reasons "
    "tags tagger_version review_status review_note reviewed_at",
    "article_urls": "url article_id",
    "article_feeds": "article_id feed_id first_seen_at",
    "mentions": "id article_id entity_type entity_id surface start end snippet state_id role",
    "article_signatures": "article_id minhash created_at",
    "lsh_buckets": "bucket article_id created_at",
}
COLUMNS = {table: cols.split() for table, cols in _COLUMNS.items()}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- vocabulary and texts

CITIES = [
    ("Reynosa", "tamaulipas"),
    ("Matamoros", "tamaulipas"),
    ("Nuevo Laredo", "tamaulipas"),
    ("Ciudad Victoria", "tamaulipas"),
    ("Ciudad Juárez", "chihuahua"),
    ("Chihuahua", "chihuahua"),
    ("Tijuana", "baja-california"),
    ("Mexicali", "baja-california"),
    ("Ensenada", "baja-california"),
    ("Nogales", "sonora"),
    ("Caborca", "sonora"),
    ("Hermosillo", "sonora"),
    ("Culiacán", "sinaloa"),
    ("Mazatlán", "sinaloa"),
    ("Fresnillo", "zacatecas"),
    ("Zacatecas", "zacatecas"),
    ("Celaya", "guanajuato"),
    ("Irapuato", "guanajuato"),
    ("Uruapan", "michoacan"),
    ("Apatzingán", "michoacan"),
    ("Chilpancingo", "guerrero"),
    ("Acapulco", "guerrero"),
    ("Piedras Negras", "coahuila"),
    ("Torreón", "coahuila"),
    ("Monterrey", "nuevo-leon"),
    ("Guadalajara", "jalisco"),
    ("Ciudad Obregón", "sonora"),
    ("San Luis Río Colorado", "sonora"),
]
FORCES = [
    "la Guardia Nacional",
    "el Ejército",
    "la Marina",
    "la policía estatal",
    "la policía municipal",
    "la Fiscalía General del Estado",
    "la Fiscalía General de la República",
    "elementos de la Secretaría de Seguridad",
    "agentes ministeriales",
]
GROUPS = [
    ("cjng", "el Cártel Jalisco Nueva Generación"),
    ("sinaloa", "el Cártel de Sinaloa"),
    ("golfo", "el Cártel del Golfo"),
    ("noreste", "el Cártel del Noreste"),
    ("juarez", "La Línea"),
    ("familia", "La Nueva Familia Michoacana"),
    ("zetas", "los Zetas Vieja Escuela"),
    ("viagras", "Los Viagras"),
]
OFFICIALS = [
    ("gobernador", "el gobernador"),
    ("fiscal", "el fiscal estatal"),
    ("alcalde", "el presidente municipal"),
    ("vocero", "el vocero de seguridad"),
    ("secretario", "el secretario de Seguridad Pública"),
]
PLACES = [
    "la colonia Centro",
    "un fraccionamiento del oriente",
    "la carretera federal",
    "un rancho de la periferia",
    "el puente internacional",
    "una brecha cercana al río",
    "la zona industrial",
    "un taller mecánico",
    "una tienda de conveniencia",
    "el libramiento",
    "un domicilio particular",
    "la central de autobuses",
    "un paraje serrano",
    "la presa",
    "el mercado municipal",
    "una gasolinera",
    "la salida a la sierra",
]
VEHICLES = [
    "camionetas",
    "automóviles compactos",
    "motocicletas",
    "vehículos blindados",
    "pickups sin placas",
    "unidades con reporte de robo",
    "tractocamiones",
]
OBJECTS = [
    "armas largas",
    "cartuchos útiles",
    "cargadores",
    "dosis de metanfetamina",
    "paquetes de marihuana",
    "chalecos tácticos",
    "radios de comunicación",
    "bidones de fentanilo",
    "explosivos artesanales",
    "drones modificados",
]
WEEKDAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
MOMENTS = ["la madrugada", "la mañana", "el mediodía", "la tarde", "la noche"]
VERBS = [
    "reportaron",
    "confirmaron",
    "informaron",
    "detallaron",
    "señalaron",
    "indicaron",
    "explicaron",
    "precisaron",
]
SOURCES = [
    "vecinos de la zona",
    "testigos",
    "fuentes de seguridad",
    "familiares de las víctimas",
    "comerciantes del lugar",
    "medios locales",
    "usuarios de redes sociales",
    "autoridades municipales",
    "paramédicos de la Cruz Roja",
]
TEMPLATES = [
    "{source} {verb} que {force} acudió a {place} de {city} durante {moment} del {day} tras "
    "el reporte de disparos.",
    "De acuerdo con {force}, en el lugar fueron asegurados {n} {objects} y {n2} {vehicles}.",
    "{official_s} de {state_n} {verb} que las investigaciones continúan y no descartó la "
    "participación de {group_s}.",
    "El ataque ocurrió alrededor de las {hour}:{minute} horas cuando un grupo de hombres armados "
    "llegó a bordo de {n} {vehicles} a {place}.",
    "En el enfrentamiento murieron {n} presuntos integrantes de {group_s} y {n2} agentes "
    "resultaron heridos, {verb} {source}.",
    "La zona permaneció acordonada durante {n} horas mientras peritos recolectaban casquillos "
    "de distintos calibres en {place}.",
    "Hasta el cierre de esta edición no se habían reportado personas detenidas por los hechos "
    "registrados en {city}.",
    "{source} relataron que escucharon detonaciones durante cerca de {n} minutos y que varias "
    "familias se refugiaron en sus casas.",
    "La región ha registrado en las últimas semanas al menos {n} hechos violentos atribuidos a "
    "la disputa entre {group_s} y grupos rivales.",
    "Por la tarde se desplegó un operativo conjunto con {n} elementos de {force} y apoyo aéreo "
    "en los alrededores de {city}.",
    "Las víctimas fueron identificadas como {n} hombres de entre {age} y {age2} años, vecinos de "
    "{place}.",
    "{official_s} anunció el reforzamiento de la vigilancia en {n} puntos carreteros de "
    "{state_n} y la instalación de filtros de revisión.",
    "Según el reporte oficial, {force} localizó {n} cuerpos con huellas de violencia en {place} "
    "a las afueras de {city}.",
    "En redes sociales circularon videos en los que se observan {vehicles} incendiados "
    "bloqueando {place} durante {moment}.",
    "El Consejo Estatal de Seguridad informó que en lo que va del año suman {n3} homicidios "
    "dolosos en {state_n}.",
    "Autoridades de Estados Unidos cerraron temporalmente el cruce fronterizo mientras {force} "
    "atendía la emergencia en {city}.",
    "La fiscalía abrió la carpeta de investigación {n3}/{year} por los delitos de homicidio y "
    "portación de {objects}.",
    "Comerciantes de {place} cerraron sus negocios por temor a nuevos ataques y pidieron la "
    "presencia permanente de {force}.",
    "{source} {verb} que {group_s} mantiene presencia en {n} municipios de la región desde hace "
    "{n2} años.",
    "Durante el cateo a {place} se aseguraron {n} {objects}, {n2} {vehicles} y documentación "
    "diversa.",
    "Las clases fueron suspendidas en {n} escuelas de {city} el {day} por recomendación de "
    "{force}.",
    "Organizaciones civiles exigieron a {official_s} un informe detallado sobre las {n} "
    "desapariciones reportadas este mes.",
]
HEADLINES = [
    "Enfrentamiento en {city} deja {n} muertos",
    "Atacan a {force} en {city}",
    "Aseguran {objects} en cateo en {city}",
    "Localizan {n} cuerpos en {city}",
    "Bloqueos e incendios de vehículos en {city}",
    "Suspenden clases en {city} por violencia",
    "Detienen a presunto jefe de plaza en {city}",
    "Reforzarán seguridad en carreteras de {state_n}",
]
SECTIONS = ["seguridad", "policiaca", "local", "estado", "nacional", "justicia", "region"]
SITE_WORDS = [
    "diario",
    "noticias",
    "heraldo",
    "voz",
    "sol",
    "norte",
    "frontera",
    "expreso",
    "mural",
    "informador",
    "tribuna",
    "imparcial",
    "vanguardia",
    "zocalo",
    "debate",
    "cambio",
    "punto",
]
TLDS = ["com.mx", "mx", "com", "net", "info"]


def state_name(state_id: str) -> str:
    return state_id.replace("-", " ").title()


def _fill(tpl: str, rng: random.Random) -> tuple[str, str, str]:
    city, state = rng.choice(CITIES)
    group_id, group = rng.choice(GROUPS)
    _, official = rng.choice(OFFICIALS)
    values = dict(
        city=city,
        state_n=state_name(state),
        force=rng.choice(FORCES),
        group_s=group,
        official_s=official.capitalize() if tpl.startswith("{official_s}") else official,
        place=rng.choice(PLACES),
        vehicles=rng.choice(VEHICLES),
        objects=rng.choice(OBJECTS),
        day=rng.choice(WEEKDAYS),
        moment=rng.choice(MOMENTS),
        verb=rng.choice(VERBS),
        source=rng.choice(SOURCES),
        n=rng.randint(2, 40),
        n2=rng.randint(2, 19),
        n3=rng.randint(100, 9999),
        hour=rng.randint(0, 23),
        minute=f"{rng.randint(0, 59):02d}",
        age=rng.randint(17, 30),
        age2=rng.randint(31, 60),
        year=rng.randint(2023, 2026),
    )
    s = tpl.format(**values)
    return s[0].upper() + s[1:], state, group_id


@dataclass
class Story:
    title: str
    sentences: list[str]
    state: str
    group: str

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def make_story(rng: random.Random, words: int = 300) -> Story:
    first, state, group = _fill(rng.choice(TEMPLATES), rng)
    sentences = [first]
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(_fill(rng.choice(TEMPLATES), rng)[0])
    title = _fill(rng.choice(HEADLINES), rng)[0]
    # headlines of different stories must differ (the republication rule keys on them)
    title = f"{title}: {rng.choice(PLACES)} {rng.randint(1, 10**6)}"
    return Story(title, sentences, state, group)


def lead_sentence(rng: random.Random) -> str:
    city, _ = rng.choice(CITIES)
    return (
        rng.choice(
            [
                f"{city.upper()}.- ",
                "Información de agencias. ",
                f"En un nuevo hecho violento en {city}, ",
                f"Redacción {rng.choice(SITE_WORDS).title()}. ",
            ]
        )
        + _fill(rng.choice(TEMPLATES), rng)[0]
    )


def make_sites(rng: random.Random) -> list[str]:
    sites: list[str] = []
    seen = set()
    while len(sites) < N_SITES:
        city = rng.choice(CITIES)[0].lower().replace(" ", "").replace("á", "a").replace("é", "e")
        city = city.replace("í", "i").replace("ó", "o").replace("ú", "u")
        name = f"{rng.choice(SITE_WORDS)}{rng.choice(['', 'de', 'del'])}{city}.{rng.choice(TLDS)}"
        if name not in seen:
            seen.add(name)
            sites.append(name)
    return sites


# ---------------------------------------------------------------- the shared world


@dataclass
class Anchor:
    """A seeded recent article with a real text and signature (target of new copies)."""

    site: str
    story: Story
    published_at: datetime
    canonical_url: str
    text: str = ""
    signature: bytes = b""


@dataclass
class World:
    now: datetime
    sites: list[str]
    site_weights: list[float]
    feeds_of: dict[str, list[int]]
    anchors: list[Anchor]


def make_world(now: datetime) -> World:
    rng = random.Random(6)
    sites = make_sites(rng)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(N_SITES)]
    feeds_of: dict[str, list[int]] = {}
    fid = 1
    for s in sites:
        k = rng.choice([1, 1, 2])
        feeds_of[s] = list(range(fid, fid + k))
        fid += k
    anchors = []
    t = time.perf_counter()
    for j in range(N_ANCHORS):
        site = rng.choices(sites, weights)[0]
        story = make_story(rng)
        published = now - timedelta(days=1 + (WINDOW_DAYS - 4) * j / N_ANCHORS, minutes=j)
        slug = re.sub(r"[^a-z0-9]+", "-", (title_key(story.title) or "nota"))[:80]
        url = f"https://{site}/{rng.choice(SECTIONS)}/{published:%Y/%m/%d}/{slug}-a{j}"
        a = Anchor(site, story, published, url, story.text)
        sig = minhash_signature(a.text)
        assert sig is not None
        a.signature = sig
        anchors.append(a)
    log(
        f"world: {N_SITES} sites, {fid - 1} feeds, {N_ANCHORS} anchors "
        f"({time.perf_counter() - t:.1f}s)"
    )
    return World(now, sites, weights, feeds_of, anchors)


# ---------------------------------------------------------------- seed rows


@dataclass
class SeedSample:
    """What the workload needs to know about the seeded rows."""

    urls: list[str] = field(default_factory=list)  # stored URL spellings (for known_urls)
    canonicals: list[str] = field(default_factory=list)  # stored canonical URLs
    recent: int = 0  # articles with signature + LSH rows


def seed_chunks(world: World, n: int, sample: SeedSample) -> Iterator[dict[str, list[tuple]]]:
    """The N synthetic articles and their rows, CHUNK articles at a time (datetimes aware)."""
    rng = random.Random(n)
    now = world.now
    start = now - timedelta(days=HISTORY_DAYS)
    span = HISTORY_DAYS * 86400.0
    window_start = now - timedelta(days=WINDOW_DAYS)
    first_recent = max(1, int(n * (HISTORY_DAYS - WINDOW_DAYS) / HISTORY_DAYS))
    n_recent = n - first_recent + 1
    n_anchor = min(len(world.anchors), n_recent)
    if n_anchor < len(world.anchors):
        log(f"  only {n_anchor} of {len(world.anchors)} anchors fit in the 30-day window at N={n}")
    anchor_at = {
        first_recent + (k * n_recent) // max(n_anchor, 1): world.anchors[k] for k in range(n_anchor)
    }
    sample.recent = n_recent
    mention_id = 1
    for lo in range(1, n + 1, CHUNK):
        rows: dict[str, list[tuple]] = defaultdict(list)
        for aid in range(lo, min(lo + CHUNK, n + 1)):
            anchor = anchor_at.get(aid)
            fetched = start + timedelta(seconds=span * (aid - 0.5) / n + rng.uniform(-600, 600))
            if anchor is not None:
                site = anchor.site
                published = anchor.published_at
                fetched = published + timedelta(minutes=30)
                title = anchor.story.title
                tkey = title_key(title)
                canonical = anchor.canonical_url
                text_ = anchor.text
                chash = content_hash(text_)
            else:
                site = rng.choices(world.sites, world.site_weights)[0]
                published = fetched - timedelta(seconds=rng.uniform(0, 8 * 3600))
                city = rng.choice(CITIES)[0]
                title = f"{rng.choice(HEADLINES).split(' {')[0]} {city} {aid}"
                tkey = title_key(title)
                slug = re.sub(r"[^a-z0-9]+", "-", tkey or "nota")
                canonical = f"https://{site}/{rng.choice(SECTIONS)}/{published:%Y/%m/%d}/{slug}"
                text_ = f"{title}. " + _fill(rng.choice(TEMPLATES), rng)[0]
                chash = hashlib.sha256(f"seed:{aid}".encode()).hexdigest()
            feed_id = rng.choice(world.feeds_of[site])
            variants = [
                f"{canonical}?utm_source=rss&utm_medium=feed",
                canonical.replace("https://", "https://m.", 1),
                canonical + "/amp",
                canonical.replace("https://", "http://www.", 1),
            ]
            aliases = rng.sample(variants, rng.randint(1, 3))
            url = aliases[0] if rng.random() < 0.6 else canonical
            recent = fetched >= window_start
            flagged = rng.random() < 0.25
            rows["story_clusters"].append((aid, aid, 1, fetched, fetched))
            rows["articles"].append(
                (
                    aid, canonical, site, tkey, aid, url, feed_id, title, None, published,
                    fetched, "es" if rng.random() < 0.85 else "en", text_, None, chash, "page",
                    flagged, '["violence"]' if flagged else "[]", "{}", "tagger-1",
                    "new" if recent else rng.choice(["reviewed", "dismissed", "new"]), None,
                    None,
                )
            )  # fmt: skip
            rows["article_urls"].extend((u, aid) for u in (canonical, *aliases))
            rows["article_feeds"].append((aid, feed_id, fetched))
            starts = sorted(rng.sample(range(0, 140, 7), rng.randint(1, 5)))
            for s in starts:
                etype = rng.choice(["state", "place", "group", "official", "term"])
                city, state = rng.choice(CITIES)
                rows["mentions"].append(
                    (
                        mention_id, aid, etype,
                        state if etype == "state" else f"{etype}-{rng.randint(1, 400)}",
                        city, s, s + len(city), "", state, None,
                    )
                )  # fmt: skip
                mention_id += 1
            if recent:
                sig = anchor.signature if anchor else rng.randbytes(512)
                rows["article_signatures"].append((aid, sig, fetched))
                rows["lsh_buckets"].extend((b, aid, fetched) for b in sorted(set(lsh_buckets(sig))))
            if rng.random() < 0.01 and len(sample.urls) < 20_000:
                sample.urls.append(rng.choice([canonical, *aliases]))
                sample.canonicals.append(canonical)
        yield rows


def feed_rows(world: World) -> list[tuple]:
    out = []
    for site, ids in world.feeds_of.items():
        for k, fid in enumerate(ids):
            out.append(
                (
                    fid,
                    f"{site} {k}",
                    f"https://{site}/feed/{k}",
                    "es",
                    "MX",
                    "[]",
                    world.now,
                    0,
                    900,
                )
            )
    return out


# ---------------------------------------------------------------- seeding: SQLite


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, datetime):  # SQLAlchemy's SQLite DATETIME storage format, naive UTC
        v = v.astimezone(UTC)
        return f"{v:%Y-%m-%d %H:%M:%S}.{v.microsecond:06d}"
    if isinstance(v, bool):
        return int(v)
    return v


def seed_sqlite(path: Path, world: World, n: int, sample: SeedSample) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("PRAGMA cache_size=-1048576")
        con.execute("PRAGMA temp_store=MEMORY")
        marks = ",".join("?" * len(SEEDED_TABLES))
        indexes = con.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            SEEDED_TABLES,
        ).fetchall()
        triggers = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='articles'"
        ).fetchall()
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        for name, _ in triggers:
            con.execute(f'DROP TRIGGER "{name}"')

        def put(table: str, rows: Sequence[tuple]) -> None:
            cols = COLUMNS[table]
            names = ", ".join(f'"{c}"' for c in cols)
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(cols))})"
            con.executemany(sql, ([_sqlite_value(v) for v in r] for r in rows))

        con.execute("BEGIN")
        put("feeds", feed_rows(world))
        done = 0
        t = time.perf_counter()
        for rows in seed_chunks(world, n, sample):
            for table in SEEDED_TABLES[1:]:
                put(table, rows.get(table, []))
            done += len(rows["articles"])
            if done % 100_000 == 0 or done == n:
                con.execute("COMMIT")
                con.execute("BEGIN")
                log(f"  sqlite: {done:,}/{n:,} articles loaded ({time.perf_counter() - t:.0f}s)")
        con.execute("COMMIT")
        t = time.perf_counter()
        for _, sql in indexes:
            con.execute(sql)
        log(f"  sqlite: {len(indexes)} indexes re-created ({time.perf_counter() - t:.0f}s)")
        t = time.perf_counter()
        for _, sql in triggers:
            con.execute(sql)
        con.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
        log(f"  sqlite: full-text index rebuilt ({time.perf_counter() - t:.0f}s)")
        t = time.perf_counter()
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("ANALYZE")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log(f"  sqlite: ANALYZE ({time.perf_counter() - t:.0f}s)")
    finally:
        con.close()


# ---------------------------------------------------------------- seeding: PostgreSQL


def _psycopg_dsn(url: str) -> str:
    u = make_url(url)
    parts = {
        "host": u.host or "127.0.0.1",
        "port": u.port or 5432,
        "user": u.username or "postgres",
        "dbname": u.database or "postgres",
    }
    if u.password:
        parts["password"] = u.password
    return " ".join(f"{k}={v}" for k, v in parts.items())


def seed_postgres(url: str, world: World, n: int, sample: SeedSample) -> None:
    import psycopg

    with psycopg.connect(_psycopg_dsn(url)) as con:
        con.execute("SET session_replication_role = replica")  # no FK triggers during the load
        con.execute("SET synchronous_commit = off")
        con.execute("SET maintenance_work_mem = '1GB'")
        indexes = con.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
            "AND i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(SEEDED_TABLES),),
        ).fetchall()
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        con.commit()

        def put(table: str, rows: Sequence[tuple]) -> None:
            cols = ", ".join(f'"{c}"' for c in COLUMNS[table])
            with con.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)

        put("feeds", feed_rows(world))
        done = 0
        t = time.perf_counter()
        for rows in seed_chunks(world, n, sample):
            for table in SEEDED_TABLES[1:]:
                put(table, rows.get(table, []))
            con.commit()
            done += len(rows["articles"])
            if done % 100_000 == 0 or done == n:
                log(f"  postgres: {done:,}/{n:,} articles loaded ({time.perf_counter() - t:.0f}s)")
        t = time.perf_counter()
        for _, sql in indexes:
            con.execute(sql)
            con.commit()
        log(f"  postgres: {len(indexes)} indexes re-created ({time.perf_counter() - t:.0f}s)")
        for table in ("feeds", "story_clusters", "articles", "mentions"):
            con.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        con.commit()
    t = time.perf_counter()
    with psycopg.connect(_psycopg_dsn(url), autocommit=True) as con:
        con.execute("VACUUM ANALYZE")
    log(f"  postgres: VACUUM ANALYZE ({time.perf_counter() - t:.0f}s)")


# ---------------------------------------------------------------- the workload


@dataclass
class Workload:
    records: list[ArticleRecord]
    kinds: list[str]
    known_batches: list[list[str]]


def _mentions(story: Story, text_: str, rng: random.Random) -> tuple[Mention, ...]:
    out = []
    for etype, eid in (("state", story.state), ("group", story.group)):
        out.append(Mention(etype, eid, eid, 0, len(eid), text_[:120], story.state))
    city = next((c for c, _ in CITIES if c in text_), None)
    if city:
        k = text_.index(city)
        out.append(Mention("place", city.lower(), city, k, k + len(city), text_[k : k + 120]))
    if rng.random() < 0.3:
        out.append(Mention("official", "fiscal", "el fiscal", 5, 14, ""))
    return tuple(out)


def _record(
    world: World,
    rng: random.Random,
    *,
    site: str,
    story: Story,
    text_: str,
    published: datetime,
    url: str | None = None,
) -> ArticleRecord:
    if url is None:
        slug = re.sub(r"[^a-z0-9]+", "-", title_key(story.title) or "nota")[:80]
        url = f"https://{site}/{rng.choice(SECTIONS)}/{published:%Y/%m/%d}/{slug}-{rng.getrandbits(40):x}"
    flagged = rng.random() < 0.3
    return ArticleRecord(
        canonical_url=url,
        url=f"{url}?utm_source=rss&utm_medium=feed",
        feed_id=rng.choice(world.feeds_of[site]),
        text=text_,
        content_hash=content_hash(text_),
        title=story.title,
        published_at=published,
        language="es",
        flagged=flagged,
        reasons=("violence",) if flagged else (),
        tags={"states": [{"id": story.state}], "groups": [{"id": story.group}]},
        tagger_version="tagger-1",
        aliases=(url.replace("https://", "https://m.", 1),),
        mentions=_mentions(story, text_, rng),
        site=site_of(url),
        title_key=title_key(story.title),
        signature=minhash_signature(text_),
    )


def make_workload(world: World, rep: int, m: int) -> Workload:
    """M new articles for repetition ``rep`` (fresh stories each time), mixed as documented."""
    rng = random.Random(1000 + rep)
    anchors = world.anchors
    now = world.now

    def when() -> datetime:
        return now - timedelta(seconds=rng.uniform(0, 12 * 3600))

    def other_site(*not_these: str) -> str:
        while True:
            s = rng.choices(world.sites, world.site_weights)[0]
            if s not in not_these:
                return s

    n_wire_stories = max(1, m * 15 // 100 // 3)
    n_anchor_copy = m * 10 // 100
    n_repost = m * 5 // 100
    n_repub = m * 5 // 100
    n_conflict = m * 5 // 100
    n_fresh = m - 3 * n_wire_stories - n_anchor_copy - n_repost - n_repub - n_conflict
    items: list[tuple[str, ArticleRecord]] = []
    fresh: list[ArticleRecord] = []
    for _ in range(n_fresh):
        site = rng.choices(world.sites, world.site_weights)[0]
        story = make_story(rng)
        rec = _record(world, rng, site=site, story=story, text_=story.text, published=when())
        fresh.append(rec)
        items.append(("fresh", rec))
    late: list[tuple[str, ArticleRecord]] = []  # must come after what they copy
    for _ in range(n_wire_stories):
        story = make_story(rng, 290)
        used: list[str] = []
        for k in range(3):  # three outlets
            site = other_site(*used)
            used.append(site)
            text_ = lead_sentence(rng) + " " + story.text
            rec = _record(world, rng, site=site, story=story, text_=text_, published=when())
            (items if k == 0 else late).append(("wire copy" if k else "wire first", rec))
    base = rep * N_ANCHORS // 3
    for i in range(n_anchor_copy):
        a = anchors[(base + i) % len(anchors)]
        text_ = lead_sentence(rng) + " " + a.text
        rec = _record(world, rng, site=other_site(a.site), story=a.story, text_=text_,
                      published=when())  # fmt: skip
        items.append(("anchor copy", rec))
    for i in range(n_repost):
        if i % 2 == 0:  # an anchor re-posted by its outlet under another URL
            a = anchors[(base + n_anchor_copy + i) % len(anchors)]
            rec = _record(world, rng, site=a.site, story=a.story, text_=a.text, published=when())
            items.append(("exact repost", rec))
        else:  # a story of this batch re-posted by its outlet
            src = rng.choice(fresh)
            rec = _record(world, rng, site=src.site or "", story=Story(src.title or "", [], "", ""),
                          text_=src.text, published=when())  # fmt: skip
            rec = dataclasses.replace(rec, mentions=src.mentions)
            late.append(("exact repost", rec))
    for i in range(n_repub):
        a = anchors[(base + n_anchor_copy + n_repost + i) % len(anchors)]
        sentences = list(a.story.sentences)
        for k in rng.sample(range(1, len(sentences)), 3):
            sentences[k] = _fill(rng.choice(TEMPLATES), rng)[0]
        story = Story(a.story.title, sentences, a.story.state, a.story.group)
        rec = _record(world, rng, site=a.site, story=story, text_=story.text,
                      published=a.published_at + timedelta(days=1))  # fmt: skip
        items.append(("republication", rec))
    for _ in range(n_conflict):  # the URL is set per database by bind_workload
        story = make_story(rng)
        site = rng.choices(world.sites, world.site_weights)[0]
        rec = _record(world, rng, site=site, story=story, text_=story.text, published=when())
        items.append(("stored URL", rec))
    rng.shuffle(items)
    for kind, rec in late:  # after the article they copy
        if kind == "exact repost":
            src_pos = next(i for i, (_, r) in enumerate(items) if r.text == rec.text)
        else:
            src_pos = next(
                i for i, (k, r) in enumerate(items) if k == "wire first" and r.title == rec.title
            )
        items.insert(rng.randint(src_pos + 1, len(items)), (kind, rec))
    return Workload([r for _, r in items], [k for k, _ in items], [])


def bind_workload(world: World, w: Workload, rep: int, sample: SeedSample) -> Workload:
    """Point the "stored URL" articles at canonical URLs of this database's seed, and make the
    known_urls batches (half of them stored URL spellings of this seed)."""
    rng = random.Random(2000 + rep)
    records = []
    for kind, rec in zip(w.kinds, w.records, strict=True):
        if kind == "stored URL":
            url = rng.choice(sample.canonicals)
            site = site_of(url)
            rec = dataclasses.replace(
                rec,
                canonical_url=url,
                url=f"{url}?utm_source=rss&utm_medium=feed",
                aliases=(url.replace("https://", "https://m.", 1),),
                site=site,
                feed_id=rng.choice(world.feeds_of[site]),
            )
        records.append(rec)
    known_batches = []
    for k in range(0, len(records), BATCH):
        new = [r.canonical_url for r in records[k : k + BATCH]][: BATCH // 2]
        old = rng.sample(sample.urls, BATCH - len(new))
        known_batches.append(new + old)
    return Workload(records, w.kinds, known_batches)


# ---------------------------------------------------------------- statement timing and plans

LABELS = [
    ("exact copy: content_hash + site", r"^SELECT articles\.id\s+FROM articles\s+WHERE "
     r"articles\.content_hash"),
    ("republication: site + title_key + published_at", r"JOIN article_signatures .*WHERE "
     r"articles\.site"),
    ("INSERT article ON CONFLICT (canonical_url)", r"^INSERT INTO articles "),
    ("stored URL: id by canonical_url", r"^SELECT articles\.id\s+FROM articles\s+WHERE "
     r"articles\.canonical_url"),
    ("LSH candidates: bucket IN (20 keys), 30-day window", r"FROM lsh_buckets"),
    ("candidate signatures + cluster", r"FROM article_signatures JOIN articles"),
    ("INSERT signature", r"^INSERT INTO article_signatures"),
    ("INSERT 20 LSH buckets", r"^INSERT INTO lsh_buckets"),
    ("INSERT story cluster", r"^INSERT INTO story_clusters"),
    ("UPDATE story cluster size", r"^UPDATE story_clusters"),
    ("UPDATE article cluster_id", r"^UPDATE articles SET cluster_id"),
    ("INSERT mentions", r"^INSERT INTO mentions"),
    ("INSERT URL aliases", r"^INSERT INTO article_urls"),
    ("INSERT feed link", r"^INSERT INTO article_feeds"),
    ("known_urls: url IN (50)", r"^SELECT article_urls\.url\s+FROM article_urls"),
    ("link_known: article by URL", r"^SELECT article_urls\.article_id"),
]  # fmt: skip
_LABEL_RE = [(name, re.compile(rx, re.S)) for name, rx in LABELS]


def label_of(statement: str) -> str | None:
    for name, rx in _LABEL_RE:
        if rx.search(statement):
            return name
    return None


class StatementTimer:
    """Per-statement wall time (cursor.execute) and the first statement seen for each label."""

    def __init__(self, engine: Engine) -> None:
        self.total: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)
        self.samples: dict[str, tuple[str, Any]] = {}
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.total.clear()
        self.count.clear()

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, params: Any, ctx: Any, many: bool):
        conn.info["bw_t0"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, params: Any, ctx: Any, many: bool):
        dt = time.perf_counter() - conn.info.pop("bw_t0", time.perf_counter())
        name = label_of(statement) or statement.split()[0].upper()
        self.total[name] += dt
        self.count[name] += 1
        if name not in self.samples and not many:
            self.samples[name] = (statement, params)


PLAN_LABELS = [name for name, _ in LABELS if not name.startswith(("INSERT 20", "INSERT sig",
                                                                   "INSERT story", "INSERT men",
                                                                   "INSERT feed"))]  # fmt: skip


def _pg_plans(dbapi: Any, statement: str, params: dict[str, Any]) -> dict[str, str]:
    """EXPLAIN with the actual values (custom plan), and EXPLAIN EXECUTE of the statement
    prepared with force_generic_plan: the plan PostgreSQL may reuse once psycopg has prepared a
    statement run 5 times (PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN))."""
    from psycopg import ClientCursor

    out: dict[str, str] = {}
    try:
        rows = dbapi.execute("EXPLAIN " + statement, params).fetchall()
        out["custom"] = "\n".join(r[0] for r in rows)
        names: list[str] = []

        def dollar(m: re.Match[str]) -> str:
            if m.group(1) not in names:
                names.append(m.group(1))
            return f"${names.index(m.group(1)) + 1}"

        prepared = re.sub(r"%\((\w+)\)s", dollar, statement).replace("%%", "%")
        args = ClientCursor(dbapi).mogrify(
            ", ".join(["%s"] * len(names)), [params[k] for k in names]
        )
        dbapi.execute(f"PREPARE bw_bench_plan AS {prepared}")
        dbapi.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        rows = dbapi.execute(f"EXPLAIN EXECUTE bw_bench_plan({args})").fetchall()
        out["generic"] = "\n".join(r[0] for r in rows)
        dbapi.execute("DEALLOCATE bw_bench_plan")
    except Exception as exc:  # report, do not sink the run
        out.setdefault("custom", "")
        out["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        dbapi.rollback()
    return out


def explain(engine: Engine, samples: dict[str, tuple[str, Any]]) -> dict[str, dict[str, str]]:
    """The plan of each sampled statement: {'label': {'custom': ..., 'generic': ...}}."""
    plans: dict[str, dict[str, str]] = {}
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        assert dbapi is not None
        for name in PLAN_LABELS:
            if name not in samples:
                continue
            statement, params = samples[name]
            if engine.dialect.name == "sqlite":
                cur = dbapi.cursor()
                rows = cur.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
                plans[name] = {"custom": "; ".join(r[3] for r in rows)}
                cur.close()
                continue
            plans[name] = _pg_plans(dbapi, statement, params)
    finally:
        raw.close()
    return plans


# ---------------------------------------------------------------- one database


@dataclass
class Result:
    engine: str
    n: int
    seed_s: float
    db_bytes: int
    store_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    commit_ms: list[float] = field(default_factory=list)
    known_ms: list[float] = field(default_factory=list)
    outcomes: list[dict[str, int]] = field(default_factory=list)
    per_stmt: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    calls: dict[str, int] = field(default_factory=dict)
    plans: dict[str, dict[str, str]] = field(default_factory=dict)
    plans_no_stats: dict[str, dict[str, str]] = field(default_factory=dict)
    loadavg: list[float] = field(default_factory=list)

    @property
    def store_median(self) -> float:
        return statistics.median(self.store_ms)

    @property
    def sql_median(self) -> float:
        return statistics.median(self.sql_ms)

    @property
    def known_median(self) -> float:
        return statistics.median(self.known_ms)

    @property
    def statements(self) -> dict[str, dict[str, float]]:
        return {
            k: {"us": statistics.median(v), "calls_per_rep": self.calls.get(k, 0)}
            for k, v in self.per_stmt.items()
        }


@dataclass
class Db:
    """One seeded database under measurement."""

    result: Result
    url: str
    engine: Engine
    timer: StatementTimer
    workloads: list[Workload]  # [warm-up, rep 1, rep 2, …]
    cleanup: Any


def run_rep(db: Db, rep: int) -> None:
    """Store one workload (``rep`` 0 is the untimed warm-up) and record its timings."""
    engine, timer, w, res = db.engine, db.timer, db.workloads[rep], db.result
    timer.reset()
    t_store = t_known = t_sql = t_commit = 0.0
    created_ids: list[int] = []
    counts: dict[str, int] = defaultdict(int)
    for k in range(0, len(w.records), BATCH):
        t = time.perf_counter()
        with session_scope(engine) as s:
            articles_db.known_urls(s, w.known_batches[k // BATCH])
        t_known += time.perf_counter() - t
        t = time.perf_counter()
        sql_before = sum(timer.total.values())
        # storage.db.session_scope, unrolled to time the commit on its own
        with session_factory(engine)() as s:
            with s.begin():
                for rec in w.records[k : k + BATCH]:
                    aid, created = articles_db.store_article(s, rec)
                    if created:
                        created_ids.append(aid)
                tc = time.perf_counter()
            t_commit += time.perf_counter() - tc
        t_store += time.perf_counter() - t
        t_sql += sum(timer.total.values()) - sql_before
    for kind in w.kinds:
        counts[kind] += 1
    counts["created"] = len(created_ids)
    joined = 0
    with engine.connect() as conn:
        for i in range(0, len(created_ids), 500):
            ids = ",".join(str(x) for x in created_ids[i : i + 500])
            joined += conn.execute(
                text(
                    "SELECT count(*) FROM articles a JOIN story_clusters c ON c.id = a.cluster_id "
                    f"WHERE a.id IN ({ids}) AND c.representative_id <> a.id"
                )
            ).scalar_one()
    counts["joined an existing cluster"] = joined
    m = len(w.records)
    what = "warm-up (not counted)" if rep == 0 else f"rep {rep}"
    log(
        f"  {res.engine} N={res.n:,} {what}: store {1000 * t_store / m:.2f} ms/article "
        f"({1000 * t_sql / m:.2f} in SQL), known_urls {1000 * t_known / len(w.known_batches):.2f}"
        f" ms/batch; created {len(created_ids)}/{m}, {joined} joined an existing cluster; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if rep == 0:
        return
    res.store_ms.append(1000 * t_store / m)
    res.sql_ms.append(1000 * t_sql / m)
    res.commit_ms.append(1000 * t_commit / m)
    res.known_ms.append(1000 * t_known / len(w.known_batches))
    res.outcomes.append(dict(counts))
    res.loadavg.append(os.getloadavg()[0])
    for name, tot in timer.total.items():
        res.per_stmt[name].append(1e6 * tot / timer.count[name])
        res.calls[name] = timer.count[name]


def open_sqlite(
    world: World, n: int, workloads_for: Any, tmp: Path, keep: bool, pragmas: Sequence[str] = ()
) -> Db:
    path = tmp / f"bw_bench_{os.getpid()}_{n}.db"
    url = f"sqlite:///{path}"
    t = time.perf_counter()
    open_database(url).dispose()  # the migrated schema
    sample = SeedSample()
    seed_sqlite(path, world, n, sample)
    seed_s = time.perf_counter() - t
    engine = open_database(url)
    if pragmas:  # an experiment: settings storage.db.make_engine does not apply

        @event.listens_for(engine, "connect")
        def _extra(dbapi_conn: Any, _record: Any) -> None:
            for pragma in pragmas:
                dbapi_conn.execute(f"PRAGMA {pragma}")

        engine.dispose()
    size = database_size(engine)
    log(f"sqlite N={n:,}: seeded in {seed_s:.0f}s, {size / MB:.0f} MB")

    def cleanup() -> None:
        engine.dispose()
        if not keep:
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)

    res = Result("sqlite", n, seed_s, size)
    return Db(res, url, engine, StatementTimer(engine), workloads_for(sample), cleanup)


def open_postgres(world: World, n: int, workloads_for: Any, base_url: str, keep: bool) -> Db:
    from sqlalchemy import create_engine

    name = f"bw_bench_{os.getpid()}_{n}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    engine: Engine | None = None

    def cleanup() -> None:
        if engine is not None:
            engine.dispose()
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    try:
        t = time.perf_counter()
        open_database(url).dispose()
        sample = SeedSample()
        seed_postgres(url, world, n, sample)
        seed_s = time.perf_counter() - t
        engine = open_database(url)
        size = database_size(engine)
    except BaseException:
        cleanup()
        raise
    log(f"postgres N={n:,}: seeded in {seed_s:.0f}s, {size / MB:.0f} MB")
    res = Result("postgres", n, seed_s, size)
    return Db(res, url, engine, StatementTimer(engine), workloads_for(sample), cleanup)


def finish(db: Db) -> None:
    """EXPLAIN the sampled statements (and, on SQLite, again without planner statistics)."""
    db.timer.close()
    samples = db.timer.samples
    db.result.plans = explain(db.engine, samples)
    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as conn:
            for stat in ("sqlite_stat1", "sqlite_stat4"):
                if conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = ?", (stat,)
                ).first():
                    conn.exec_driver_sql(f"DELETE FROM {stat}")
        db.engine.dispose()  # statistics are read when a connection loads the schema
        db.result.plans_no_stats = explain(db.engine, samples)


# ---------------------------------------------------------------- report


def machine(pg_url: str | None) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    info = {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": mem,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    if pg_url:
        from sqlalchemy import create_engine

        eng = create_engine(pg_url)
        try:
            with eng.connect() as conn:
                info["postgresql"] = conn.execute(text("SHOW server_version")).scalar_one()
                info["shared_buffers"] = conn.execute(text("SHOW shared_buffers")).scalar_one()
        finally:
            eng.dispose()
    return info


def _index_of(plan: str) -> str:
    """The plan lines that name an index or a scan (the lines the README quotes)."""
    keep = []
    for line in plan.splitlines() if "\n" in plan else plan.split("; "):
        s = line.strip().lstrip("-> ").strip()
        if re.search(r"(?i)index|scan|search|arbiter|using", s) and not re.match(
            r"(Filter|Index Cond|Recheck Cond|Heap Fetches)", s
        ):
            keep.append(re.sub(r"\s+\(cost=.*?\)", "", s))
    return "; ".join(keep)


# what each statement of the dedup path relies on (schema: storage/tables.py + migrations)
INDEX_DOC = {
    "exact copy: content_hash + site": (
        "`ix_articles_content_hash` (articles.content_hash), migration 0001",
        "same text in the same outlet: `WHERE content_hash = ? AND site = ? LIMIT 1`",
    ),
    "republication: site + title_key + published_at": (
        "`ix_articles_site_title` (site, title_key), 0002; `pk_article_signatures`",
        "same headline in the same outlet within ±7 days, then signature similarity",
    ),
    "INSERT article ON CONFLICT (canonical_url)": (
        "`uq_articles_canonical_url` (unique), 0001",
        "arbiter of `ON CONFLICT (canonical_url) DO NOTHING`; the insert also maintains the "
        "other articles indexes and the full-text index",
    ),
    "stored URL: id by canonical_url": (
        "`uq_articles_canonical_url`",
        "id of the article already stored under the canonical URL",
    ),
    "LSH candidates: bucket IN (20 keys), 30-day window": (
        "`pk_lsh_buckets` (bucket, article_id), 0002",
        "`bucket IN (20 keys) AND created_at >= now-30d`; `ix_lsh_buckets_created_at` serves "
        "the pruning DELETE, `ix_lsh_buckets_article_id` the FK cascade",
    ),
    "candidate signatures + cluster": (
        "`pk_article_signatures` (article_id), `pk_articles`",
        "signatures and clusters of the candidates",
    ),
    "UPDATE story cluster size": ("`pk_story_clusters`", "joining an existing cluster"),
    "UPDATE article cluster_id": (
        "`pk_articles` (writes `ix_articles_cluster_id`)",
        "the new article's cluster",
    ),
    "INSERT URL aliases": (
        "`pk_article_urls` (url), 0001",
        "`ON CONFLICT DO NOTHING` on every URL spelling",
    ),
    "known_urls: url IN (50)": ("`pk_article_urls` (url)", 'the per-poll "stored yet?" check'),
}


def _ratio(r: Result, lo: Result | None, attr: str) -> str:
    if lo is None or lo.n == r.n:
        return "—"
    return f"{getattr(r, attr) / getattr(lo, attr):.2f}×"


def report(results: list[Result], info: dict[str, str], m: int, reps: int) -> str:
    by = {(r.engine, r.n): r for r in results}
    sizes = sorted({r.n for r in results})
    pg = (
        f"; PostgreSQL {info['postgresql']} (shared_buffers {info['shared_buffers']})"
        if "postgresql" in info
        else ""
    )
    lines = [HEADING, ""]
    lines.append(
        f"`.venv/bin/python -m bench.bench_storage` on {info['cpu']}, {info['cores']} cores, "
        f"{info['ram']} RAM; Python {info['python']}; SQLite {info['sqlite']}"
        + (f" (extra PRAGMAs: {info['sqlite_pragmas']})" if "sqlite_pragmas" in info else "")
        + f"{pg}; run "
        f"{time.strftime('%Y-%m-%d')}."
    )
    lines.append("")
    lines.append(
        f"ms/article = wall time of `store_article` for {m} new articles in transactions of "
        f"{BATCH} (commit included) / {m}; of which SQL = time inside `cursor.execute` (the "
        "rest is the commit and Python: SQLAlchemy statement building and compiling, signature "
        f"comparison); known_urls = one `known_urls` call on {BATCH} URLs (half stored) in its "
        f"own transaction. Median of {reps} repetitions (each value in brackets), each on "
        "fresh articles; the sizes are measured interleaved (rep 1 of every N, then rep 2 …) "
        "so that other load on the machine hits them alike (SQLite steps the rows after the "
        "first inside `fetch`, not `execute`: its multi-row SELECTs count partly outside SQL); "
        "load avg = 1-minute load average "
        f"after each repetition ({info['cores']} cores). Ratio = value at N={sizes[-1]:,} / "
        f"value at N={sizes[0]:,}."
    )
    lines.append("")
    lines.append(
        "Seeding (not through `store_article`): N synthetic articles over 2 years from 200 "
        "outlets (Zipf-like sizes), unique canonical URLs, content hashes and headlines, the "
        "canonical URL plus 1–3 aliases in `article_urls` (≈3 rows per article), 1–5 mentions "
        "(≈3), a story cluster and a feed link each; a signature and 20 `lsh_buckets` rows only "
        f"for the articles of the last {WINDOW_DAYS} days (≈4 % of N, as the real system keeps; "
        f"random 512-byte signatures, except {N_ANCHORS} anchor articles with real ~300-word "
        "texts and MinHash that new copies can match). Bulk-loaded (executemany on SQLite, COPY "
        "on PostgreSQL) with the secondary indexes and full-text triggers dropped and re-created "
        "from their own DDL, then ANALYZE / VACUUM ANALYZE. Seeded texts are one sentence and "
        "`raw_html` is empty, so the sizes are those of rows and indexes, far below a real "
        "database holding pages. New articles carry no `raw_html` either (storing a page's "
        "gzip does not depend on N)."
    )
    lines.append("")
    lines.append(
        "| engine | N existing | ms/article (insert+dedup) | ratio | of which SQL | ratio "
        "| ms per known_urls batch | ratio | seeding time | DB size | load avg |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        lo = by.get((r.engine, sizes[0]))
        each = " / ".join(f"{x:.2f}" for x in r.store_ms)
        lines.append(
            f"| {r.engine} | {r.n:,} | {r.store_median:.2f} ({each}) | "
            f"{_ratio(r, lo, 'store_median')} | {r.sql_median:.2f} | "
            f"{_ratio(r, lo, 'sql_median')} | {r.known_median:.2f} | "
            f"{_ratio(r, lo, 'known_median')} | {r.seed_s:.0f} s | {r.db_bytes / MB:,.0f} MB | "
            f"{min(r.loadavg):.1f}–{max(r.loadavg):.1f} |"
        )
    lines.append("")
    extra = ("created", "joined an existing cluster")
    mix = {k: v for k, v in results[0].outcomes[0].items() if k not in extra}
    lines.append(
        "New articles per repetition: "
        + ", ".join(f"{v} {k}" for k, v in sorted(mix.items(), key=lambda kv: -kv[1]))
        + " (the re-posts, republications and stored URLs are not stored as new; neither is,"
        " now and then, a copy that lands on an outlet which already has the story)."
    )

    def got(r: Result) -> str:
        return ", ".join(
            f"{o['created']} new / {o['joined an existing cluster']} joined" for o in r.outcomes
        )

    if all(got(r) == got(results[0]) for r in results):
        lines.append(
            f"Stored as new / joined an existing story cluster, per repetition: {got(results[0])} "
            "(identical on every engine and N)."
        )
    else:
        for r in results:
            lines.append(f"Stored as new / joined a cluster, {r.engine} N={r.n:,}: {got(r)}.")
    lines.append("")
    names = [n for n, _ in LABELS if any(n in r.statements for r in results)]
    head = ["statement (µs per call)"] + [f"{r.engine} {r.n:,}" for r in results]
    lines.append("Mean µs per statement call (median of the repetitions):")
    lines.append("")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * len(results)) + "|")
    for nm in names:
        cells = [f"{r.statements[nm]['us']:.0f}" if nm in r.statements else "" for r in results]
        lines.append(f"| {nm} | " + " | ".join(cells) + " |")
    lines.append("")
    big = {r.engine: r for r in results if r.n == sizes[-1]}
    engines = list(big)
    lines.append(
        f"Indexes used by the dedup path, with the plan line at N={sizes[-1]:,} (SQLite: "
        "EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with the actual values, same index in the "
        "generic plan unless noted):"
    )
    lines.append("")
    lines.append("| query | index | what for | " + " | ".join(f"{e} plan" for e in engines) + " |")
    lines.append("|---|---|---|" + "---|" * len(engines))
    for nm, (idx, what) in INDEX_DOC.items():
        cells = []
        for e in engines:
            p = big[e].plans.get(nm, {})
            cell = _index_of(p.get("custom", ""))
            gen = _index_of(p.get("generic", ""))
            if p.get("generic") and gen != cell:
                cell += f" (generic: {gen})"
            cells.append(f"`{cell}`" if cell else "")
        lines.append(f"| {nm} | {idx} | {what} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(findings(results, sizes, m))
    return "\n".join(lines)


def _med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else 0.0


def findings(results: list[Result], sizes: list[int], m: int) -> list[str]:
    """What the numbers say, computed from them (so a re-run rewrites it)."""
    out = ["Findings:", ""]
    verdicts = []
    for eng in dict.fromkeys(r.engine for r in results):
        lo = next((r for r in results if r.engine == eng and r.n == sizes[0]), None)
        hi = next((r for r in results if r.engine == eng and r.n == sizes[-1]), None)
        if lo is None or hi is None or lo is hi:
            continue
        ratio = hi.store_median / lo.store_median
        verdicts.append(f"{eng} {ratio:.2f}× ({'met' if ratio <= 1.5 else 'NOT met'})")
        grow = []
        for name in hi.statements:
            if name in lo.statements and name in dict(LABELS) and not name.startswith("known"):
                a, b = lo.statements[name], hi.statements[name]
                delta = (b["us"] * b["calls_per_rep"] - a["us"] * a["calls_per_rep"]) / m / 1000
                grow.append((delta, name, a["us"], b["us"]))
        grow.sort(reverse=True)
        top = "; ".join(
            f"{nm} {a:.0f} → {b:.0f} µs ({d:+.3f} ms/article)" for d, nm, a, b in grow[:3]
        )
        same = [
            nm
            for nm in hi.plans
            if nm in lo.plans
            and _index_of(hi.plans[nm].get("custom", ""))
            == _index_of(lo.plans[nm].get("custom", ""))
        ]
        diff = sorted(set(hi.plans) - set(same))
        out.append(
            f"- {eng}: SQL time per article {lo.sql_median:.2f} → {hi.sql_median:.2f} ms "
            f"({hi.sql_median / lo.sql_median:.2f}×); commit {_med(lo.commit_ms):.2f} → "
            f"{_med(hi.commit_ms):.2f} ms; the rest (Python: SQLAlchemy, signature comparison) "
            f"{lo.store_median - lo.sql_median - _med(lo.commit_ms):.2f} → "
            f"{hi.store_median - hi.sql_median - _med(hi.commit_ms):.2f} ms. "
            f"Largest growth: {top}. "
            + (
                f"Every plan is the same at N={sizes[0]:,} and N={sizes[-1]:,}."
                if not diff
                else f"Plans that differ between the sizes: {', '.join(diff)}."
            )
        )
        both = [(r.store_median + r.known_median / BATCH) for r in (lo, hi)]
        out.append(
            f"- {eng}, per article with its share of a known_urls batch (batch / {BATCH}) "
            f"added: {both[0]:.2f} → {both[1]:.2f} ms ({both[1] / both[0]:.2f}×). The "
            f"known_urls batch alone: {lo.known_median:.2f} → {hi.known_median:.2f} ms "
            f"({hi.known_median / lo.known_median:.2f}×), the same index-only lookup plan."
        )
        if hi.plans_no_stats:
            nostats = [
                nm
                for nm, p in hi.plans_no_stats.items()
                if _index_of(p.get("custom", ""))
                != _index_of(hi.plans.get(nm, {}).get("custom", ""))
            ]
            out.append(
                f"- {eng} without planner statistics (sqlite_stat1 emptied, as in a file nobody "
                "ANALYZEd): "
                + (
                    "the same plans."
                    if not nostats
                    else f"different plans for {', '.join(nostats)}."
                )
            )
        generic = [
            nm
            for nm, p in hi.plans.items()
            if p.get("generic") and _index_of(p["generic"]) != _index_of(p.get("custom", ""))
        ]
        if eng == "postgres":
            out.append(
                "- postgres generic plans (what a statement psycopg has prepared may reuse): "
                + ("same indexes as the custom plans." if not generic else f"differ for {generic}.")
            )
    out.insert(2, f"- Target (ms/article at N={sizes[-1]:,} ≤ 1.5× N={sizes[0]:,}): "
               + "; ".join(verdicts) + ".")  # fmt: skip
    out.append("")
    return out


def plans_text(results: list[Result]) -> str:
    out = []
    for r in results:
        out.append(f"### {r.engine} N={r.n:,}")
        for name, p in r.plans.items():
            for mode, plan in p.items():
                out.append(f"- {name} [{mode}]: {_index_of(plan)}")
        for name, p in r.plans_no_stats.items():
            out.append(f"- {name} [no stats]: {_index_of(p['custom'])}")
    return "\n".join(out)


def write_readme(section: str) -> None:
    """Replace (or append) our section; the rest of the file is left as it is."""
    old = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    start = old.find(HEADING)
    body = section.strip() + "\n"
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + body
    else:
        rest = old[start + len(HEADING) :]
        m = re.search(r"^(## |<!-- bench:)", rest, re.M)
        end = start + len(HEADING) + (m.start() if m else len(rest))
        new = old[:start] + body + ("\n" + old[end:] if m else "")
    README.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument("--sizes", default="10000,1000000")
    ap.add_argument("--articles", type=int, default=1000, help="new articles per repetition")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--pg-url", default=os.environ.get("BW_BENCH_PG", PG_DEFAULT))
    ap.add_argument("--tmp", default=None, help="folder for the SQLite files")
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    ap.add_argument("--json", default=None, help="write the raw results here")
    ap.add_argument(
        "--sqlite-pragma",
        action="append",
        default=[],
        help="experiment: an extra PRAGMA for every SQLite connection, e.g. cache_size=-65536",
    )
    ap.add_argument("--readme", action="store_true", help=f"rewrite '{HEADING}' in README.md")
    ap.add_argument("--report-from", default=None, help="only re-render the results of --json")
    args = ap.parse_args(argv)
    if args.report_from:
        data = json.loads(Path(args.report_from).read_text())
        results = [Result(**r) for r in data["results"]]
        section = report(results, data["machine"], data.get("articles", 1000), data.get("reps", 3))
        print(section)
        if args.readme:
            write_readme(section)
        return 0
    # a SIGTERM still drops the databases and removes the files (the finally blocks run)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    sizes = [int(s) for s in args.sizes.split(",")]
    t_all = time.perf_counter()
    info = machine(args.pg_url if "postgres" in engines else None)
    if args.sqlite_pragma:
        info["sqlite_pragmas"] = ", ".join(args.sqlite_pragma)
    log("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    world = make_world(datetime.now(UTC))
    t = time.perf_counter()
    workloads = [make_workload(world, r, args.articles) for r in range(args.reps)]
    log(f"workload: {args.reps} × {args.articles} new articles with real text and MinHash "
        f"({time.perf_counter() - t:.0f}s, not timed)")  # fmt: skip

    warmup = make_workload(world, WARMUP_REP, 2 * BATCH)

    def workloads_for(sample: SeedSample) -> list[Workload]:
        # the same articles for every database; the stored URLs come from this database's seed.
        # The first is an untimed warm-up (connection pool, SQLAlchemy's compiled cache).
        return [bind_workload(world, w, r, sample) for r, w in enumerate([warmup, *workloads])]

    tmp = Path(args.tmp) if args.tmp else Path(tempfile.mkdtemp(prefix="bw_bench_"))
    results: list[Result] = []
    try:
        for eng in engines:
            if eng not in ("sqlite", "postgres"):
                raise SystemExit(f"unknown engine {eng!r}")
            dbs: list[Db] = []
            try:
                for n in sizes:
                    log(f"== {eng}, N={n:,}: seeding")
                    if eng == "sqlite":
                        dbs.append(
                            open_sqlite(world, n, workloads_for, tmp, args.keep, args.sqlite_pragma)
                        )
                    else:
                        dbs.append(open_postgres(world, n, workloads_for, args.pg_url, args.keep))
                # interleaved, so that load from elsewhere on the machine hits every N alike
                log(f"== {eng}: measuring, sizes interleaved")
                for db in dbs:
                    run_rep(db, 0)
                for rep in range(1, args.reps + 1):
                    for db in dbs if rep % 2 else dbs[::-1]:
                        run_rep(db, rep)
                for db in dbs:
                    finish(db)
                    results.append(db.result)
            finally:
                for db in dbs:
                    db.cleanup()
    finally:
        if not args.tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    section = report(results, info, args.articles, args.reps)
    print()
    print(section)
    print(plans_text(results))
    log(f"total {time.perf_counter() - t_all:.0f}s")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": info,
                    "articles": args.articles,
                    "reps": args.reps,
                    "results": [r.__dict__ for r in results],
                },
                indent=1,
                default=str,
            )
        )
    if args.readme:
        write_readme(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
