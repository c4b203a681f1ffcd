"""The rate limit per caller, counted in fixed windows, failing open when it cannot count."""

from collections.abc import Sequence

import pytest

from {{ cookiecutter.package_name }}.domain.rate_limits import (
    RateLimiter,
    RateLimitPolicy,
    RateLimitState,
    WindowCount,
)
from {{ cookiecutter.package_name }}.infrastructure.security.attempt_counters import InProcessAttemptCounter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class UnavailableCounter:
    """A counter whose store is down: every adapter answers a hit with None."""

    async def counts(self, keys: Sequence[str]) -> list[WindowCount]:
        return [WindowCount(0, 0) for _ in keys]

    async def add(self, keys: Sequence[str], window_seconds: int) -> None:
        pass

    async def hit(self, key: str, window_seconds: int) -> WindowCount | None:
        return None

    async def reset(self, key: str) -> None:
        pass


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(clock: Clock) -> RateLimiter:
    return RateLimiter(InProcessAttemptCounter(clock), RateLimitPolicy(limit=3, window_seconds=60))


async def test_each_request_uses_one_of_the_limit(limiter: RateLimiter, clock: Clock) -> None:
    states = []
    for _ in range(3):
        states.append(await limiter.count("ann"))
        clock.now += 10

    assert states == [
        RateLimitState(limit=3, remaining=2, reset_seconds=61),
        RateLimitState(limit=3, remaining=1, reset_seconds=51),
        RateLimitState(limit=3, remaining=0, reset_seconds=41),
    ]
    assert not any(state.exceeded for state in states if state is not None)


async def test_over_the_limit_until_the_window_ends(limiter: RateLimiter, clock: Clock) -> None:
    for _ in range(3):
        await limiter.count("ann")

    over = await limiter.count("ann")
    assert over is not None
    assert over.exceeded
    assert over.remaining == -1  # the headers say 0; the state keeps how far over

    clock.now += 61
    again = await limiter.count("ann")
    assert again is not None
    assert not again.exceeded
    assert again.remaining == 2


async def test_callers_are_counted_apart(limiter: RateLimiter) -> None:
    for _ in range(4):
        await limiter.count("ann")

    bob = await limiter.count("bob")

    assert bob is not None
    assert bob.remaining == 2


async def test_a_counter_that_cannot_count_lets_the_request_through() -> None:
    limiter = RateLimiter(UnavailableCounter(), RateLimitPolicy(limit=1))

    assert await limiter.count("ann") is None
    assert await limiter.count("ann") is None  # however many: nothing is counted, none refused
