"""Retag and backfill --reextract on the extraction pool (issue 16): two worker processes
store exactly what the in-process path stores, other_officials included."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from config.settings import CONFIG_DIR
from config.sources import FeedSource, load_feeds
from config.watchlist_loader import load_watchlist
from extractors.tagger import Tagger
from flows.pipeline.backfill import BackfillRequest, run_backfill
from flows.pipeline.poll import run_poll
from flows.pipeline.retag import run_retag
from storage import tagging as tagging_db
from storage.db import session_scope
from storage.tables import Article, Mention
from tests.archive_site import ArchiveSite


def _snapshot(engine) -> dict[int, tuple]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(
                Article.id,
                Article.text,
                Article.flagged,
                Article.reasons,
                Article.tags,
                Article.other_officials,
                Article.tagger_version,
            )
        ).all()
        mentions = dict(
            s.execute(select(Mention.article_id, func.count()).group_by(Mention.article_id)).all()
        )
    return {r[0]: (*r[1:], mentions.get(r[0], 0)) for r in rows}


def test_retag_on_two_worker_processes_stores_what_the_tagger_says(
    settings, engine, demo_site, tmp_path, monkeypatch
):
    # small batches and jobs: several batches in flight, several jobs per batch
    monkeypatch.setattr("flows.pipeline.retag.POOL_BATCH", 7)
    monkeypatch.setattr("flows.pipeline.retag.TAG_CHUNK", 3)
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    settings = settings.model_copy(update={"database_url": str(engine.url)})
    run_poll(settings, engine, load_feeds(feeds))
    expected = _snapshot(engine)
    with session_scope(engine) as s:  # forget every tagging
        s.execute(
            Article.__table__.update().values(
                tagger_version="old", tags={}, reasons=[], flagged=False, other_officials=[]
            )
        )
        s.execute(Mention.__table__.delete())
    tagger = Tagger(load_watchlist(CONFIG_DIR / "watchlist.yaml"))
    summary = run_retag(
        engine, tagger, batch_size=7, watchlist=CONFIG_DIR / "watchlist.yaml", workers=2
    )
    assert summary.candidates == summary.retagged == len(expected)
    assert summary.flag_changes == sum(1 for v in expected.values() if v[1])
    got = _snapshot(engine)
    assert got == expected  # text, flag, reasons, tags, other_officials, version, mentions
    again = run_retag(engine, tagger, watchlist=CONFIG_DIR / "watchlist.yaml", workers=2)
    assert again.candidates == again.retagged == 0


def test_reextract_on_two_worker_processes_equals_in_process(settings, engine):
    with ArchiveSite() as site:
        sources = [FeedSource("Archivo WP", f"{site.base}/wp/feed/", "es")]
        run_backfill(settings, engine, sources, BackfillRequest(since=date(2026, 9, 1)))
    n = len(_snapshot(engine))
    results = []
    for workers in (2, 1):
        with session_scope(engine) as s:
            s.execute(Article.__table__.update().values(text="stale", tagger_version="old"))
        summary = run_backfill(
            settings.model_copy(update={"workers": workers, "batch_size": 5}),
            engine,
            sources,
            BackfillRequest(since=date(2026, 9, 1), reextract=True),
        )
        assert summary.reextracted == n
        results.append(_snapshot(engine))
    assert results[0] == results[1]
    assert not any(v[0] == "stale" for v in results[0].values())


def test_replace_tags_many_writes_other_officials_and_mentions(engine):
    from extractors.models import MentionRecord

    with session_scope(engine) as s:
        s.add_all(
            [
                Article(id=i, url=f"u{i}", canonical_url=f"u{i}", text="t", content_hash=f"h{i}")
                for i in (1, 2)
            ]
        )
    unlisted = {"officials": [{"name": "Ana Ruiz", "role": "alcaldesa", "listed": False}]}
    m = MentionRecord(entity_type="state", entity_id="sinaloa", surface="Sinaloa", start=0, end=7)
    m2 = MentionRecord(entity_type="state", entity_id="sonora", surface="Sonora", start=9, end=15)
    with session_scope(engine) as s:
        tagging_db.replace_tags_many(
            s,
            [
                tagging_db.TagWrite(1, True, ("r1",), unlisted, "v9", (m, m2)),
                tagging_db.TagWrite(2, False, (), {"officials": []}, "v9", ()),
            ],
        )
    got = _snapshot(engine)
    assert got[1][1:] == (
        True,
        ["r1"],
        unlisted,
        [{"name": "Ana Ruiz", "role": "alcaldesa"}],
        "v9",
        2,
    )
    assert got[2][1:] == (False, [], {"officials": []}, [], "v9", 0)
