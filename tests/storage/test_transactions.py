"""run_transaction: a transaction PostgreSQL aborts for a deadlock runs again (issue 16's
scale-out: two workers storing near-duplicates grow the same story clusters in opposite orders).

The deadlock is a real one on the PostgreSQL server of this machine: two threads, two
connections, each updating two rows in the opposite order, met at a barrier in between."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from storage.db import is_retryable, open_database, run_transaction, session_scope
from storage.tables import StoryCluster
from tests.conftest import create_pg_database, drop_pg_database, require_pg


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    require_pg()
    url = create_pg_database("bw_txn")
    engine = open_database(url)
    yield engine
    engine.dispose()
    drop_pg_database(url)


def _two_clusters(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        ids = []
        for _ in range(2):
            ids.append(
                s.execute(
                    text(
                        "INSERT INTO story_clusters (size, created_at, updated_at) "
                        "VALUES (1, now(), now()) RETURNING id"
                    )
                ).scalar_one()
            )
        return ids[0], ids[1]


def _grow(s: Session, cluster_id: int) -> None:
    s.execute(text("UPDATE story_clusters SET size = size + 1 WHERE id = :id"), {"id": cluster_id})


def _deadlocking_pair(engine: Engine, *, retry: bool) -> tuple[list[int], list[BaseException]]:
    """Thread i grows cluster i then cluster 1-i; both hold their first row lock when they
    ask for the second, so PostgreSQL aborts one of them. Returns each thread's number of
    attempts and the errors that escaped."""
    a, b = _two_clusters(engine)
    order = [(a, b), (b, a)]
    barrier = threading.Barrier(2, timeout=30)
    attempts = [0, 0]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        def txn(s: Session) -> None:
            attempts[i] += 1
            _grow(s, order[i][0])
            if attempts[i] == 1:
                barrier.wait()  # both hold one row: the next UPDATEs deadlock
            _grow(s, order[i][1])

        try:
            if retry:
                run_transaction(engine, txn)
            else:
                with session_scope(engine) as s:
                    txn(s)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return attempts, errors


@pytest.mark.postgres
def test_a_deadlocked_transaction_runs_again_and_both_commit(pg_engine: Engine) -> None:
    attempts, errors = _deadlocking_pair(pg_engine, retry=True)
    assert errors == []
    assert sorted(attempts) == [1, 2]  # the victim ran twice, the other once
    with session_scope(pg_engine) as s:
        sizes = sorted(c.size for c in s.query(StoryCluster))
    assert sizes == [3, 3]  # 1 + one growth by each thread, none lost, none doubled


@pytest.mark.postgres
def test_without_run_transaction_the_same_pair_deadlocks(pg_engine: Engine) -> None:
    """The control: the pair above really deadlocks (the test above tests the retry)."""
    attempts, errors = _deadlocking_pair(pg_engine, retry=False)
    assert attempts == [1, 1]
    assert len(errors) == 1 and isinstance(errors[0], DBAPIError)
    assert is_retryable(errors[0])
    assert getattr(errors[0].orig, "sqlstate", None) == "40P01"


@pytest.mark.postgres
def test_other_database_errors_are_not_run_again(pg_engine: Engine) -> None:
    calls = 0

    def txn(s: Session) -> None:
        nonlocal calls
        calls += 1
        s.execute(text("INSERT INTO host_leases (host) VALUES ('a.example'), ('a.example')"))

    with pytest.raises(IntegrityError) as info:
        run_transaction(pg_engine, txn)
    assert calls == 1
    assert not is_retryable(info.value)


@pytest.mark.postgres
def test_a_transaction_deadlocked_every_time_gives_up_after_the_attempts(
    pg_engine: Engine,
) -> None:
    calls = 0

    class Deadlock(Exception):
        sqlstate = "40P01"

    def txn(s: Session) -> None:
        nonlocal calls
        calls += 1
        raise DBAPIError("UPDATE …", {}, Deadlock("deadlock detected"))

    with pytest.raises(DBAPIError):
        run_transaction(pg_engine, txn, attempts=3)
    assert calls == 3
