import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from logstats import Aggregator, EndpointStats, MalformedLine, parse_duration, parse_line
from logstats.percentile import nearest_rank

LOG = """\
# gateway eu-1
2024-03-01T12:00:03Z GET /api/users/42 200 120ms client=web
2024-03-01T12:10:00Z GET /api/users/7 200 80ms client=web
2024-03-01T12:20:00Z GET /api/users/9 503 2s client=ios
2024-03-01T12:30:00Z GET /api/users/11 200 950us client=web
2024-03-01T13:05:00+01:00 POST /api/orders 201 1.5s client=ios
2024-03-01T15:00:00+02:00 POST /api/orders 502 250ms client=web
2024-03-01T07:15:00-05:00 POST /api/orders 201 0.5m client=web
this line is garbage
2024-03-01T12:45:00Z GET /health 200 3ms
"""


def test_millisecond_and_microsecond_durations():
    assert parse_duration("125ms") == pytest.approx(0.125)
    assert parse_duration("850us") == pytest.approx(0.00085)
    assert parse_duration("0.5ms") == pytest.approx(0.0005)
    assert parse_duration("1.5s") == pytest.approx(1.5)
    assert parse_duration("2m") == pytest.approx(120.0)
    request = parse_line("2024-03-01T12:00:03Z GET /a 200 40ms")
    assert request.duration_s == pytest.approx(0.04)


def test_bad_durations_are_rejected():
    for text in ("125", "ms", "12xs", "-5ms", "fast"):
        with pytest.raises(MalformedLine):
            parse_duration(text)


def test_endpoint_stats_count_every_request():
    agg = Aggregator()
    agg.add_lines(LOG.splitlines())
    assert agg.total == 8
    assert agg.malformed == 1
    assert agg.endpoints() == [
        EndpointStats("GET /api/users/:id", 4, 1, 80.0, 2000.0, 2000.0),
        EndpointStats("POST /api/orders", 3, 1, 1500.0, 30000.0, 30000.0),
        EndpointStats("GET /health", 1, 0, 3.0, 3.0, 3.0),
    ]


def test_hours_are_bucketed_in_utc():
    agg = Aggregator()
    agg.add_lines(LOG.splitlines())
    assert agg.hourly() == {
        "2024-03-01T12:00Z": 7,
        "2024-03-01T13:00Z": 1,
    }


def test_hourly_buckets_across_midnight_and_offsets():
    agg = Aggregator()
    base = datetime(2024, 12, 31, 22, 30, tzinfo=timezone.utc)
    for i, offset in enumerate([0, 1, -8, 5.5, 14, -3]):
        stamp = (base + timedelta(minutes=20 * i)).astimezone(timezone(timedelta(hours=offset)))
        agg.add_lines([f"{stamp.isoformat()} GET /x 200 1ms"])
    assert agg.hourly() == {"2024-12-31T22:00Z": 2, "2024-12-31T23:00Z": 3, "2025-01-01T00:00Z": 1}


def test_cli_report(tmp_path):
    log = tmp_path / "gw.log"
    log.write_text(LOG)
    out = subprocess.run(
        [sys.executable, "-m", "logstats", str(log)],
        capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    assert out.splitlines()[0] == "requests: 8  malformed lines: 1"
    assert "  2024-03-01T13:00Z  1" in out.splitlines()


def test_seconds_and_minutes_lines_parse():
    request = parse_line("2024-03-01T13:05:00+01:00 POST /api/orders 201 1.5s client=ios region=eu")
    assert request.status == 201 and request.is_error is False
    assert request.tags == {"client": "ios", "region": "eu"}
    assert request.timestamp.utcoffset() == timedelta(hours=1)
    assert parse_line("   ") is None and parse_line("# note") is None
    for bad in (
        "2024-03-01T12:00:00 GET /a 200 1s",
        "2024-03-01T12:00:00Z FETCH /a 200 1s",
        "2024-03-01T12:00:00Z GET /a 700 1s",
        "2024-03-01T12:00:00Z GET /a 200 1s notatag",
    ):
        with pytest.raises(MalformedLine):
            parse_line(bad)


def test_nearest_rank_percentiles():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert nearest_rank(values, 50) == 5.0
    assert nearest_rank(values, 95) == 10.0
    assert nearest_rank(values, 10) == 1.0
    with pytest.raises(ValueError):
        nearest_rank([], 50)
