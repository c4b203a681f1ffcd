"""Concurrent reads leave for Redis together, one MGET per turn of the event loop."""

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest

from {{ cookiecutter.package_name }}.infrastructure.cache.read_coalescer import ReadCoalescer
from {{ cookiecutter.package_name }}.infrastructure.redis.guard import RedisGuard, RedisUnavailable
from {{ cookiecutter.package_name }}.infrastructure.resilience.circuit_breaker import CircuitBreaker

from .cache_process import CacheProcess, RoundTrips, start_process


@pytest.fixture
async def process(redis_url: str, redis_key_prefix: str) -> AsyncIterator[CacheProcess]:
    prefix = f"{redis_key_prefix}:{secrets.token_hex(4)}"
    process = start_process(redis_url, prefix, timeout_seconds=2.0)
    yield process
    await process.redis.aclose()


def coalescer_of(process: CacheProcess) -> ReadCoalescer:
    return ReadCoalescer(process.guard)


async def test_reads_of_one_turn_share_one_mget(
    process: CacheProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [f"{process.store.namespace}:{n}" for n in range(10)]
    await process.redis.mset({key: str(n) for n, key in enumerate(keys)})
    coalescer = coalescer_of(process)
    round_trips = RoundTrips(process, monkeypatch)

    answers = await asyncio.gather(*(coalescer.mget([key, keys[0]]) for key in keys))

    assert answers == [[str(n).encode(), b"0"] for n in range(10)]
    assert round_trips.count == 1


async def test_reads_of_later_turns_go_in_later_mgets(
    process: CacheProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    coalescer = coalescer_of(process)
    round_trips = RoundTrips(process, monkeypatch)

    for _ in range(3):
        assert await coalescer.mget([f"{process.store.namespace}:missing"]) == [None]

    assert round_trips.count == 3


async def test_when_redis_fails_every_reader_of_the_turn_hears_it(process: CacheProcess) -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=60)
    breaker.record_failure()
    coalescer = ReadCoalescer(RedisGuard(process.redis, breaker, timeout_seconds=1.0))

    results = await asyncio.gather(
        coalescer.mget(["a"]), coalescer.mget(["b"]), return_exceptions=True
    )

    assert [type(result) for result in results] == [RedisUnavailable, RedisUnavailable]


async def test_a_reader_that_leaves_does_not_disturb_the_others(process: CacheProcess) -> None:
    key = f"{process.store.namespace}:a"
    await process.redis.set(key, "1")
    coalescer = coalescer_of(process)
    leaving = asyncio.ensure_future(coalescer.mget([key]))
    staying = asyncio.ensure_future(coalescer.mget([key]))
    await asyncio.sleep(0)

    leaving.cancel()

    assert await staying == [b"1"]
    assert leaving.cancelled()
