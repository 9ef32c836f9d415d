"""Several writers and crashes: two `borderwatch poll` processes at once, and a poll killed
with SIGKILL mid-run then re-run. Real processes, real databases (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from storage.db import open_database, session_scope
from storage.tables import Article, ArticleUrl, Mention

pytestmark = pytest.mark.slow


def _env(db_url: str, feeds_file, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(
        {
            "BORDERWATCH_DATABASE_URL": db_url,
            "BORDERWATCH_FEEDS": str(feeds_file),
            "BORDERWATCH_ALLOW_PRIVATE_ADDRESSES": "true",
            "BORDERWATCH_WORKERS": "1",
            "BORDERWATCH_PER_HOST_DELAY": "0",
            "BORDERWATCH_RETRIES": "0",
            **extra,
        }
    )
    return env


def _poll(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "poll", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _snapshot(db_url: str) -> dict[str, tuple[bool, int]]:
    """canonical URL -> (flagged, number of mentions)."""
    engine = open_database(db_url)
    try:
        with session_scope(engine) as s:
            counts = dict(
                s.execute(select(Mention.article_id, func.count()).group_by(Mention.article_id))
                .tuples()
                .all()
            )
            return {
                url: (flagged, counts.get(aid, 0))
                for aid, url, flagged in s.execute(
                    select(Article.id, Article.canonical_url, Article.flagged)
                )
            }
    finally:
        engine.dispose()


def test_two_pollers_at_once_no_duplicates_none_lost(db_url, demo_site, tmp_path):
    feeds_file = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds_file)
    env = _env(db_url, feeds_file)
    open_database(db_url).dispose()  # schema first, as `borderwatch db upgrade` would
    procs = [_poll(env), _poll(env)]
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (_out, errout) in zip(procs, outs, strict=True):
        assert p.returncode == 0, errout
    expected = set(demo_site.article_urls())
    engine = open_database(db_url)
    try:
        with session_scope(engine) as s:
            rows = list(s.scalars(select(Article.canonical_url)))
            assert len(rows) == len(set(rows)) == len(expected)  # 0 duplicates, 0 lost
            assert s.scalar(select(func.count(func.distinct(ArticleUrl.article_id)))) == len(rows)
    finally:
        engine.dispose()


def test_sigkill_mid_run_then_rerun_equals_an_uninterrupted_run(db_url, demo_site, tmp_path):
    feeds_file = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds_file)
    # reference: an uninterrupted run into its own SQLite file
    ref_url = f"sqlite:///{tmp_path / 'ref.db'}"
    ref = _poll(_env(ref_url, feeds_file))
    assert ref.wait(timeout=240) == 0
    expected = _snapshot(ref_url)
    assert len(expected) == len(demo_site.article_urls())

    # slow polls (small batches, spaced requests) so the kill lands mid-run
    open_database(db_url).dispose()
    # (a 3 s feed lease: the killed poller's feeds are free again soon after it dies)
    slow = _env(
        db_url,
        feeds_file,
        BORDERWATCH_PER_HOST_DELAY="0.15",
        BORDERWATCH_BATCH_SIZE="5",
        BORDERWATCH_LEASE_SECONDS="3",
    )
    proc = _poll(slow)
    engine = open_database(db_url)
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            with session_scope(engine) as s:
                stored = s.scalar(select(func.count()).select_from(Article)) or 0
            if stored >= 5:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the poll ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with session_scope(engine) as s:
            partial = s.scalar(select(func.count()).select_from(Article)) or 0
        assert 0 < partial < len(expected)
    finally:
        engine.dispose()

    time.sleep(3.5)  # the dead poller's leases expire
    rerun = _poll(_env(db_url, feeds_file))
    out, errout = rerun.communicate(timeout=240)
    assert rerun.returncode == 0, errout
    assert _snapshot(db_url) == expected  # every article exactly once, each with its mentions


def test_sigkill_leaves_no_extraction_processes_behind(tmp_path, demo_site):
    """The extraction workers (forked from a fork server, not children of the poll) and the
    fork server itself exit when the poll process is killed with SIGKILL."""
    psutil = pytest.importorskip("psutil")
    feeds_file = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds_file)
    env = _env(
        f"sqlite:///{tmp_path / 'k.db'}",
        feeds_file,
        BORDERWATCH_WORKERS="2",
        BORDERWATCH_PER_HOST_DELAY="0.3",
        BORDERWATCH_BATCH_SIZE="5",
    )
    proc = _poll(env)
    try:
        me = psutil.Process(proc.pid)
        deadline = time.monotonic() + 60
        family: list = []
        while time.monotonic() < deadline and proc.poll() is None:
            family = me.children(recursive=True)
            if sum("forkserver" in " ".join(p.cmdline()) for p in family) >= 3:
                break  # the fork server and both workers are up
            time.sleep(0.1)
        assert proc.poll() is None, "the poll ended before it could be killed"
        assert len(family) >= 3, [p.cmdline() for p in family]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        gone, alive = psutil.wait_procs(family, timeout=15)
        assert not alive, [(p.pid, p.cmdline()) for p in alive]
    finally:
        if proc.poll() is None:
            proc.kill()
