"""Re-apply the current watchlist to stored articles, in batches, without fetching anything.

Only articles tagged with another tagger version (code version + watchlist hash) are touched,
so a second run right after the first does nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from flows.pipeline.extraction_pool import TagItem, TagOut, extraction_pool, tag_texts, tag_with
from storage import tagging as tagging_db
from storage.db import session_scope


@dataclass
class RetagSummary:
    version: str
    candidates: int = 0
    retagged: int = 0
    flag_changes: int = 0


def tag_items(batch: Sequence[tagging_db.TagInput]) -> list[TagItem]:
    return [
        (a.id, a.text, a.title, a.published_at.date() if a.published_at else None) for a in batch
    ]


def retag_batch(engine: Engine, tagger: Any, batch: list[tagging_db.TagInput]) -> tuple[int, int]:
    """Tag one batch here and store it in one transaction. Returns (retagged, flags changed)."""
    return store_tags(engine, tag_with(tagger, tag_items(batch)))


TAG_CHUNK = 100  # articles per job sent to an extraction worker
POOL_BATCH = 1000  # articles read and stored per transaction on the pool


def store_tags(engine: Engine, outs: list[TagOut]) -> tuple[int, int]:
    """Store a batch of new taggings in one transaction. Returns (retagged, flags changed)."""
    with session_scope(engine) as s:
        before = {r.id: r.flagged for r in tagging_db.flags_of(s, [o.article_id for o in outs])}
        tagging_db.replace_tags_many(
            s,
            [
                tagging_db.TagWrite(
                    o.article_id, o.flagged, o.reasons, o.tags, o.tagger_version, o.mentions
                )
                for o in outs
            ],
        )
    return len(outs), sum(int(before.get(o.article_id) != o.flagged) for o in outs)


def run_retag(
    engine: Engine,
    tagger: Any,
    *,
    since: datetime | None = None,
    batch_size: int = 200,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str, Callable[..., Any]], Callable[..., Any]] = lambda _n, f: f,
    watchlist: str | Path | None = None,
    workers: int = 1,
) -> RetagSummary:
    """Retag every article tagged with another version than ``tagger``'s. With ``watchlist``
    (the file ``tagger`` was built from) and ``workers`` > 1, tagging runs on the extraction
    pool (one process per worker, TAG_CHUNK articles a job) while this process reads the next
    batch and stores the last one (a few statements per batch: replace_tags_many)."""
    summary = RetagSummary(version=tagger.version)
    with session_scope(engine) as s:
        summary.candidates = tagging_db.count_stale_tags(s, version=tagger.version, since=since)

    pooled = watchlist is not None and workers > 1
    # on the pool, read and store in bigger batches: fewer round trips and commits per article
    size = max(batch_size, POOL_BATCH) if pooled else batch_size

    def batches() -> Iterator[list[tagging_db.TagInput]]:
        after = 0
        while True:
            with session_scope(engine) as s:
                batch = tagging_db.stale_tag_batch(
                    s, version=tagger.version, since=since, after_id=after, limit=size
                )
            if not batch:
                return
            yield batch
            after = batch[-1].id

    def add(n: int, changed: int) -> None:
        summary.retagged += n
        summary.flag_changes += changed
        if progress:
            progress(summary.retagged, summary.candidates)

    if not pooled:
        step = stage("retag-batch", retag_batch)
        for batch in batches():
            add(*step(engine, tagger, batch))
        return summary

    store = stage("retag-store", store_tags)
    assert watchlist is not None
    with extraction_pool(str(watchlist), workers) as pool:
        pending: deque[list[Future[list[TagOut]]]] = deque()

        def drain() -> None:
            outs = [o for f in pending.popleft() for o in f.result()]
            add(*store(engine, outs))

        for batch in batches():
            items = tag_items(batch)
            pending.append(
                [
                    pool.submit(tag_texts, items[k : k + TAG_CHUNK])
                    for k in range(0, len(items), TAG_CHUNK)
                ]
            )
            while len(pending) > 2:  # two batches tagging while one is stored
                drain()
        while pending:
            drain()
    return summary
