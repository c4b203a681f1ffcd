"""Failed sign-ins are counted per account and per client address, in fixed windows."""

import pytest

from {{ cookiecutter.package_name }}.domain.auth.errors import TooManyLoginAttemptsError
from {{ cookiecutter.package_name }}.domain.auth.login_throttle import LoginThrottle, LoginThrottlePolicy
from {{ cookiecutter.package_name }}.domain.rate_limits import WindowCount
from {{ cookiecutter.package_name }}.infrastructure.security.attempt_counters import InProcessAttemptCounter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def counter(clock: Clock) -> InProcessAttemptCounter:
    return InProcessAttemptCounter(clock)


@pytest.fixture
def throttle(counter: InProcessAttemptCounter) -> LoginThrottle:
    policy = LoginThrottlePolicy(
        max_failures_per_account=3, max_failures_per_client=5, window_seconds=60
    )
    return LoginThrottle(counter, policy)


async def test_a_window_counts_until_it_ends(
    counter: InProcessAttemptCounter, clock: Clock
) -> None:
    await counter.add(["a", "b"], 60)
    clock.now += 10
    await counter.add(["a"], 60)

    assert await counter.counts(["a", "b", "c"]) == [
        WindowCount(2, 51),
        WindowCount(1, 51),
        WindowCount(0, 0),
    ]
    clock.now += 50
    assert await counter.counts(["a"]) == [WindowCount(0, 0)]


async def test_reset_forgets_a_key(counter: InProcessAttemptCounter) -> None:
    await counter.add(["a"], 60)
    await counter.reset("a")
    await counter.reset("never-seen")

    assert await counter.counts(["a"]) == [WindowCount(0, 0)]


async def test_expired_windows_are_swept_when_there_are_many(
    counter: InProcessAttemptCounter, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(InProcessAttemptCounter, "SWEEP_ABOVE", 2)
    await counter.add(["old-1", "old-2"], 5)
    clock.now += 10

    await counter.add(["new"], 5)

    assert set(counter._windows) == {"new"}


async def test_an_account_is_locked_after_its_failures(throttle: LoginThrottle) -> None:
    for _ in range(3):
        await throttle.check("ann@example.com", "10.0.0.1")
        await throttle.record_failure("ann@example.com", "10.0.0.1")

    with pytest.raises(TooManyLoginAttemptsError) as raised:
        await throttle.check("ann@example.com", "10.0.0.2")  # from anywhere

    assert raised.value.retry_after_seconds == 61
    await throttle.check("bob@example.com", "10.0.0.1")  # others still may


async def test_a_client_is_locked_after_failing_across_accounts(throttle: LoginThrottle) -> None:
    for n in range(5):
        await throttle.record_failure(f"user{n}@example.com", "10.0.0.1")

    with pytest.raises(TooManyLoginAttemptsError):
        await throttle.check("someone-new@example.com", "10.0.0.1")
    await throttle.check("someone-new@example.com", "10.0.0.2")


async def test_success_clears_the_account_but_not_the_client(throttle: LoginThrottle) -> None:
    for _ in range(3):
        await throttle.record_failure("ann@example.com", "10.0.0.1")

    await throttle.record_success("ann@example.com")

    await throttle.check("ann@example.com", "10.0.0.1")  # the account starts again from zero
    for _ in range(2):  # the client's three failures still count: two more reach its limit
        await throttle.record_failure("bob@example.com", "10.0.0.1")
    with pytest.raises(TooManyLoginAttemptsError):
        await throttle.check("carol@example.com", "10.0.0.1")


async def test_counter_keys_hold_no_email_address(
    throttle: LoginThrottle, counter: InProcessAttemptCounter
) -> None:
    await throttle.record_failure("ann@example.com", "10.0.0.1")

    assert not any("ann" in key for key in counter._windows)
