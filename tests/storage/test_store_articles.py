"""storage.articles on both engines (the `engine` fixture is parametrized: sqlite and postgres)."""

import gzip
from datetime import UTC, datetime

from sqlalchemy import func, select

from config.sources import FeedSource
from extractors.models import ArticleRecord, Mention
from storage import articles as articles_db
from storage import feeds as feeds_db
from storage.db import session_scope
from storage.tables import Article, ArticleFeed, ArticleUrl
from storage.tables import Mention as MentionTable


def _rec(url="https://n.example/a", feed_id=1, text="Balacera en Culiacán", **kw):
    return ArticleRecord(
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
        mentions=(Mention("place", "culiacan-sin", "Culiacán", 12, 20, "s", "sinaloa"),),
        **kw,
    )


def test_store_article_is_idempotent_with_aliases_and_mentions(engine):
    with session_scope(engine) as s:
        fid = feeds_db.sync_feeds(
            s,
            [FeedSource("A", "https://a.example/feed"), FeedSource("B", "https://b.example/feed")],
        )
        a_id, created = articles_db.store_article(s, _rec(feed_id=fid["A"]))
        assert created
    with session_scope(engine) as s:
        b_id, created = articles_db.store_article(
            s, _rec(feed_id=fid["B"], aliases=("https://n.example/a/amp",))
        )
        assert (b_id, created) == (a_id, False)
        assert s.scalar(select(func.count()).select_from(Article)) == 1
        assert s.scalar(select(func.count()).select_from(MentionTable)) == 1
        assert set(s.scalars(select(ArticleFeed.feed_id))) == {fid["A"], fid["B"]}
        assert articles_db.known_urls(
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
        rows = articles_db.list_articles(s, flagged=True)
    assert [(r.states, r.feed) for r in rows] == [(["sinaloa"], "A")]


def test_same_text_new_url_same_feed_is_one_article(engine):
    with session_scope(engine) as s:
        fid = feeds_db.sync_feeds(s, [FeedSource("A", "https://a.example/feed")])["A"]
        a, _ = articles_db.store_article(
            s, _rec(url="https://n.example/a", feed_id=fid, content_hash="same")
        )
        b, created = articles_db.store_article(
            s, _rec(url="https://n.example/a-2", feed_id=fid, content_hash="same")
        )
        assert (b, created) == (a, False)
        assert (
            s.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url == "https://n.example/a-2"))
            == a
        )


def test_unicode_round_trip(engine):
    title = "¿Quién mató a «El Güero»? — Ciudad Juárez 🚨"
    with session_scope(engine) as s:
        fid = feeds_db.sync_feeds(s, [FeedSource("Á", "https://a.example/feed")])["Á"]
        aid, _ = articles_db.store_article(
            s,
            ArticleRecord(
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
