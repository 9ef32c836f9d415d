"""Backfills against a local site with three years of archives (tests/archive_site.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from config.sources import FeedSource
from flows.pipeline.backfill import BackfillRequest, run_backfill
from storage.db import open_database, session_scope
from storage.tables import Article, BackfillCursor
from tests.archive_site import ArchiveSite


@pytest.fixture
def site():
    with ArchiveSite() as s:
        yield s


def _sources(site):
    return [
        FeedSource("Archivo WP", f"{site.base}/wp/feed/", "es"),
        FeedSource("Archivo Blogger", f"{site.base}/blog/feeds/posts/default", "es"),
    ]


def _stored(engine) -> set[str]:
    """Stored articles as the site spells their URLs (canonical URLs drop the final slash)."""
    with session_scope(engine) as s:
        return {
            u if u.endswith(".html") else u + "/" for u in s.scalars(select(Article.canonical_url))
        }


def test_wordpress_archive_range_fetches_exactly_the_articles_in_range(settings, engine, site):
    req = BackfillRequest(since=date(2025, 3, 1), until=date(2025, 5, 31), feeds=("Archivo WP",))
    summary = run_backfill(settings, engine, _sources(site), req)
    expected = site.in_range(site.wp, date(2025, 3, 1), date(2025, 5, 31))
    assert len(expected) == 18
    assert site.article_hits() == expected  # nothing outside the range was fetched
    assert _stored(engine) == expected
    assert summary.new_articles == len(expected)
    # it stopped paging once the entries were older than --since (page 1 .. ~page 14 of 30)
    pages = site.hits["/wp/feed/"]
    assert 10 <= pages < len(site.wp) // site.WP_PAGE

    again = run_backfill(settings, engine, _sources(site), req)
    assert again.new_articles == 0 and again.pages == 0  # the job is done: nothing refetched
    assert site.hits["/wp/feed/"] == pages


def test_blogger_archive_follows_next_links(settings, engine, site):
    req = BackfillRequest(
        since=date(2025, 12, 1), until=date(2026, 1, 31), feeds=("Archivo Blogger",)
    )
    run_backfill(settings, engine, _sources(site), req)
    expected = site.in_range(site.blog, date(2025, 12, 1), date(2026, 1, 31))
    assert len(expected) == 9
    assert site.article_hits() == expected
    assert _stored(engine) == expected


def test_sitemap_index_range(settings, engine, site):
    req = BackfillRequest(
        since=date(2026, 2, 1), until=date(2026, 3, 15), source="sitemap", feeds=("Archivo WP",)
    )
    summary = run_backfill(settings, engine, _sources(site), req)
    expected = site.in_range(site.wp, date(2026, 2, 1), date(2026, 3, 15))
    assert site.article_hits() == expected
    assert _stored(engine) == expected
    assert site.hits["/robots.txt"] == 1 and site.hits["/sitemap_index.xml"] == 1
    # children whose lastmod is before the range are not even read
    assert site.hits["/sitemap-2024.xml"] == site.hits["/sitemap-2025.xml"] == 0
    assert site.hits["/sitemap-2026.xml"] >= 1
    assert summary.skipped_out_of_range > 0


def test_url_list_decides_by_page_date(settings, engine, site, tmp_path):
    urls = tmp_path / "urls.txt"
    chosen = [site.base + p.path for p in site.wp[:30]]
    urls.write_text("# a list\n" + "\n".join(chosen) + "\n", encoding="utf-8")
    req = BackfillRequest(
        since=date(2026, 10, 1), until=date(2026, 11, 30), source="urls", urls_file=str(urls)
    )
    summary = run_backfill(settings, engine, _sources(site), req)
    expected = site.in_range(site.wp[:30], date(2026, 10, 1), date(2026, 11, 30))
    assert site.article_hits() == set(chosen)  # dates unknown beforehand: all fetched …
    assert _stored(engine) == expected  # … and the page's own date decided
    assert summary.out_of_range_after_fetch == len(chosen) - len(expected)


def test_reextract_makes_no_http_request(settings, engine, site):
    req = BackfillRequest(since=date(2026, 9, 1), until=date(2026, 11, 30), feeds=("Archivo WP",))
    run_backfill(settings, engine, _sources(site), req)
    with session_scope(engine) as s:
        s.execute(Article.__table__.update().values(text="stale", tagger_version="old"))
    before = sum(site.hits.values())
    summary = run_backfill(
        settings, engine, _sources(site), BackfillRequest(since=date(2026, 9, 1), reextract=True)
    )
    assert sum(site.hits.values()) == before
    assert summary.reextracted == len(_stored(engine)) > 0
    with session_scope(engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(Article).where(Article.text == "stale")) == 0
        )


@pytest.mark.slow
def test_killed_backfill_resumes_to_the_same_rows(settings, site, tmp_path):
    feeds_file = tmp_path / "feeds.yaml"
    feeds_file.write_text(
        "feeds:\n" + "".join(f"  - name: {s.name}\n    url: {s.url}\n" for s in _sources(site)),
        encoding="utf-8",
    )
    args = [
        sys.executable,
        "-m",
        "flows.cli",
        "backfill",
        "--since",
        "2025-06-01",
        "--until",
        "2026-03-31",
        "--feed",
        "Archivo WP",
        "--feeds",
        str(feeds_file),
        "--json",
    ]

    def env(db_url: str, **extra: str) -> dict[str, str]:
        e = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        e.update({"BORDERWATCH_DATABASE_URL": db_url, "BORDERWATCH_WORKERS": "1", **extra})
        return e

    ref_url = f"sqlite:///{tmp_path / 'ref.db'}"
    assert subprocess.run(args, env=env(ref_url), capture_output=True, timeout=300).returncode == 0
    ref_engine = open_database(ref_url)
    expected = _stored(ref_engine)
    ref_engine.dispose()
    assert len(expected) == len(site.in_range(site.wp, date(2025, 6, 1), date(2026, 3, 31)))

    url = f"sqlite:///{tmp_path / 'bf.db'}"
    engine = open_database(url)
    proc = subprocess.Popen(
        args,
        env=env(url, BORDERWATCH_PER_HOST_DELAY="0.1", BORDERWATCH_BATCH_SIZE="3"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            with session_scope(engine) as s:
                pos = s.scalar(select(func.max(BackfillCursor.position))) or 0
                n = s.scalar(select(func.count()).select_from(Article)) or 0
            if pos >= 1 and n >= 3:  # checkpoints written and articles stored: mid-run
                break
            time.sleep(0.05)
        assert proc.poll() is None, "finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        partial = _stored(engine)
        assert 0 < len(partial) < len(expected)
        with session_scope(engine) as s:
            checkpoint = s.scalar(select(func.max(BackfillCursor.position)))
        assert checkpoint is not None and checkpoint >= 1
        before_resume = len(site.log)
        done = subprocess.run(args, env=env(url), capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert _stored(engine) == expected
        # the resumed run starts at the page after the checkpoint, never before it, and
        # fetches no article it had already stored
        resumed_pages = site.wp_pages_requested(before_resume)
        assert resumed_pages[0] == checkpoint + 1, resumed_pages
        assert min(resumed_pages) == checkpoint + 1
        assert not site.articles_requested(before_resume) & partial
    finally:
        engine.dispose()


def test_demo_site_sitemap_backfill_from_the_cli(settings, demo_site, tmp_path):
    """`borderwatch backfill --source sitemap` over the demo site: exactly the articles
    published in the range, none fetched outside it; a second identical run adds nothing."""
    import json
    from datetime import UTC, datetime

    from typer.testing import CliRunner

    from extractors.urls import canonical_url
    from flows.cli import app

    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    args = [
        "backfill",
        "--since",
        "2026-11-20",
        "--until",
        "2026-11-22",
        "--source",
        "sitemap",
        "--feeds",
        str(feeds),
        "--json",
    ]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    first = json.loads(r.output.strip().splitlines()[-1])
    lo, hi = datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)
    expected = {
        canonical_url(demo_site.url(a.path))
        for a in demo_site.articles
        if lo <= a.published.astimezone(UTC) < hi
    }
    assert expected and first["new_articles"] == len(expected)
    engine = open_database(settings.db_url)
    assert {u for u in _canonical(engine)} == expected
    engine.dispose()
    fetched = {canonical_url(demo_site.url(p)) for p in demo_site.hits if "/2026/" in p}
    assert fetched == expected  # dates known from news:publication_date: nothing else fetched
    again = json.loads(CliRunner().invoke(app, args).output.strip().splitlines()[-1])
    assert again["new_articles"] == 0


def _canonical(engine) -> set[str]:
    with session_scope(engine) as s:
        return set(s.scalars(select(Article.canonical_url)))


def test_an_unexpected_error_in_one_source_is_recorded_and_the_rest_goes_on(
    settings, engine, site, monkeypatch
):
    """A failure that is not a fetch error (here: storing the WordPress feed's articles
    breaks) is a source error of that feed, not a silently dead thread: the Blogger feed on
    the same host still runs, and a re-run resumes the failed feed to the same rows."""
    from flows.pipeline.run import PollRun

    req = BackfillRequest(since=date(2025, 3, 1), until=date(2025, 5, 31))
    real = PollRun.process_articles

    def broken(self, tasks):
        if any("/wp/" in t.entry.link for t in tasks):
            raise RuntimeError("store broke")
        return real(self, tasks)

    monkeypatch.setattr(PollRun, "process_articles", broken)
    first = run_backfill(settings, engine, _sources(site), req)
    assert first.source_errors == [f"feed:{site.base}/wp/feed/: internal: store broke"]
    blogger = site.in_range(site.blog, date(2025, 3, 1), date(2025, 5, 31))
    assert _stored(engine) == blogger

    monkeypatch.setattr(PollRun, "process_articles", real)
    again = run_backfill(settings, engine, _sources(site), req)
    assert again.source_errors == []
    wp = site.in_range(site.wp, date(2025, 3, 1), date(2025, 5, 31))
    assert _stored(engine) == wp | blogger
    assert again.new_articles == len(wp)
