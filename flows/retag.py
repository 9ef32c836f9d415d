"""Re-apply the current watchlist to stored articles, in batches, without fetching anything.

Only articles tagged with another tagger version (code version + watchlist hash) are touched,
so a second run right after the first does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from flows.worker import mention_records
from storage import repository as repo
from storage.db import session_scope


@dataclass
class RetagSummary:
    version: str
    candidates: int = 0
    retagged: int = 0
    flag_changes: int = 0


def retag_batch(engine: Engine, tagger: Any, batch: list[repo.TagInput]) -> tuple[int, int]:
    """Tag one batch and store it in one transaction. Returns (retagged, flags changed)."""
    changed = 0
    with session_scope(engine) as s:
        before = {r.id: r.flagged for r in repo.flags_of(s, [b.id for b in batch])}
        for art in batch:
            res = tagger.tag(
                art.text,
                published=art.published_at.date() if art.published_at else None,
                title=art.title,
            )
            repo.replace_tags(
                s,
                art.id,
                flagged=res.flagged,
                reasons=res.reasons,
                tags=res.to_json(),
                tagger_version=tagger.version,
                mentions=mention_records(res),
            )
            changed += int(before.get(art.id) != res.flagged)
    return len(batch), changed


def run_retag(
    engine: Engine,
    tagger: Any,
    *,
    since: datetime | None = None,
    batch_size: int = 200,
    progress: Callable[[int, int], None] | None = None,
    stage: Callable[[str, Callable[..., Any]], Callable[..., Any]] = lambda _n, f: f,
) -> RetagSummary:
    step = stage("retag-batch", retag_batch)
    summary = RetagSummary(version=tagger.version)
    with session_scope(engine) as s:
        summary.candidates = repo.count_stale_tags(s, version=tagger.version, since=since)
    after = 0
    while True:
        with session_scope(engine) as s:
            batch = repo.stale_tag_batch(
                s, version=tagger.version, since=since, after_id=after, limit=batch_size
            )
        if not batch:
            break
        n, changed = step(engine, tagger, batch)
        summary.retagged += n
        summary.flag_changes += changed
        after = batch[-1].id
        if progress:
            progress(summary.retagged, summary.candidates)
    return summary
