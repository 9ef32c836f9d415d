"""Work sharing between pollers (issue 16): feed and host leases, worker heartbeats, the
database clock and share sizes.

PostgreSQL leases with ``FOR UPDATE SKIP LOCKED``; on SQLite the write transaction (BEGIN
IMMEDIATE) serializes leasing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from config import clock
from storage._sql import (
    insert_for,
)
from storage.tables import (
    Feed,
    HostLease,
    PollWorker,
)

MIN_SHARE = 2  # feeds: the smallest share a lease takes (a host's feeds come whole anyway)
LIVE_SECONDS = 30  # a worker whose heartbeat is older than this is not counted as live


def release_feeds(session: Session, *, owner: str, feed_ids: Sequence[int]) -> None:
    if feed_ids:
        session.execute(
            update(Feed)
            .where(Feed.id.in_(list(feed_ids)), Feed.lease_owner == owner)
            .values(lease_owner=None, lease_until=None)
        )


def db_now(session: Session) -> datetime:
    """Now by the DATABASE clock (one clock for every worker on every machine), moved by the
    injectable clock's offset (config/clock.py), so that under BORDERWATCH_CLOCK_AT lease and
    due times compare with what the pipeline wrote (clock.utcnow())."""
    if session.get_bind().dialect.name == "postgresql":
        raw = session.scalar(text("SELECT now()"))
        assert isinstance(raw, datetime)
        now = raw.astimezone(UTC)
    else:
        stamp = session.scalar(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"))
        now = datetime.fromisoformat(str(stamp)).replace(tzinfo=UTC)
    return now + (clock.utcnow() - datetime.now(UTC))


def share_size(due: int, live_workers: int, *, first: bool = True, minimum: int = MIN_SHARE) -> int:
    """Feeds one lease takes: a run's first lease takes ceil(due / (2 x live workers)), half a
    fair share, which leaves work for workers started at the same time but not yet seen; its
    later leases take a fair share of what is left, ceil(due / live workers) (the others have
    had their heartbeat by then, and a batch costs one politeness round whatever its size, so
    halving the shares down to a long tail of small batches would cost rounds). At least
    ``minimum``; a worker leases again as it finishes a share, so fast workers take more."""
    if due <= 0:
        return 0
    return max(minimum, math.ceil(due / ((2 if first else 1) * max(1, live_workers))))


def heartbeat(session: Session, *, worker_id: str, host: str, pid: int, now: datetime) -> None:
    """Record that this worker is alive now (an upsert of its poll_workers row)."""
    stmt = insert_for(session, PollWorker).values(
        worker_id=worker_id, host=host[:255], pid=pid, started_at=now, last_seen=now
    )
    session.execute(
        stmt.on_conflict_do_update(index_elements=["worker_id"], set_={"last_seen": now})
    )


def drop_worker(session: Session, worker_id: str) -> None:
    session.execute(delete(PollWorker).where(PollWorker.worker_id == worker_id))


def live_workers(session: Session, now: datetime, *, within: float = LIVE_SECONDS) -> int:
    """Workers seen within ``within`` seconds (at least 1: the caller is one)."""
    n = session.scalar(
        select(func.count())
        .select_from(PollWorker)
        .where(PollWorker.last_seen >= now - timedelta(seconds=within))
    )
    return max(1, int(n or 0))


def _free_feeds(now: datetime, due_only: bool) -> Any:
    cond = (Feed.lease_until.is_(None)) | (Feed.lease_until < now)
    if due_only:
        cond = cond & ((Feed.next_check_at.is_(None)) | (Feed.next_check_at <= now))
    return cond


def count_due(session: Session, feed_ids: Sequence[int], *, now: datetime, due_only: bool) -> int:
    """Feeds among these that are free to lease now (and due, with due_only)."""
    n = 0
    ids = list(feed_ids)
    for k in range(0, len(ids), 1000):
        n += int(
            session.scalar(
                select(func.count())
                .select_from(Feed)
                .where(Feed.id.in_(ids[k : k + 1000]), _free_feeds(now, due_only))
            )
            or 0
        )
    return n


def lease_hosts(
    session: Session,
    *,
    owner: str,
    hosts: Sequence[str],
    now: datetime,
    lease_seconds: float,
    limit: int,
) -> list[str]:
    """Lease up to ``limit`` of these hosts (in the given order) to ``owner``: a host is
    free when it has no lease or its lease expired. PostgreSQL: ``FOR UPDATE SKIP LOCKED``;
    SQLite: the write transaction (BEGIN IMMEDIATE) serializes leasing."""
    if not hosts or limit <= 0:
        return []
    session.execute(
        insert_for(session, HostLease)
        .values([{"host": h} for h in dict.fromkeys(hosts)])
        .on_conflict_do_nothing()
    )
    q = select(HostLease.host).where(
        HostLease.host.in_(list(hosts)),
        (HostLease.lease_until.is_(None)) | (HostLease.lease_until < now),
    )
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    free = set(session.scalars(q))
    got = [h for h in dict.fromkeys(hosts) if h in free][:limit]
    if got:
        session.execute(
            update(HostLease)
            .where(HostLease.host.in_(got))
            .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
        )
    return got


def lease_share(
    session: Session,
    *,
    owner: str,
    feed_hosts: Mapping[int, str],
    now: datetime,
    lease_seconds: float,
    share: int,
    due_only: bool,
) -> tuple[list[int], list[str]]:
    """Lease a share of these feeds (``feed_hosts``: feed id -> its host) to ``owner``, whole
    hosts at a time: hosts are taken (most overdue first) until the share is reached, with
    every free (and due) feed of each. A host leased by another worker is skipped, so one
    host's pages are fetched by one worker at a time across all workers (politeness).
    Returns (feed ids, hosts)."""
    if not feed_hosts or share <= 0:
        return [], []
    ids = list(feed_hosts)
    rows: list[tuple[int, datetime | None]] = []
    for k in range(0, len(ids), 1000):
        rows.extend(
            (r.id, r.next_check_at)
            for r in session.execute(
                select(Feed.id, Feed.next_check_at).where(
                    Feed.id.in_(ids[k : k + 1000]), _free_feeds(now, due_only)
                )
            )
        )
    if not rows:
        return [], []
    never = datetime.min.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (r[1] or never, r[0]))
    by_host: dict[str, list[int]] = {}
    for fid, _ in rows:
        by_host.setdefault(feed_hosts[fid], []).append(fid)
    order = list(by_host)  # most overdue host first
    taken: list[str] = []
    feeds: list[int] = []
    # lease hosts in small rounds: the hosts needed to reach the share, then more if some
    # were taken by another worker in between
    pos = 0
    while len(feeds) < share and pos < len(order):
        want, n = [], len(feeds)
        while pos < len(order) and n < share:
            want.append(order[pos])
            n += len(by_host[order[pos]])
            pos += 1
        got = lease_hosts(
            session, owner=owner, hosts=want, now=now, lease_seconds=lease_seconds, limit=len(want)
        )
        for h in got:
            taken.append(h)
            feeds.extend(by_host[h])
    if feeds:
        until = now + timedelta(seconds=lease_seconds)
        leased: list[int] = []
        for k in range(0, len(feeds), 1000):
            part = feeds[k : k + 1000]
            session.execute(
                update(Feed)
                .where(Feed.id.in_(part), _free_feeds(now, due_only))
                .values(lease_owner=owner, lease_until=until)
            )
            leased.extend(
                session.scalars(
                    select(Feed.id).where(
                        Feed.id.in_(part), Feed.lease_owner == owner, Feed.lease_until == until
                    )
                )
            )
        keep = set(leased)
        feeds = [f for f in feeds if f in keep]
    return feeds, taken


def renew_leases(
    session: Session,
    *,
    owner: str,
    feed_ids: Sequence[int],
    hosts: Sequence[str],
    now: datetime,
    lease_seconds: float,
) -> int:
    """Extend this owner's leases on these feeds and hosts to now + lease_seconds (a batch
    still running keeps them). Returns the number of feed leases renewed."""
    until = now + timedelta(seconds=lease_seconds)
    n = 0
    ids = list(feed_ids)
    for k in range(0, len(ids), 1000):
        res = session.execute(
            update(Feed)
            .where(Feed.id.in_(ids[k : k + 1000]), Feed.lease_owner == owner)
            .values(lease_until=until)
        )
        n += int(getattr(res, "rowcount", 0) or 0)
    if hosts:
        session.execute(
            update(HostLease)
            .where(HostLease.host.in_(list(hosts)), HostLease.lease_owner == owner)
            .values(lease_until=until)
        )
    return n


def host_lease_owners(session: Session, hosts: Sequence[str], now: datetime) -> dict[str, str]:
    """Who holds the live leases of these hosts."""
    if not hosts:
        return {}
    rows = session.execute(
        select(HostLease.host, HostLease.lease_owner).where(
            HostLease.host.in_(list(hosts)),
            HostLease.lease_owner.is_not(None),
            HostLease.lease_until >= now,
        )
    )
    return {r.host: str(r.lease_owner) for r in rows}


def expire_owner(session: Session, owner: str, now: datetime) -> None:
    """End every lease of a worker known to be dead (its feeds and hosts are free now)."""
    session.execute(
        update(Feed).where(Feed.lease_owner == owner).values(lease_owner=None, lease_until=None)
    )
    session.execute(
        update(HostLease)
        .where(HostLease.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )
    drop_worker(session, owner)


def release_hosts(
    session: Session, *, owner: str, hosts: Sequence[str], now: datetime, gap: float
) -> datetime:
    """Give these hosts back. The next worker may start on a host ``gap`` seconds from now
    (the per-host delay), so the spacing of requests holds across workers too. Returns the
    ``lease_until`` written (what :func:`reclaim_hosts` checks)."""
    until = now + timedelta(seconds=gap)
    if hosts:
        session.execute(
            update(HostLease)
            .where(HostLease.host.in_(list(hosts)), HostLease.lease_owner == owner)
            .values(lease_owner=None, lease_until=until)
        )
    return until


def cooling_until(session: Session, *, hosts: Sequence[str], now: datetime) -> datetime | None:
    """The earliest end of a politeness gap among these hosts: released by their last owner
    (:func:`release_hosts`) with ``lease_until`` not yet past. None when none is cooling."""
    if not hosts:
        return None
    until = session.scalar(
        select(func.min(HostLease.lease_until)).where(
            HostLease.host.in_(list(hosts)),
            HostLease.lease_owner.is_(None),
            HostLease.lease_until >= now,
        )
    )
    if until is None:
        return None
    return until if until.tzinfo is not None else until.replace(tzinfo=UTC)


def reclaim_hosts(
    session: Session,
    *,
    owner: str,
    released: Mapping[str, datetime],
    now: datetime,
    lease_seconds: float,
) -> list[str]:
    """Lease again hosts that ``owner`` released (host -> the ``lease_until`` its release
    wrote), without waiting for the politeness gap: a host whose row still holds exactly that
    release was taken by no other worker since, so the last requests to it were the owner's
    own, which its fetcher spaces. Hosts another worker took since are not reclaimed."""
    got: list[str] = []
    for host, until in released.items():
        res = session.execute(
            update(HostLease)
            .where(
                HostLease.host == host,
                HostLease.lease_owner.is_(None),
                HostLease.lease_until == until,
            )
            .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds))
        )
        if getattr(res, "rowcount", 0) == 1:
            got.append(host)
    return got
