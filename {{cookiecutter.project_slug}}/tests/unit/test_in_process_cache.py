"""Cache-aside over the in-process store (embedded mode): no server, a fake clock."""

import asyncio

import pytest

from {{ cookiecutter.package_name }}.domain.cache import Loader
from {{ cookiecutter.package_name }}.infrastructure.cache.cache_aside import CacheAside
from {{ cookiecutter.package_name }}.infrastructure.cache.in_process_store import InProcessStore

from ..metrics import cache_operations
from .test_circuit_breaker import FakeClock

TTL = 60.0


class Database:
    """The source of truth, counting how often it is asked."""

    def __init__(self) -> None:
        self.rows: dict[str, str] = {}
        self.loads = 0
        self.gate = asyncio.Event()
        self.gate.set()

    def loader(self, key: str) -> Loader[str]:
        async def load() -> str | None:
            self.loads += 1
            value = self.rows.get(key)
            await self.gate.wait()
            return value

        return load


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> InProcessStore[str]:
    return InProcessStore(max_entries=3, clock=clock)


@pytest.fixture
def cache(store: InProcessStore[str]) -> CacheAside[str, str]:
    return CacheAside(store, name="thing", ttl_seconds=TTL)


@pytest.fixture
def database() -> Database:
    database = Database()
    database.rows = {"a": "apple", "b": "banana", "c": "cherry", "d": "date"}
    return database


async def get(cache: CacheAside[str, str], database: Database, key: str) -> str | None:
    return await cache.get_or_load(key, database.loader(key))


async def test_a_miss_loads_and_the_next_read_hits(
    cache: CacheAside[str, str], database: Database
) -> None:
    hits, misses = cache_operations("get", "hit"), cache_operations("get", "miss")

    assert await get(cache, database, "a") == "apple"
    assert await get(cache, database, "a") == "apple"

    assert database.loads == 1
    assert cache_operations("get", "miss") == misses + 1
    assert cache_operations("get", "hit") == hits + 1


async def test_absent_values_are_not_cached(
    cache: CacheAside[str, str], database: Database
) -> None:
    assert await get(cache, database, "zzz") is None
    database.rows["zzz"] = "found later"

    assert await get(cache, database, "zzz") == "found later"


async def test_entries_expire_after_the_ttl_with_jitter_below_it(
    cache: CacheAside[str, str], database: Database, clock: FakeClock
) -> None:
    await get(cache, database, "a")
    database.rows["a"] = "apricot"

    clock.now += TTL * 0.89  # the jitter shortens a TTL by at most a tenth
    assert await get(cache, database, "a") == "apple"
    clock.now += TTL * 0.11
    assert await get(cache, database, "a") == "apricot"


async def test_the_least_recently_used_entry_is_evicted_at_the_bound(
    cache: CacheAside[str, str], database: Database, store: InProcessStore[str]
) -> None:
    for key in "abc":
        await get(cache, database, key)
    await get(cache, database, "a")  # a is now the most recently used

    await get(cache, database, "d")

    assert len(store) == 3
    loads = database.loads
    await get(cache, database, "a")
    await get(cache, database, "b")
    assert database.loads == loads + 1  # b was evicted, a was not


async def test_concurrent_misses_load_once(cache: CacheAside[str, str], database: Database) -> None:
    database.gate.clear()
    readers = [asyncio.create_task(get(cache, database, "a")) for _ in range(100)]
    await asyncio.sleep(0.01)
    database.gate.set()

    assert set(await asyncio.gather(*readers)) == {"apple"}
    assert database.loads == 1


async def test_a_load_overlapping_a_write_is_served_but_never_stored(
    cache: CacheAside[str, str], database: Database
) -> None:
    database.gate.clear()
    early_reader = asyncio.create_task(get(cache, database, "a"))
    await asyncio.sleep(0.01)  # it has read "apple" and waits
    database.rows["a"] = "apricot"  # the write commits...
    await cache.forget("a")  # ...then invalidates
    database.gate.set()

    assert await early_reader == "apple"  # it overlapped the write: either answer is right
    assert await get(cache, database, "a") == "apricot"  # a read after the write never is


async def test_forget_counts_an_invalidation(cache: CacheAside[str, str]) -> None:
    before = cache_operations("invalidate", "ok")

    await cache.forget("a")

    assert cache_operations("invalidate", "ok") == before + 1


async def test_a_disabled_cache_always_loads(database: Database) -> None:
    cache: CacheAside[str, str] = CacheAside(
        InProcessStore(max_entries=0), name="thing", ttl_seconds=TTL
    )

    await get(cache, database, "a")
    await get(cache, database, "a")

    assert database.loads == 2
