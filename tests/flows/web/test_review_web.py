"""The web app through the ASGI interface (TestClient), on both engines."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from flows.web import create_app
from storage import review_queue as review_queue_db
from storage.db import session_scope


@pytest.fixture
def client(seeded, settings):
    app = create_app(settings, seeded.engine)
    with TestClient(app) as c:
        yield c


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m
    return m.group(1)


def _table(html: str) -> str:
    """The article table and its count (not the spikes box, which lists evidence too)."""
    return html[html.index('<span id="total">') : html.index("</table>")]


def test_list_page_filters_and_spikes(client, seeded):
    r = client.get("/articles")
    assert r.status_code == 200
    html = r.text
    assert "7 articles" in html
    assert "Atacan base de la Guardia Nacional en Fresnillo" in html
    assert "Spikes in the last 24 hours" in html and "<strong>Zacatecas</strong>" in html
    assert "Nueva biblioteca" not in html  # not flagged
    assert "script-src 'self'" in r.headers["content-security-policy"]
    r = client.get("/articles", params={"state": "sinaloa"})
    table = _table(r.text)
    assert "1 article<" in table and "Culiacán" in table and "Fresnillo" not in table
    r = client.get("/articles", params={"state": "sinaloa", "scope": "all"})
    assert "15 articles" in _table(r.text)
    r = client.get("/articles", params={"group": "cjng", "outlet": "Imagen Zacatecas"})
    assert "1 article<" in _table(r.text)
    r = client.get("/articles", params={"q": "helicóptero", "language": "es"})
    assert "2 articles" in _table(r.text)
    r = client.get("/articles", params={"official": "david-monreal", "status": "new"})
    assert "1 article<" in _table(r.text) and "Guadalupe" in _table(r.text)
    r = client.get("/articles", params={"date_from": "2000-01-01", "date_to": "2000-01-02"})
    assert "0 articles" in _table(r.text) and "No articles match." in _table(r.text)
    assert client.get("/articles", params={"page": "x"}).status_code == 400


def test_pagination_links(client):
    r = client.get("/articles", params={"per_page": 3, "state": ""})
    assert "page 1 of 3" in r.text and 'rel="next"' in r.text and 'rel="prev"' not in r.text
    nxt = re.search(r'href="/articles\?([^"]+)" rel="next"', r.text).group(1)
    assert "page=2" in nxt and "per_page=3" in nxt
    r3 = client.get("/articles", params={"per_page": 3, "page": 3})
    assert "page 3 of 3" in r3.text and 'rel="next"' not in r3.text


def test_article_page_escapes_text_and_highlights(client, seeded):
    r = client.get(f"/articles/{seeded.ids['xss']}")
    assert r.status_code == 200
    html = r.text
    assert "<script>window.pwned" not in html and 'onerror="window' not in html
    assert "&lt;script&gt;window.pwned = true;&lt;/script&gt;" in html
    assert "Bloqueos en Reynosa &lt;script&gt;" in html
    assert '<mark class="m m-place" title="place: reynosa">Reynosa</mark>' in html
    # the only <script> tags are the app's own external file
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="http://testserver/static/app.js" defer>'
    ]
    r = client.get(f"/articles/{seeded.ids['fresnillo']}")
    assert "Imagen Zacatecas" in r.text and 'href="https://sol.example/fresnillo"' in r.text
    assert client.get("/articles/999999").status_code == 404


def test_review_post_needs_csrf(client, seeded):
    aid = seeded.ids["jerez"]
    page = client.get(f"/articles/{aid}")
    token = _csrf(page.text)
    assert client.cookies.get("bw_csrf") == token
    r = client.post(f"/articles/{aid}/review", data={"status": "reviewed"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post(
        f"/articles/{aid}/review",
        data={"status": "reviewed", "csrf_token": "forged" * 6},
        follow_redirects=False,
    )
    assert r.status_code == 403
    # a token without the matching cookie (another browser) is refused too
    other = TestClient(client.app)
    r = other.post(
        f"/articles/{aid}/review",
        data={"status": "reviewed", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 403
    with session_scope(seeded.engine) as s:
        assert review_queue_db.articles_by_id(s, [aid])[aid].review_status == "new"
    r = client.post(
        f"/articles/{aid}/review",
        data={
            "status": "important",
            "note": "cinco víctimas",
            "csrf_token": token,
            "next": f"/articles/{aid}",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/articles/{aid}"
    page = client.get(f"/articles/{aid}")
    assert 'id="status" class="status s-important">important' in page.text
    assert 'value="cinco víctimas"' in page.text and "Review history" in page.text
    with session_scope(seeded.engine) as s:
        b = review_queue_db.articles_by_id(s, [aid])[aid]
        assert (b.review_status, b.review_note) == ("important", "cinco víctimas")
    r = client.post(f"/articles/{aid}/review", data={"status": "gone", "csrf_token": token})
    assert r.status_code == 400
    r = client.post(
        f"/articles/{aid}/review",
        data={"status": "new", "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == f"/articles/{aid}"


def test_exports(client, seeded):
    r = client.get("/export.csv", params={"state": "zacatecas"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 4 and rows[0]["states"] == "zacatecas"
    assert {"id", "title", "url", "review_status", "reasons"} <= set(rows[0])
    r = client.get("/export.jsonl", params={"q": "Reynosa"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert [x["id"] for x in lines] == [seeded.ids["xss"]]
    assert lines[0]["title"].startswith("Bloqueos en Reynosa <script>")  # data, not HTML


def test_csv_export_defuses_formulas(client, seeded):
    with session_scope(seeded.engine) as s:
        review_queue_db.mark(s, [seeded.ids["border"]], "reviewed", '=HYPERLINK("http://x")')
    r = client.get("/export.csv", params={"language": "en"})
    row = next(csv.DictReader(io.StringIO(r.text)))
    assert row["review_note"].startswith("'=")


def test_feed_health_page(client, seeded):
    r = client.get("/feeds")
    assert r.status_code == 200
    for name in ("El Sol de Zacatecas", "Noroeste", "Border Report"):
        assert name in r.text
    assert '<span class="h h-new">new</span>' in r.text


def test_token_required_when_configured(seeded, settings):
    app = create_app(settings.model_copy(update={"web_token": "s3cret-token"}), seeded.engine)
    with TestClient(app) as c:
        assert c.get("/articles").status_code == 401
        assert c.get("/articles", headers={"Authorization": "Bearer nope"}).status_code == 401
        ok = c.get("/articles", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        r = c.get("/articles?token=s3cret-token&state=sinaloa", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/articles?state=sinaloa"
        assert c.get("/articles?state=sinaloa").status_code == 200  # cookie from now on
