"""``backfill --reextract``: extraction and tagging again on the stored raw HTML of a date
range, with no network at all, on the extraction pool."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace

from sqlalchemy import Engine

from config.settings import Settings
from config.sources import FeedSource
from flows.pipeline.backfill import BackfillRequest, BackfillSummary, Progress
from flows.pipeline.extraction_pool import PageJob, PageResult, extraction_pool, process_page
from storage import backfill as backfill_db
from storage import feeds as feeds_db
from storage.db import session_scope


def reextract(
    settings: Settings,
    engine: Engine,
    chosen: Sequence[FeedSource],
    req: BackfillRequest,
    *,
    progress: Progress | None = None,
) -> BackfillSummary:
    """Re-run extraction and tagging on stored raw HTML in the range. No network at all.

    Pages are read in chunks of ``batch_size`` and extracted on the extraction pool (one
    process per core, or BORDERWATCH_WORKERS); while the pool works on the next two chunks,
    this process stores the results of the one before."""
    summary = BackfillSummary(job_key=req.key())
    start, end = req.window
    with session_scope(engine) as s:
        ids = feeds_db.sync_feeds(s, chosen) if req.feeds else None
    feed_ids = list(ids.values()) if ids is not None else None
    workers = settings.workers or (os.cpu_count() or 1)

    def store(pages: list[backfill_db.RawPage], futures: list[Future[PageResult]]) -> None:
        results = [f.result() for f in futures]
        done = [(p.id, r.record) for p, r in zip(pages, results, strict=True) if r.record]
        with session_scope(engine) as s:
            backfill_db.update_extractions(s, done)
        summary.article_errors += len(pages) - len(done)
        summary.reextracted += len(done)
        summary.flagged += sum(int(rec.flagged) for _, rec in done)
        if progress:
            progress(summary)

    with extraction_pool(str(settings.watchlist), workers) as pool:
        pending: deque[tuple[list[backfill_db.RawPage], list[Future[PageResult]]]] = deque()
        after = 0
        while True:
            with session_scope(engine) as s:
                pages = backfill_db.raw_pages(
                    s,
                    since=start,
                    until=end,
                    feed_ids=feed_ids,
                    after_id=after,
                    limit=settings.batch_size,
                    decompress=False,  # the workers decompress: less work and IPC here
                )
            if not pages:
                break
            after = pages[-1].id
            futures = [
                pool.submit(
                    process_page,
                    PageJob(
                        link=p.url,
                        canonical=p.canonical_url,
                        final_url=p.url,
                        content=p.raw_html,
                        feed_published=p.published_at,
                        feed_title=p.title,
                        content_gz=True,
                        keep_raw=False,
                    ),
                )
                for p in pages
            ]
            pending.append(([replace(p, raw_html=b"") for p in pages], futures))
            while len(pending) > 2:
                store(*pending.popleft())
        while pending:
            store(*pending.popleft())
    return summary
