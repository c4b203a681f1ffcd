"""Readiness probe for Redis, reported as `cache`. Not critical: without Redis the service
serves from the database and counts nothing.

The probe pings through the breaker, so that the readiness check shows Redis as it is now: once
an open breaker's reset time has passed, this ping is the breaker's half-open probe, and a Redis
that came back closes it and reads `pass` without waiting for a request to probe. While the
breaker stays open the ping goes straight to Redis: `warn` if it answers (the breaker will let
the next probe through soon), `fail` if it does not.
"""

import asyncio
import time

from ...domain.health import CheckResult, HealthStatus, elapsed_ms
from .guard import RedisGuard, RedisUnavailable


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
                # Through the breaker: due for a probe, this ping is the probe.
                await self._redis.call(lambda client: client.ping())
                return CheckResult(HealthStatus.PASS, elapsed_ms(started))
        except RedisUnavailable as error:
            if error.__cause__ is not None:  # Redis was asked, and failed
                return CheckResult(HealthStatus.FAIL, elapsed_ms(started), _name(error.__cause__))
        except Exception as error:  # whatever the client raised, Redis is not usable
            return CheckResult(HealthStatus.FAIL, elapsed_ms(started), _name(error))
        # The breaker is open and not yet due for a probe: ask Redis directly how it is.
        try:
            async with asyncio.timeout(self._timeout_seconds):
                await self._redis.client.ping()
        except Exception as error:
            return CheckResult(HealthStatus.FAIL, elapsed_ms(started), _name(error))
        return CheckResult(HealthStatus.WARN, elapsed_ms(started), "circuit open")


def _name(error: BaseException) -> str:
    return type(error).__name__
