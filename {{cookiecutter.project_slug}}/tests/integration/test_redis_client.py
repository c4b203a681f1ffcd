"""The process's Redis client (infrastructure/redis/client.py): a call that finds every
connection busy waits its turn (within its deadline) instead of failing."""

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest

from {{ cookiecutter.package_name }}.infrastructure.redis.client import connect_redis
from {{ cookiecutter.package_name }}.infrastructure.redis.guard import RedisGuard

from ..conftest import make_settings


@pytest.fixture
async def one_connection(redis_url: str) -> AsyncIterator[RedisGuard]:
    settings = make_settings(
        "sqlite://", redis_url=redis_url, redis_max_connections=1, redis_socket_timeout_seconds=5
    )
    guard = connect_redis(settings)
    assert guard is not None
    yield guard
    await guard.client.aclose()


async def test_a_call_that_finds_every_connection_busy_waits_its_turn(
    one_connection: RedisGuard,
) -> None:
    # BLPOP on an empty list keeps the pool's only connection for a second.
    empty = f"test-redis-client:{secrets.token_hex(4)}"
    holding = asyncio.create_task(one_connection.call(lambda client: client.blpop([empty], 1)))
    await asyncio.sleep(0.1)
    assert not holding.done()

    assert await one_connection.call(lambda client: client.ping()) is True

    assert holding.done(), "the second call went ahead of the first"
    assert await holding is None  # BLPOP timed out on the empty list: the first call is whole
    assert one_connection.breaker.allows_request()
