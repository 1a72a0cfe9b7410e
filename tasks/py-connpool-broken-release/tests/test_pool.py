import random
import threading
import time

import pytest

from dbpool import ConnectionBroken, ConnectionPool, HealthChecker, PoolClosed, PoolError, PoolExhausted
from dbpool.backend import FakeBackend


def in_thread(fn, *args):
    """Run fn in a daemon thread; returns (thread, box) where box gets ("ok"|"err", value)."""
    box = []

    def target():
        try:
            box.append(("ok", fn(*args)))
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            box.append(("err", exc))

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


def finish(thread, box, timeout=3.0):
    thread.join(timeout)
    assert not thread.is_alive(), "call did not return (deadlock or missed wake-up)"
    return box[0]


def test_releasing_a_broken_connection_does_not_hang():
    backend = FakeBackend()
    pool = ConnectionPool(backend, max_size=2, acquire_timeout=1)
    conn = pool.acquire()
    conn.mark_broken()
    status, _ = finish(*in_thread(pool.release, conn))
    assert status == "ok"
    assert conn.closed
    assert pool.stats() == {"size": 0, "idle": 0, "in_use": 0, "waiting": 0}
    assert backend.open_count == 0


def test_waiter_gets_the_slot_of_a_discarded_connection():
    backend = FakeBackend()
    pool = ConnectionPool(backend, max_size=1, acquire_timeout=10)
    first = pool.acquire()
    waiter = in_thread(pool.acquire)
    deadline = time.monotonic() + 3
    while pool.stats()["waiting"] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(ConnectionBroken):
        first.handle.fail_next = True
        first.execute("SELECT 1")
    releaser = in_thread(pool.release, first)
    assert finish(*releaser)[0] == "ok"
    status, second = finish(*waiter)
    assert status == "ok", second
    assert second is not first and not second.closed
    assert second.execute("SELECT 2")
    assert pool.stats()["size"] == 1


def test_connection_closed_by_caller_frees_a_slot_for_waiters():
    pool = ConnectionPool(FakeBackend(), max_size=1, acquire_timeout=10)
    conn = pool.acquire()
    waiter = in_thread(pool.acquire)
    deadline = time.monotonic() + 3
    while pool.stats()["waiting"] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    closer = in_thread(conn.close)
    assert finish(*closer)[0] == "ok"
    status, other = finish(*waiter)
    assert status == "ok", other
    assert finish(*in_thread(pool.release, conn))[0] == "ok"  # closed: dropped, not reused
    assert pool.stats() == {"size": 1, "idle": 0, "in_use": 1, "waiting": 0}


def test_closing_the_pool_closes_idle_connections():
    backend = FakeBackend()
    pool = ConnectionPool(backend, max_size=3)
    conns = [pool.acquire() for _ in range(3)]
    for conn in conns:
        pool.release(conn)
    assert pool.stats()["idle"] == 3
    assert finish(*in_thread(pool.close))[0] == "ok"
    assert all(conn.closed for conn in conns)
    assert backend.open_count == 0
    assert pool.stats()["size"] == 0
    with pytest.raises(PoolClosed):
        pool.acquire(timeout=0.1)


def test_recycles_connections_after_max_uses():
    backend = FakeBackend()
    pool = ConnectionPool(backend, max_size=2, checker=HealthChecker(max_uses=2))

    def work():
        seen = []
        for i in range(6):
            with pool.connection(timeout=2) as conn:
                conn.execute(f"SELECT {i}")
                conn.execute("COMMIT")
                seen.append(conn)
        return seen

    status, seen = finish(*in_thread(work), timeout=5)
    assert status == "ok", seen
    assert len({id(c) for c in seen}) == 6
    assert backend.opened == 6 and backend.open_count <= 1


@pytest.mark.parametrize("seed", [1, 2])
def test_many_workers_with_failing_connections(seed):
    backend = FakeBackend()
    pool = ConnectionPool(backend, max_size=3, acquire_timeout=8, checker=HealthChecker(max_uses=7))
    errors = []
    barrier = threading.Barrier(10)

    def worker(n):
        rng = random.Random(seed * 100 + n)
        barrier.wait()
        for i in range(60):
            try:
                with pool.connection() as conn:
                    if rng.random() < 0.25:
                        conn.handle.fail_next = True
                    try:
                        conn.execute(f"UPDATE t SET n = {i}")
                    except ConnectionBroken:
                        pass
                    if rng.random() < 0.05:
                        conn.close()
            except PoolError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(10)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 8
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "workers hung"
    assert errors == []
    stats = pool.stats()
    assert stats["in_use"] == 0 and stats["waiting"] == 0
    assert stats["size"] == stats["idle"] <= 3
    assert backend.open_count == stats["size"]


def test_idle_connections_are_reused():
    backend = FakeBackend()
    pool = ConnectionPool(backend, max_size=2)
    with pool.connection() as first:
        first.execute("SELECT 1")
    with pool.connection() as again:
        assert again is first
    assert backend.opened == 1
    assert pool.stats() == {"size": 1, "idle": 1, "in_use": 0, "waiting": 0}


def test_exhausted_pool_times_out():
    pool = ConnectionPool(FakeBackend(), max_size=1)
    held = pool.acquire()
    started = time.monotonic()
    with pytest.raises(PoolExhausted):
        pool.acquire(timeout=0.2)
    assert time.monotonic() - started >= 0.15
    pool.release(held)
    with pytest.raises(PoolError):
        pool.release(held)


def test_failed_connect_gives_the_slot_back():
    backend = FakeBackend()
    backend.fail_connects = 1
    pool = ConnectionPool(backend, max_size=1)
    with pytest.raises(OSError):
        pool.acquire(timeout=0.5)
    assert pool.stats()["size"] == 0
    conn = pool.acquire(timeout=0.5)
    assert conn.execute("SELECT 1") == [(1, "SELECT 1")]


def test_close_wakes_waiters():
    pool = ConnectionPool(FakeBackend(), max_size=1, acquire_timeout=10)
    pool.acquire()
    waiter = in_thread(pool.acquire)
    deadline = time.monotonic() + 3
    while pool.stats()["waiting"] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    pool.close()
    status, exc = finish(*waiter)
    assert status == "err" and isinstance(exc, PoolClosed)
