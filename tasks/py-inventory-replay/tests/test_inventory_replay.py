import json
from datetime import datetime

import pytest

from inventory.cli import main
from inventory.events import FeedError, parse_event
from inventory.snapshot import snapshot

_seq = iter(range(1, 100000))


def ev(kind, ts, warehouse, sku, qty, event_id=None, seq=None, **extra):
    seq = next(_seq) if seq is None else seq
    data = {"event_id": event_id or f"e{seq}", "seq": seq, "ts": ts, "kind": kind,
            "warehouse": warehouse, "sku": sku, "qty": qty}
    data.update(extra)
    return parse_event(data)


def at(text):
    return datetime.fromisoformat(text)


END = at("2024-07-01T00:00:00+00:00")


def test_in_order_feed_basic_movements():
    events = [
        ev("receive", "2024-06-01T08:00:00+00:00", "BER", "A", 10),
        ev("ship", "2024-06-02T08:00:00+00:00", "BER", "A", 3),
        ev("return", "2024-06-03T08:00:00+00:00", "BER", "A", 1),
        ev("receive", "2024-06-03T09:00:00+00:00", "HAM", "B", 5),
    ]
    snap = snapshot(events, END)
    assert snap.on_hand == {("BER", "A"): 8, ("HAM", "B"): 5}
    assert snapshot(events, at("2024-06-02T08:00:00+00:00")).on_hand == {("BER", "A"): 7}
    assert snap.anomalies == [] and snap.in_transit == {}


def test_negative_stock_is_an_anomaly_not_an_error():
    events = [
        ev("receive", "2024-06-01T08:00:00+00:00", "BER", "A", 2, event_id="r1"),
        ev("ship", "2024-06-01T09:00:00+00:00", "BER", "A", 5, event_id="s1"),
    ]
    snap = snapshot(events, END)
    assert snap.on_hand == {("BER", "A"): -3}
    assert snap.anomalies == ["s1"]


def test_feed_validation():
    with pytest.raises(FeedError):
        ev("teleport", "2024-06-01T08:00:00+00:00", "BER", "A", 1)
    with pytest.raises(FeedError):
        ev("receive", "2024-06-01T08:00:00", "BER", "A", 1)
    with pytest.raises(FeedError):
        ev("transfer", "2024-06-01T08:00:00+00:00", "BER", "A", 1)


def test_out_of_order_events_are_replayed_by_time():
    events = [
        ev("ship", "2024-06-02T08:00:00+00:00", "BER", "A", 4, event_id="ship"),
        ev("receive", "2024-06-01T08:00:00+00:00", "BER", "A", 10, event_id="recv"),
    ]
    snap = snapshot(events, END)
    assert snap.on_hand == {("BER", "A"): 6}
    assert snap.anomalies == []


def test_timestamps_with_different_offsets():
    events = [
        # 10:30 in Berlin summer time is 08:30 UTC, i.e. after the 08:00 UTC receipt
        ev("ship", "2024-06-01T10:30:00+02:00", "BER", "A", 4, event_id="late"),
        ev("receive", "2024-06-01T08:00:00Z", "BER", "A", 4, event_id="recv"),
        ev("ship", "2024-06-01T09:00:00+02:00", "BER", "A", 1, event_id="early"),  # 07:00 UTC
    ]
    snap = snapshot(events, END)
    assert snap.on_hand == {("BER", "A"): -1}
    assert snap.anomalies == ["early", "late"]
    assert snapshot(events, at("2024-06-01T08:15:00+00:00")).on_hand == {("BER", "A"): 3}


def test_redelivered_events_count_once():
    recv = {"event_id": "r-1", "seq": 1, "ts": "2024-06-01T08:00:00+00:00", "kind": "receive",
            "warehouse": "BER", "sku": "A", "qty": 10}
    ship = dict(recv, event_id="s-1", seq=2, ts="2024-06-01T09:00:00+00:00", kind="ship", qty=3)
    events = [parse_event(recv), parse_event(ship), parse_event(recv), parse_event(ship), parse_event(ship)]
    assert snapshot(events, END).on_hand == {("BER", "A"): 7}


