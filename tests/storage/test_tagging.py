"""storage.tagging on both engines: a new tagging replaces an article's tags, mentions and
unlisted officials."""

from config.sources import FeedSource
from storage import articles as articles_db
from storage import feeds as feeds_db
from storage import tagging as tagging_db
from storage.db import session_scope
from tests.storage.test_store_articles import _rec


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
        fid = feeds_db.sync_feeds(s, [FeedSource("A", "https://a.example/feed")])
        aid, _ = articles_db.store_article(s, _rec(feed_id=fid["A"], tags=tags))
    with session_scope(engine) as s:
        (row,) = articles_db.list_articles(s)
    assert row.officials == ["rocha-moya"]
    assert row.other_officials == [{"name": "Ana Ruiz Soto", "role": "alcaldesa de Elota"}]
    with session_scope(engine) as s:
        tagging_db.replace_tags(
            s,
            aid,
            flagged=False,
            reasons=(),
            tags={"states": [], "officials": [], "groups": []},
            tagger_version="v2",
            mentions=(),
        )
    with session_scope(engine) as s:
        (row,) = articles_db.list_articles(s)
    assert row.other_officials == [] and row.officials == []
