"""The Redis attempt counter against a real server, and failing open without one."""

import json
import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.domain.rate_limits import WindowCount
from {{ cookiecutter.package_name }}.infrastructure.redis.guard import RedisGuard
from {{ cookiecutter.package_name }}.infrastructure.resilience.circuit_breaker import CircuitBreaker
from {{ cookiecutter.package_name }}.infrastructure.security.attempt_counters import RedisAttemptCounter
from {{ cookiecutter.package_name }}.shared.logging import configure_logging


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def prefix(redis_key_prefix: str) -> str:
    return f"{redis_key_prefix}:counters-{secrets.token_hex(4)}"


def guarded(client: Redis) -> RedisGuard:
    breaker = CircuitBreaker(failure_threshold=5, reset_seconds=10)
    return RedisGuard(client, breaker, timeout_seconds=1.0)


@pytest.fixture
def counter(redis: Redis, prefix: str) -> RedisAttemptCounter:
    return RedisAttemptCounter(guarded(redis), prefix)


async def test_counts_are_shared_through_redis_under_the_prefix(
    counter: RedisAttemptCounter, redis: Redis, prefix: str
) -> None:
    await counter.add(["a", "b"], 60)
    await counter.add(["a"], 60)

    counts = await counter.counts(["a", "b", "never"])

    assert [count.count for count in counts] == [2, 1, 0]
    assert 58 <= counts[0].retry_after_seconds <= 60
    assert counts[2] == WindowCount(0, 0)
    assert await redis.get(f"{prefix}:a") == b"2"


async def test_reset_deletes_the_count(counter: RedisAttemptCounter) -> None:
    await counter.add(["a"], 60)

    await counter.reset("a")

    assert await counter.counts(["a"]) == [WindowCount(0, 0)]


async def test_without_redis_it_fails_open_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO")
    unreachable = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    counter = RedisAttemptCounter(guarded(unreachable), "nowhere")

    await counter.add(["a"], 60)
    counts = await counter.counts(["a", "b"])
    await counter.reset("a")
    await unreachable.aclose()

    assert counts == [WindowCount(0, 0), WindowCount(0, 0)]
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    assert [line["message"] for line in lines] == ["login throttle unavailable, not counting"] * 3
    assert lines[0]["level"] == "warning"


async def test_a_hit_counts_and_tells_the_window_left(
    counter: RedisAttemptCounter, redis: Redis, prefix: str
) -> None:
    first = await counter.hit("caller", 60)
    second = await counter.hit("caller", 60)

    assert first is not None
    assert second is not None
    assert (first.count, second.count) == (1, 2)
    assert 58 <= second.retry_after_seconds <= 60
    assert 58 <= await redis.ttl(f"{prefix}:caller") <= 60  # the window ends by itself


async def test_without_redis_a_hit_counts_nothing() -> None:
    unreachable = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    counter = RedisAttemptCounter(guarded(unreachable), "nowhere")

    assert await counter.hit("caller", 60) is None
    await unreachable.aclose()
