"""Benchmark of the review web page's list over many stored articles (issue 7: < 300 ms), and
of the overview and entity pages (issue 17: < 300 ms after the first load).

Inserts N synthetic articles (default 100 000; 60 % flagged, three mentions each, 30 days of
dates, 40 feeds) into a temporary SQLite database migrated to head (full-text triggers
included), then times requests through the ASGI app in-process (TestClient: no network) with
and without filters / search, and prints a Markdown table. A benchmark, not a test.

    .venv/bin/python -m bench.bench_web [--articles 100000] [--repeat 15] [--db-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text

STATES = [
    "zacatecas",
    "sinaloa",
    "tamaulipas",
    "guerrero",
    "michoacan",
    "jalisco",
    "chihuahua",
    "sonora",
    "guanajuato",
    "baja-california",
    "colima",
    "morelos",
    "estado-de-mexico",
    "veracruz",
    "oaxaca",
    "chiapas",
]
GROUPS = [
    "cjng",
    "sinaloa-cartel",
    "cartel-del-golfo",
    "cartel-del-noreste",
    "la-familia",
    "los-viagras",
    "carteles-unidos",
    "guerreros-unidos",
    "la-nueva-familia-michoacana",
]
OFFICIALS = [f"official-{i}" for i in range(60)]
_WORDS = (
    "ataque armado enfrentamiento balacera hallazgo cuerpos fosa clandestina detenidos "
    "operativo ejército guardia nacional policía fiscalía municipio carretera bloqueo quema "
    "vehículos desaparecidos secuestro extorsión comando emboscada helicóptero sierra rancho "
    "colonia vecinos madrugada víctimas heridos autoridades investigación"
)
WORDS = _WORDS.split()


def populate(url: str, n: int, seed: int = 7) -> None:
    from storage.db import open_database
    from storage.tables import Article, Feed, Mention, StoryCluster, utcnow

    rnd = random.Random(seed)
    engine = open_database(url)
    now = utcnow()
    with engine.begin() as c:
        c.execute(
            insert(Feed),
            [
                dict(
                    id=i,
                    name=f"Feed {i:02d}",
                    url=f"https://feed{i}.example/rss",
                    language="es" if i % 4 else "en",
                    tags=[],
                    created_at=now,
                    consecutive_failures=0,
                    interval_seconds=900,
                )
                for i in range(1, 41)
            ],
        )
        # a quarter of the articles are copies of a story: clusters of 3 consecutive ids
        c.execute(
            insert(StoryCluster),
            [
                dict(id=k, representative_id=3 * k, size=3, created_at=now, updated_at=now)
                for k in range(1, n // 3 + 1)
                if k % 4 == 0
            ],
        )
    batch = 5000
    mid = 0
    for lo in range(1, n + 1, batch):
        arts, ments = [], []
        for i in range(lo, min(n, lo + batch - 1) + 1):
            st, gr, of = rnd.choice(STATES), rnd.choice(GROUPS), rnd.choice(OFFICIALS)
            words = rnd.choices(WORDS, k=70)
            body = " ".join(words)
            prefix = f"En {st.title()}, el grupo {gr.upper()} y {of}: "
            body = prefix + body
            when = now - timedelta(seconds=rnd.randint(0, 30 * 86400))
            flagged = rnd.random() < 0.6
            arts.append(
                dict(
                    id=i,
                    canonical_url=f"https://s{i % 97}.example/n/{i}",
                    url=f"https://s{i % 97}.example/n/{i}",
                    site=f"s{i % 97}.example",
                    feed_id=1 + i % 40,
                    title=" ".join(rnd.choices(WORDS, k=8)).capitalize(),
                    published_at=when,
                    fetched_at=when + timedelta(minutes=5),
                    language="es" if i % 4 else "en",
                    text=body,
                    content_hash=f"{i:064x}",
                    text_source="page",
                    flagged=flagged,
                    reasons=["violence term in a disputed state"] if flagged else [],
                    tags={
                        "states": [{"id": st, "name": st.title(), "via": [st]}],
                        "groups": [{"id": gr, "name": gr.upper()}],
                        "officials": [{"id": of, "name": of, "role": "governor"}],
                    },
                    tagger_version="bench",
                    cluster_id=(i // 3) if (i // 3) % 4 == 0 and i // 3 >= 1 else None,
                    review_status=rnd.choice(
                        ["new", "new", "new", "reviewed", "dismissed", "important"]
                    ),
                )
            )
            p = len("En ")
            for etype, eid, start, end, sid in (
                ("state", st, p, p + len(st), None),
                ("group", gr, prefix.index(gr.upper()), prefix.index(gr.upper()) + len(gr), None),
                ("official", of, prefix.index(of), prefix.index(of) + len(of), st),
            ):
                mid += 1
                ments.append(
                    dict(
                        id=mid,
                        article_id=i,
                        entity_type=etype,
                        entity_id=eid,
                        surface=eid,
                        start=start,
                        end=end,
                        snippet="",
                        state_id=sid,
                    )
                )
        with engine.begin() as c:
            c.execute(insert(Article), arts)
            c.execute(insert(Mention), ments)
    with engine.begin() as c:
        if engine.dialect.name == "sqlite":
            c.execute(text("ANALYZE"))
        else:
            c.execute(text("ANALYZE articles"))
            c.execute(text("ANALYZE mentions"))
    engine.dispose()


def timed(client, path: str, repeat: int) -> tuple[float, float, int]:
    """(median ms, max ms, status) over ``repeat`` requests after one warm-up."""
    r = client.get(path)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), r.status_code


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--db-url", default="", help="an EMPTY database (default: temp SQLite)")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from config.settings import load_settings
    from flows.web import create_app

    tmp = tempfile.TemporaryDirectory(prefix="bw-bench-")
    url = args.db_url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    t = time.perf_counter()
    populate(url, args.articles)
    print(
        f"inserted {args.articles} articles (+{3 * args.articles} mentions) into "
        f"{url.split(':', 1)[0]} in {time.perf_counter() - t:.1f}s\n"
    )
    settings = load_settings(data_dir=Path(tmp.name), database_url=url)
    cases = [
        ("flagged, page 1", "/articles"),
        ("flagged, page 200", "/articles?page=200"),
        ("state filter", "/articles?state=zacatecas"),
        ("group filter", "/articles?group=cjng"),
        ("official filter", "/articles?official=official-7"),
        ("outlet + language", "/articles?outlet=Feed+07&language=en"),
        ("status filter", "/articles?status=important"),
        ("date range (7 days)", None),
        ("search: one word", "/articles?q=emboscada"),
        ("search: two words", "/articles?q=fosa+clandestina"),
        ("search + state + status", "/articles?q=helic%C3%B3ptero&state=sinaloa&status=new"),
        ("all articles, page 1", "/articles?scope=all"),
        ("article page", "/articles/4242"),
        ("export CSV, state+group", "/export.csv?state=zacatecas&group=cjng"),
    ]
    with TestClient(create_app(settings)) as client:
        t = time.perf_counter()
        first = client.get("/articles")
        cold = (time.perf_counter() - t) * 1000
        total = first.text.split('<span id="total">', 1)[1].split("<", 1)[0]
        from storage.tables import utcnow

        d_to = utcnow().date()
        d_from = d_to - timedelta(days=7)
        print(
            f"first list load (spike detection over 15 days, filter menus; then cached): "
            f"{cold:.0f} ms — {total}\n"
        )
        print("| request | median ms | max ms | status |")
        print("| --- | ---: | ---: | ---: |")
        worst = 0.0
        for label, path in cases:
            if path is None:
                path = f"/articles?date_from={d_from}&date_to={d_to}"
            med, mx, status = timed(client, path, args.repeat)
            if path.startswith("/articles"):
                worst = max(worst, med)
            print(f"| {label} (`{path}`) | {med:.1f} | {mx:.1f} | {status} |")
        print(f"\nslowest list-page median: {worst:.1f} ms (target < 300 ms)")
        # issue 17: overview and entity pages. "first" = the first request for that URL (its
        # queries run; the result is then cached for 30 s); median/max over the repeats after.
        print("\n| page (issue 17) | first ms | median ms | max ms | status |")
        print("| --- | ---: | ---: | ---: | ---: |")
        worst17 = 0.0
        for label, path in [
            ("overview, 7 days (landing page)", "/overview"),
            ("overview, 24 h", "/overview?window=24h"),
            ("overview, 30 days", "/overview?window=30d"),
            ("overview, custom 14 days", None),
            ("entity: state, 30 days", "/entity/state/zacatecas"),
            ("entity: state, 365 days", "/entity/state/sinaloa?days=365"),
            ("entity: group, 90 days", "/entity/group/cjng?days=90"),
            ("entity: official, 30 days", "/entity/official/official-7"),
            ("story list (one row per story)", "/stories"),
            ("story list, state filter", "/stories?state=zacatecas"),
            ("story page (3 copies)", "/stories/c4"),
            ("daily CSV, 2 entities, 365 days", None),
        ]:
            if path is None and label.startswith("overview"):
                path = f"/overview?window=custom&from={d_to - timedelta(days=13)}&to={d_to}"
            elif path is None:
                path = "/daily.csv?entity=state:zacatecas&entity=group:cjng&days=365"
            t = time.perf_counter()
            client.get(path)
            first_ms = (time.perf_counter() - t) * 1000
            med, mx, status = timed(client, path, args.repeat)
            if path.startswith(("/overview", "/entity")):
                worst17 = max(worst17, med)
            print(f"| {label} (`{path}`) | {first_ms:.0f} | {med:.1f} | {mx:.1f} | {status} |")
        print(
            f"\nslowest overview/entity median after the first load: {worst17:.1f} ms "
            "(target < 300 ms)"
        )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
