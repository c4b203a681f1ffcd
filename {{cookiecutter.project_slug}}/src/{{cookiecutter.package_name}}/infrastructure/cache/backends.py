"""The cache adapters of a process, built for Redis or for process memory.

`create_app()` chooses by `REDIS_URL`: `redis_caches` in server mode, `in_process_caches` in
embedded mode (and with `CACHE_ENABLED=false`, where every lookup misses). Either way the API
gets the same ports; only the Redis build answers a request's lookups in one round trip.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
{%- if cookiecutter.include_example_domain == "y" %}
from uuid import UUID
{%- endif %}

from redis.asyncio import Redis

from ...domain.auth.ports import AccessStates
from ...domain.health import HealthCheck
{%- if cookiecutter.include_example_domain == "y" %}
from ...domain.items.entities import Item
from ...domain.items.ports import ItemCache
{%- endif %}
from ...domain.request_reads import RequestReads
from ...shared.settings import Settings
from .access_state_codec import AccessStateCodec
{%- if cookiecutter.include_example_domain == "y" %}
from .cache_aside import CacheAside
{%- endif %}
from .cached_access_states import CachedAccessStates
from .circuit_breaker import CircuitBreaker
from .entry import JsonCodec
from .health import CacheHealthCheck
{%- if cookiecutter.include_example_domain == "y" %}
from .in_process_store import InProcessStore
from .item_codec import ItemCodec
{%- endif %}
from .read_batch import ReadBatch
from .read_coalescer import ReadCoalescer
from .redis_guard import RedisGuard
from .redis_store import RedisStore

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Caches:
    health_check: HealthCheck
    access_states: AccessStates  # for services that forget after their writes
    request_reads: Callable[[], RequestReads]  # a fresh one per request
{%- if cookiecutter.include_example_domain == "y" %}
    items: ItemCache
{%- endif %}


@dataclass(frozen=True, slots=True)
class Reads:
    access_states: AccessStates
{%- if cookiecutter.include_example_domain == "y" %}
    items: ItemCache
{%- endif %}


def redis_caches(redis: Redis, settings: Settings, database_states: AccessStates) -> Caches:
    # One breaker for every cache: Redis is one server, and when it is down it is down for all.
    breaker = CircuitBreaker(
        settings.cache_breaker_failure_threshold, settings.cache_breaker_reset_seconds
    )
    guard = RedisGuard(breaker, settings.redis_socket_timeout_seconds)

    def cache(name: str, codec: JsonCodec[V]) -> RedisStore[V]:
        ttl = settings.cache_ttl_seconds
        return RedisStore(
            redis, guard, codec, prefix=settings.redis_key_prefix, name=name, ttl_seconds=ttl
        )

    access_states = CachedAccessStates.over(
        database_states, cache("access", AccessStateCodec()), settings.cache_ttl_seconds
    )
{%- if cookiecutter.include_example_domain == "y" %}
    items: CacheAside[UUID, Item] = CacheAside(
        cache("item", ItemCodec()), name="item", ttl_seconds=settings.cache_ttl_seconds
    )
{%- endif %}

    coalescer = ReadCoalescer(redis, guard)

    def request_reads() -> RequestReads:
        batch = ReadBatch(coalescer)
        return Reads(
            access_states=access_states.batched(batch),
{%- if cookiecutter.include_example_domain == "y" %}
            items=items.batched(batch),
{%- endif %}
        )

    return Caches(
        health_check=CacheHealthCheck(redis, breaker),
        access_states=access_states,
        request_reads=request_reads,
{%- if cookiecutter.include_example_domain == "y" %}
        items=items,
{%- endif %}
    )


def in_process_caches(settings: Settings, database_states: AccessStates) -> Caches:
    # The access check stays with the database here: a user's role or session can change from
    # another process (the `create-admin` command), which a cache in this one would not hear of.
    reads = Reads(
        access_states=database_states,
{%- if cookiecutter.include_example_domain == "y" %}
        items=CacheAside(
            InProcessStore(settings.cache_max_entries if settings.cache_enabled else 0),
            name="item",
            ttl_seconds=settings.cache_ttl_seconds,
        ),
{%- endif %}
    )
    return Caches(
        health_check=CacheHealthCheck(None, None),
        access_states=database_states,
        request_reads=lambda: reads,
{%- if cookiecutter.include_example_domain == "y" %}
        items=reads.items,
{%- endif %}
    )
