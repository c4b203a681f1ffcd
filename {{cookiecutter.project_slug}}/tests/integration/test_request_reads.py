"""One round trip per request: the read batch, caches seen through it, and the cached access
check with its two kinds of invalidation, on the real Redis."""

import asyncio
import secrets
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from {{ cookiecutter.package_name }}.domain.auth.entities import AccessState, ClientAccessState
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.infrastructure.cache import spans
from {{ cookiecutter.package_name }}.infrastructure.cache.cached_access_states import CachedAccessStates
from {{ cookiecutter.package_name }}.infrastructure.cache.codecs import (
    AccessStateCodec,
    ClientAccessStateCodec,
)
from {{ cookiecutter.package_name }}.infrastructure.cache.read_batch import ReadBatch
from {{ cookiecutter.package_name }}.infrastructure.cache.read_coalescer import ReadCoalescer
from {{ cookiecutter.package_name }}.infrastructure.cache.redis_store import RedisStore
from {{ cookiecutter.package_name }}.infrastructure.redis.guard import RedisGuard, RedisUnavailable
from {{ cookiecutter.package_name }}.infrastructure.resilience.circuit_breaker import CircuitBreaker

from .cache_process import CacheProcess, RoundTrips, VersionedDatabase, start_process


class StatesInDatabase:
    """The database's `AccessStates`, counting its queries."""

    def __init__(self) -> None:
        self.states: dict[tuple[UUID, UUID | None], AccessState] = {}
        self.clients: dict[UUID, ClientAccessState] = {}
        self.queries = 0

    async def get(self, user_id: UUID, session_id: UUID | None) -> AccessState | None:
        self.queries += 1
        return self.states.get((user_id, session_id))

    async def forget_user(self, user_id: UUID) -> None:
        return None

    async def forget_session(self, session_id: UUID) -> None:
        return None

    async def get_client(self, client_id: UUID) -> ClientAccessState | None:
        self.queries += 1
        return self.clients.get(client_id)

    async def forget_client(self, client_id: UUID) -> None:
        return None


@pytest.fixture
async def process(redis_url: str, redis_key_prefix: str) -> AsyncIterator[CacheProcess]:
    prefix = f"{redis_key_prefix}:{secrets.token_hex(4)}"
    process = start_process(redis_url, prefix, timeout_seconds=2.0)
    yield process
    await process.redis.aclose()


@pytest.fixture
def round_trips(process: CacheProcess, monkeypatch: pytest.MonkeyPatch) -> RoundTrips:
    return RoundTrips(process, monkeypatch)


@pytest.fixture
def database() -> StatesInDatabase:
    return StatesInDatabase()


@pytest.fixture
def access_states(process: CacheProcess, database: StatesInDatabase) -> CachedAccessStates:
    store = RedisStore(
        process.guard,  # one guard per process, as in create_app()
        AccessStateCodec(),
        prefix=process.store.namespace,
        name="access",
        ttl_seconds=60,
    )
    client_store = RedisStore(
        process.guard,
        ClientAccessStateCodec(),
        prefix=process.store.namespace,
        name="client_access",
        ttl_seconds=60,
    )
    return CachedAccessStates(database, store, client_store, ttl_seconds=60)


def new_batch(process: CacheProcess) -> ReadBatch:
    return ReadBatch(ReadCoalescer(process.guard))


ACTIVE = AccessState(role=Role.USER, is_active=True, session_revoked=False)


async def test_announced_keys_ride_along_with_the_first_read(
    process: CacheProcess, round_trips: RoundTrips
) -> None:
    a, b, c = (f"{process.store.namespace}:{name}" for name in "abc")
    await process.redis.mset({a: "1", b: "2", c: "3"})
    batch = new_batch(process)

    batch.want([a, b])
    assert await batch.read([c]) == [b"3"]
    assert await batch.read([b, a]) == [b"2", b"1"]

    assert round_trips.count == 1


async def test_an_early_value_is_handed_out_once(
    process: CacheProcess, round_trips: RoundTrips
) -> None:
    key = f"{process.store.namespace}:a"
    batch = new_batch(process)
    await process.redis.set(key, "before")
    assert await batch.read([key]) == [b"before"]

    await process.redis.set(key, "after")  # this request wrote in between, say

    assert await batch.read([key]) == [b"after"]
    assert round_trips.count == 2


async def test_after_one_failure_a_request_stops_asking(process: CacheProcess) -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=0.01)
    batch = ReadBatch(ReadCoalescer(RedisGuard(process.redis, breaker, timeout_seconds=1.0)))
    breaker.record_failure()

    with pytest.raises(RedisUnavailable, match="circuit open"):
        await batch.read(["a"])
    await asyncio.sleep(0.02)  # the breaker would let a probe through now; the batch will not
    with pytest.raises(RedisUnavailable, match="earlier in this request"):
        await batch.read(["b"])


async def test_an_access_check_and_a_prefetched_read_share_one_round_trip(
    process: CacheProcess,
    access_states: CachedAccessStates,
    database: StatesInDatabase,
    round_trips: RoundTrips,
) -> None:
    user, session = uuid4(), uuid4()
    database.states[user, session] = ACTIVE
    things = VersionedDatabase()
    things.versions["a"] = 1
    for _ in range(2):  # the first request fills both caches, the second only reads
        batch = new_batch(process)
        before = round_trips.count
        process.cache.reading_through(batch).prefetch("a")

        assert await access_states.reading_through(batch).get(user, session) == ACTIVE
        assert await things.read("a", process.cache.reading_through(batch)) == (1, 0)

    assert round_trips.count - before == 1
    assert (database.queries, things.loads) == (1, 1)


