"""The circuit breaker every dependency call goes through: Redis (redis/guard.py) and each
upstream host of the outbound HTTP client (http/host_breakers.py).

It is hand-written on purpose. The maintained Python breakers (pybreaker, circuitbreaker) are
built around synchronous calls and thread locks, and wrap the call itself; here every caller
shares one event loop, the call is an awaitable under a deadline, and the caller wants a yes or
no *before* it starts. That is a few dozen lines.
"""

import time
from collections.abc import Callable
from enum import StrEnum

Clock = Callable[[], float]


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """After repeated failures, stop calling a dependency for a while (Martin Fowler's names).

    CLOSED lets every call through and counts failures in a row; OPEN refuses every call until
    `reset_seconds` have passed; then HALF_OPEN lets exactly one probe through. The probe's
    success closes the breaker, its failure opens it again. A probe that never reports back
    (its caller was cancelled) is replaced after another `reset_seconds`.
    """

    def __init__(
        self, failure_threshold: int, reset_seconds: float, clock: Clock = time.monotonic
    ) -> None:
        self._failure_threshold = failure_threshold
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._failures = 0
        self._open_until: float | None = None  # None while closed
        self._probing = False
        self.times_opened = 0  # how many outages this process has seen (docs/caching.md)

    @property
    def state(self) -> BreakerState:
        if self._open_until is None:
            return BreakerState.CLOSED
        return BreakerState.HALF_OPEN if self._probing else BreakerState.OPEN

    def allows_request(self) -> bool:
        """Whether to call the dependency now. A `True` while open makes the caller the probe."""
        if self._open_until is None:
            return True
        now = self._clock()
        if now < self._open_until:
            return False
        self._probing = True
        self._open_until = now + self._reset_seconds  # the next probe, should this one vanish
        return True

    def record_success(self) -> None:
        if self.state is BreakerState.OPEN:
            return  # a call from before the outage answering late: only a probe may close it
        self._failures = 0
        self._open_until = None
        self._probing = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._probing or (
            self._open_until is None and self._failures >= self._failure_threshold
        ):
            self._open()

    def _open(self) -> None:
        if self._open_until is None:
            self.times_opened += 1
        self._open_until = self._clock() + self._reset_seconds
        self._probing = False
