"""Storage on both engines (the `engine` fixture is parametrized: sqlite and postgres)."""

import gzip
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from extractors.models import FeedSource
from storage import repository as repo
from storage.db import current_revision, head_revision, session_scope
from storage.models import Article, ArticleFeed, ArticleUrl, FeedFetch, Mention


def _rec(url="https://n.example/a", feed_id=1, text="Balacera en Culiacán", **kw):
    return repo.ArticleRecord(
        canonical_url=url,
        url=url + "?utm_source=rss",
        feed_id=feed_id,
        text=text,
        content_hash=kw.pop("content_hash", "h-" + url),
        title="t",
        published_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        raw_html_gz=gzip.compress(b"<html>x</html>"),
        flagged=True,
        reasons=("disputed state Sinaloa",),
        tags=kw.pop(
            "tags",
            {
                "states": [{"id": "sinaloa", "name": "Sinaloa", "via": ["Culiacán"]}],
                "officials": [],
                "groups": [],
            },
        ),
        mentions=(repo.MentionRecord("place", "culiacan-sin", "Culiacán", 12, 20, "s", "sinaloa"),),
        **kw,
    )


def test_migrated_to_head(engine):
    assert current_revision(engine) == head_revision()


def test_sync_feeds_idempotent_and_url_change(engine):
    with session_scope(engine) as s:
        ids = repo.sync_feeds(s, [FeedSource("A", "https://a.example/feed", "es")])
        again = repo.sync_feeds(s, [FeedSource("A", "https://a.example/feed", "es")])
        assert ids == again
        moved = repo.sync_feeds(s, [FeedSource("A", "https://a.example/rss", "es", tags=("x",))])
        assert moved == ids
        rows = repo.feed_rows(s)
    assert [(r.name, r.url) for r in rows] == [("A", "https://a.example/rss")]


def test_store_article_is_idempotent_with_aliases_and_mentions(engine):
    with session_scope(engine) as s:
        fid = repo.sync_feeds(
            s,
            [FeedSource("A", "https://a.example/feed"), FeedSource("B", "https://b.example/feed")],
        )
        a_id, created = repo.store_article(s, _rec(feed_id=fid["A"]))
        assert created
    with session_scope(engine) as s:
        b_id, created = repo.store_article(
            s, _rec(feed_id=fid["B"], aliases=("https://n.example/a/amp",))
        )
        assert (b_id, created) == (a_id, False)
        assert s.scalar(select(func.count()).select_from(Article)) == 1
        assert s.scalar(select(func.count()).select_from(Mention)) == 1
        assert set(s.scalars(select(ArticleFeed.feed_id))) == {fid["A"], fid["B"]}
        assert repo.known_urls(
            s,
            [
                "https://n.example/a/amp",
                "https://n.example/a?utm_source=rss",
                "https://other.example/",
            ],
        ) == {"https://n.example/a/amp", "https://n.example/a?utm_source=rss"}
        art = s.get(Article, a_id)
        assert art.published_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        assert art.raw_html and art.raw_html[:2] == b"\x1f\x8b"  # gzip
        rows = repo.list_articles(s, flagged=True)
    assert [(r.states, r.feed) for r in rows] == [(["sinaloa"], "A")]


def test_same_text_new_url_same_feed_is_one_article(engine):
    with session_scope(engine) as s:
        fid = repo.sync_feeds(s, [FeedSource("A", "https://a.example/feed")])["A"]
        a, _ = repo.store_article(
            s, _rec(url="https://n.example/a", feed_id=fid, content_hash="same")
        )
        b, created = repo.store_article(
            s, _rec(url="https://n.example/a-2", feed_id=fid, content_hash="same")
        )
        assert (b, created) == (a, False)
        assert (
            s.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == "https://n.example/a-2"))
            == a
        )


def test_record_fetch_health_and_history_cap(engine):
    t0 = datetime(2026, 11, 25, tzinfo=UTC)
    with session_scope(engine) as s:
        fid = repo.sync_feeds(s, [FeedSource("A", "https://a.example/feed")])["A"]
        for i in range(35):
            repo.record_fetch(
                s,
                repo.FetchRecord(
                    feed_id=fid,
                    started_at=t0 + timedelta(minutes=i),
                    duration_ms=5,
                    outcome="error",
                    http_status=500,
                    error_kind="server_error",
                    error="HTTP 500",
                ),
            )
        row = repo.feed_rows(s)[0]
        assert row.consecutive_failures == 35
        assert row.failing_since == t0
        assert row.last_error == "server_error: HTTP 500"
        assert s.scalar(select(func.count()).select_from(FeedFetch)) == repo.FETCH_HISTORY
        repo.record_fetch(
            s,
            repo.FetchRecord(
                feed_id=fid,
                started_at=t0 + timedelta(hours=1),
                duration_ms=5,
                outcome="ok",
                http_status=200,
                entries=3,
                new_items=2,
                etag='"v1"',
                body_hash="b",
            ),
        )
        row = repo.feed_rows(s)[0]
        assert (row.consecutive_failures, row.failing_since, row.last_error) == (0, None, None)
        assert row.last_success_at == t0 + timedelta(hours=1)
        st = repo.feed_states(s, [fid])[fid]
        assert (st.etag, st.body_hash) == ('"v1"', "b")


