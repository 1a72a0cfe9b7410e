import io
from datetime import datetime, timedelta, timezone

import pytest

from audit.decorators import audited
from audit.logger import SENSITIVE_KEYS, AuditEvent, AuditLogger
from audit.query import filter_records, read_jsonl


def fixed_clock():
    moments = iter(datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc) + timedelta(minutes=i) for i in range(1000))
    return lambda: next(moments)


def sinks_module():
    import audit.sinks  # new module; imported lazily so other tests still run without it

    return audit.sinks


class RecordingSink:
    def __init__(self):
        self.events = []
        self.closed = 0

    def write(self, event):
        self.events.append(event)

    def close(self):
        self.closed += 1


def emit(logger):
    logger.log("alice", "invoice.void", "INV-1001", reason="duplicate", Token="abc123")
    logger.log("bob", "invoice.create", "INV-1002", outcome="failure", amount=12.5)


def test_jsonl_mode_format(tmp_path):
    path = tmp_path / "logs" / "audit.jsonl"
    logger = AuditLogger(mode="jsonl", path=path, app="billing", clock=fixed_clock())
    emit(logger)
    logger.close()
    lines = path.read_text().splitlines()
    assert lines[0] == (
        '{"action": "invoice.void", "actor": "alice", "app": "billing", "meta": {"Token": "***", '
        '"reason": "duplicate"}, "outcome": "success", "target": "INV-1001", "ts": "2024-05-01T12:00:00+00:00"}'
    )
    records = read_jsonl(path)
    assert [r["actor"] for r in filter_records(records, outcome="failure")] == ["bob"]


def test_text_and_memory_modes():
    stream = io.StringIO()
    logger = AuditLogger(mode="text", stream=stream, clock=fixed_clock())
    emit(logger)
    assert stream.getvalue().splitlines() == [
        "2024-05-01T12:00:00+00:00 billing SUCCESS alice invoice.void INV-1001 Token=*** reason=duplicate",
        "2024-05-01T12:01:00+00:00 billing FAILURE bob invoice.create INV-1002 amount=12.5",
    ]
    memory = AuditLogger(clock=fixed_clock())
    emit(memory)
    assert [e.metadata for e in memory.records] == [{"reason": "duplicate", "Token": "***"}, {"amount": 12.5}]
    assert isinstance(memory.records[0], AuditEvent)
    with pytest.raises(ValueError):
        AuditLogger(mode="carrier-pigeon")
    assert "password" in SENSITIVE_KEYS


def test_decorator_logs_outcomes():
    logger = AuditLogger(clock=fixed_clock())

    @audited(logger, "invoice.refund")
    def refund(*, actor, target, fail=False):
        if fail:
            raise RuntimeError("gateway down")
        return "ok"

    assert refund(actor="carol", target="INV-9") == "ok"
    with pytest.raises(RuntimeError):
        refund(actor="carol", target="INV-9", fail=True)
    assert [(e.outcome, dict(e.metadata)) for e in logger.records] == [
        ("success", {}), ("failure", {"error": "RuntimeError"}),
    ]


def test_custom_sink_receives_redacted_events():
    sink = RecordingSink()
    logger = AuditLogger(sinks=[sink], app="crm", clock=fixed_clock())
    returned = logger.log("dave", "user.login", "dave", password="hunter2", ip="10.0.0.1")
    assert sink.events == [returned]
    event = sink.events[0]
    assert (event.app, event.actor, event.action, event.target, event.outcome) == ("crm", "dave", "user.login", "dave", "success")
    assert dict(event.metadata) == {"password": "***", "ip": "10.0.0.1"}
    assert event.timestamp == datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    assert "hunter2" not in repr(sink.events)


def test_several_sinks_get_every_event_in_order(tmp_path):
    sinks = sinks_module()
    stream = io.StringIO()
    first, last = RecordingSink(), RecordingSink()
    jsonl = sinks.JsonLinesSink(tmp_path / "a.jsonl")
    logger = AuditLogger(sinks=[first, jsonl, sinks.TextSink(stream), last], clock=fixed_clock())
    emit(logger)
    logger.close()
    assert [e.target for e in first.events] == ["INV-1001", "INV-1002"]
    assert first.events == last.events
    assert len(read_jsonl(tmp_path / "a.jsonl")) == 2
    assert len(stream.getvalue().splitlines()) == 2
    assert first.closed == 1 and last.closed == 1
    logger.close()
    assert first.closed == 1


def test_builtin_sinks_match_the_old_modes(tmp_path):
    sinks = sinks_module()
    old_path, new_path = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old_stream, new_stream = io.StringIO(), io.StringIO()
    for logger in (
        AuditLogger(mode="jsonl", path=old_path, clock=fixed_clock()),
        AuditLogger(mode="text", stream=old_stream, clock=fixed_clock()),
        AuditLogger(sinks=[sinks.JsonLinesSink(new_path), sinks.TextSink(new_stream)], clock=fixed_clock()),
    ):
        emit(logger)
        logger.close()
    assert old_path.read_text() == new_path.read_text()
    assert old_stream.getvalue() == new_stream.getvalue()


def test_memory_sink_collects_events():
    sinks = sinks_module()
    memory = sinks.MemorySink()
    logger = AuditLogger(sinks=[memory], clock=fixed_clock())
    emit(logger)
    assert [e.actor for e in memory.events] == ["alice", "bob"]
    assert memory.events[0].metadata["Token"] == "***"


def test_old_import_paths_and_new_modules_agree():
    sinks = sinks_module()
    import audit.logger as legacy

    sink = RecordingSink()
    AuditLogger(sinks=[sink]).log("x", "y", "z")
    assert isinstance(sink.events[0], legacy.AuditEvent)
    assert hasattr(sinks, "JsonLinesSink") and hasattr(sinks, "TextSink") and hasattr(sinks, "MemorySink")


def test_closed_logger_refuses_events():
    sink = RecordingSink()
    logger = AuditLogger(sinks=[sink])
    logger.close()
    with pytest.raises(RuntimeError):
        logger.log("a", "b", "c")
    assert sink.events == [] and sink.closed == 1
