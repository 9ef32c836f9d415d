"""What upgrading stubs costs next to storing fresh pages (issue 19).

    .venv/bin/python -m bench.bench_stubs [--articles 200] [--db sqlite|postgres]

A local outlet (one host, no latency) with two feeds of N items each: the pages of the first
answer at once; the pages of the second answer 503 the first time (stored as stubs from the
feed's summary) and the page afterwards. Three polls, in one process (in-process extraction,
``retries=0``, no per-host delay), with the injectable clock frozen:

1. both feeds at T0: N fresh pages stored, N stubs stored (each with a retry schedule);
2. at T0 + 5 min: the N due stubs are re-fetched and upgraded in place;
3. at T0 + 6 min: nothing due (the cost of looking).

Prints the wall time of each poll, ms per article, and checks the result (2N rows, no stub
left, every upgraded row flagged, same ids).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import func, select

from config import clock
from config.settings import load_settings
from config.sources import parse_feeds
from flows.pipeline.poll import run_poll
from storage.db import open_database, session_scope
from storage.tables import Article, StubRetry

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
WORDS = [
    "balacera",
    "enfrentamiento",
    "comando",
    "armado",
    "policías",
    "municipales",
    "carretera",
    "federal",
    "madrugada",
    "vecinos",
    "detonaciones",
    "fiscalía",
    "estatal",
    "camionetas",
    "operativo",
    "helicóptero",
    "sierra",
    "brecha",
    "comunidad",
    "elementos",
    "heridos",
    "agresores",
    "huyeron",
    "investigación",
    "autoridades",
    "reportaron",
]


class Outlet:
    def __init__(self, n: int) -> None:
        rnd = random.Random(19)
        self.hits: Counter[str] = Counter()
        self.pages: dict[str, bytes] = {}
        for kind in ("fresh", "stub"):
            for i in range(n):
                words = " ".join(rnd.choices(WORDS, k=160))
                body = f"Un ataque armado del Cártel de Sinaloa en Culiacán, Sinaloa. {words}."
                self.pages[f"/{kind}/{i}"] = (
                    f"<html><head><title>Nota {kind} {i}</title></head><body><article>"
                    f"<h1>Nota {kind} {i}</h1><p>{body}</p></article></body></html>"
                ).encode()
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                outlet.hits[self.path] += 1
                status, ctype, body = outlet.route(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.n = n
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def route(self, path: str) -> tuple[int, str, bytes]:
        if path.endswith(".xml"):
            kind = path.strip("/").removesuffix(".xml")
            items = "".join(
                f"<item><title>Nota {kind} {i}</title><link>{escape(self.base)}/{kind}/{i}</link>"
                "<description>Resumen breve.</description>"
                "<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate></item>"
                for i in range(self.n)
            )
            rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{kind}</title>'
            return 200, "application/rss+xml", f"{rss}{items}</channel></rss>".encode()
        if path.startswith("/stub/") and self.hits[path] == 1:
            return 503, "text/plain", b"busy"
        if path in self.pages:
            return 200, "text/html; charset=utf-8", self.pages[path]
        return 404, "text/plain", b"none"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def run(n: int, db: str) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="bw_bench_stubs_"))
    pg_url = None
    if db == "postgres":
        from tests.conftest import create_pg_database

        pg_url = create_pg_database("bw_bench_stubs")
    url = pg_url or f"sqlite:///{tmp / 'bw.db'}"
    settings = load_settings(
        data_dir=tmp,
        database_url=url,
        allow_private_addresses=True,
        per_host_delay=0,
        workers=1,
        retries=0,
    )
    engine = open_database(url)
    outlet = Outlet(n)
    sources = parse_feeds(
        {
            "feeds": [
                {"name": "fresh", "url": f"{outlet.base}/fresh.xml"},
                {"name": "stub", "url": f"{outlet.base}/stub.xml"},
            ]
        }
    )
    out: dict[str, Any] = {"articles": n, "db": db}
    try:
        for label, at in (
            ("first poll: N pages + N stubs", T0),
            ("re-fetch and upgrade N stubs", T0 + timedelta(minutes=5)),
            ("nothing due", T0 + timedelta(minutes=6)),
        ):
            t = time.perf_counter()
            with clock.freeze(at):
                summary = run_poll(settings, engine, sources)
            secs = time.perf_counter() - t
            out[label] = {
                "seconds": round(secs, 2),
                "new": summary.new_articles,
                "stubs_retried": summary.stubs_retried,
                "stubs_upgraded": summary.stubs_upgraded,
            }
        with session_scope(engine) as s:
            rows = s.scalar(select(func.count()).select_from(Article))
            stubs = s.scalar(
                select(func.count()).select_from(Article).where(Article.text_source != "page")
            )
            flagged = s.scalar(
                select(func.count()).select_from(Article).where(Article.flagged.is_(True))
            )
            retries = s.scalar(select(func.count()).select_from(StubRetry))
        out["check"] = {"rows": rows, "stubs": stubs, "flagged": flagged, "retry_rows": retries}
        assert (rows, stubs, flagged, retries) == (2 * n, 0, 2 * n, 0), out["check"]
    finally:
        outlet.close()
        engine.dispose()
        if pg_url:
            from tests.conftest import drop_pg_database

            drop_pg_database(pg_url)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = ap.parse_args()
    print(json.dumps(run(args.articles, args.db), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
