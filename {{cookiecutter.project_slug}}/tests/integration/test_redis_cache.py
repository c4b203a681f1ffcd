"""Cache-aside on the real Redis: hits, misses, invalidation, stampedes, TTL, staleness."""

import asyncio
import json
import random
import secrets
from collections.abc import AsyncIterator

import pytest

from ..metrics import cache_operations
from .cache_process import CacheProcess, VersionedDatabase, start_process


@pytest.fixture
async def process(redis_url: str, redis_key_prefix: str) -> AsyncIterator[CacheProcess]:
    # A namespace per test: tests never see each other's entries. A generous deadline: these
    # tests are about a healthy Redis, on a machine that may be busy running other tests.
    prefix = f"{redis_key_prefix}:{secrets.token_hex(4)}"
    process = start_process(redis_url, prefix, timeout_seconds=2.0)
    yield process
    await process.redis.aclose()


@pytest.fixture
def database() -> VersionedDatabase:
    database = VersionedDatabase()
    database.versions = {"a": 1, "b": 1}
    return database


async def test_a_miss_fills_and_the_next_read_hits(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    hits, misses, fills = (
        cache_operations("get", "hit"),
        cache_operations("get", "miss"),
        cache_operations("fill", "ok"),
    )

    assert await database.read("a", process.cache) == (1, 0)
    assert await database.read("a", process.cache) == (1, 0)

    assert database.loads == 1
    assert cache_operations("get", "miss") == misses + 1
    assert cache_operations("fill", "ok") == fills + 1
    assert cache_operations("get", "hit") == hits + 1


async def test_the_entry_is_the_documented_json_with_a_jittered_ttl(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    await database.read("a", process.cache)

    raw = await process.redis.get(process.store.entry_key("a"))
    ttl_ms = await process.redis.pttl(process.store.entry_key("a"))

    entry = json.loads(raw or b"")
    assert set(entry) == {"schema", "stamps", "value"}
    assert (entry["schema"], entry["value"]) == (1, {"text": "1"})
    assert 0.9 * 60_000 - 100 <= ttl_ms <= 60_000


async def test_forget_makes_the_next_read_load_the_new_value(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    await database.read("a", process.cache)

    await database.write("a", process.cache)

    assert await process.redis.exists(process.store.entry_key("a")) == 0
    assert await database.read("a", process.cache) == (2, 2)


async def test_absent_values_are_not_cached(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    assert await database.read("nothing", process.cache) == (0, 0)
    assert await process.redis.exists(process.store.entry_key("nothing")) == 0


async def test_concurrent_misses_load_once(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    database.gate.clear()
    readers = [asyncio.create_task(database.read("a", process.cache)) for _ in range(200)]
    await asyncio.sleep(0.2)  # every reader has looked up and missed by now
    database.gate.set()

    assert {version for version, _ in await asyncio.gather(*readers)} == {1}
    assert database.loads == 1


async def test_an_entry_expires_after_its_ttl(redis_url: str, redis_key_prefix: str) -> None:
    process = start_process(
        redis_url, f"{redis_key_prefix}:{secrets.token_hex(4)}", ttl_seconds=0.2
    )
    database = VersionedDatabase()
    database.versions["a"] = 1
    await database.read("a", process.cache)
    database.versions["a"] = 2  # changed behind the cache's back: only the TTL can help

    assert await database.read("a", process.cache) == (1, 0)
    await asyncio.sleep(0.25)
    assert await database.read("a", process.cache) == (2, 0)
    await process.redis.aclose()


async def test_a_missing_stamp_matches_nothing(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    await database.read("a", process.cache)
    await process.redis.delete(process.store.stamp_key("a"))  # evicted, say
    loads = database.loads

    await database.read("a", process.cache)

    assert database.loads == loads + 1


async def test_an_entry_decoded_before_still_answers_to_the_current_stamps(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    # The store decodes each entry's bytes once per process (redis_store.py): a replaced stamp
    # must still turn those same bytes into a miss, as another process's write does.
    await database.read("a", process.cache)
    assert await database.read("a", process.cache) == (1, 0)  # a hit: the entry is decoded
    database.versions["a"] = 2
    await process.redis.set(process.store.stamp_key("a"), "replaced-by-another-process")

    assert await database.read("a", process.cache) == (2, 0)
    assert database.loads == 2


async def test_an_unreadable_entry_is_a_miss_and_is_replaced(
    process: CacheProcess, database: VersionedDatabase
) -> None:
    await database.read("a", process.cache)
    await process.redis.set(process.store.entry_key("a"), b"\x80 not json")

    assert await database.read("a", process.cache) == (1, 0)
    assert await database.read("a", process.cache) == (1, 0)
    assert database.loads == 2


async def test_interleaved_writes_and_reads_never_serve_a_stale_value(
    redis_url: str, redis_key_prefix: str
) -> None:
    """Two processes on one Redis: one writes, both read, loads are slow and overlap the
    writes. Every read must see at least the last write completed before it started."""
    prefix = f"{redis_key_prefix}:{secrets.token_hex(4)}"
    writer, other = start_process(redis_url, prefix), start_process(redis_url, prefix)
    database = VersionedDatabase(delay_seconds=0.01)
    database.versions = dict.fromkeys("abc", 1)
    stale: list[tuple[str, int, int]] = []

    async def reader(process: CacheProcess) -> None:
        for _ in range(40):
            key = random.choice("abc")  # noqa: S311
            version, floor = await database.read(key, process.cache)
            if version < floor:
                stale.append((key, version, floor))
            await asyncio.sleep(random.random() * 0.005)  # noqa: S311

    async def write_all() -> None:
        for _ in range(30):
            await database.write(random.choice("abc"), writer.cache)  # noqa: S311
            await asyncio.sleep(random.random() * 0.01)  # noqa: S311

    await asyncio.gather(write_all(), *(reader(p) for p in (writer, other) for _ in range(4)))

    assert stale == []
    for key in "abc":  # and once the dust settles, everybody agrees with the database
        assert (await database.read(key, other.cache))[0] == database.versions[key]
    await writer.redis.aclose()
    await other.redis.aclose()
