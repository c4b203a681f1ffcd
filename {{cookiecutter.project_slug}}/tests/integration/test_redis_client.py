"""The process's Redis client (infrastructure/redis/client.py): one deadline, a pool that never
makes a call wait for a connection."""

import asyncio
import secrets

import pytest

from {{ cookiecutter.package_name }}.infrastructure.redis.client import connect_redis
from {{ cookiecutter.package_name }}.infrastructure.redis.guard import RedisUnavailable

from ..conftest import make_settings


async def test_a_call_that_finds_every_connection_busy_fails_at_once(redis_url: str) -> None:
    settings = make_settings(
        "sqlite://", redis_url=redis_url, redis_max_connections=1, redis_socket_timeout_seconds=5
    )
    guard = connect_redis(settings)
    assert guard is not None
    empty_list = f"test-redis-client:{secrets.token_hex(4)}"
    try:
        # BLPOP on an empty list holds the pool's only connection for a second.
        holding = asyncio.create_task(guard.call(lambda client: client.blpop([empty_list], 1)))
        await asyncio.sleep(0.1)
        assert not holding.done()

        with pytest.raises(RedisUnavailable, match=r"MaxConnectionsError|ConnectionError"):
            await guard.call(lambda client: client.ping())

        assert not holding.done(), "the second call waited for the connection"
        assert await holding is None  # the holder itself was unharmed: BLPOP timed out empty
    finally:
        await guard.client.aclose()
