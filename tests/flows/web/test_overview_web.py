"""The overview, story list/pages, entity pages and daily CSV through the ASGI app (TestClient),
on both engines. The app gets a fixed clock: ``seeded.now`` + 1 minute for the seeded set (whose
dates are relative to it), and a fixed calendar date for the daily series."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from config.sources import FeedSource
from flows.review import charts
from flows.web import create_app
from storage import articles as articles_db
from storage import feeds as feeds_db
from storage import review_queue as review_queue_db
from storage.db import session_scope
from tests.flows.review.seed import mention, record


@pytest.fixture
def client(seeded, settings):
    app = create_app(settings, seeded.engine, clock=lambda: seeded.now + timedelta(minutes=1))
    with TestClient(app) as c:
        yield c


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m
    return m.group(1)


def _map(html: str) -> dict[str, int]:
    cells = dict(re.findall(r'data-state="([a-z-]+)" data-count="(\d+)"', html))
    assert len(cells) == 32
    return {k: int(v) for k, v in cells.items() if v != "0"}


def test_overview_map_spike_badge_and_top_lists(client, seeded):
    r = client.get("/")
    assert r.status_code == 200 and r.url.path == "/overview"
    r = client.get("/overview", params={"window": "24h"})
    assert _map(r.text) == {"zacatecas": 3, "sinaloa": 1, "tamaulipas": 1}
    assert re.search(r'id="map-zacatecas" d="[^"]+" fill="([^"]+)"', r.text)[1] == charts.SCALE[4]
    assert re.findall(r'class="map-spike" data-state="([a-z-]+)"', r.text) == ["zacatecas"]
    assert re.search(r'id="window-total">(\d+)<', r.text)[1] == "6"
    groups = re.findall(
        r'href="/entity/group/([a-z-]+)">[^<]+</a></td><td class="n">(\d+)</td>\s*'
        r'<td class="chg[^"]*">([+-]\d+)</td>',
        r.text,
    )
    assert groups == [("cjng", "1", "+1"), ("sinaloa-cartel", "1", "+1")]
    officials = re.findall(
        r'href="/entity/official/([a-z-]+)">[^<]+</a></td><td class="n">', r.text
    )
    assert officials == ["david-monreal", "ruben-rocha-moya"]
    # the state links carry the window
    assert 'href="/entity/state/zacatecas?window=24h"' in r.text


def test_windows_custom_and_errors(client):
    r = client.get(
        "/overview", params={"window": "custom", "from": "2000-01-01", "to": "2000-01-02"}
    )
    assert r.status_code == 200
    assert _map(r.text) == {}
    assert re.search(r'id="window-total">(\d+)<', r.text)[1] == "0"
    assert client.get("/overview", params={"window": "9d"}).status_code == 400
    bad = {"window": "custom", "from": "2026-02-02", "to": "2026-02-01"}
    assert client.get("/overview", params=bad).status_code == 400
    assert client.get("/overview", params={"window": "custom", "from": "x"}).status_code == 400


def test_new_since_last_visit(client, seeded):
    r = client.get("/overview")
    assert 'id="new-count"' not in r.text  # first visit: nothing to compare with
    assert r.cookies.get("bw_seen") == (seeded.now + timedelta(minutes=1)).isoformat()
    client.cookies.set("bw_seen", (seeded.now - timedelta(minutes=1)).isoformat())
    r = client.get("/overview")
    assert re.search(r'id="new-count">(\d+)<', r.text)[1] == "6"
    client.cookies.set("bw_seen", (seeded.now + timedelta(minutes=1)).isoformat())
    r = client.get("/overview")
    assert re.search(r'id="new-count">(\d+)<', r.text)[1] == "0"


def test_story_list_story_page_and_review_per_story_and_article(client, seeded):
    r = client.get("/stories")
    assert re.search(r'<span id="total">([^<]+)<', r.text)[1] == "6 stories (7 articles)"
    with session_scope(seeded.engine) as s:
        arts = review_queue_db.articles_by_id(
            s, [seeded.ids["fresnillo"], seeded.ids["fresnillo_copy"]]
        )
    cids = {a.cluster_id for a in arts.values()}
    assert len(cids) == 1 and None not in cids
    key = f"c{cids.pop()}"
    row = re.search(rf'<tr class="story[^"]*" data-key="{key}".*?</tr>', r.text, re.S)[0]
    assert re.search(r'<td class="size">(\d+)</td>', row)[1] == "2"
    assert "El Sol de Zacatecas, Imagen Zacatecas" in row
    assert 'href="/entity/group/cjng"' in row and 'href="/entity/state/zacatecas"' in row

    page = client.get(f"/stories/{key}")
    assert page.text.count('<article class="copy"') == 2
    assert re.search(r'id="story-status"[^>]*>(\w+)<', page.text)[1] == "new"
    token = _csrf(page.text)
    # forged or wrong requests change nothing
    assert client.post(f"/stories/{key}/review", data={"status": "reviewed"}).status_code == 403
    bad = {"status": "done", "csrf_token": token}
    assert client.post(f"/stories/{key}/review", data=bad).status_code == 400
    ok = {"status": "reviewed", "csrf_token": token}
    assert client.post("/stories/c999999/review", data=ok).status_code == 404
    assert client.get("/stories/x1").status_code == 404
    r = client.post(f"/stories/{key}/review", data=ok, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/stories/{key}"
    with session_scope(seeded.engine) as s:
        now = review_queue_db.articles_by_id(s, list(arts))
    assert [a.review_status for a in now.values()] == ["reviewed", "reviewed"]
    # still settable per article: one copy important → the story is mixed
    one = {"status": "important", "csrf_token": token, "next": f"/stories/{key}"}
    client.post(f"/articles/{seeded.ids['fresnillo_copy']}/review", data=one)
    page = client.get(f"/stories/{key}")
    assert re.search(r'id="story-status"[^>]*>(\w+)<', page.text)[1] == "mixed"
    assert re.findall(r'copy-status">(\w+)<', page.text) == ["reviewed", "important"]
    r = client.get("/stories", params={"status": "new"})
    assert re.search(r'<span id="total">([^<]+)<', r.text)[1] == "5 stories (5 articles)"


def test_entity_pages_links_and_co_mentions(client):
    r = client.get("/entity/state/zacatecas")
    assert r.status_code == 200
    assert re.search(r'id="entity-name">([^<]+)<', r.text)[1].strip() == "Zacatecas"
    co = r.text[r.text.index('id="co-mentions"') :]
    assert re.findall(
        r'href="/entity/(group|official)/([a-z-]+)">[^<]+</a> <span class="n">(\d+)', co
    ) == [
        ("group", "cjng", "1"),
        ("official", "david-monreal", "1"),
    ]
    assert r.text.count('<tr class="story') == 3  # latest stories
    r = client.get("/entity/official/ruben-rocha-moya", params={"days": 365})
    roles = re.findall(r"<tr><td>([\d-]+)</td><td>([^<]+)</td><td>([^<]+)</td>", r.text)
    assert roles[0] == ("2021-11-01", "in office", "governor of Sinaloa")
    assert client.get("/entity/state/atlantis").status_code == 404
    assert client.get("/entity/planet/x").status_code == 404
    assert client.get("/entity/state/zacatecas", params={"days": 7}).status_code == 400
    # every entity name on the article list and article page links to its page
    lst = client.get("/articles").text
    assert len(re.findall(r'<a class="chip state" href="/entity/state/zacatecas">', lst)) == 4
    assert '<span class="chip' not in lst


@pytest.fixture
def dated(engine):
    """Sonora stories on fixed dates (Mexico City time): 10-01, 11-01, two on 11-05, 11-20; an
    unflagged one on 11-06."""
    tz = "-06:00"
    with session_scope(engine) as s:
        f = feeds_db.sync_feeds(s, [FeedSource("Sonora Hoy", "https://sonora.example/rss")])
        feed = f["Sonora Hoy"]
        for i, (day, flagged) in enumerate(
            [
                ("10-01", True),
                ("11-01", True),
                ("11-05", True),
                ("11-05", True),
                ("11-06", False),
                ("11-20", True),
            ]  # fmt: skip
        ):
            text = f"Nota {i} {i * 7919}: ataque armado en Hermosillo, Sonora, número {i * 31}."
            articles_db.store_article(
                s,
                record(
                    f"https://sonora.example/{i}",
                    text,
                    feed,
                    title=f"Sonora {i}",
                    published=datetime.fromisoformat(f"2026-{day}T12:00:00{tz}"),
                    states=[{"id": "sonora", "name": "Sonora"}],
                    mentions=(mention(text, "Sonora", "state", "sonora"),),
                    flagged=flagged,
                ),
            )
    return engine


def test_daily_csv_on_fixed_dates(dated, settings):
    clock = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # 12:00 in Mexico City
    with TestClient(create_app(settings, dated, clock=lambda: clock)) as c:
        r = c.get("/daily.csv", params={"entity": "state:sonora", "days": 30})
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["date", "state:sonora", "state:sonora threshold"]
        body = rows[1:]
        assert len(body) == 30 and body[0][0] == "2026-10-22" and body[-1][0] == "2026-11-20"
        assert {d: n for d, n, _ in body if n != "0"} == {
            "2026-11-01": "1",
            "2026-11-05": "2",
            "2026-11-20": "1",
        }
        assert [t for _, _, t in body[:14]] == [""] * 14
        # 11-20: baseline 11-06…11-19 all zero → threshold max(3, 3·0) = 3
        assert body[-1][2] == "3.00"
        r90 = c.get("/daily.csv", params={"entity": "state:sonora", "days": 90})
        assert sum(int(n) for _, n, _ in list(csv.reader(io.StringIO(r90.text)))[1:]) == 5
        both = c.get(
            "/daily.csv",
            params=[("entity", "state:sonora"), ("entity", "state:zacatecas"), ("days", "30")],
        )
        assert list(csv.reader(io.StringIO(both.text)))[0] == [
            "date", "state:sonora", "state:sonora threshold",
            "state:zacatecas", "state:zacatecas threshold",
        ]  # fmt: skip
        assert c.get("/daily.csv", params={"entity": "sonora"}).status_code == 400
        page = c.get("/entity/state/sonora", params={"days": 90}).text
        assert re.search(r'id="chart-total">(\d+)<', page)[1] == "5"
        bars = re.findall(r'data-day="([\d-]+)" data-count="(\d+)"', page)
        both_page = c.get(
            "/entity/state/sonora", params={"days": 30, "compare": "state:zacatecas"}
        ).text
        assert re.findall(r'<polyline points="[^"]+" fill="none" stroke="[^"]+" '
                          r'stroke-width="1.8" data-series="([^"]+)"', both_page) == [
            "Sonora",
            "Zacatecas",
        ]  # fmt: skip
        assert (
            'href="/daily.csv?entity=state%3Asonora&amp;entity=state%3Azacatecas&amp;days=30"'
            in both_page
        )
        assert c.get("/entity/state/sonora", params={"compare": "x"}).status_code == 400
        assert bars == [
            ("2026-10-01", "1"),
            ("2026-11-01", "1"),
            ("2026-11-05", "2"),
            ("2026-11-20", "1"),
        ]
