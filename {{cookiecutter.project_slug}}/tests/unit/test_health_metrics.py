"""`health_check_up{check}`: each readiness check's last answer, 1 unless it failed."""

import pytest

from {{ cookiecutter.package_name }}.domain.health import CheckResult, HealthStatus
from {{ cookiecutter.package_name }}.infrastructure.telemetry.health_metrics import observed

from ..metrics import current


class FixedCheck:
    critical = False

    def __init__(self, name: str, status: HealthStatus) -> None:
        self.name = name
        self.status = status

    async def check(self) -> CheckResult:
        return CheckResult(self.status, 1.0)


@pytest.mark.parametrize(
    ("status", "up"), [(HealthStatus.PASS, 1), (HealthStatus.WARN, 1), (HealthStatus.FAIL, 0)]
)
async def test_a_check_is_up_unless_it_failed(status: HealthStatus, up: int) -> None:
    check = FixedCheck(f"dependency-{status}", status)
    (observed_check,) = observed([check])

    result = await observed_check.check()

    assert result.status is status  # the answer passes through unchanged
    assert (observed_check.name, observed_check.critical) == (check.name, check.critical)
    assert current("health_check_up", check=check.name) == up


async def test_the_gauge_follows_the_latest_answer() -> None:
    check = FixedCheck("flapping", HealthStatus.PASS)
    (observed_check,) = observed([check])
    await observed_check.check()

    check.status = HealthStatus.FAIL
    await observed_check.check()

    assert current("health_check_up", check="flapping") == 0
