"""The circuit breaker: sliding window, minimum count, half-open probe, thread safety."""

from __future__ import annotations

import threading

from routr_cli.router.breaker import BreakerBoard, BreakerSettings


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def board(clock: Clock) -> BreakerBoard:
    settings = BreakerSettings(window_s=10, min_calls=4, failure_rate=0.5, cooldown_s=5)
    return BreakerBoard(settings, clock)


def test_opens_only_past_the_minimum_count_and_the_failure_rate() -> None:
    clock = Clock()
    b = board(clock)
    for _ in range(3):
        assert b.allow("m")
        b.record("m", failed=True)
    assert b.status("m").state == "closed"  # 3 failures < min_calls
    b.record("m", failed=True)
    assert b.status("m").state == "open" and not b.allow("m")


def test_old_failures_slide_out_of_the_window() -> None:
    clock = Clock()
    b = board(clock)
    for _ in range(3):
        b.record("m", failed=True)
    clock.now = 11  # the window moved on: those failures no longer count
    for _ in range(3):
        b.record("m", failed=False)
    b.record("m", failed=True)
    assert b.status("m").state == "closed" and b.status("m").calls == 4


def test_half_open_lets_exactly_one_probe_and_its_outcome_decides() -> None:
    clock = Clock()
    b = board(clock)
    for _ in range(4):
        b.record("m", failed=True)
    clock.now = 5.1
    assert b.allow("m") and not b.allow("m")  # one probe only
    b.record("m", failed=True)  # the probe failed: open again for a cooldown
    assert b.status("m").state == "open" and not b.allow("m")
    clock.now = 10.2
    assert b.allow("m")
    b.record("m", failed=False)
    assert b.status("m").state == "closed" and b.allow("m") and b.allow("m")


def test_release_frees_the_probe_without_a_verdict() -> None:
    clock = Clock()
    b = board(clock)
    for _ in range(4):
        b.record("m", failed=True)
    clock.now = 6
    assert b.allow("m")
    b.release("m")  # e.g. the request was too long for the model: says nothing of health
    assert b.allow("m")


def test_force_open_and_provider_block_last_long() -> None:
    clock = Clock()
    b = board(clock)
    b.force_open("p/a", 600, "model not found")
    b.block_provider("q", 600, "authentication failed")
    clock.now = 100
    assert not b.allow("p/a") and b.allow("p/b")
    assert not b.allow("q/x") and not b.allow("q/y")
    assert b.status("q/x").reason == "authentication failed"
    clock.now = 601
    assert b.allow("q/x")


def test_shared_across_threads_counts_every_outcome() -> None:
    b = BreakerBoard(BreakerSettings(window_s=60, min_calls=10_000, failure_rate=0.5))
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        for _ in range(500):
            if b.allow("m"):
                b.record("m", failed=False)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert b.status("m").calls == 4000


def test_concurrent_half_open_admits_a_single_probe() -> None:
    clock = Clock()
    b = board(clock)
    for _ in range(4):
        b.record("m", failed=True)
    clock.now = 6
    admitted: list[bool] = []
    barrier = threading.Barrier(16)

    def worker() -> None:
        barrier.wait()
        admitted.append(b.allow("m"))

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert admitted.count(True) == 1


def test_the_running_failure_count_matches_the_window_as_it_slides() -> None:
    """``failures`` is kept as outcomes come and go (O(1) per call): it must always equal
    the failures still inside the window, through trims, a reset and random outcomes."""
    import random

    clock = Clock()
    settings = BreakerSettings(window_s=10, min_calls=10_000, failure_rate=0.99, cooldown_s=5)
    b = BreakerBoard(settings, clock)
    rng = random.Random(3)
    seen: list[tuple[float, bool]] = []
    for _ in range(2_000):
        clock.now += rng.random() * 0.2
        failed = rng.random() < 0.3
        b.record("m", failed=failed)
        seen.append((clock.now, failed))
        inside = [bad for at, bad in seen if at >= clock.now - 10]
        status = b.status("m")
        assert (status.calls, status.failures) == (len(inside), sum(inside))
    assert 0 < b.status("m").failures < b.status("m").calls
