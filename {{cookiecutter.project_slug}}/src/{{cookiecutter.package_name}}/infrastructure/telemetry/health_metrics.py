"""`health_check_up{check}`: each readiness check's last answer, recorded as `/health/ready`
runs it (so the gauges are as fresh as the last probe; between probes they keep that answer)."""

from collections.abc import Sequence

from ...domain.health import CheckResult, HealthCheck, HealthStatus
from .metrics import set_health_check_up


class ObservedHealthCheck:
    """A readiness check that also records whether it was up: passed or warned (degraded
    but serving) is 1, failed is 0."""

    def __init__(self, check: HealthCheck) -> None:
        self._check = check
        self.name = check.name
        self.critical = check.critical

    async def check(self) -> CheckResult:
        result = await self._check.check()
        set_health_check_up(self.name, result.status is not HealthStatus.FAIL)
        return result


def observed(checks: Sequence[HealthCheck]) -> list[HealthCheck]:
    return [ObservedHealthCheck(check) for check in checks]
