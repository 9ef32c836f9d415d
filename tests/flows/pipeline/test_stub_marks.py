"""Stubs are told apart everywhere (issue 19): ``articles --json`` says ``text_source``; the
review (CLI list, ``review --json``, web list, story and article pages) and the digest mark a
story whose only text is its feed's. One poll of a local outlet: one page fetched, one page
404 (a flagged stub from the summary), one unfetched page whose feed carries full content."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from config import clock
from flows.cli import app
from flows.review.digest import collect_digest, render_html, render_markdown
from flows.web import create_app
from storage.db import open_database, session_scope
from storage.tables import Article
from tests.flows.pipeline.test_stubs import FULL, T0, NewsServer, _html, _poll

STUB_SUMMARY = (
    "Enfrentamientos en Culiacán, Sinaloa, entre facciones del Cártel de Sinaloa dejan tres "
    "muertos."
)
CONTENT = " ".join(
    ["Hombres armados del Cártel del Golfo atacaron a policías en Reynosa, Tamaulipas."] * 4
)

runner = CliRunner()


def test_text_source_in_json_and_stubs_marked_in_review_web_and_digest(settings):
    site = NewsServer()
    try:
        page = site.page("/news/pagina", (200, {}, _html("Ataque en Culiacán", FULL)))
        stub = site.page("/news/borrada", (404, {}, b"gone"))
        content = site.page("/news/contenido", (503, {}, b"busy"))
        items = [
            (page, "Ataque en Culiacán", "Resumen."),
            (stub, "Enfrentamientos en Culiacán", STUB_SUMMARY),
        ]
        feed = site.feed("/feed.xml", items)
        # a second feed carries content:encoded for its item
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>c</title>'
            f"<link>{site.url('/')}</link><item><title>Ataque en Reynosa</title>"
            f"<link>{content}</link><description>Breve.</description>"
            f"<content:encoded><![CDATA[<p>{CONTENT}</p>]]></content:encoded>"
            "<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate></item></channel></rss>"
        ).encode()
        site.page("/content.xml", (200, {"Content-Type": "application/rss+xml"}, xml))
        engine = open_database(settings.db_url)
        _poll(settings, engine, [("outlet", feed), ("full", site.url("/content.xml"))], T0)
    finally:
        site.close()
    with session_scope(engine) as s:
        ids = dict(s.execute(select(Article.url, Article.id)).tuples().all())

    res = runner.invoke(app, ["articles", "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in map(json.loads, res.stdout.splitlines())}
    assert [rows[ids[u]]["text_source"] for u in (page, stub, content)] == [
        "page",
        "feed_summary",
        "feed_content",
    ]

    res = runner.invoke(app, ["review", "--json"])
    assert res.exit_code == 0, res.output
    marks = {
        a["id"]: a["text_source"]
        for st in map(json.loads, res.stdout.splitlines())
        for a in st["articles"]
    }
    assert marks == {ids[page]: "page", ids[stub]: "feed_summary", ids[content]: "feed_content"}

    res = runner.invoke(app, ["review"], input="q\n")
    assert res.exit_code == 0, res.output
    assert res.stdout.count("[stub: feed summary only]") == 1
    assert res.stdout.count("[stub: feed content only]") == 1
    assert res.stdout.count("stub:") == 2

    with TestClient(create_app(settings, engine)) as client:
        html = client.get("/articles").text
        assert html.count('<span class="stub">stub: feed summary only</span>') == 1
        assert html.count('<span class="stub">stub: feed content only</span>') == 1
        one = client.get(f"/articles/{ids[stub]}").text
        assert '<span class="stub" id="stub">stub: feed summary only</span>' in one
        assert 'id="stub"' not in client.get(f"/articles/{ids[page]}").text
        stories = client.get("/stories").text
        assert stories.count('class="stub"') == 2

    with session_scope(engine) as s:
        d = collect_digest(
            s, since=None, now=T0 + timedelta(minutes=1), timezone="America/Mexico_City"
        )
    md = render_markdown(d)
    heads = sorted(line for line in md.splitlines() if line.startswith("### "))
    assert heads == [
        f"### [Ataque en Culiacán](<{page}>)",
        f"### [Ataque en Reynosa](<{content}>) (stub: feed content only)",
        f"### [Enfrentamientos en Culiacán](<{stub}>) (stub: feed summary only)",
    ]
    assert render_html(d).count('<small class="stub">') == 2
    engine.dispose()


def test_poll_command_reports_stub_retries(settings, tmp_path):
    site = NewsServer()
    try:
        page = site.page(
            "/news/una-vez", (503, {}, b"busy"), (200, {}, _html("Ataque en Culiacán", FULL))
        )
        feed = site.feed("/f.xml", [(page, "A", "R")])
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(json.dumps({"feeds": [{"name": "outlet", "url": feed}]}), encoding="utf-8")
        with clock.freeze(T0):
            first = runner.invoke(app, ["poll", "--feeds", str(feeds), "--json"])
        assert first.exit_code == 0, first.output
        assert [json.loads(first.stdout)[k] for k in ("stubs_retried", "stubs_upgraded")] == [0, 0]
        with clock.freeze(T0 + timedelta(minutes=5)):
            second = runner.invoke(app, ["poll", "--feeds", str(feeds)])
        assert second.exit_code == 0, second.output
        assert second.stdout.splitlines()[-1] == "stubs: 1 pages fetched again, 1 upgraded in place"
        assert site.hits["/news/una-vez"] == 2
    finally:
        site.close()
