"""The load generator's clock (benchmarks/loadgen.py): wake the event loop at a due time.

libuv's timers (uvloop's ``call_later``) count whole milliseconds against a loop time
refreshed once per iteration, so a request due 1.6 ms from now is sent up to a
millisecond late, or a little early and then spun for. At 500 requests/s the gaps are
2 ms, and since every latency counts from its due time, that lateness would be in every
figure. A Linux timerfd armed at the absolute due time on CLOCK_MONOTONIC (the clock of
``time.perf_counter``) and watched by the loop wakes it within tens of microseconds
(measured: p50 ~0.05 ms late, against ~0.3 ms for the loop's timer).
"""

from __future__ import annotations

import asyncio
import ctypes
import math
import os
import sys
import time
from collections.abc import Callable
from typing import Protocol


class Pacer(Protocol):
    """Calls back at (or just after) a time on ``time.perf_counter``'s clock."""

    def at(self, when: float) -> None: ...

    def close(self) -> None: ...


class TimerfdPacer:
    """A Linux timerfd armed at absolute CLOCK_MONOTONIC times, read by the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
        self.fd = _LIBC.timerfd_create(_CLOCK_MONOTONIC, _TFD_NONBLOCK | _TFD_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "timerfd_create")
        self.loop, self.callback = loop, callback
        self.spec = _ITimerSpec()
        loop.add_reader(self.fd, self._ready)

    def at(self, when: float) -> None:
        when = max(when, 1e-9)  # 0 would disarm the timer
        seconds = int(when)
        self.spec.it_value.tv_sec = seconds
        self.spec.it_value.tv_nsec = int((when - seconds) * 1e9)
        if _LIBC.timerfd_settime(self.fd, _TFD_TIMER_ABSTIME, ctypes.byref(self.spec), None):
            raise OSError(ctypes.get_errno(), "timerfd_settime")

    def _ready(self) -> None:
        try:
            os.read(self.fd, 8)
        except BlockingIOError:
            return
        self.callback()

    def close(self) -> None:
        self.loop.remove_reader(self.fd)
        os.close(self.fd)


class LoopPacer:
    """Where there is no timerfd: the event loop's timer, never early (libuv counts
    whole milliseconds, so sends are up to 1 ms late; ``send lateness`` shows it)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
        self.loop, self.callback = loop, callback
        self.handle: asyncio.TimerHandle | asyncio.Handle | None = None

    def at(self, when: float) -> None:
        delay = when - time.perf_counter()
        self.handle = self.loop.call_later(
            max(0.001, math.ceil(delay * 1000) / 1000), self.callback
        )

    def close(self) -> None:
        if self.handle is not None:
            self.handle.cancel()


class _TimeSpec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _ITimerSpec(ctypes.Structure):
    _fields_ = [("it_interval", _TimeSpec), ("it_value", _TimeSpec)]


_CLOCK_MONOTONIC, _TFD_TIMER_ABSTIME = 1, 1
_TFD_NONBLOCK, _TFD_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
_LIBC = ctypes.CDLL(None, use_errno=True)


def pacer(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> Pacer:
    """The precise pacer where Linux has one, else the event loop's timer."""
    if sys.platform == "linux" and hasattr(_LIBC, "timerfd_create"):
        return TimerfdPacer(loop, callback)
    return LoopPacer(loop, callback)
