"""Step 0 and step 4 of a poll run: lease a share of the feeds (whole hosts at a time),
record the feeds' fetches and release them; and the lease keeper, the thread that keeps a
run's heartbeat and renews its leases while it works."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from config.sources import FeedSource
from flows.pipeline.records import FeedOutcome
from flows.pipeline.state import RunState
from storage import feeds as feeds_db
from storage import leases as leases_db
from storage.db import session_scope

log = logging.getLogger("borderwatch.poll")
HEARTBEAT_SECONDS = 10.0  # how often a run writes its heartbeat and renews its leases


class LeasesMixin(RunState):
    """Feed and host leases of a poll run."""

    def lease_next(self, limit: int) -> list[FeedSource]:
        """Lease the next share of the feeds this run has not polled yet (due ones only, with
        due_only): ceil(due / (2 x live workers)) feeds, at most ``limit``, whole hosts at a
        time (repository.lease_share). Each feed, and each host, is leased by one worker at a
        time; the lease keeper renews them while the batch runs."""
        todo = [fid for fid in self.by_id if fid not in self._handled]
        if not todo:
            return []
        while True:
            with session_scope(self.engine) as s:
                now = leases_db.db_now(s)
                live = leases_db.live_workers(s, now)
                due = leases_db.count_due(s, todo, now=now, due_only=self.due_only)
                first = not self._handled
                share = min(max(1, limit), leases_db.share_size(due, live, first=first))
                ids, hosts = leases_db.lease_share(
                    s,
                    owner=self.owner,
                    feed_hosts={fid: self.feed_hosts[fid] for fid in todo},
                    now=now,
                    lease_seconds=self.settings.lease_seconds,
                    share=share,
                    due_only=self.due_only,
                )
                cooling = (
                    leases_db.cooling_until(
                        s, hosts=sorted({self.feed_hosts[f] for f in todo}), now=now
                    )
                    if due and not ids
                    else None
                )
            # free feeds whose hosts another run released a moment ago (its politeness gap,
            # per_host_delay): wait for the gap and lease again instead of ending the run
            # with them unpolled
            if cooling is None:
                break
            wait = (cooling - now).total_seconds()
            if wait > self.settings.per_host_delay + 1.0:
                break
            time.sleep(max(wait, 0.001))
        with self._lease_lock:
            self._handled.update(ids)
            self._leased.update(ids)
            for fid in ids:
                self._host_feeds.setdefault(self.feed_hosts[fid], set()).add(fid)
            for h in hosts:  # a host leased with no feed left (raced away): give it back
                self._host_feeds.setdefault(h, set())
        self._release_done_hosts([h for h in hosts if not self._host_feeds.get(h)])
        return [self.by_id[i] for i in ids]

    def hold_host(self, host: str) -> None:
        """Keep (renew) a host lease taken outside lease_next (backfills) until release."""
        with self._lease_lock:
            self._host_feeds.setdefault(host, set())

    def release_host(self, host: str) -> None:
        self._release_done_hosts([host])

    def leases(self) -> tuple[list[int], list[str]]:
        """The feeds and hosts this run holds now (for the lease keeper)."""
        with self._lease_lock:
            return sorted(self._leased), sorted(self._host_feeds)

    def _release_done_hosts(self, hosts: Sequence[str]) -> None:
        if not hosts:
            return
        with session_scope(self.engine) as s:
            until = leases_db.release_hosts(
                s,
                owner=self.owner,
                hosts=hosts,
                now=leases_db.db_now(s),
                gap=self.settings.per_host_delay,
            )
        with self._lease_lock:
            for h in hosts:
                self._host_feeds.pop(h, None)
                self._released[h] = until

    def record_feeds(self, outcomes: Sequence[FeedOutcome]) -> None:
        """Store the feeds' fetch outcomes (after their articles) and release their leases."""
        ids = [o.feed_id for o in outcomes]
        with session_scope(self.engine) as s:
            feeds_db.record_fetches(s, [o.record(self.states.get(o.feed_id)) for o in outcomes])
            leases_db.release_feeds(s, owner=self.owner, feed_ids=ids)
        done: list[str] = []
        with self._lease_lock:
            self._leased.difference_update(ids)
            for fid in ids:
                host = self.feed_hosts.get(fid)
                left = self._host_feeds.get(host) if host is not None else None
                if left is not None:
                    left.discard(fid)
                    if not left:
                        done.append(host)  # type: ignore[arg-type]
        self._release_done_hosts(sorted(set(done)))


class LeaseKeeper:
    """A thread that keeps a run's leases while it works: every ``lease_seconds / 3`` (at most
    every HEARTBEAT_SECONDS) it writes the worker's heartbeat and extends the leases of the
    feeds and hosts it holds to db_now + lease_seconds. A batch that outlasts its lease is so
    renewed, not stolen; a worker that dies stops renewing and loses its leases at expiry."""

    def __init__(self, run: LeasesMixin) -> None:
        self.run = run
        self.every = max(0.2, min(run.settings.lease_seconds / 3, HEARTBEAT_SECONDS))
        self._stop = threading.Event()
        self.renewals = 0
        with session_scope(run.engine) as s:
            self._beat(s)
        self._thread = threading.Thread(
            target=self._loop, daemon=True, name="borderwatch-lease-keeper"
        )
        self._thread.start()

    def _beat(self, s: Any) -> datetime:
        now = leases_db.db_now(s)
        leases_db.heartbeat(
            s, worker_id=self.run.owner, host=socket.gethostname(), pid=os.getpid(), now=now
        )
        return now

    def renew(self) -> None:
        feeds, hosts = self.run.leases()
        with session_scope(self.run.engine) as s:
            now = self._beat(s)
            if feeds or hosts:
                leases_db.renew_leases(
                    s,
                    owner=self.run.owner,
                    feed_ids=feeds,
                    hosts=hosts,
                    now=now,
                    lease_seconds=self.run.settings.lease_seconds,
                )
        self.renewals += 1

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.renew()
            except Exception:  # a database hiccup: try again next time, the lease still holds
                log.exception("lease renewal failed")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
