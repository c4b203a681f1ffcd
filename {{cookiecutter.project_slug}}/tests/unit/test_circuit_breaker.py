"""The circuit breaker's states, driven by a fake clock (no sleeping)."""

import pytest

from {{ cookiecutter.package_name }}.infrastructure.resilience.circuit_breaker import BreakerState, CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, reset_seconds=10, clock=clock)


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.record_failure()


def test_a_new_breaker_is_closed_and_lets_calls_through(breaker: CircuitBreaker) -> None:
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allows_request()


def test_it_opens_at_the_threshold_of_failures_in_a_row(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    assert breaker.allows_request()

    fail(breaker, 1)

    assert breaker.state is BreakerState.OPEN
    assert not breaker.allows_request()
    assert breaker.times_opened == 1


def test_a_success_resets_the_count(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.record_success()
    fail(breaker, 2)

    assert breaker.state is BreakerState.CLOSED


def test_after_the_reset_time_exactly_one_probe_goes_through(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    fail(breaker, 3)
    clock.now += 9.9
    assert not breaker.allows_request()

    clock.now += 0.1

    assert breaker.allows_request()
    assert breaker.state is BreakerState.HALF_OPEN
    assert not breaker.allows_request()  # the others keep using the database meanwhile


def test_a_successful_probe_closes_it(breaker: CircuitBreaker, clock: FakeClock) -> None:
    fail(breaker, 3)
    clock.now += 10
    assert breaker.allows_request()

    breaker.record_success()

    assert breaker.state is BreakerState.CLOSED
    assert breaker.allows_request()


def test_a_failed_probe_opens_it_for_another_reset_time(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    fail(breaker, 3)
    clock.now += 10
    assert breaker.allows_request()

    breaker.record_failure()

    assert breaker.state is BreakerState.OPEN
    assert breaker.times_opened == 1  # still the same outage
    clock.now += 9.9
    assert not breaker.allows_request()
    clock.now += 0.1
    assert breaker.allows_request()


def test_a_late_success_from_before_the_outage_does_not_close_it(
    breaker: CircuitBreaker,
) -> None:
    fail(breaker, 3)

    breaker.record_success()

    assert breaker.state is BreakerState.OPEN


def test_a_probe_that_never_reports_is_replaced(breaker: CircuitBreaker, clock: FakeClock) -> None:
    fail(breaker, 3)
    clock.now += 10
    assert breaker.allows_request()  # and its caller vanishes without a word

    clock.now += 10

    assert breaker.allows_request()


def test_each_outage_is_counted(breaker: CircuitBreaker, clock: FakeClock) -> None:
    fail(breaker, 3)
    clock.now += 10
    breaker.allows_request()
    breaker.record_success()

    fail(breaker, 3)

    assert breaker.times_opened == 2
