"""Circuit breakers, one per provider and model, shared by every thread of a process.

Why: a model whose endpoint is failing should cost a caller nothing -- no request, no
timeout -- until it has had time to recover. The breaker watches outcomes over a sliding
window of time:

- **closed**: calls go through. When the window holds at least ``min_calls`` outcomes and
  the share of failures reaches ``failure_rate``, it opens.
- **open**: calls are refused without being made, for ``cooldown_s`` (or longer when
  ``force_open`` said so: a bad key or an unknown model will not heal in seconds).
- **half-open**: after the cooldown, exactly one probe call is let through; its success
  closes the breaker (and clears the window), its failure opens it again.

Only health failures count (5xx, timeouts, connection errors, cut or malformed answers,
429s): a request the model refuses on its merits (context length, content filter, a bad
parameter) says nothing about the endpoint and is recorded as neither.

The clock is injectable so tests step through time without sleeping. All state changes
happen under one lock; ``allow`` and ``record`` are O(1) amortised (a running count of the
window's failures: a gateway at 500 calls/s holds 30,000 outcomes per window).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

State = Literal["closed", "open", "half_open"]


@dataclass(frozen=True)
class BreakerSettings:
    """When to open and how long to stay open."""

    window_s: float = 60.0
    min_calls: int = 4
    failure_rate: float = 0.5
    cooldown_s: float = 30.0
    long_open_s: float = 600.0  # authentication or not-found: until someone fixes it


@dataclass
class _Circuit:
    outcomes: deque[tuple[float, bool]] = field(default_factory=deque)  # (time, failed)
    failures: int = 0  # how many of ``outcomes`` failed, kept as they come and go
    state: State = "closed"
    open_until: float = 0.0
    probing: bool = False  # a half-open probe is in flight
    reason: str = ""


@dataclass(frozen=True)
class BreakerStatus:
    """A snapshot for `routr calls stats`, `--explain` and the serve metrics."""

    key: str
    state: State
    failures: int
    calls: int
    open_for_s: float
    reason: str


class BreakerBoard:
    """Every circuit of the process, keyed ``provider/model``; thread-safe."""

    def __init__(
        self,
        settings: BreakerSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or BreakerSettings()
        self._clock = clock
        self._lock = threading.Lock()
        self._circuits: dict[str, _Circuit] = {}
        self._blocked: dict[str, tuple[float, str]] = {}  # provider -> (until, reason)

    def _circuit(self, key: str) -> _Circuit:
        circuit = self._circuits.get(key)
        if circuit is None:
            circuit = self._circuits[key] = _Circuit()
        return circuit

    def _trim(self, circuit: _Circuit, now: float) -> None:
        horizon = now - self.settings.window_s
        outcomes = circuit.outcomes
        while outcomes and outcomes[0][0] < horizon:
            circuit.failures -= outcomes.popleft()[1]

    def allow(self, key: str) -> bool:
        """May a call go to ``key`` now? In half-open state only one caller gets True."""
        now = self._clock()
        with self._lock:
            blocked = self._blocked.get(key.partition("/")[0])
            if blocked is not None and now < blocked[0]:
                return False
            circuit = self._circuit(key)
            if circuit.state == "closed":
                return True
            if circuit.state == "open":
                if now < circuit.open_until:
                    return False
                circuit.state = "half_open"
                circuit.probing = False
            if circuit.probing:
                return False
            circuit.probing = True
            return True

    def record(self, key: str, *, failed: bool, reason: str = "") -> None:
        """The outcome of a call that ``allow`` let through."""
        now = self._clock()
        settings = self.settings
        with self._lock:
            circuit = self._circuit(key)
            if circuit.state == "half_open" or circuit.probing:
                circuit.probing = False
                if failed:
                    self._open(circuit, now, settings.cooldown_s, reason)
                else:
                    circuit.state = "closed"
                    circuit.outcomes.clear()
                    circuit.failures = 0
                    circuit.reason = ""
                return
            circuit.outcomes.append((now, failed))
            circuit.failures += failed
            self._trim(circuit, now)
            calls = len(circuit.outcomes)
            failures = circuit.failures
            if (
                circuit.state == "closed"
                and calls >= settings.min_calls
                and failures / calls >= settings.failure_rate
            ):
                self._open(circuit, now, settings.cooldown_s, reason)

    def release(self, key: str) -> None:
        """A let-through call ended with no verdict on health (the request's own fault)."""
        with self._lock:
            circuit = self._circuit(key)
            if circuit.probing:
                circuit.probing = False

    def force_open(self, key: str, seconds: float, reason: str) -> None:
        """Open now for ``seconds`` whatever the window says (bad key, unknown model)."""
        now = self._clock()
        with self._lock:
            circuit = self._circuit(key)
            circuit.probing = False
            self._open(circuit, now, seconds, reason)

    def block_provider(self, provider: str, seconds: float, reason: str) -> None:
        """Refuse every model of ``provider`` for ``seconds`` (its key was rejected)."""
        now = self._clock()
        with self._lock:
            until, _ = self._blocked.get(provider, (0.0, ""))
            self._blocked[provider] = (max(until, now + seconds), reason)

    def _open(self, circuit: _Circuit, now: float, seconds: float, reason: str) -> None:
        circuit.state = "open"
        circuit.open_until = max(circuit.open_until, now + seconds)
        circuit.reason = reason

    def status(self, key: str) -> BreakerStatus:
        now = self._clock()
        with self._lock:
            circuit = self._circuit(key)
            self._trim(circuit, now)
            state = circuit.state
            if state == "open" and now >= circuit.open_until:
                state = "half_open"
            open_for = max(0.0, circuit.open_until - now) if state == "open" else 0.0
            reason = circuit.reason
            blocked_until, blocked_reason = self._blocked.get(key.partition("/")[0], (0.0, ""))
            if now < blocked_until:
                state, open_for, reason = "open", max(open_for, blocked_until - now), blocked_reason
            return BreakerStatus(
                key=key,
                state=state,
                failures=circuit.failures,
                calls=len(circuit.outcomes),
                open_for_s=open_for,
                reason=reason,
            )

    def statuses(self) -> list[BreakerStatus]:
        with self._lock:
            keys = sorted(self._circuits)
        return [self.status(key) for key in keys]
