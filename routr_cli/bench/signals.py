"""Stop signals end a bench the way Ctrl-C does.

CI runners, ``docker stop`` and ``timeout`` send SIGTERM; a closed terminal sends SIGHUP.
Python's default for both is to die on the spot: no resume message, the run left marked
``running`` and the grading containers of the attempts in flight left to themselves.
Raising ``KeyboardInterrupt`` in the main thread instead takes the tested Ctrl-C path
(finished attempts recorded, this run's containers removed, the run marked
``interrupted``); the exit code stays the shell's convention, 128 + the signal number.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def stop_signals_interrupt() -> Iterator[list[int]]:
    """Within the block, SIGTERM and SIGHUP raise ``KeyboardInterrupt`` in the main
    thread; the yielded list collects the signal numbers received."""
    received: list[int] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    previous: dict[signal.Signals, Any] = {}
    for sig in STOP_SIGNALS:
        previous[sig] = signal.signal(sig, handler)
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def exit_code_for(received: list[int], default: int) -> int:
    """128 + the first stop signal received; ``default`` (130, Ctrl-C) when none was."""
    return 128 + received[0] if received else default


def signal_label(received: list[int]) -> str:
    return signal.Signals(received[0]).name if received else "Ctrl-C"
