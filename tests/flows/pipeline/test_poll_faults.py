"""One poll over many feeds with mixed faults from a hostile local server: every feed ends in
a recorded outcome, the run ends in bounded time and memory, the good feeds still land, no
host sees more than 2 requests at once, and unchanged feeds are neither parsed nor stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from typer.testing import CliRunner

from config import clock
from config.sources import parse_feeds
from flows.cli import app
from flows.pipeline.poll import run_poll
from storage import feeds as feeds_db
from storage.db import open_database, session_scope
from tests.hostile_server import HostileServer, never_accepting_port

_POLL_CHILD = """
import json, resource, sys
from pathlib import Path
from config.settings import load_settings
from config.sources import load_feeds
from flows.pipeline.poll import run_poll
from storage.db import open_database

settings = load_settings()
engine = open_database(settings.db_url)
sources = load_feeds(Path(sys.argv[1]))
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
summary = run_poll(settings, engine, sources)
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
engine.dispose()
print(json.dumps({"grown_mb": grown, **summary.as_dict()}))
"""

FAULTS = {  # feed name -> (path, expected error kind)
    "trickle": ("/trickle?every=1", "timeout"),
    "hang": ("/hang", "timeout"),
    "huge": ("/big?size=52428800", "too_large"),
    "loop": ("/loop-a", "redirects"),
    "rate-limited": ("/status/429?retry_after=3600", "rate_limited"),
    "server-error": ("/status/500", "server_error"),
    "gone": ("/status/410", "http_410"),
    "html-as-feed": ("/html-as-feed", "content_type"),
    "gzip-bomb": ("/gzip-bomb?mb=1000", "too_large"),
    "missing": ("/status/404", "http_404"),
}


@pytest.fixture
def hostile():
    with HostileServer() as srv:
        yield srv


def _sources(entries):
    return parse_feeds({"feeds": [{"name": n, "url": u} for n, u in entries]})


def test_mixed_faults_each_recorded_others_land(settings, hostile, demo_site, tmp_path):
    settings = settings.model_copy(
        update={"total_timeout": 3.0, "read_timeout": 2.0, "connect_timeout": 1.0, "retries": 0}
    )
    blackhole, _keep = never_accepting_port()
    entries = [(name, hostile.url(path)) for name, (path, _) in FAULTS.items()]
    entries.append(("connect-timeout", f"http://127.0.0.1:{blackhole.getsockname()[1]}/feed"))
    good = [f for f in demo_site.feeds() if not f["name"].startswith("Demo ")]
    entries += [(f["name"], f["url"]) for f in good]
    # The poll runs in a child process of its own, so that its peak RSS is its own and not
    # the test process's (which has imported and run everything before this test).
    feeds_file = tmp_path / "faults.yaml"
    feeds_file.write_text(
        json.dumps({"feeds": [{"name": n, "url": u} for n, u in entries]}), encoding="utf-8"
    )
    env = {
        **os.environ,
        "BORDERWATCH_TOTAL_TIMEOUT": "3",
        "BORDERWATCH_READ_TIMEOUT": "2",
        "BORDERWATCH_CONNECT_TIMEOUT": "1",
        "BORDERWATCH_RETRIES": "0",
    }
    child = subprocess.run(
        [sys.executable, "-c", _POLL_CHILD, str(feeds_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    got = json.loads(child.stdout.strip().splitlines()[-1])
    # a 50 MB body and a 1 GB gzip bomb are never buffered whole
    assert got["grown_mb"] < 100, got["grown_mb"]
    assert got["feeds_failed"] == len(FAULTS) + 1
    assert got["new_articles"] == len(demo_site.article_urls())  # the good feeds landed

    result = CliRunner().invoke(app, ["feeds", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in map(json.loads, result.output.splitlines())}
    for name, (_, kind) in FAULTS.items():
        assert rows[name]["health"] == "failing", name
        assert rows[name]["last_error"].startswith(kind + ":"), (name, rows[name]["last_error"])
        assert rows[name]["failing_since"] is not None
    assert rows["connect-timeout"]["last_error"].startswith(("timeout:", "network:"))
    # Retry-After: 3600 pushed the next check an hour out; a 500 backs off 15 minutes
    now = clock.utcnow()
    nxt = datetime.fromisoformat(rows["rate-limited"]["next_check_at"].replace("Z", "+00:00"))
    assert nxt - now > timedelta(minutes=55)
    nxt = datetime.fromisoformat(rows["server-error"]["next_check_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=10) < nxt - now < timedelta(minutes=20)
    for f in good:
        assert rows[f["name"]]["health"] == "live" and rows[f["name"]]["articles"] > 0


def test_no_host_sees_more_than_two_requests_at_once(settings, hostile):
    settings = settings.model_copy(update={"per_host_delay": 0.0})
    entries = [
        (f"slow-{i}", hostile.url(f"/slow?delay=0.3&n={i}", host="127.0.0.2")) for i in range(8)
    ]
    entries += [(f"fast-{i}", hostile.url(f"/feed?n={i}", host="127.0.0.3")) for i in range(4)]
    engine = open_database(settings.db_url)
    summary = run_poll(settings, engine, _sources(entries))
    engine.dispose()
    assert summary.feeds == 12
    assert hostile.max_in_flight("127.0.0.2") == 2  # the limit was reached, never exceeded
    assert hostile.max_in_flight("127.0.0.3") <= 2


def test_unchanged_feeds_transfer_no_body_and_store_nothing(settings, hostile):
    entries = [
        ("validators", hostile.url("/feed")),
        ("no-validators", hostile.url("/flaky/same?fail=0")),
    ]
    engine = open_database(settings.db_url)
    run_poll(settings, engine, _sources(entries))
    second = run_poll(settings, engine, _sources(entries))
    assert second.feeds_not_modified == 2 and second.new_articles == 0
    with session_scope(engine) as s:
        rows = {r.name: r for r in feeds_db.feed_rows(s)}
        history = feeds_db.feed_history(s, rows["validators"].id)
    engine.dispose()
    assert rows["validators"].last_outcome == "not_modified"
    assert history[0].bytes == 0 and history[0].http_status == 304  # no body came back
    assert rows["no-validators"].last_outcome == "unchanged"  # same bytes: not parsed again
