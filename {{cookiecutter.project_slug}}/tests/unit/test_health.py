"""How individual checks combine into the service's readiness."""

from {{ cookiecutter.package_name }}.domain.health import (
    CheckResult,
    HealthStatus,
    overall_status,
    run_checks,
)

PASS = CheckResult(HealthStatus.PASS, 1.0)
WARN = CheckResult(HealthStatus.WARN, 1.0)
FAIL = CheckResult(HealthStatus.FAIL, 1.0)


def test_all_passing_is_pass() -> None:
    assert overall_status({"database": PASS, "cache": PASS}, frozenset({"database"})) == "pass"


def test_a_failing_critical_check_is_fail() -> None:
    assert overall_status({"database": FAIL, "cache": PASS}, frozenset({"database"})) == "fail"


def test_a_failing_optional_check_only_degrades() -> None:
    assert overall_status({"database": PASS, "cache": FAIL}, frozenset({"database"})) == "warn"


def test_a_warning_critical_check_degrades() -> None:
    assert overall_status({"database": WARN}, frozenset({"database"})) == "warn"


class StaticCheck:
    def __init__(self, name: str, result: CheckResult) -> None:
        self.name, self.critical, self.result = name, False, result

    async def check(self) -> CheckResult:
        return self.result


async def test_run_checks_reports_each_check_by_name() -> None:
    results = await run_checks([StaticCheck("a", PASS), StaticCheck("b", FAIL)])

    assert results == {"a": PASS, "b": FAIL}
