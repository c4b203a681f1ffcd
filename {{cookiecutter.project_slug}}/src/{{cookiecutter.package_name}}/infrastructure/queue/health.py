"""Readiness probe for the broker. Not critical: while it is down, jobs are still accepted into
the outbox, and the relay sends them once it is back."""

import asyncio
import time

from celery import Celery

from ...domain.health import CheckResult, HealthStatus, elapsed_ms


class BrokerHealthCheck:
    name = "broker"
    critical = False

    def __init__(self, celery: Celery, timeout_seconds: float = 1.0) -> None:
        self._celery = celery
        self._timeout_seconds = timeout_seconds

    async def check(self) -> CheckResult:
        started = time.perf_counter()
        try:
            # In a thread: kombu's connect blocks. The thread may outlive the timeout; it ends
            # with the connection attempt (broker_connection_timeout).
            async with asyncio.timeout(self._timeout_seconds):
                await asyncio.to_thread(self._connect)
        except Exception as error:  # whatever kombu raised, the broker is not usable
            return CheckResult(HealthStatus.FAIL, elapsed_ms(started), type(error).__name__)
        return CheckResult(HealthStatus.PASS, elapsed_ms(started))

    def _connect(self) -> None:
        with self._celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
