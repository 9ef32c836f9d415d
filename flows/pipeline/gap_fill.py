"""Gaps (issue 19): a fetch whose items share nothing with the previous listing, all newer
than the previous fetch, is marked as a gap; its missing window is then read from the feed's
archive (or the site's sitemaps) through the run's fetcher, and the fill recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from config import clock
from config.sources import FeedSource
from extractors.errors import error_kind
from flows.pipeline.records import FeedOutcome, Gap, listing_keys
from flows.pipeline.state import RunState
from storage import backfill as backfill_db
from storage import feeds as feeds_db
from storage.db import session_scope

if TYPE_CHECKING:
    from flows.pipeline.backfill import Page
    from flows.pipeline.run import PollRun

log = logging.getLogger("borderwatch.poll")
GAP_FILL_THREADS = 8  # gap fills of one feed batch run side by side


class GapsMixin(RunState):
    """Detect and fill the gaps of a batch of feed fetches."""

    def detect_gaps(self, outcomes: Sequence[FeedOutcome]) -> list[FeedOutcome]:
        """Mark and record the fetches that found a gap: every item listed is new to the feed
        (no GUID or link of its previous listing, none of its stored articles) and even the
        oldest one came after the previous successful fetch, so the items published in
        between were probably missed. Runs before the new items are stored."""
        found: list[FeedOutcome] = []
        for o in outcomes:
            state = self.states.get(o.feed_id)
            if o.outcome != "ok" or not o.entries or state is None:
                continue
            if not state.listing or state.listed_at is None:
                continue  # nothing listed before to compare with (first fetch, empty feed)
            keys = listing_keys(o.entries)
            if keys & state.listing:
                continue
            dated = [e.published for e in o.entries if e.published]
            if len(dated) < len(o.entries) or min(dated) <= state.listed_at:
                continue  # undated items, or the window reaches back to the previous fetch
            with session_scope(self.engine) as s:
                if feeds_db.feed_known_urls(s, o.feed_id, keys):
                    continue
                gap_id = feeds_db.record_gap(
                    s, o.feed_id, detected_at=o.started_at, start=state.listed_at, end=min(dated)
                )
            o.gap = Gap(gap_id, state.listed_at, min(dated))
            found.append(o)
            with self._store_lock:  # the run's lanes share its summary
                self.summary.gaps += 1
            log.warning(
                "feed %s: gap: nothing listed overlaps the previous fetch; items published "
                "%s .. %s were probably missed",
                o.name,
                state.listed_at.isoformat(),
                min(dated).isoformat(),
            )
        return found

    def fill_gaps(self, outcomes: Sequence[FeedOutcome]) -> int:
        """Fetch each gap's missing window from the feed's archive (or the site's sitemap)
        through this run's fetcher (the same per-host limits); record the fill. Returns the
        missed items stored."""
        gapped = [o for o in outcomes if o.gap is not None]

        def one(o: FeedOutcome) -> int:
            assert o.gap is not None
            try:
                return fill_gap(cast("PollRun", self), self.by_id[o.feed_id], o.gap)
            except Exception as exc:  # one feed's fill must not sink the run: record it
                log.exception("feed %s: gap fill failed", o.name)
                with session_scope(self.engine) as s:
                    feeds_db.finish_gap(
                        s,
                        o.gap.gap_id,
                        filled_at=clock.utcnow(),
                        items_found=0,
                        pages=0,
                        source=None,
                        error=f"{error_kind(exc)}: {exc}",
                    )
                return 0

        # the feeds' fills run side by side (they share the fetcher, so the per-host limits
        # hold across them); each one pages through its own feed's archive
        with ThreadPoolExecutor(
            max(1, min(GAP_FILL_THREADS, len(gapped))), thread_name_prefix="borderwatch-gap"
        ) as ex:
            total = sum(ex.map(one, gapped))
        with self._store_lock:  # the run's lanes share its summary
            self.summary.gap_items += total
        return total


GAP_MAX_PAGES = 50  # archive pages read for one gap at most


def fill_gap(run: PollRun, src: FeedSource, gap: Gap) -> int:
    """Fill one gap of ``src`` within ``run`` (its fetcher, so the same per-host limits): read
    the feed's archive (WordPress ``?paged=N``, Blogger ``start-index``, Atom ``rel="next"``)
    from the first page until a page reaches items the feed carried before the gap or is
    older than the gap's start; when the archive cannot say (no paging, an error), read the
    site's sitemaps by date instead. Stores the missed items and records the fill on the gap.
    Returns the missed items stored."""
    from flows.pipeline.backfill import Backfill, BackfillRequest
    from flows.pipeline.poll import direct

    req = BackfillRequest(
        since=gap.start.date(),
        feeds=(src.name,),
        source="feed-archive",
        gap_id=gap.gap_id,
        after=gap.start,
    )
    bf = Backfill(run.settings, run.engine, run, req)
    out = run.outcomes.get(run.feed_ids[src.name])
    bf.exclude = listing_keys(out.entries) if out else set()
    used = "feed-archive"
    bf.run_unit(f"gap:{src.url}", _limited(bf._archive_page(src), GAP_MAX_PAGES), direct)
    if not bf.covered:
        used = "sitemap"
        parts = urlsplit(src.url)
        site = f"{parts.scheme}://{parts.netloc}/"
        bf.run_unit(f"gap-sitemap:{site}", bf._sitemap_page(site, [src]), direct)
    error = "; ".join(bf.summary.source_errors) or None
    with session_scope(run.engine) as s:
        feeds_db.finish_gap(
            s,
            gap.gap_id,
            filled_at=clock.utcnow(),
            items_found=bf.summary.new_articles,
            pages=bf.summary.pages,
            source=used,
            error=error,
        )
        if not bf.summary.source_errors:
            backfill_db.finish_backfill_job(s, bf.job_id, bf.summary.as_dict())
    log.info(
        "feed %s: gap %s .. %s filled from %s: %d missed items stored (%d pages)",
        src.name,
        gap.start.isoformat(),
        gap.end.isoformat(),
        used,
        bf.summary.new_articles,
        bf.summary.pages,
    )
    return bf.summary.new_articles


def _limited(
    next_page: Callable[[backfill_db.CursorState], Page], max_pages: int
) -> Callable[[backfill_db.CursorState], Page]:
    from flows.pipeline.backfill import Page

    def page(state: backfill_db.CursorState) -> Page:
        p = next_page(state)
        if p.next_state.position >= max_pages and not p.next_state.done:
            return Page(p.entries, backfill_db.CursorState(p.next_state.position, None, True))
        return p

    return page
