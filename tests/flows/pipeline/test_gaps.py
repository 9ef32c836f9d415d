"""Gap detection and gap fill (issue 19) against a local outlet whose feed window turns over
between two polls (tests/gap_site.py), on SQLite and PostgreSQL, at fixed instants."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from config import clock
from config.sources import FeedSource
from flows.pipeline.poll import run_poll
from storage import feeds as feeds_db
from storage.db import session_scope
from storage.tables import Article, ArticleFeed, BackfillJob
from tests.gap_site import GapSite

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


@pytest.fixture
def site():
    with GapSite() as s:
        yield s


def _poll(settings, engine, site, at):
    with clock.freeze(at):
        return run_poll(settings, engine, [FeedSource("Frontera Hoy", site.feed_url, "es")])


def _stored(engine) -> set[str]:
    with session_scope(engine) as s:
        return set(s.scalars(select(Article.canonical_url)))


def _count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_window_turned_over_between_polls_is_a_gap_and_the_fill_stores_every_missed_item(
    settings, engine, site
):
    # poll 1 at T0 sees posts 1..10 (published T0-10min .. T0-1min)
    site.publish(10, T0 - 10 * MIN)
    first = _poll(settings, engine, site, T0)
    assert (first.new_articles, first.gaps) == (10, 0)
    # 25 posts in the next 25 minutes: the feed now lists 26..35 only (oldest at T0+16min)
    site.publish(25, T0 + MIN)
    at = T0 + 30 * MIN
    before = len(site.log)
    second = _poll(settings, engine, site, at)
    assert second.gaps == 1
    assert second.gap_items == 15  # posts 11..25: listed by nobody when we looked
    assert second.new_articles == 25  # 10 from the feed, 15 from the gap fill
    assert _stored(engine) == site.urls(range(1, 36))
    assert _count(engine, Article) == 35
    assert _count(engine, ArticleFeed) == 35  # every missed item is credited to its feed
    # the fill read the archive from page 1 and stopped at page 3, which reaches posts 6..10
    # (stored before the gap); posts 6..10 were not fetched again
    assert site.feed_pages()[len(site.feed_pages()) - 3 :] == [1, 2, 3]
    assert [p for p, _ in site.log[before:] if p.startswith("/2026/")].count(
        site.posts[5].path
    ) == 0

    with session_scope(engine) as s:
        (gap,) = feeds_db.feed_gaps(s)
        feed = feeds_db.feed_rows(s)[0]
    assert gap.detected_at == at
    assert gap.window_start == T0  # the previous fetch
    assert gap.window_end == T0 + 16 * MIN  # the oldest item listed now (post 26)
    assert gap.filled_at == at  # same run (the clock stands still)
    assert (gap.items_found, gap.fill_pages, gap.fill_source, gap.fill_error) == (
        15,
        3,
        "feed-archive",
        None,
    )
    assert (feed.gaps, feed.last_gap) == (1, gap)
    # the gap halves 10 min and brings it within half the 9-minute span listed: 270 s
    assert feed.interval_seconds == 270
    assert feed.next_check_at == at + timedelta(seconds=270)
    # the fill is recorded as its own finished backfill job (one per gap)
    with session_scope(engine) as s:
        (job,) = s.scalars(select(BackfillJob)).all()
        assert (job.status, job.params["gap_id"], job.counts["new_articles"]) == (
            "done",
            gap.id,
            15,
        )

    # poll 3, 4 min later, 2 new posts: the listing overlaps the previous one, so no gap; the
    # recent gap keeps the 2-minute floor: 270 halves to 135 s (not back up to 10 min)
    site.publish(2, at + MIN)
    third = _poll(settings, engine, site, at + 4 * MIN)
    assert (third.gaps, third.gap_items, third.new_articles) == (0, 0, 2)
    with session_scope(engine) as s:
        feed = feeds_db.feed_rows(s)[0]
        assert len(feeds_db.feed_gaps(s)) == 1
    assert feed.interval_seconds == 135
    # again, and the interval stops at the 2-minute floor
    site.publish(1, at + 5 * MIN)
    _poll(settings, engine, site, at + 6 * MIN)
    with session_scope(engine) as s:
        assert feeds_db.feed_rows(s)[0].interval_seconds == 120
    assert _count(engine, Article) == 38


def test_no_gap_while_the_listing_overlaps_or_reaches_back_to_the_previous_fetch(
    settings, engine, site
):
    site.publish(10, T0 - 10 * MIN)
    _poll(settings, engine, site, T0)
    # 9 new posts: post 10 is still listed (overlap) -> no gap
    site.publish(9, T0 + MIN)
    assert _poll(settings, engine, site, T0 + 20 * MIN).gaps == 0
    # 10 new posts, but the oldest listed is dated before the previous fetch (a late,
    # back-dated publication): the window reaches back to the previous fetch -> no gap
    site.publish(1, T0 + 19 * MIN)
    site.publish(9, T0 + 21 * MIN)
    summary = _poll(settings, engine, site, T0 + 40 * MIN)
    assert (summary.gaps, summary.new_articles) == (0, 10)
    with session_scope(engine) as s:
        assert feeds_db.feed_gaps(s) == []
        assert feeds_db.feed_rows(s)[0].gaps == 0
    assert _count(engine, Article) == 29


def test_gap_fill_falls_back_to_the_sitemap_when_the_feed_has_no_archive(settings, engine):
    with GapSite(paging=False) as site:
        site.publish(10, T0 - 10 * MIN)
        _poll(settings, engine, site, T0)
        site.publish(30, T0 + MIN)
        summary = _poll(settings, engine, site, T0 + 40 * MIN)
        assert (summary.gaps, summary.gap_items) == (1, 20)  # posts 11..30
        assert _stored(engine) == site.urls(range(1, 41))
        with session_scope(engine) as s:
            (gap,) = feeds_db.feed_gaps(s)
        # page 2 repeats page 1 (the server ignores ?paged): the archive cannot cover the
        # window, so the sitemap (by date) did
        assert (gap.items_found, gap.fill_source, gap.fill_error) == (20, "sitemap", None)
        assert site.feed_pages()[-2:] == [1, 2]  # ?paged=2 was asked for, page 1 came back
        # robots.txt once; the sitemap twice (the backfill machinery reads a sitemap once to
        # tell an index from a URL set, then once as the page it processes)
        assert [p for p, _ in site.log].count("/robots.txt") == 1
        assert [p for p, _ in site.log].count("/sitemap.xml") == 2


def test_feeds_json_and_table_show_the_gap(settings, engine, site, db_url, monkeypatch):
    from flows.cli import app

    site.publish(10, T0 - 10 * MIN)
    _poll(settings, engine, site, T0)
    site.publish(25, T0 + MIN)
    _poll(settings, engine, site, T0 + 30 * MIN)
    monkeypatch.setenv("BORDERWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "80")  # the compact layout: every value on labelled lines
    runner = CliRunner()
    with clock.freeze(T0 + 31 * MIN):
        r = runner.invoke(app, ["feeds", "--json"])
        assert r.exit_code == 0, r.output
        row = json.loads(r.stdout)
        table = runner.invoke(app, ["feeds"])
    assert row["gaps"] == 1
    assert row["last_gap"] == {
        "detected_at": "2026-11-20T12:30:00+00:00",
        "window_start": "2026-11-20T12:00:00+00:00",
        "window_end": "2026-11-20T12:16:00+00:00",
        "filled_at": "2026-11-20T12:30:00+00:00",
        "items_found": 15,
        "fill_pages": 3,
        "fill_source": "feed-archive",
        "fill_error": None,
    }
    assert row["interval_seconds"] == 270  # the existing keys are still there
    assert row["articles"] == 35
    text = " ".join(table.output.split())
    assert (
        "gaps: 1 · last gap 2026-11-20 12:30, items 2026-11-20 12:00 .. 2026-11-20 12:16; "
        "filled 2026-11-20 12:30: 15 missed items stored" in text
    )


def test_web_feed_page_shows_the_gap(settings, engine, site):
    from fastapi.testclient import TestClient

    from flows.web import create_app

    site.publish(10, T0 - 10 * MIN)
    _poll(settings, engine, site, T0)
    site.publish(25, T0 + MIN)
    _poll(settings, engine, site, T0 + 30 * MIN)
    with TestClient(create_app(settings, engine)) as c:
        html = c.get("/feeds").text
    cell = html[html.index('<td class="gaps">') :]
    cell = " ".join(cell[: cell.index("</td>")].split())
    assert cell.startswith('<td class="gaps">1<br><small>last ')
    assert "filled, 15 missed items stored" in cell


def test_gaps_of_several_feeds_are_filled_side_by_side(settings, engine):
    with GapSite() as a, GapSite() as b:
        sources = [FeedSource("A", a.feed_url, "es"), FeedSource("B", b.feed_url, "es")]
        a.publish(10, T0 - 10 * MIN)
        b.publish(10, T0 - 10 * MIN, step=timedelta(seconds=50))
        with clock.freeze(T0):
            run_poll(settings, engine, sources)
        a.publish(25, T0 + MIN)
        b.publish(32, T0 + MIN, step=timedelta(seconds=50))
        with clock.freeze(T0 + 30 * MIN):
            summary = run_poll(settings, engine, sources)
        assert (summary.gaps, summary.gap_items, summary.new_articles) == (2, 15 + 22, 57)
        assert _stored(engine) == a.urls(range(1, 36)) | b.urls(range(1, 43))
        with session_scope(engine) as s:
            found = {g.feed_id: g.items_found for g in feeds_db.feed_gaps(s)}
            names = {r.id: r.name for r in feeds_db.feed_rows(s)}
        assert {names[k]: v for k, v in found.items()} == {"A": 15, "B": 22}
