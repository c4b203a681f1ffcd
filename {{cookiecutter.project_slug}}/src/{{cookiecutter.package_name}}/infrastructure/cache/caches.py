"""The caches of a process, built for Redis or for process memory, and how a request sees them.

`create_app()` chooses by `REDIS_URL`: `redis_caches` in server mode, `in_process_caches` in
embedded mode (and with `CACHE_ENABLED=false`, where every lookup misses). Either way the API
gets the same ports; only with Redis does `for_request()` make a difference: the request's
lookups, and its rate-limit count, then share one round trip (read_batch.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from ...domain.auth.ports import AccessStates
{%- if cookiecutter.include_example_domain == "y" %}
from ...domain.items.entities import Item
{%- endif %}
from ...domain.users.entities import UserProfile
from ...shared.settings import Settings
from ..database.access_states import SqlAccessStates
from ..redis.guard import RedisGuard
from ..security.attempt_counters import InProcessAttemptCounter, RedisAttemptCounter
from .cache_aside import CacheAside
from .cached_access_states import CachedAccessStates
from .codecs import AccessStateCodec, ClientAccessStateCodec{% if cookiecutter.include_example_domain == "y" %}, ItemCodec{% endif %}, UserProfileCodec
from .in_process_store import InProcessStore
from .read_batch import ReadBatch
from .read_coalescer import ReadCoalescer
from .redis_store import RedisStore


@dataclass(frozen=True, slots=True)
class Caches:
    """The caches of this process, or, from `for_request()`, of one request."""

    access_states: AccessStates
    profiles: CacheAside[UUID, UserProfile]
{%- if cookiecutter.include_example_domain == "y" %}
    items: CacheAside[UUID, Item]
{%- endif %}
    # Not a cache, but read with them: the rate limit's and the sign-in throttle's counts.
    counter: RedisAttemptCounter | InProcessAttemptCounter
    for_request: Callable[[], "Caches"]


def redis_caches(redis: RedisGuard, settings: Settings, database_states: AccessStates) -> Caches:
    ttl, prefix = settings.cache_ttl_seconds, settings.redis_key_prefix
    access_states = CachedAccessStates(
        database_states,
        RedisStore(redis, AccessStateCodec(), prefix=prefix, name="access", ttl_seconds=ttl),
        RedisStore(
            redis, ClientAccessStateCodec(), prefix=prefix, name="client_access", ttl_seconds=ttl
        ),
        ttl,
    )
    profiles: CacheAside[UUID, UserProfile] = CacheAside(
        RedisStore(redis, UserProfileCodec(), prefix=prefix, name="profile", ttl_seconds=ttl),
        name="profile",
        ttl_seconds=ttl,
    )
{%- if cookiecutter.include_example_domain == "y" %}
    items: CacheAside[UUID, Item] = CacheAside(
        RedisStore(redis, ItemCodec(), prefix=prefix, name="item", ttl_seconds=ttl),
        name="item",
        ttl_seconds=ttl,
    )
{%- endif %}

    counter = RedisAttemptCounter(redis, prefix)
    coalescer = ReadCoalescer(redis)  # one per process: it gathers every request's reads

    def for_request() -> Caches:
        batch = ReadBatch(coalescer)  # a fresh one per request
        return Caches(
            access_states=access_states.reading_through(batch),
            profiles=profiles.reading_through(batch),
{%- if cookiecutter.include_example_domain == "y" %}
            items=items.reading_through(batch),
{%- endif %}
            counter=counter.reading_through(batch),
            for_request=for_request,
        )

    return Caches(
        access_states=access_states,
        profiles=profiles,
{%- if cookiecutter.include_example_domain == "y" %}
        items=items,
{%- endif %}
        counter=counter,
        for_request=for_request,
    )


def in_process_caches(
    settings: Settings,
    database_states: AccessStates,
    counter: RedisAttemptCounter | InProcessAttemptCounter,
) -> Caches:
    # The access check and the profiles stay with the database here: a user's role or session
    # can change from another process (the `create-admin` command), which a cache in this one
    # would not hear of.
    caches = Caches(
        access_states=database_states,
        profiles=CacheAside(
            InProcessStore(0), name="profile", ttl_seconds=settings.cache_ttl_seconds
        ),
{%- if cookiecutter.include_example_domain == "y" %}
        items=CacheAside(
            InProcessStore(settings.cache_max_entries if settings.cache_enabled else 0),
            name="item",
            ttl_seconds=settings.cache_ttl_seconds,
        ),
{%- endif %}
        counter=counter,
        for_request=lambda: caches,  # lookups cost no round trip here: nothing to share
    )
    return caches


def create_caches(settings: Settings, engine: AsyncEngine, redis: RedisGuard | None) -> Caches:
    """The one place that picks the cache adapters, the per-request access check among them:
    the API, the worker and `create-admin` must agree, or a change made by one would stay
    invisible to another's cache. Server mode caches in Redis, shared by every process;
    embedded mode in this process (docs/caching.md)."""
    database_states = SqlAccessStates(engine)
    if redis is not None and settings.cache_enabled:
        return redis_caches(redis, settings, database_states)
    # Counts (rate limits, failed sign-ins) in Redis when there is one, so that every API
    # process counts the same requests, even with the cache switched off.
    counter = (
        InProcessAttemptCounter()
        if redis is None
        else RedisAttemptCounter(redis, settings.redis_key_prefix)
    )
    return in_process_caches(settings, database_states, counter)
