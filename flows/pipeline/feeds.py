"""Step 1 and step 2 of a poll run: fetch the leased feeds (conditional requests, one
outcome per feed) and select their new entries (one task per canonical URL, stored stories
linked to the feeds that carry them again); and ``probe_feeds`` for ``borderwatch feeds
check``."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Sequence
from typing import Any

from config import clock
from config.errors import BorderwatchError
from config.settings import Settings
from config.sources import FeedSource
from extractors.errors import FetchError, error_kind
from extractors.feeds import parse_feed
from extractors.http import Fetcher, FetchPolicy
from extractors.models import FetchOutcome
from extractors.urls import canonical_url
from flows.pipeline.records import ArticleTask, FeedOutcome, interleave_hosts
from flows.pipeline.state import RunState
from storage import articles as articles_db
from storage.db import session_scope

log = logging.getLogger("borderwatch.poll")


class FeedsMixin(RunState):
    """Fetch feeds and select their new entries."""

    def fetch_feeds(self, sources: Sequence[FeedSource]) -> list[FeedOutcome]:
        t = time.perf_counter()
        outs = self._io.run(self._fetch_feeds(sources))
        self._add_time("fetch_feeds", time.perf_counter() - t)
        for o in outs:
            self.outcomes[o.feed_id] = o
        return outs

    async def _fetch_feeds(self, sources: Sequence[FeedSource]) -> list[FeedOutcome]:
        return list(await asyncio.gather(*(self._fetch_feed(s) for s in sources)))

    async def _fetch_feed(self, src: FeedSource) -> FeedOutcome:
        fid = self.feed_ids[src.name]
        state = self.states.get(fid)
        out = FeedOutcome(fid, src.name, src.language, clock.utcnow())
        t = time.perf_counter()
        try:
            res = await self.fetcher.fetch(
                src.url,
                kind="feed",
                etag=state.etag if state else None,
                last_modified=state.last_modified if state else None,
            )
            out.http_status = res.status
            out.etag, out.last_modified = res.etag, res.last_modified
            out.bytes = len(res.content)
            if res.not_modified:
                out.outcome = FetchOutcome.NOT_MODIFIED
                return out
            out.body_hash = hashlib.sha256(res.content).hexdigest()
            if state and state.body_hash == out.body_hash:
                out.outcome = FetchOutcome.UNCHANGED  # same bytes although the server said 200
                return out
            parsed = parse_feed(res.content, url=res.final_url, headers=res.headers)
            out.entries = list(parsed.entries)
            out.skipped = len(parsed.skipped)
            out.outcome = FetchOutcome.parsed(len(parsed.entries))
        except BorderwatchError as exc:
            out.outcome = FetchOutcome.of_error(exc.kind)
            out.error_kind, out.error = exc.kind, exc.message
            if isinstance(exc, FetchError):  # raised by fetch, before http_status was set
                out.http_status, out.retry_after = exc.status, exc.retry_after
        except Exception as exc:  # an unexpected bug in one feed must not sink the run
            log.exception("feed %s: unexpected error", src.name)
            out.outcome, out.error_kind, out.error = FetchOutcome.ERROR, error_kind(exc), repr(exc)
        finally:
            out.duration_ms = int((time.perf_counter() - t) * 1000)
        return out

    def new_articles(self, outcomes: Sequence[FeedOutcome]) -> list[ArticleTask]:
        """Entries whose URL (any spelling) is not stored yet, one task per canonical URL.
        Fetches that found a gap are marked first (see detect_gaps)."""
        self.detect_gaps(outcomes)
        return self.fresh_tasks(
            [ArticleTask(o.feed_id, o.language, e, "") for o in outcomes for e in o.entries]
        )

    def fresh_tasks(self, candidates: Sequence[ArticleTask]) -> list[ArticleTask]:
        """Merge candidates by canonical URL and drop those already stored (any spelling);
        a stored story that now also comes through another feed is linked to it."""
        by_canonical: dict[str, ArticleTask] = {}
        for t in candidates:
            c = canonical_url(t.entry.link)
            if c in by_canonical:
                if t.feed_id is not None:
                    by_canonical[c].others.append((t.feed_id, t.entry.link))
            else:
                t.canonical = c
                by_canonical[c] = t
        with self._store_lock, session_scope(self.engine) as s:
            self.summary.entries += len(candidates)
            known = articles_db.known_urls(
                s, [u for t in by_canonical.values() for u in (t.canonical, t.entry.link)]
            )
            fresh = []
            for t in by_canonical.values():
                if t.canonical in known or t.entry.link in known:
                    self.summary.known += 1
                    # the same story may now also come through another feed: link it
                    mine = [(t.feed_id, t.entry.link)] if t.feed_id is not None else []
                    articles_db.link_known(s, t.canonical, [*mine, *t.others])
                else:
                    fresh.append(t)
        return interleave_hosts(fresh)


def probe_feeds(settings: Settings, sources: Sequence[FeedSource]) -> list[dict[str, Any]]:
    """Fetch and parse feeds now, unconditionally; store nothing (``borderwatch feeds check``)."""

    async def probe(f: Fetcher, src: FeedSource) -> dict[str, Any]:
        t = time.perf_counter()
        row: dict[str, Any] = {
            "name": src.name,
            "url": src.url,
            "outcome": FetchOutcome.OK,
            "http_status": None,
            "entries": 0,
            "skipped": 0,
            "bytes": 0,
            "error": None,
        }
        try:
            res = await f.fetch(src.url, kind="feed")
            row["http_status"], row["bytes"] = res.status, len(res.content)
            parsed = parse_feed(res.content, url=res.final_url, headers=res.headers)
            row["entries"], row["skipped"] = len(parsed.entries), len(parsed.skipped)
            row["outcome"] = FetchOutcome.parsed(len(parsed.entries))
        except BorderwatchError as exc:
            row["outcome"] = FetchOutcome.of_error(exc.kind)
            if isinstance(exc, FetchError):
                row["http_status"] = exc.status
            row["error"] = f"{exc.kind}: {exc.message}"
        row["duration_ms"] = int((time.perf_counter() - t) * 1000)
        return row

    async def main() -> list[dict[str, Any]]:
        async with Fetcher(FetchPolicy.from_settings(settings)) as f:
            return list(await asyncio.gather(*(probe(f, s) for s in sources)))

    return asyncio.run(main())
