"""The review tests' news set: a small tagged set stored through the real repository (the
``seeded`` fixture, which the conftest.py of tests/flows/review and tests/flows/web import).

``seeded`` stores, on the ``engine`` fixture's database (SQLite and PostgreSQL):

* a Zacatecas story carried by two outlets (one story cluster), two more Zacatecas stories and
  nothing about Zacatecas before today → Zacatecas spikes (3 stories in 24 h, baseline 0);
* a Sinaloa story today plus one Sinaloa story on each of the previous 14 days → no spike;
* an article whose title and text carry ``<script>`` / ``onerror`` payloads (Tamaulipas);
* a flagged English article without a state, and an unflagged article.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from config.sources import FeedSource
from extractors.fingerprint import content_hash, minhash_signature, title_key
from extractors.models import ArticleRecord, Mention
from extractors.urls import site_of
from storage import articles as articles_db
from storage import feeds as feeds_db
from storage.db import session_scope
from storage.tables import utcnow

FRESNILLO = (
    "Un comando armado atacó la madrugada del martes una base de la Guardia Nacional en el "
    "municipio de Fresnillo, Zacatecas, donde dos elementos resultaron heridos. Según la "
    "fiscalía estatal, los agresores, presuntos integrantes del CJNG, llegaron en tres "
    "camionetas y dispararon durante varios minutos contra las instalaciones antes de huir por "
    "un camino de terracería hacia la sierra.\nLas autoridades desplegaron un operativo con "
    "apoyo del Ejército y un helicóptero, sin que hasta el momento se reporten detenidos. "
    "Vecinos de la comunidad relataron que escucharon detonaciones durante cerca de media hora."
)
JEREZ = (
    "Hallan cinco cuerpos en un camino vecinal de Jerez, Zacatecas. La Fiscalía General de "
    "Justicia del Estado informó que las víctimas presentaban impactos de bala y que el hallazgo "
    "ocurrió tras una llamada anónima al número de emergencias."
)
GUADALUPE = (
    "Balacera en Guadalupe, Zacatecas, deja un policía estatal herido. El gobernador David "
    "Monreal Ávila dijo que se reforzará la vigilancia en la zona conurbada."
)
CULIACAN = (
    "Enfrentamientos en Culiacán, Sinaloa, entre facciones del Cártel de Sinaloa dejan tres "
    "muertos. El gobernador Rubén Rocha Moya pidió a la población no salir de noche."
)
XSS = (
    "Reportan bloqueos en Reynosa, Tamaulipas. <script>window.pwned = true;</script> "
    'Testigos publicaron fotos <img src=x onerror="window.pwned=1"> en redes sociales.'
)
BORDER = (
    "Border Patrol agents reported a large group of migrants crossing near El Paso on Monday, "
    "and officials said a shooting on the other side of the river was under investigation."
)
ROUTINE = "El ayuntamiento inauguró una nueva biblioteca pública en el centro de la ciudad."

ZAC = {"id": "zacatecas", "name": "Zacatecas"}
SIN = {"id": "sinaloa", "name": "Sinaloa"}
TAM = {"id": "tamaulipas", "name": "Tamaulipas"}
CJNG = {"id": "cjng", "name": "Cártel de Jalisco Nueva Generación"}
CDS = {"id": "sinaloa-cartel", "name": "Cártel de Sinaloa"}
MONREAL = {"id": "david-monreal", "name": "David Monreal Ávila", "role": "governor"}
ROCHA = {"id": "ruben-rocha-moya", "name": "Rubén Rocha Moya", "role": "governor"}


def mention(
    text: str, surface: str, etype: str, eid: str, state_id: str | None = None, nth: int = 0
) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(
        etype,
        eid,
        surface,
        start,
        start + len(surface),
        text[max(0, start - 40) : start + 60],
        state_id,
    )


def record(
    url: str,
    text: str,
    feed_id: int,
    *,
    title: str,
    published: datetime,
    states: list[dict[str, Any]] = (),  # type: ignore[assignment]
    groups: list[dict[str, Any]] = (),  # type: ignore[assignment]
    officials: list[dict[str, Any]] = (),  # type: ignore[assignment]
    mentions: tuple[Mention, ...] = (),
    flagged: bool = True,
    reasons: tuple[str, ...] = ("violence term in a disputed state",),
    language: str = "es",
) -> ArticleRecord:
    return ArticleRecord(
        canonical_url=url,
        url=url,
        feed_id=feed_id,
        text=text,
        content_hash=content_hash(text),
        title=title,
        published_at=published,
        language=language,
        flagged=flagged,
        reasons=reasons if flagged else (),
        tags={
            "states": [{**s, "via": [s["name"]]} for s in states],
            "officials": list(officials),
            "groups": list(groups),
            "flagged": flagged,
            "reasons": list(reasons if flagged else ()),
        },
        tagger_version="test",
        mentions=mentions,
        site=site_of(url),
        title_key=title_key(title),
        signature=minhash_signature(text),
    )


@dataclass
class Seeded:
    engine: Engine
    now: datetime
    ids: dict[str, int]
    feeds: dict[str, int]


def seed(engine: Engine) -> Seeded:
    now = utcnow()
    h = timedelta(hours=1)
    with session_scope(engine) as s:
        f = feeds_db.sync_feeds(
            s,
            [
                FeedSource("El Sol de Zacatecas", "https://sol.example/rss", language="es"),
                FeedSource("Imagen Zacatecas", "https://imagen.example/rss", language="es"),
                FeedSource("Noroeste", "https://noroeste.example/rss", language="es"),
                FeedSource("Border Report", "https://border.example/rss", language="en"),
            ],
        )
        ids: dict[str, int] = {}

        def put(key: str, rec: ArticleRecord) -> None:
            ids[key], created = articles_db.store_article(s, rec)
            assert created, key

        zac_m = (
            mention(FRESNILLO, "Fresnillo", "place", "fresnillo", "zacatecas"),
            mention(FRESNILLO, "Zacatecas", "state", "zacatecas"),
            mention(FRESNILLO, "CJNG", "group", "cjng"),
        )
        put(
            "fresnillo",
            record(
                "https://sol.example/fresnillo",
                FRESNILLO,
                f["El Sol de Zacatecas"],
                title="Atacan base de la Guardia Nacional en Fresnillo",
                published=now - 5 * h,
                states=[ZAC],
                groups=[CJNG],
                mentions=zac_m,
            ),
        )
        copy = "ZACATECAS, Zac.- " + FRESNILLO
        off = len("ZACATECAS, Zac.- ")
        put(
            "fresnillo_copy",
            record(
                "https://imagen.example/fresnillo-base",
                copy,
                f["Imagen Zacatecas"],
                title="Atacan base de la GN en Fresnillo",
                published=now - 4 * h,
                states=[ZAC],
                groups=[CJNG],
                mentions=tuple(
                    Mention(
                        m.entity_type,
                        m.entity_id,
                        m.surface,
                        m.start + off,
                        m.end + off,
                        m.snippet,
                        m.state_id,
                    )
                    for m in zac_m
                ),
            ),
        )
        put(
            "jerez",
            record(
                "https://sol.example/jerez",
                JEREZ,
                f["El Sol de Zacatecas"],
                title="Hallan cinco cuerpos en Jerez",
                published=now - 3 * h,
                states=[ZAC],
                mentions=(
                    mention(JEREZ, "Jerez", "place", "jerez", "zacatecas"),
                    mention(JEREZ, "Zacatecas", "state", "zacatecas"),
                ),
            ),
        )
        put(
            "guadalupe",
            record(
                "https://imagen.example/guadalupe",
                GUADALUPE,
                f["Imagen Zacatecas"],
                title="Balacera en Guadalupe deja un policía herido",
                published=now - 2 * h,
                states=[ZAC],
                officials=[MONREAL],
                mentions=(
                    mention(GUADALUPE, "Zacatecas", "state", "zacatecas"),
                    mention(
                        GUADALUPE, "David Monreal Ávila", "official", "david-monreal", "zacatecas"
                    ),
                ),
            ),
        )
        put(
            "culiacan",
            record(
                "https://noroeste.example/culiacan",
                CULIACAN,
                f["Noroeste"],
                title="Enfrentamientos en Culiacán dejan tres muertos",
                published=now - 6 * h,
                states=[SIN],
                groups=[CDS],
                officials=[ROCHA],
                mentions=(
                    mention(CULIACAN, "Culiacán", "place", "culiacan", "sinaloa"),
                    mention(CULIACAN, "Sinaloa", "state", "sinaloa"),
                    mention(CULIACAN, "Cártel de Sinaloa", "group", "sinaloa-cartel"),
                    mention(
                        CULIACAN, "Rubén Rocha Moya", "official", "ruben-rocha-moya", "sinaloa"
                    ),
                ),
            ),
        )
        for day in range(1, 15):
            text = f"Día {day}: reportan hechos violentos en Sinaloa, número {day * 7919}."
            put(
                f"sinaloa_{day}",
                record(
                    f"https://noroeste.example/sinaloa-{day}",
                    text,
                    f["Noroeste"],
                    title=f"Sinaloa, día {day}",
                    published=now - timedelta(days=day, hours=3),
                    states=[SIN],
                    mentions=(mention(text, "Sinaloa", "state", "sinaloa"),),
                    flagged=False,
                ),
            )
        put(
            "xss",
            record(
                "https://noroeste.example/xss",
                XSS,
                f["Noroeste"],
                title="Bloqueos en Reynosa <script>window.pwned=2</script>",
                published=now - 1 * h,
                states=[TAM],
                mentions=(
                    mention(XSS, "Reynosa", "place", "reynosa", "tamaulipas"),
                    mention(XSS, "Tamaulipas", "state", "tamaulipas"),
                ),
            ),
        )
        put(
            "border",
            record(
                "https://border.example/el-paso",
                BORDER,
                f["Border Report"],
                title="Shooting across the river from El Paso",
                published=now - 7 * h,
                language="en",
                reasons=("violence term near the border",),
            ),
        )
        put(
            "routine",
            record(
                "https://sol.example/biblioteca",
                ROUTINE,
                f["El Sol de Zacatecas"],
                title="Nueva biblioteca",
                published=now - 1 * h,
                flagged=False,
            ),
        )
    return Seeded(engine, now, ids, f)


@pytest.fixture
def seeded(engine: Engine) -> Iterator[Seeded]:
    yield seed(engine)
