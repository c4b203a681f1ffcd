"""The one way cache code calls Redis: behind the circuit breaker, under a deadline.

Whatever goes wrong (refused, reset, timed out, hung, out of memory) becomes `RedisUnavailable`,
which callers turn into "ask the database instead". The request never waits longer than the
deadline for Redis, and while the breaker is open it does not wait at all.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import RedisError

from ...shared.logging import get_logger
from .circuit_breaker import BreakerState, CircuitBreaker

T = TypeVar("T")

logger = get_logger(__name__)


class RedisUnavailable(Exception):  # noqa: N818 - a condition, not a programming error
    """Redis did not answer in time, or the breaker is open: use the database."""


class RedisGuard:
    def __init__(self, breaker: CircuitBreaker, timeout_seconds: float) -> None:
        self.breaker = breaker
        self._timeout_seconds = timeout_seconds

    async def call(self, command: Callable[[], Awaitable[T]]) -> T:
        if not self.breaker.allows_request():
            raise RedisUnavailable("circuit open")
        try:
            # The client's own socket timeouts bound each read and connect; this bounds the
            # whole call, connection set-up included, whatever state the server is in.
            async with asyncio.timeout(self._timeout_seconds):
                result = await command()
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
            logger.warning("cache circuit opened: Redis unavailable", error=type(error).__name__)

    def _record_success(self) -> None:
        if self.breaker.state is not BreakerState.CLOSED:
            logger.info("cache circuit closed: Redis answers again")
        self.breaker.record_success()
