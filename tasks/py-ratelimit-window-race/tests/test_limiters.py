import threading
import time

import pytest

from ratelimit import LimiterStats, ManualClock, SlidingWindowLimiter, TokenBucket


class SlowStats(LimiterStats):
    """Stats whose hooks yield the GIL, like an exporter under load."""

    def granted(self, key, cost):
        time.sleep(0.001)
        super().granted(key, cost)

    def rejected(self, key, cost):
        time.sleep(0.0005)
        super().rejected(key, cost)


def hammer(fn, n_threads):
    barrier = threading.Barrier(n_threads)
    results = [None] * n_threads

    def worker(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
        assert not t.is_alive(), "worker thread hung"
    return results


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_allow_never_exceeds_limit(round_):
    stats = SlowStats()
    limiter = SlidingWindowLimiter(limit=5, window=60, clock=ManualClock(), stats=stats)
    results = hammer(lambda i: limiter.allow("client"), 24)
    assert sum(results) == 5
    assert stats.snapshot()["client"] == {"granted": 5, "rejected": 19}
    assert limiter.remaining("client") == 0


def test_concurrent_allow_with_costs():
    limiter = SlidingWindowLimiter(limit=10, window=30, clock=ManualClock(), stats=SlowStats())
    costs = [3, 2, 4, 1, 3, 2, 4, 1] * 3
    results = hammer(lambda i: limiter.allow("batch", cost=costs[i]), len(costs))
    granted = sum(cost for cost, ok in zip(costs, results) if ok)
    assert granted <= 10
    assert limiter.remaining("batch") == 10 - granted
    # a greedy sequential replay must also be able to fill the rest only up to the limit
    while limiter.allow("batch"):
        pass
    assert limiter.remaining("batch") == 0


def test_concurrent_keys_are_independent():
    limiter = SlidingWindowLimiter(limit=3, window=10, clock=ManualClock(), stats=SlowStats())
    keys = [f"k{i % 4}" for i in range(32)]
    results = hammer(lambda i: limiter.allow(keys[i]), len(keys))
    per_key = {}
    for key, ok in zip(keys, results):
        per_key[key] = per_key.get(key, 0) + int(ok)
    assert per_key == {"k0": 3, "k1": 3, "k2": 3, "k3": 3}
    assert limiter.keys() == ["k0", "k1", "k2", "k3"]


def test_window_reopens_after_concurrent_burst():
    clock = ManualClock()
    limiter = SlidingWindowLimiter(limit=4, window=5, clock=clock, stats=SlowStats())
    assert sum(hammer(lambda i: limiter.allow("c"), 16)) == 4
    clock.advance(5.0)
    assert limiter.remaining("c") == 4
    assert sum(hammer(lambda i: limiter.allow("c"), 16)) == 4


def test_sliding_window_sequential_behaviour():
    clock = ManualClock()
    limiter = SlidingWindowLimiter(limit=3, window=10, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    clock.advance(4)
    assert limiter.allow("b", cost=3) is True
    assert limiter.allow("b") is False
    clock.advance(6)  # first three "a" units leave the window
    assert limiter.remaining("a") == 3
    assert limiter.allow("a", cost=2) is True
    assert limiter.allow("a", cost=4) is False  # more than the limit: never granted
    limiter.reset("a")
    assert limiter.remaining("a") == 3


def test_invalid_arguments():
    with pytest.raises(ValueError):
        SlidingWindowLimiter(limit=0, window=1)
    limiter = SlidingWindowLimiter(limit=2, window=1, clock=ManualClock())
    with pytest.raises(ValueError):
        limiter.allow("x", cost=0)


def test_token_bucket_refill_and_concurrency():
    clock = ManualClock()
    stats = SlowStats()
    bucket = TokenBucket(capacity=6, rate=2, clock=clock, stats=stats)
    assert sum(hammer(lambda i: bucket.try_acquire(), 20)) == 6
    clock.advance(1.5)
    assert bucket.available() == pytest.approx(3.0)
    assert bucket.try_acquire(3) is True
    assert bucket.try_acquire(0.5) is False