def test_adjust_is_an_absolute_cycle_count():
    events = [
        ev("receive", "2024-06-01T08:00:00+00:00", "BER", "A", 10),
        ev("adjust", "2024-06-05T18:00:00+00:00", "BER", "A", 7),
        ev("ship", "2024-06-06T08:00:00+00:00", "BER", "A", 2),
        ev("adjust", "2024-06-07T18:00:00+00:00", "HAM", "A", 0),
    ]
    snap = snapshot(events, END)
    assert snap.on_hand == {("BER", "A"): 5}
    assert snapshot(events, at("2024-06-05T18:00:00+00:00")).on_hand == {("BER", "A"): 7}


def test_same_instant_ties_use_seq():
    events = [
        ev("adjust", "2024-06-05T18:00:00+00:00", "BER", "A", 20, seq=9),
        ev("receive", "2024-06-05T18:00:00+00:00", "BER", "A", 5, seq=8),
    ]
    assert snapshot(events, END).on_hand == {("BER", "A"): 20}
    events = [
        ev("adjust", "2024-06-05T18:00:00+00:00", "BER", "A", 20, seq=8),
        ev("receive", "2024-06-05T18:00:00+00:00", "BER", "A", 5, seq=9),
    ]
    assert snapshot(events, END).on_hand == {("BER", "A"): 25}


def test_transfer_in_transit_until_arrival():
    events = [
        ev("receive", "2024-06-01T08:00:00+00:00", "BER", "A", 10),
        ev("transfer", "2024-06-02T08:00:00+00:00", "BER", "A", 4, to_warehouse="HAM",
           arrives_at="2024-06-03T12:00:00+00:00"),
    ]
    during = snapshot(events, at("2024-06-02T20:00:00+00:00"))
    assert during.on_hand == {("BER", "A"): 6}
    assert during.in_transit == {"A": 4}
    after = snapshot(events, at("2024-06-03T12:00:00+00:00"))
    assert after.on_hand == {("BER", "A"): 6, ("HAM", "A"): 4}
    assert after.in_transit == {}


def test_instant_transfer_and_count_before_arrival():
    events = [
        ev("receive", "2024-06-01T08:00:00+00:00", "BER", "A", 10, seq=1),
        ev("transfer", "2024-06-01T09:00:00+00:00", "BER", "A", 2, to_warehouse="MUC", seq=2),
        ev("transfer", "2024-06-02T08:00:00+00:00", "BER", "A", 3, to_warehouse="HAM",
           arrives_at="2024-06-04T08:00:00+00:00", seq=3),
        # the count in HAM happens while the goods are still on the truck
        ev("adjust", "2024-06-03T08:00:00+00:00", "HAM", "A", 1, seq=4),
    ]
    snap = snapshot(events, END)
    assert snap.on_hand == {("BER", "A"): 5, ("HAM", "A"): 4, ("MUC", "A"): 2}
    assert snap.in_transit == {}


def test_cli_prints_snapshot(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"event_id": "t1", "seq": 3, "ts": "2024-06-02T10:00:00+02:00", "kind": "transfer", "warehouse": "BER",
         "sku": "A", "qty": 2, "to_warehouse": "HAM", "arrives_at": "2024-06-09T00:00:00+00:00"},
        {"event_id": "r1", "seq": 1, "ts": "2024-06-01T08:00:00+00:00", "kind": "receive", "warehouse": "BER",
         "sku": "A", "qty": 5},
        {"event_id": "r1", "seq": 1, "ts": "2024-06-01T08:00:00+00:00", "kind": "receive", "warehouse": "BER",
         "sku": "A", "qty": 5},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert main([str(feed), "--as-of", "2024-06-05T00:00:00Z"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == ["warehouse,sku,on_hand", "BER,A,3", "IN-TRANSIT,A,2"]
    assert out.err == ""
