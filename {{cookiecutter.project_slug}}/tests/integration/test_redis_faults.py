"""The cache under Redis faults, on a redis-server each test starts and breaks itself.

Whatever Redis does (stops, hangs, comes back from an old dump), every read succeeds from the
database within a bound, nothing stale is served, and the breaker opens and closes again.
"""

import asyncio
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from {{ cookiecutter.package_name }}.infrastructure.resilience.circuit_breaker import BreakerState

from ..metrics import cache_operations, current
from ..redis_server import RedisServer
from .cache_process import CacheProcess, VersionedDatabase, start_process

READ_BOUND_SECONDS = 1.0  # a correctness bound (no read waits on a dead Redis), not a benchmark
RESET_SECONDS = 0.3
KEYS = "abc"


@dataclass
class Traffic:
    """Readers and a writer on a few keys, recording how long reads take and what was stale."""

    database: VersionedDatabase
    read_seconds: list[float] = field(default_factory=list)
    stale: list[tuple[str, int, int]] = field(default_factory=list)

    async def run(self, process: CacheProcess, seconds: float, readers: int = 6) -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            self._write(process, deadline), *(self._read(process, deadline) for _ in range(readers))
        )

    async def _read(self, process: CacheProcess, deadline: float) -> None:
        while time.monotonic() < deadline:
            key = random.choice(KEYS)  # noqa: S311
            started = time.perf_counter()
            version, floor = await self.database.read(key, process.cache)
            self.read_seconds.append(time.perf_counter() - started)
            if version < floor:
                self.stale.append((key, version, floor))
            await asyncio.sleep(0.005)

    async def _write(self, process: CacheProcess, deadline: float) -> None:
        while time.monotonic() < deadline:
            await self.database.write(random.choice(KEYS), process.cache)  # noqa: S311
            await asyncio.sleep(0.05)

    def assert_every_read_was_fresh_and_bounded(self) -> None:
        assert self.stale == []
        assert self.read_seconds, "no read happened"
        assert max(self.read_seconds) < READ_BOUND_SECONDS


@pytest.fixture
async def process(redis_server: RedisServer) -> AsyncIterator[CacheProcess]:
    process = start_process(
        redis_server.url, "faults", timeout_seconds=0.1, reset_seconds=RESET_SECONDS
    )
    yield process
    await process.redis.aclose()


@pytest.fixture
def traffic() -> Traffic:
    database = VersionedDatabase(delay_seconds=0.002)
    database.versions = dict.fromkeys(KEYS, 1)
    return Traffic(database)


async def test_redis_stopping_mid_traffic_and_coming_back(
    redis_server: RedisServer, process: CacheProcess, traffic: Traffic
) -> None:
    await traffic.run(process, 0.2)
    errors = cache_operations("get", "error")

    redis_server.stop()
    await traffic.run(process, 0.5)

    assert process.breaker.times_opened >= 1  # once, or again after a failed probe
    assert cache_operations("get", "error") > errors
    assert current("circuit_breaker_open", dependency="redis") == 1
    redis_server.start()  # empty: it saved nothing
    await traffic.run(process, RESET_SECONDS + 0.5)

    assert process.breaker.state is BreakerState.CLOSED
    assert current("circuit_breaker_open", dependency="redis") == 0
    traffic.assert_every_read_was_fresh_and_bounded()
    hits = cache_operations("get", "hit")
    await traffic.database.read("a", process.cache)
    await traffic.database.read("a", process.cache)
    assert cache_operations("get", "hit") > hits  # caching again, not just surviving


async def test_redis_hanging_mid_traffic_and_resuming(
    redis_server: RedisServer, process: CacheProcess, traffic: Traffic
) -> None:
    await traffic.run(process, 0.2)

    redis_server.hang()
    await traffic.run(process, 0.5)

    assert process.breaker.times_opened >= 1
    # Resuming, Redis executes whatever was queued while it hung: late fills among them.
    redis_server.resume()
    await traffic.run(process, RESET_SECONDS + 0.5)

    assert process.breaker.state is BreakerState.CLOSED
    traffic.assert_every_read_was_fresh_and_bounded()


async def test_redis_restored_from_a_dump_holding_an_entry_invalidated_meanwhile(
    redis_server: RedisServer, process: CacheProcess, traffic: Traffic
) -> None:
    bystander = start_process(
        redis_server.url, "faults", timeout_seconds=0.1, reset_seconds=RESET_SECONDS
    )
    database = traffic.database
    for reader in (process, bystander):
        assert await database.read("a", reader.cache) == (1, 0)
    redis_server.save()  # the dump holds version 1's entry
    redis_server.stop()

    await database.write("a", process.cache)  # version 2; its invalidation reaches nobody
    for _ in range(3):  # the bystander sees the outage too, and its breaker opens
        assert await database.read("a", bystander.cache) == (2, 2)
    redis_server.start()  # back from the dump, version 1's entry included

    assert await process.redis.get(process.store.entry_key("a")) is not None
    assert await database.read("a", process.cache) == (2, 2)
    await asyncio.sleep(RESET_SECONDS)  # until the bystander's breaker lets a probe through
    for reader in (process, bystander, process, bystander):
        assert await database.read("a", reader.cache) == (2, 2)
    assert bystander.breaker.state is BreakerState.CLOSED
    await bystander.redis.aclose()