def test_unicode_round_trip(engine):
    title = "¿Quién mató a «El Güero»? — Ciudad Juárez 🚨"
    with session_scope(engine) as s:
        fid = repo.sync_feeds(s, [FeedSource("Á", "https://a.example/feed")])["Á"]
        aid, _ = repo.store_article(
            s,
            repo.ArticleRecord(
                canonical_url="https://n.example/ü",
                url="https://n.example/ü",
                feed_id=fid,
                text=title * 3,
                content_hash="u",
                title=title,
            ),
        )
    with session_scope(engine) as s:
        assert s.get(Article, aid).title == title


def test_record_fetches_batch_keeps_each_feeds_history(engine):
    """One call for many feeds (as the poll records them): every feed's health is updated
    and each keeps its own last FETCH_HISTORY events, the newest ones."""
    t0 = datetime(2026, 11, 25, tzinfo=UTC)
    with session_scope(engine) as s:
        fids = repo.sync_feeds(
            s, [FeedSource(n, f"https://{n.lower()}.example/feed") for n in ("A", "B", "C")]
        )
    for i in range(34):  # 34 poll runs; feed C is only fetched in the last 3
        with session_scope(engine) as s:
            repo.record_fetches(
                s,
                [
                    repo.FetchRecord(
                        feed_id=fids[n],
                        started_at=t0 + timedelta(minutes=i),
                        duration_ms=5,
                        outcome="ok" if n != "B" else "error",
                        http_status=200 if n != "B" else 503,
                        error_kind=None if n != "B" else "server_error",
                        error=None if n != "B" else "HTTP 503",
                        entries=2,
                        new_items=1 if i == 33 else 0,
                    )
                    for n in ("A", "B", "C")
                    if n != "C" or i >= 31
                ],
            )
    with session_scope(engine) as s:
        counts = dict(
            s.execute(select(FeedFetch.feed_id, func.count()).group_by(FeedFetch.feed_id)).all()
        )
        assert counts == {
            fids["A"]: repo.FETCH_HISTORY,
            fids["B"]: repo.FETCH_HISTORY,
            fids["C"]: 3,
        }
        oldest_kept = s.scalar(
            select(func.min(FeedFetch.started_at)).where(FeedFetch.feed_id == fids["A"])
        )
        assert oldest_kept == t0 + timedelta(minutes=34 - repo.FETCH_HISTORY)
        rows = {r.name: r for r in repo.feed_rows(s)}
        assert rows["B"].consecutive_failures == 34 and rows["B"].failing_since == t0
        assert rows["A"].consecutive_failures == 0
        assert rows["A"].last_new_item_at == t0 + timedelta(minutes=33)
        assert rows["C"].last_checked_at == t0 + timedelta(minutes=33)


def test_other_officials_stored_per_article_and_listed(engine):
    """Unlisted officials ("listed": false in the tags) are stored per article (issue 14) and
    kept apart from the listed officials' ids; a retag replaces them."""
    tags = {
        "states": [{"id": "sinaloa", "name": "Sinaloa", "via": ["Culiacán"]}],
        "officials": [
            {"id": "rocha-moya", "name": "Rubén Rocha Moya", "role": "governor", "listed": True},
            {"id": None, "name": "Ana Ruiz Soto", "role": "alcaldesa de Elota", "listed": False},
        ],
        "groups": [],
    }
    with session_scope(engine) as s:
        fid = repo.sync_feeds(s, [FeedSource("A", "https://a.example/feed")])
        aid, _ = repo.store_article(s, _rec(feed_id=fid["A"], tags=tags))
    with session_scope(engine) as s:
        (row,) = repo.list_articles(s)
    assert row.officials == ["rocha-moya"]
    assert row.other_officials == [{"name": "Ana Ruiz Soto", "role": "alcaldesa de Elota"}]
    with session_scope(engine) as s:
        repo.replace_tags(
            s,
            aid,
            flagged=False,
            reasons=(),
            tags={"states": [], "officials": [], "groups": []},
            tagger_version="v2",
            mentions=(),
        )
    with session_scope(engine) as s:
        (row,) = repo.list_articles(s)
    assert row.other_officials == [] and row.officials == []
