"""Legacy charsets through the whole poll: every page is decoded once, before extraction, with
the response's charset and decode_html's order (BOM, header, <meta>, detection).

The pages are served by a real local HTTP server in cp1252, ISO-8859-1, windows-1250 and UTF-8,
declared nowhere, declared wrongly and declared correctly. What is stored must be the exact
text, with no U+FFFD and no mojibake.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from config.sources import parse_feeds
from flows.pipeline.poll import run_poll
from storage.db import open_database, session_scope
from storage.tables import Article

# Long enough for charset detection to have real evidence, as on a real article page.
ES = (
    "La Fiscalía General del Estado informó que el cañón de la sierra fue escenario de un "
    "enfrentamiento armado; según el comunicado, los agentes aseguraron vehículos, armas y "
    "municiones. El secretario de Seguridad Pública señaló que la investigación continúa y que "
    "la región permanecerá vigilada por elementos de la Guardia Nacional durante las próximas "
    "semanas, mientras los vecinos piden más patrullajes en los caminos rurales del municipio."
)
PL = (
    "Prokuratura poinformowała, że śledztwo w sprawie zabójstwa na granicy trwa. Według "
    "rzecznika policji zatrzymano dwóch mężczyzn, a świadkowie zeznali, że strzały padły późnym "
    "wieczorem. Mieszkańcy żądają większej liczby patroli, ponieważ przemoc w regionie rośnie "
    "od kilku miesięcy, a władze obiecują szybkie działania i współpracę z prokuraturą."
)

# name -> (text, the codec of the bytes, Content-Type header charset or None, <meta> or None)
CASES: dict[str, tuple[str, str, str | None, str | None]] = {
    "cp1252-undeclared": (ES + " Costó 5 €.", "cp1252", None, None),
    "latin1-undeclared": (ES, "iso-8859-1", None, None),
    "cp1250-undeclared": (PL, "cp1250", None, None),
    "cp1252-header-says-utf8": (ES, "cp1252", "utf-8", None),
    "cp1250-meta-says-utf8": (PL, "cp1250", None, "utf-8"),
    "utf8-header-says-latin1": (ES, "utf-8", "iso-8859-1", None),
    "cp1252-header-correct": (ES + " Costó 5 €.", "cp1252", "windows-1252", None),
    "latin1-meta-correct": (ES, "iso-8859-1", None, "iso-8859-1"),
    "cp1250-header-correct": (PL, "cp1250", "windows-1250", None),
}


def _text(name: str) -> str:
    """The case's text: one outlet's identical texts would be one article, so each differs."""
    return f"{CASES[name][0]} ({name})"


def _page(title: str, text: str, meta: str | None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return (
        f"<html><head>{head}<title>{title}</title></head><body>"
        f"<nav>Inicio | Noticias</nav><article><h1>{title}</h1><p>{text}</p></article>"
        "<footer>Contacto</footer></body></html>"
    )


@pytest.fixture
def legacy_site(httpserver: HTTPServer) -> HTTPServer:
    items = []
    for name, (_, codec, header, meta) in CASES.items():
        body = _page(name, _text(name), meta).encode(codec)
        ctype = "text/html" + (f"; charset={header}" if header else "")
        httpserver.expect_request(f"/a/{name}").respond_with_data(body, content_type=ctype)
        items.append(
            f"<item><title>{name}</title><link>{httpserver.url_for(f'/a/{name}')}</link>"
            f"<guid>{name}</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>"
        )
    rss = f"<rss version='2.0'><channel><title>legacy</title>{''.join(items)}</channel></rss>"
    httpserver.expect_request("/rss").respond_with_data(
        rss, content_type="application/rss+xml; charset=utf-8"
    )
    return httpserver


@pytest.mark.parametrize("workers", ["1", "2"], ids=["in-process", "process-pool"])
def test_poll_stores_legacy_charsets_exactly(
    settings, legacy_site: HTTPServer, tmp_path: Path, workers: str
) -> None:
    sources = parse_feeds(
        {"feeds": [{"name": "legacy", "url": legacy_site.url_for("/rss"), "language": "es"}]},
        path=str(tmp_path / "feeds.yaml"),
    )
    s2 = settings.model_copy(update={"workers": int(workers)})
    engine = open_database(s2.database_url)
    try:
        summary = run_poll(s2, engine, sources)
        assert summary.new_articles == len(CASES)
        assert summary.article_errors == 0
        with session_scope(engine) as s:
            rows = {a.title: a.text for a in s.scalars(select(Article))}
    finally:
        engine.dispose()
    assert sorted(rows) == sorted(CASES)
    for name in CASES:
        assert "\ufffd" not in rows[name], name
        assert rows[name] == _text(name), name