async def test_a_request_s_one_round_trip_is_one_span(
    process: CacheProcess,
    access_states: CachedAccessStates,
    database: StatesInDatabase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(spans, "tracer", provider.get_tracer("cache"))
    user, session = uuid4(), uuid4()
    database.states[user, session] = ACTIVE
    things = VersionedDatabase()
    things.versions["a"] = 1
    await access_states.get(user, session)  # filled, so that the traced request only reads
    await things.read("a", process.cache)
    batch = new_batch(process)

    with provider.get_tracer("test").start_as_current_span("request"):
        process.cache.reading_through(batch).prefetch("a")
        assert await access_states.reading_through(batch).get(user, session) == ACTIVE
        assert await things.read("a", process.cache.reading_through(batch)) == (1, 0)

    [read, request] = exporter.get_finished_spans()
    assert (read.name, request.name) == ("cache read", "request")
    assert read.parent is not None
    assert read.parent.span_id == request.context.span_id
    assert read.attributes is not None
    assert read.attributes["db.operation.name"] == "MGET"


async def test_forgetting_a_session_forgets_only_that_session(
    access_states: CachedAccessStates, database: StatesInDatabase
) -> None:
    user, session, other_session = uuid4(), uuid4(), uuid4()
    database.states[user, session] = database.states[user, other_session] = ACTIVE
    await access_states.get(user, session)
    await access_states.get(user, other_session)
    database.states[user, session] = AccessState(Role.USER, is_active=True, session_revoked=True)

    await access_states.forget_session(session)

    assert (await access_states.get(user, session) or ACTIVE).session_revoked
    assert await access_states.get(user, other_session) == ACTIVE
    assert database.queries == 3


async def test_forgetting_a_user_forgets_every_session_of_theirs(
    access_states: CachedAccessStates, database: StatesInDatabase
) -> None:
    user, sessions = uuid4(), [uuid4(), uuid4()]
    for session in sessions:
        database.states[user, session] = ACTIVE
        await access_states.get(user, session)
    demoted = AccessState(Role.USER, is_active=False, session_revoked=False)
    for session in sessions:
        database.states[user, session] = demoted

    await access_states.forget_user(user)

    for session in sessions:
        assert await access_states.get(user, session) == demoted


async def test_forgetting_a_client_forgets_its_cached_state(
    access_states: CachedAccessStates, database: StatesInDatabase
) -> None:
    client, secret = uuid4(), uuid4()
    database.clients[client] = ClientAccessState(frozenset(), secret, is_revoked=False)
    assert await access_states.get_client(client) == database.clients[client]
    revoked = ClientAccessState(frozenset(), secret, is_revoked=True)
    database.clients[client] = revoked

    cached = await access_states.get_client(client)
    await access_states.forget_client(client)

    assert cached is not None
    assert not cached.is_revoked  # a hit: the database was asked once
    assert await access_states.get_client(client) == revoked
    assert database.queries == 2


async def test_a_batched_lookup_renews_a_suspect_namespace_first(
    process: CacheProcess, round_trips: RoundTrips
) -> None:
    things = VersionedDatabase()
    things.versions["a"] = 1
    await things.read("a", process.cache)
    things.versions["a"] = 2  # committed, but its invalidation was lost (the breaker opened)
    for _ in range(3):
        process.breaker.record_failure()
    await asyncio.sleep(0.3)  # the breaker lets a probe through again

    batch = new_batch(process)
    process.cache.reading_through(batch).prefetch("a")

    assert await things.read("a", process.cache.reading_through(batch)) == (2, 0)


async def test_a_count_rides_along_with_the_first_read(
    process: CacheProcess, round_trips: RoundTrips
) -> None:
    key, counter = (f"{process.store.namespace}:{name}" for name in ("a", "rate"))
    await process.redis.set(key, "1")
    batch = new_batch(process)

    batch.want_counted(counter, 60)
    assert await batch.read([key]) == [b"1"]
    counted = await batch.count(counter, 60)

    assert (counted.count, round_trips.count) == (1, 1)
    assert 58 <= counted.retry_after_seconds <= 60
    assert 58 <= await process.redis.ttl(counter) <= 60


async def test_counts_of_one_turn_share_a_round_trip_and_follow_each_other(
    process: CacheProcess, round_trips: RoundTrips
) -> None:
    counter = f"{process.store.namespace}:rate"
    coalescer = ReadCoalescer(process.guard)  # one for the three requests, as in a process
    batches = [ReadBatch(coalescer) for _ in range(3)]

    counted = await asyncio.gather(*(batch.count(counter, 60) for batch in batches))

    assert sorted(count.count for count in counted) == [1, 2, 3]
    assert round_trips.count == 1


async def test_a_count_after_a_failure_raises_at_once(process: CacheProcess) -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=10)
    batch = ReadBatch(ReadCoalescer(RedisGuard(process.redis, breaker, timeout_seconds=1.0)))
    breaker.record_failure()

    with pytest.raises(RedisUnavailable, match="circuit open"):
        await batch.read(["a"])
    with pytest.raises(RedisUnavailable, match="earlier in this request"):
        await batch.count("rate", 60)
