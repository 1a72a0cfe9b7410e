"""Worker threads that keep the scheduler going."""

from __future__ import annotations

import threading

from scheduler.core import Scheduler


class WorkerPool:
    def __init__(self, scheduler: Scheduler, workers: int = 2, idle_wait: float = 0.001) -> None:
        if workers < 1:
            raise ValueError("need at least one worker")
        self._scheduler = scheduler
        self._stop = threading.Event()
        self._idle_wait = idle_wait
        self._threads = [
            threading.Thread(target=self._loop, name=f"scheduler-worker-{i}", daemon=True) for i in range(workers)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            if self._scheduler.run_pending() == 0:
                self._stop.wait(self._idle_wait)
