"""The one way the service calls Redis: behind a circuit breaker, under a deadline.

Whatever goes wrong (refused, reset, timed out, hung, out of memory) becomes `RedisUnavailable`,
which each caller turns into its fallback: the cache asks the database, the counters count
nothing. A call never waits longer than the deadline, and while the breaker is open it does not
wait at all.

The breaker itself (resilience/circuit_breaker.py) is the one the outbound HTTP client uses too.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ...shared.logging import get_logger
from ..resilience.circuit_breaker import BreakerState, CircuitBreaker
from ..telemetry.metrics import set_circuit_breaker_open

T = TypeVar("T")

logger = get_logger(__name__)


class RedisUnavailable(Exception):  # noqa: N818 - a condition, not a programming error
    """Redis did not answer in time, or the breaker is open: fall back."""


class RedisGuard:
    """The process's Redis client with its breaker. Build commands on `client`; send them
    through `call`."""

    def __init__(self, client: Redis, breaker: CircuitBreaker, timeout_seconds: float) -> None:
        self.client = client
        self.breaker = breaker
        self._timeout_seconds = timeout_seconds
        # As many calls at once as the pool has connections: one more waits its turn, within
        # its deadline, where the pool would refuse it (client.py: a plain pool is the cheaper
        # one, and a burst must not look like an outage and open the breaker).
        self._turns = asyncio.Semaphore(client.connection_pool.max_connections)
        # `circuit_breaker_open{dependency="redis"}`, set at each change of state only: a call
        # through a closed breaker pays nothing for it.
        set_circuit_breaker_open("redis", breaker.state is not BreakerState.CLOSED)

    async def call(self, command: Callable[[Redis], Awaitable[T]]) -> T:
        """`command(client)`'s answer. Raises `RedisUnavailable`, and nothing else Redis-made."""
        if not self.breaker.allows_request():
            raise RedisUnavailable("circuit open")
        try:
            # The one deadline of a call, connection set-up included, whatever state the
            # server is in (the client has a connect timeout only: client.py says why).
            async with asyncio.timeout(self._timeout_seconds), self._turns:
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
