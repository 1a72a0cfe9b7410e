import pytest

from tsdb import LineError, MemoryStore, Sample, SeriesKey, parse_line, rollup

T0 = 1_700_000_040  # divisible by 60: 1_700_000_040 = 28_333_334 * 60


def s(offset, value):
    return Sample(T0 + offset, value)


def test_buckets_are_aligned_to_the_epoch():
    samples = [s(10, 1.0), s(50, 3.0), s(70, 5.0), s(130, 7.0)]
    assert rollup(samples, T0 + 30, T0 + 150, 60, "avg") == [
        (T0, 3.0),
        (T0 + 60, 5.0),
        (T0 + 120, 7.0),
    ]
    assert rollup(samples, T0 + 5, T0 + 60, 20, "max") == [(T0, 1.0), (T0 + 20, None), (T0 + 40, 3.0)]


def test_empty_buckets_are_reported_with_the_fill_policy():
    samples = [s(0, 2.0), s(5, 4.0), s(185, 10.0)]
    assert rollup(samples, T0, T0 + 240, 60, "avg") == [
        (T0, 3.0), (T0 + 60, None), (T0 + 120, None), (T0 + 180, 10.0),
    ]
    assert rollup(samples, T0, T0 + 240, 60, "sum", fill="zero") == [
        (T0, 6.0), (T0 + 60, 0.0), (T0 + 120, 0.0), (T0 + 180, 10.0),
    ]
    assert rollup(samples, T0 - 60, T0 + 300, 60, "max", fill="previous") == [
        (T0 - 60, None), (T0, 4.0), (T0 + 60, 4.0), (T0 + 120, 4.0), (T0 + 180, 10.0), (T0 + 240, 10.0),
    ]
    assert rollup([], T0, T0 + 120, 60, "count", fill="zero") == [(T0, 0.0), (T0 + 60, 0.0)]
    with pytest.raises(ValueError):
        rollup(samples, T0, T0 + 60, 60, fill="linear")


def test_duplicates_and_out_of_order_samples():
    arrivals = [s(30, 5.0), s(10, 1.0), s(30, 6.0), s(20, 2.0), s(10, 1.5)]
    assert rollup(arrivals, T0, T0 + 60, 60, "count") == [(T0, 3.0)]
    assert rollup(arrivals, T0, T0 + 60, 60, "sum") == [(T0, 9.5)]
    assert rollup(arrivals, T0, T0 + 60, 60, "last") == [(T0, 6.0)]
    assert rollup(arrivals, T0, T0 + 60, 20, "last") == [(T0, 1.5), (T0 + 20, 6.0), (T0 + 40, None)]


def test_counter_rate_with_reset():
    counter = [s(0, 100.0), s(30, 160.0), s(60, 220.0), s(90, 40.0), s(120, 100.0), s(150, 130.0)]
    result = rollup(counter, T0, T0 + 180, 60, "rate")
    assert [bucket for bucket, _ in result] == [T0, T0 + 60, T0 + 120]
    assert [value for _, value in result] == pytest.approx([
        1.0,        # +60 over 60 s
        100 / 60,   # +60, then a reset to 40 counts as +40
        1.5,        # +60, +30
    ])
    assert rollup([s(0, 5.0)], T0, T0 + 120, 60, "rate", fill="zero") == [(T0, 0.0), (T0 + 60, 0.0)]
    shuffled = [counter[i] for i in (3, 0, 5, 1, 4, 2)]
    assert rollup(shuffled, T0, T0 + 180, 60, "rate") == rollup(counter, T0, T0 + 180, 60, "rate")


def test_store_query_end_to_end():
    store = MemoryStore()
    lines = [
        f"requests_total,host=web-1 1000 {T0 + 5}",
        f"requests_total,host=web-1 1300 {T0 + 65}",
        f"requests_total,host=web-2 7 {T0 + 5}",
        f"requests_total,host=web-1 1450 {T0 + 185}",
        f"requests_total,host=web-1 1300 {T0 + 65}",  # agent resend
        f"cpu_used,host=web-1 0.5 {T0 + 1}",
        "garbage line",
    ]
    assert store.write_lines(lines) == 6 and store.rejected == 1
    assert store.query("requests_total", T0, T0 + 240, 60, "rate", fill="previous", host="web-1") == [
        (T0, None), (T0 + 60, 5.0), (T0 + 120, 5.0), (T0 + 180, 2.5),
    ]
    assert store.query("requests_total", T0, T0 + 120, 60, "count", host="web-1") == [(T0, 1.0), (T0 + 60, 1.0)]


def test_aligned_queries_without_gaps_keep_working():
    samples = [s(0, 1.0), s(20, 2.0), s(40, 6.0), s(60, 4.0), s(100, 8.0)]
    assert rollup(samples, T0, T0 + 120, 60, "avg") == [(T0, 3.0), (T0 + 60, 6.0)]
    assert rollup(samples, T0, T0 + 120, 60, "min") == [(T0, 1.0), (T0 + 60, 4.0)]
    assert rollup(samples, T0, T0 + 120, 60, "count") == [(T0, 3.0), (T0 + 60, 2.0)]
    with pytest.raises(ValueError):
        rollup(samples, T0, T0 + 120, 60, "median")
    with pytest.raises(ValueError):
        rollup(samples, T0, T0, 60)


def test_line_protocol_and_selectors():
    key, sample = parse_line("cpu_used,region=eu,host=web-1 0.42 1700000000")
    assert key == SeriesKey("cpu_used", (("host", "web-1"), ("region", "eu")))
    assert sample == Sample(1700000000, 0.42)
    assert parse_line("# comment") is None
    for bad in ("cpu 1", "9cpu 1 2", "cpu,host 1 2", "cpu nan 2", "cpu 1 2.5"):
        with pytest.raises(LineError):
            parse_line(bad)
    store = MemoryStore()
    store.write_lines(["m,host=a 1 60", "m,host=b 2 60"])
    assert [dict(k.labels)["host"] for k in store.series("m")] == ["a", "b"]
    with pytest.raises(LookupError):
        store.query("m", 0, 120, 60)
