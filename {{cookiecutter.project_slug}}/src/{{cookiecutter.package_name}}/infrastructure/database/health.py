"""Readiness probe for the database: one trivial query under a deadline."""

import asyncio
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ...domain.health import CheckResult, HealthStatus, elapsed_ms
from .engine import read_only


class DatabaseHealthCheck:
    name = "database"
    critical = True

    def __init__(self, engine: AsyncEngine, timeout_seconds: float = 2.0) -> None:
        self._engine = read_only(engine)  # no transaction to begin for one SELECT
        self._timeout_seconds = timeout_seconds

    async def check(self) -> CheckResult:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout_seconds), self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not ready", whatever the driver raised
            return CheckResult(HealthStatus.FAIL, elapsed_ms(started), type(error).__name__)
        return CheckResult(HealthStatus.PASS, elapsed_ms(started))
