"""One breaker per upstream host, and the `circuit_breaker_open` gauge of each."""

from {{ cookiecutter.package_name }}.infrastructure.http.host_breakers import HostBreakers
from {{ cookiecutter.package_name }}.infrastructure.resilience.circuit_breaker import BreakerState

from ..metrics import current


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_failing_host_opens_its_own_breaker_only() -> None:
    breakers = HostBreakers(failure_threshold=2, reset_seconds=10, clock=FakeClock())
    breakers.record_success("healthy.test")

    breakers.record_failure("failing.test", "ConnectError")
    breakers.record_failure("failing.test", "ConnectError")

    assert not breakers.allows_request("failing.test")
    assert breakers.allows_request("healthy.test")
    assert breakers.allows_request("new.test")
    assert current("circuit_breaker_open", dependency="failing.test") == 1
    assert current("circuit_breaker_open", dependency="healthy.test") == 0


def test_a_successful_probe_closes_it_again() -> None:
    clock = FakeClock()
    breakers = HostBreakers(failure_threshold=1, reset_seconds=10, clock=clock)
    breakers.record_failure("flaky.test", "HTTP 503")
    assert current("circuit_breaker_open", dependency="flaky.test") == 1

    clock.now = 10.0
    assert breakers.allows_request("flaky.test")  # the probe
    assert breakers.for_host("flaky.test").state is BreakerState.HALF_OPEN
    breakers.record_success("flaky.test")

    assert breakers.for_host("flaky.test").state is BreakerState.CLOSED
    assert current("circuit_breaker_open", dependency="flaky.test") == 0


def test_successes_in_between_keep_a_host_closed() -> None:
    breakers = HostBreakers(failure_threshold=2, reset_seconds=10, clock=FakeClock())
    for _ in range(5):
        breakers.record_failure("busy.test", "ReadTimeout")
        breakers.record_success("busy.test")

    assert breakers.for_host("busy.test").state is BreakerState.CLOSED
