"""An incremental Server-Sent Events decoder (the WHATWG event-stream rules, minus reconnects).

Fed raw byte chunks as they arrive, so the caller can check its deadline between chunks
instead of blocking inside a line iterator. Comment lines (``: OPENROUTER PROCESSING``) are
skipped; ``data:`` lines of one event are joined with newlines; an event ends at a blank line.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple


class SSEEvent(NamedTuple):
    """One event (a named tuple: a gateway builds several per streamed answer)."""

    event: str  # "" when the server sent no ``event:`` field
    data: str


class SSEDecoder:
    """Turns byte chunks into ``SSEEvent`` values; keeps partial lines between chunks."""

    def __init__(self) -> None:
        # "utf-8-sig" drops one leading byte-order mark, as the event-stream rules require
        # (a BOM left in would make the first field "\ufeffdata" and lose the first event).
        self._text = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self._buffer = ""
        self._event = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        buffer = self._buffer + self._text.decode(chunk)
        events: list[SSEEvent] = []
        if "\r" not in buffer:  # the usual stream: LF only, split in C
            lines = buffer.split("\n")
            self._buffer = lines.pop()  # the incomplete last line ("" after a final LF)
            for line in lines:
                event = self._line(line)
                if event is not None:
                    events.append(event)
            return events
        start = 0
        while True:
            cut = _line_end(buffer, start)
            if cut is None:
                self._buffer = buffer[start:]  # one copy per chunk, not one per line
                return events
            event = self._line(buffer[start : cut[0]])
            start = cut[1]
            if event is not None:
                events.append(event)

    def close(self) -> list[SSEEvent]:
        """Flush at end of stream: a final event missing its blank line is still delivered."""
        self._buffer += self._text.decode(b"", final=True)
        events = self.feed(b"\n") if self._buffer else []
        if self._data:
            events.append(self._dispatch())
        return events

    def _line(self, line: str) -> SSEEvent | None:
        if not line:
            if self._data:
                return self._dispatch()
            self._reset()  # an event with no data is dropped, per the spec
            return None
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        return None

    def _dispatch(self) -> SSEEvent:
        event = SSEEvent(event=self._event, data="\n".join(self._data))
        self._reset()
        return event

    def _reset(self) -> None:
        self._event = ""
        self._data = []


def _line_end(buffer: str, start: int) -> tuple[int, int] | None:
    """(end of line, start of next) for the first CRLF, LF or lone CR at or after ``start``;
    None if the line is incomplete."""
    lf = buffer.find("\n", start)
    cr = buffer.find("\r", start)
    if cr == -1 or (lf != -1 and lf < cr):
        return None if lf == -1 else (lf, lf + 1)
    if cr + 1 == len(buffer):
        return None  # a CR at the end may be the first half of a CRLF
    return cr, cr + 2 if buffer[cr + 1] == "\n" else cr + 1
