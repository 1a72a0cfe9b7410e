import threading
import time

import pytest

from cachekit import LoadingCache, LRUCache, ManualClock, cached


class CountingLoader:
    def __init__(self, delay=0.05, fail_with=None):
        self.delay = delay
        self.fail_with = fail_with
        self.calls = []
        self._lock = threading.Lock()

    def __call__(self, key):
        with self._lock:
            self.calls.append(key)
        time.sleep(self.delay)
        if self.fail_with is not None:
            raise self.fail_with
        return {"key": key, "loaded": len(self.calls)}


def run_together(fn, n):
    barrier = threading.Barrier(n)
    out = [None] * n

    def worker(i):
        barrier.wait()
        try:
            out[i] = ("ok", fn(i))
        except Exception as exc:  # noqa: BLE001 - recorded for assertions
            out[i] = ("err", exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
        assert not t.is_alive(), "a caller never returned"
    return out


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_misses_share_one_load(round_):
    loader = CountingLoader()
    cache = LoadingCache(LRUCache(maxsize=10), loader)
    results = run_together(lambda i: cache.get("sku-1"), 16)
    assert loader.calls == ["sku-1"]
    values = [value for status, value in results]
    assert all(status == "ok" for status, _ in results)
    assert all(value is values[0] for value in values)
    assert cache.stats.loads == 1
    assert cache.get("sku-1") is values[0]


def test_failed_load_reaches_every_waiter_and_is_not_cached():
    error = ConnectionError("db down")
    loader = CountingLoader(fail_with=error)
    cache = LoadingCache(LRUCache(maxsize=10), loader)
    results = run_together(lambda i: cache.get("sku-2"), 12)
    assert loader.calls == ["sku-2"]
    assert all(status == "err" and value is error for status, value in results)
    assert cache.stats.load_failures == 1
    loader.fail_with = None
    assert cache.get("sku-2")["key"] == "sku-2"
    assert loader.calls == ["sku-2", "sku-2"]


def test_different_keys_load_in_parallel():
    keys = ["a", "b", "c", "d"]
    rendezvous = threading.Barrier(len(keys), timeout=3)
    calls = []
    lock = threading.Lock()

    def loader(key):
        with lock:
            calls.append(key)
        rendezvous.wait()  # only succeeds if all four loads are in flight together
        time.sleep(0.02)
        return key.upper()

    cache = LoadingCache(LRUCache(maxsize=10), loader)
    results = run_together(lambda i: cache.get(keys[i % 4]), 12)
    assert [value for _, value in results] == [k.upper() for k in keys] * 3
    assert sorted(calls) == keys


def test_expired_entry_is_reloaded_once():
    clock = ManualClock()
    loader = CountingLoader()
    cache = LoadingCache(LRUCache(maxsize=10, ttl=30, clock=clock), loader)
    first = cache.get("p")
    clock.advance(10)
    assert cache.get("p") is first
    clock.advance(25)
    results = run_together(lambda i: cache.get("p"), 10)
    assert len(loader.calls) == 2
    assert len({id(value) for _, value in results}) == 1
    assert results[0][1] is not first


def test_cached_decorator_does_not_stampede():
    calls = []

    @cached(maxsize=8)
    def price(sku, currency="EUR"):
        calls.append((sku, currency))
        time.sleep(0.05)
        return f"{sku}:{currency}"

    results = run_together(lambda i: price("x", currency="USD"), 10)
    assert calls == [("x", "USD")]
    assert {value for _, value in results} == {"x:USD"}
    assert price.cache.stats.loads == 1


def test_lru_eviction_and_ttl():
    clock = ManualClock()
    lru = LRUCache(maxsize=2, ttl=5, clock=clock)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1
    lru.put("c", 3)  # evicts b, the least recently used
    assert lru.keys() == ["a", "c"]
    assert "b" not in lru
    lru.put("d", 4, ttl=100)
    clock.advance(6)
    assert lru.get("c") is None
    assert lru.get("d") == 4
    assert lru.stats.evictions == 2


def test_refresh_invalidate_and_stats():
    loader = CountingLoader(delay=0)
    cache = LoadingCache(LRUCache(maxsize=4), loader)
    first = cache.get(1)
    assert cache.get(1) is first
    second = cache.refresh(1)
    assert second is not first and second["loaded"] == 2
    assert cache.invalidate(1) is True
    assert cache.invalidate(1) is False
    cache.get(1)
    assert cache.stats.loads == 3
    assert cache.stats.hits == 1
    assert 0 < cache.stats.hit_ratio() < 1


def test_sequential_failure_is_not_cached():
    loader = CountingLoader(delay=0, fail_with=KeyError("nope"))
    cache = LoadingCache(LRUCache(maxsize=4), loader)
    for _ in range(2):
        with pytest.raises(KeyError):
            cache.get("k")
    assert len(loader.calls) == 2
    assert "k" not in cache.cache
