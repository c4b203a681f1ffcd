"""Readiness probe for Redis, reported as `cache`. Not critical: without Redis the service
serves from the database and counts nothing.

The probe pings Redis itself rather than asking the breaker, so it sees a recovery before the
breaker's next probe does; an open breaker still reports `warn` until traffic has closed it.
"""

import asyncio
import time

from ...domain.health import CheckResult, HealthStatus, elapsed_ms
from ..resilience.circuit_breaker import BreakerState
from .guard import RedisGuard


class RedisHealthCheck:
    name = "cache"
    critical = False

    def __init__(self, redis: RedisGuard | None, timeout_seconds: float = 1.0) -> None:
        self._redis = redis
        self._timeout_seconds = timeout_seconds

    async def check(self) -> CheckResult:
        started = time.perf_counter()
        if self._redis is None:
            return CheckResult(HealthStatus.PASS, 0.0, "in-process")
        try:
            async with asyncio.timeout(self._timeout_seconds):
                await self._redis.client.ping()
        except Exception as error:  # whatever the client raised, Redis is not usable
            return CheckResult(HealthStatus.FAIL, elapsed_ms(started), type(error).__name__)
        if self._redis.breaker.state is not BreakerState.CLOSED:
            return CheckResult(HealthStatus.WARN, elapsed_ms(started), "circuit open")
        return CheckResult(HealthStatus.PASS, elapsed_ms(started))
