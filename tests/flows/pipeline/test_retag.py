"""Editing the watchlist and retagging changes tags and flags of stored articles without any
fetch, and touches only articles tagged with another tagger version."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from config.settings import CONFIG_DIR
from config.sources import load_feeds
from config.watchlist_loader import load_watchlist
from extractors.tagger import Tagger
from flows.pipeline.poll import run_poll
from flows.pipeline.retag import run_retag
from storage.db import session_scope
from storage.tables import Article, Mention


def test_watchlist_edit_then_retag(settings, engine, demo_site, tmp_path):
    feeds = tmp_path / "feeds.yaml"
    demo_site.write_feeds_yaml(feeds)
    settings = settings.model_copy(update={"database_url": str(engine.url)})
    run_poll(settings, engine, load_feeds(feeds))
    with session_scope(engine) as s:
        before = dict(s.execute(select(Article.canonical_url, Article.flagged)).tuples().all())
        coahuila = [
            u
            for u, t in s.execute(select(Article.canonical_url, Article.tags))
            if any(st["id"] == "coahuila" for st in t.get("states", []))
        ]
    assert coahuila, "the demo has an article in Coahuila (Piedras Negras)"
    assert not any(before[u] for u in coahuila if "piedras-negras" in u)

    # the edit: Coahuila becomes a disputed state
    wl_dir = tmp_path / "config"
    shutil.copytree(CONFIG_DIR / "watchlist", wl_dir / "watchlist")
    shutil.copy(CONFIG_DIR / "watchlist.yaml", wl_dir / "watchlist.yaml")
    states = wl_dir / "watchlist" / "states.yaml"
    text = states.read_text(encoding="utf-8")
    i = text.index("id: coahuila")
    j = text.index("disputed: false", i)
    states.write_text(
        text[:j] + "disputed: true" + text[j + len("disputed: false") :], encoding="utf-8"
    )
    old = Tagger(load_watchlist(CONFIG_DIR / "watchlist.yaml"))
    new = Tagger(load_watchlist(wl_dir / "watchlist.yaml"))
    assert new.version != old.version

    hits = sum(demo_site.hits.values())
    summary = run_retag(engine, new, batch_size=7)
    assert sum(demo_site.hits.values()) == hits  # nothing fetched
    assert summary.retagged == summary.candidates == len(before)
    assert summary.flag_changes >= 1
    with session_scope(engine) as s:
        after = dict(s.execute(select(Article.canonical_url, Article.flagged)).tuples().all())
        versions = set(s.scalars(select(Article.tagger_version)))
        assert s.scalar(select(Mention.id).limit(1)) is not None
    assert versions == {new.version}
    assert any(after[u] and not before[u] for u in coahuila)
    assert {u for u in before if before[u] != after[u]} <= set(coahuila)

    again = run_retag(engine, new)
    assert again.candidates == again.retagged == 0  # only other versions are touched
    back = run_retag(engine, old)
    assert back.retagged == len(before)
    with session_scope(engine) as s:
        assert (
            dict(s.execute(select(Article.canonical_url, Article.flagged)).tuples().all()) == before
        )
