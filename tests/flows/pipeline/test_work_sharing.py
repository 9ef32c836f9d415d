"""Several pollers sharing one feed list through feed leases (issue: scale out).

Two `borderwatch poll --due` processes over 200 local feeds: every feed is fetched exactly
once in the cycle (counted by the server), 0 duplicate articles. A poller killed mid-cycle:
its leased feeds are taken over once the lease expires."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from storage.db import open_database, session_scope
from storage.tables import Article, Feed
from tests.host_farm import HostFarm

pytestmark = pytest.mark.slow
N_FEEDS = 200
LEASE = 20  # seconds, for the worker that gets killed


def FeedFarm(delay: float = 0.0) -> HostFarm:  # noqa: N802
    """200 feeds on 20 hosts (leases take whole hosts: one host's feeds go to one worker);
    each lists its own article and one of 20 shared ones (so workers race to store the same
    story). ``delay`` slows responses down."""
    return HostFarm(hosts=20, feeds=N_FEEDS, items=1, shared=20, delay=delay)


def _env(db_url, feeds_file, **extra):
    e = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    e.update(
        {
            "BORDERWATCH_DATABASE_URL": db_url,
            "BORDERWATCH_FEEDS": str(feeds_file),
            "BORDERWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
            "BORDERWATCH_WORKERS": "1",
            "BORDERWATCH_PER_HOST_DELAY": "0",
            "BORDERWATCH_PER_HOST_CONCURRENCY": "4",
            "BORDERWATCH_FEED_BATCH": "20",
            **extra,
        }
    )
    return e


def _poll(env):
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "poll", "--due", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _articles(db_url) -> list[str]:
    engine = open_database(db_url)
    try:
        with session_scope(engine) as s:
            return list(s.scalars(select(Article.canonical_url)))
    finally:
        engine.dispose()


def test_two_pollers_share_200_feeds_each_fetched_once(db_url, tmp_path):
    farm = FeedFarm()
    try:
        feeds_file = tmp_path / "feeds.yaml"
        farm.write_feeds(feeds_file)
        open_database(db_url).dispose()
        procs = [_poll(_env(db_url, feeds_file)) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
        hits = farm.feed_hits()
        assert len(hits) == N_FEEDS and set(hits.values()) == {1}  # each feed exactly once
        import json

        polled = [json.loads(o)["feeds"] for o, _ in outs]
        assert sum(polled) == N_FEEDS and min(polled) > 0  # both workers took a share
        urls = _articles(db_url)
        assert len(urls) == len(set(urls)) == N_FEEDS + 20  # 0 duplicates, 0 lost
    finally:
        farm.close()


def test_killed_pollers_feeds_are_taken_over_after_the_lease_expires(db_url, tmp_path):
    farm = FeedFarm(delay=0.3)
    try:
        feeds_file = tmp_path / "feeds.yaml"
        farm.write_feeds(feeds_file)
        engine = open_database(db_url)
        doomed = _poll(
            _env(
                db_url,
                feeds_file,
                BORDERWATCH_LEASE_SECONDS=str(LEASE),
                BORDERWATCH_FEED_BATCH="30",
            )
        )
        leased: set[int] = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not leased:
            with session_scope(engine) as s:
                leased = set(s.scalars(select(Feed.id).where(Feed.lease_owner.is_not(None))))
            time.sleep(0.05)
        assert leased
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
        killed_at = time.monotonic()

        farm.delay = 0.0
        other = _poll(_env(db_url, feeds_file))  # runs while the dead worker's leases hold
        assert other.wait(timeout=300) == 0
        assert time.monotonic() - killed_at < LEASE, "too slow to observe the lease"
        with session_scope(engine) as s:
            unchecked = set(s.scalars(select(Feed.id).where(Feed.last_checked_at.is_(None))))
        assert unchecked == leased  # everything but the dead worker's feeds was polled

        time.sleep(max(0.0, LEASE + 0.5 - (time.monotonic() - killed_at)))  # leases expire
        later = _poll(_env(db_url, feeds_file))
        assert later.wait(timeout=300) == 0
        with session_scope(engine) as s:
            assert (
                s.scalar(
                    select(func.count()).select_from(Feed).where(Feed.last_checked_at.is_(None))
                )
                == 0
            )
            assert (
                s.scalar(
                    select(func.count()).select_from(Feed).where(Feed.lease_owner.is_not(None))
                )
                == 0
            )
        engine.dispose()
        urls = _articles(db_url)
        assert len(urls) == len(set(urls)) == N_FEEDS + 20
    finally:
        farm.close()
