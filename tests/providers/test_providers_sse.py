"""The incremental SSE decoder: events split anywhere across chunks must come out whole."""

from __future__ import annotations

from routr_cli.providers.sse import SSEDecoder, SSEEvent

STREAM = (
    b": OPENROUTER PROCESSING\n\n"
    b'event: message_start\ndata: {"a": 1}\n\n'
    b"data: line one\r\ndata: line two\r\n\r\n"
    b"id: 7\nretry: 100\ndata: caf\xc3\xa9\n\n"
    b"event: empty\n\n"
    b"data: [DONE]\n\n"
)
EXPECTED = [
    SSEEvent("message_start", '{"a": 1}'),
    SSEEvent("", "line one\nline two"),
    SSEEvent("", "café"),
    SSEEvent("", "[DONE]"),
]


def decode(chunks: list[bytes]) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events = [e for chunk in chunks for e in decoder.feed(chunk)]
    return events + decoder.close()


def test_whole_stream_at_once() -> None:
    assert decode([STREAM]) == EXPECTED


def test_every_split_point_gives_the_same_events() -> None:
    for cut in range(1, len(STREAM)):
        assert decode([STREAM[:cut], STREAM[cut:]]) == EXPECTED, cut


def test_byte_by_byte() -> None:
    assert decode([bytes([b]) for b in STREAM]) == EXPECTED


def test_lone_cr_line_endings() -> None:
    assert decode([b"data: x\r\rdata: y\r\r"]) == [SSEEvent("", "x"), SSEEvent("", "y")]


def test_last_event_without_blank_line_is_flushed_on_close() -> None:
    assert decode([b"data: [DONE]"]) == [SSEEvent("", "[DONE]")]


def test_a_leading_byte_order_mark_is_dropped_even_split_across_chunks() -> None:
    stream = b"\xef\xbb\xbfdata: first\n\ndata: \xef\xbb\xbfkept\n\n"
    expected = [SSEEvent("", "first"), SSEEvent("", "\ufeffkept")]
    assert decode([stream]) == expected
    assert decode([bytes([b]) for b in stream]) == expected
