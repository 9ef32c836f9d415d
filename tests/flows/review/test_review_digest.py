"""The digest: pure rendering and spike rule, writing files, and delivery through apprise to a
local webhook receiver (json://127.0.0.1:PORT/)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import pytest

from extractors.models import Mention
from flows.orchestration.digest import run_digest
from flows.review.digest import Digest, collect_digest, render_html, render_markdown
from flows.review.highlight import clean_spans, highlight_html, make_snippet, pick_mention
from flows.review.spikes import detect_spikes, spike_threshold
from flows.review.stories import group_stories
from storage import briefs as briefs_db
from storage import review_queue as review_queue_db
from storage import spikes as spikes_db
from storage.db import session_scope

# ---------------------------------------------------------------- pure functions


def span(text, surface, etype="state", eid="x"):
    i = text.index(surface)
    return Mention(etype, eid, surface, i, i + len(surface))


def test_highlight_escapes_then_wraps_by_offsets():
    text = 'A <script>alert(1)</script> & "Zacatecas" <b>CJNG</b>\nsecond para'
    html = highlight_html(text, [span(text, "Zacatecas"), span(text, "CJNG", "group", "cjng")])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert '<mark class="m m-state" title="state: x">Zacatecas</mark>' in html
    assert '<mark class="m m-group" title="group: cjng">CJNG</mark>' in html
    assert html.count("<p>") == 2


def test_highlight_drops_overlapping_and_out_of_range_spans():
    text = "Ciudad Juárez, Chihuahua"
    spans = [
        Mention("place", "cj", "Ciudad Juárez", 0, 13),
        Mention("term", "j", "Juárez", 7, 13),
        Mention("state", "chih", "Chihuahua", 15, 24),
        Mention("state", "bad", "??", 20, 99),
    ]
    kept = clean_spans(text, spans)
    assert [m.entity_id for m in kept] == ["cj", "chih"]
    assert str(highlight_html(text, spans)).count("<mark") == 2


def test_snippet_centres_on_preferred_mention():
    text = ("palabra " * 40) + "el CJNG atacó en Zacatecas " + ("otra " * 40)
    spans = [span(text, "Zacatecas"), span(text, "CJNG", "group", "cjng")]
    m = pick_mention(spans)
    assert m is not None and m.entity_type == "group"
    sn = make_snippet(text, m, width=40)
    assert sn.hit == "CJNG" and sn.before.startswith("…") and sn.after.endswith("…")
    assert len(sn.plain()) < 110
    assert sn.markdown().count("**CJNG**") == 1
    assert "<mark>CJNG</mark>" in sn.html()
    assert make_snippet("short text", None).plain() == "short text"


@pytest.mark.parametrize(
    ("daily", "spike"),
    [
        ([3] + [0] * 14, True),  # never mentioned before: 3 is enough
        ([2] + [0] * 14, False),  # below the minimum count
        ([3] + [1] * 14, True),  # sd = 0, mean 1: 3 ≥ 3·1
        ([5] + [2] * 14, False),  # sd = 0, mean 2: 5 < 6
        ([6] + [2] * 14, True),
        ([6] + [1, 3] * 7, True),  # mean 2, sd 1: threshold mean + 3·sd = 5
        ([4] + [1, 3] * 7, False),
    ],
)
def test_spike_rule(daily, spike):
    s = spikes_db.EntitySeries("state", "zacatecas", "Zacatecas", daily)
    found = detect_spikes([s])
    if daily[1:] == [1, 3] * 7:
        assert spike_threshold(daily[1:]) == (5.0, 2.0, 1.0)
    assert bool(found) is spike
    if found:
        assert "mean + 3·sd" in found[0].rule and found[0].baseline == daily[1:]


def test_spike_rule_high_variance_baseline():
    daily = [8] + [0, 6] * 7  # mean 3, sd 3 → threshold 12
    assert spike_threshold(daily[1:]) == (12.0, 3.0, 3.0)
    assert detect_spikes([spikes_db.EntitySeries("group", "cjng", "CJNG", daily)]) == []


def test_markdown_escapes_headlines():
    now = datetime(2026, 11, 26, 13, tzinfo=UTC)
    a = briefs_db.ArticleBrief(
        1,
        "Hallan *cuerpos* <img src=x onerror=alert(1)>",
        "https://x.example/a",
        "https://x.example/a",
        "x.example",
        "Feed [A]",
        now,
        now,
        "es",
        True,
        ["violence term"],
        [briefs_db.Entity("zacatecas", "Zacatecas")],
        [],
        [],
        "new",
        None,
        None,
        4,
    )
    groups = group_stories([a], members={}, sizes={4: 1}, mentions={}, texts={1: "texto"})
    d = Digest(now, None, now, "America/Mexico_City", groups, [])
    md = render_markdown(d)
    assert "\\*cuerpos\\*" in md and "\\<img" in md and "<img" not in md.replace("\\<img", "")
    assert "## Zacatecas (1)" in md and "Feed \\[A\\]" in md
    html = render_html(d)
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert d.local_date == "2026-11-26"


# ---------------------------------------------------------------- with the database


def test_digest_groups_by_state_and_story(seeded):
    with session_scope(seeded.engine) as s:
        d = collect_digest(
            s, since=None, now=seeded.now + timedelta(minutes=1), timezone="America/Mexico_City"
        )
    titles = [g.title for g in d.groups]
    assert titles[0] == "Zacatecas" and titles[-1] == "No state identified"
    zac = d.groups[0]
    assert len(zac.stories) == 3  # Fresnillo (2 outlets), Jerez, Guadalupe
    fres = next(st for st in zac.stories if st.cluster_id and len(st.articles) == 2)
    assert fres.outlets == ["El Sol de Zacatecas", "Imagen Zacatecas"] and fres.size == 2
    assert fres.snippet.hit == "CJNG"
    assert [sp.entity_id for sp in d.spikes] == ["zacatecas"]
    md = render_markdown(d)
    assert "## Spikes" in md and "**Zacatecas** (state): 3 stories" in md
    assert "**CJNG**" in md and "El Sol de Zacatecas, Imagen Zacatecas (2 copies)" in md
    assert "\\<script\\>" in md


def test_run_digest_writes_files_and_moves_the_marker(seeded, settings):
    now = seeded.now + timedelta(minutes=1)
    with session_scope(seeded.engine) as s:
        review_queue_db.mark(s, [seeded.ids["border"]], "dismissed")
    r1 = run_digest(settings, seeded.engine, now=now)
    assert [p.suffix for p in r1.paths] == [".md", ".html"]
    assert all(p.parent == settings.data_dir / "digests" and p.exists() for p in r1.paths)
    assert r1.digest.stories == 5  # the dismissed one is left out
    assert "Shooting across the river" not in r1.paths[0].read_text()
    assert "&lt;script&gt;" in r1.paths[1].read_text()
    assert r1.notified is None
    # the next digest only has what arrived since
    r2 = run_digest(settings, seeded.engine, now=now + timedelta(hours=1), formats=["md"])
    assert r2.digest.stories == 0 and r2.paths[0] != r1.paths[0]
    assert "No new flagged stories." in r2.markdown
    r3 = run_digest(
        settings,
        seeded.engine,
        since=now - timedelta(days=1),
        now=now + timedelta(hours=2),
        formats=["md"],
    )
    assert r3.digest.stories == 5


class _Receiver(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/", _Receiver.received
    server.shutdown()
    server.server_close()


def test_digest_reaches_a_local_webhook_through_apprise(seeded, settings, webhook):
    url, received = webhook
    s2 = settings.model_copy(update={"notify_urls": [url]})
    now = seeded.now + timedelta(minutes=1)
    r = run_digest(s2, seeded.engine, now=now, formats=["md"])
    assert r.notified is True and not r.errors
    assert len(received) == 1
    msg = received[0]
    local_day = now.astimezone(ZoneInfo("America/Mexico_City")).date().isoformat()
    # the seeded fixture holds exactly 6 flagged stories and one spike (Zacatecas)
    assert msg["title"] == f"borderwatch digest {local_day}: 6 stories, 1 spikes"
    assert "Zacatecas" in msg["message"] and "Spikes: Zacatecas" in msg["message"]


def test_failed_notification_keeps_the_digest(seeded, settings):
    s2 = settings.model_copy(update={"notify_urls": ["json://127.0.0.1:9/"]})
    r = run_digest(s2, seeded.engine, now=seeded.now + timedelta(minutes=1), formats=["md"])
    assert r.notified is False and r.errors and r.paths[0].exists()
