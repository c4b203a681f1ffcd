"""Readiness: the checks the service runs on its dependencies, and how their results combine.

The vocabulary (`pass`, `warn`, `fail`) is that of the IETF health-check response draft
(draft-inadarei-api-health-check), which `/health/ready` speaks.
"""

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class HealthStatus(StrEnum):
    PASS = "pass"  # noqa: S105 - a health status, not a password
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class CheckResult:
    status: HealthStatus
    latency_ms: float
    output: str | None = None


def elapsed_ms(started: float) -> float:
    """Milliseconds since `started` (a `time.perf_counter()` reading), as checks report them."""
    return round((time.perf_counter() - started) * 1000, 2)


class HealthCheck(Protocol):
    """One dependency's probe. A `critical` dependency's failure makes the service unready;
    any other's only degrades it (the service keeps serving without it)."""

    name: str
    critical: bool

    async def check(self) -> CheckResult: ...


def overall_status(results: Mapping[str, CheckResult], critical: frozenset[str]) -> HealthStatus:
    """`fail` if a critical check failed, `warn` if anything else is not passing, else `pass`."""
    status = HealthStatus.PASS
    for name, result in results.items():
        if result.status is HealthStatus.PASS:
            continue
        if name in critical and result.status is HealthStatus.FAIL:
            return HealthStatus.FAIL
        status = HealthStatus.WARN
    return status


async def run_checks(checks: Sequence[HealthCheck]) -> dict[str, CheckResult]:
    """Run every check at once: readiness takes as long as the slowest dependency, not the sum."""
    results = await asyncio.gather(*(check.check() for check in checks))
    return {check.name: result for check, result in zip(checks, results, strict=True)}
