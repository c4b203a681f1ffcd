"""The one way the service calls Redis: behind a circuit breaker, under a deadline.

Whatever goes wrong (refused, reset, timed out, hung, out of memory) becomes `RedisUnavailable`,
which each caller turns into its fallback: the cache asks the database, the counters count
nothing. A call never waits longer than the deadline, and while the breaker is open it does not
wait at all.

The breaker is hand-written on purpose. The maintained Python breakers (pybreaker,
circuitbreaker) are built around synchronous calls and thread locks, and wrap the call itself;
here every caller shares one event loop, the call is an awaitable under a deadline, and the
caller wants a yes or no *before* it starts. That is a few dozen lines.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ...shared.logging import get_logger
from ..telemetry.metrics import set_circuit_breaker_open

T = TypeVar("T")
Clock = Callable[[], float]

logger = get_logger(__name__)


class RedisUnavailable(Exception):  # noqa: N818 - a condition, not a programming error
    """Redis did not answer in time, or the breaker is open: fall back."""


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


class RedisGuard:
    """The process's Redis client with its breaker. Build commands on `client`; send them
    through `call`."""

    def __init__(self, client: Redis, breaker: CircuitBreaker, timeout_seconds: float) -> None:
        self.client = client
        self.breaker = breaker
        self._timeout_seconds = timeout_seconds
        # `circuit_breaker_open{dependency="redis"}`, set at each change of state only: a call
        # through a closed breaker pays nothing for it.
        set_circuit_breaker_open("redis", breaker.state is not BreakerState.CLOSED)

    async def call(self, command: Callable[[Redis], Awaitable[T]]) -> T:
        """`command(client)`'s answer. Raises `RedisUnavailable`, and nothing else Redis-made."""
        if not self.breaker.allows_request():
            raise RedisUnavailable("circuit open")
        try:
            # The client's own socket timeouts bound each read and connect; this bounds the
            # whole call, connection set-up included, whatever state the server is in.
            async with asyncio.timeout(self._timeout_seconds):
                result = await command(self.client)
        except (RedisError, OSError, TimeoutError) as error:
            self._record_failure(error)
            raise RedisUnavailable(type(error).__name__) from error
        self._record_success()
        return result

    def _record_failure(self, error: Exception) -> None:
        was = self.breaker.state
        self.breaker.record_failure()
        if was is not BreakerState.OPEN and self.breaker.state is BreakerState.OPEN:
            # One line per outage, not one per request: the metrics count the requests.
            logger.warning("Redis circuit opened: Redis unavailable", error=type(error).__name__)
            set_circuit_breaker_open("redis", True)

    def _record_success(self) -> None:
        was = self.breaker.state
        self.breaker.record_success()
        if was is not BreakerState.CLOSED and self.breaker.state is BreakerState.CLOSED:
            logger.info("Redis circuit closed: Redis answers again")
            set_circuit_breaker_open("redis", False)
