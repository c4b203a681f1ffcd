"""One process's Redis cache of plain text over a counting fake database, and a counter of the
MGETs a client sends: what the cache's integration tests are built from.

Values are version numbers as text, so a test can tell stale from fresh: a read that starts
after a write completed must see that write's version or a later one.
"""

import asyncio
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from redis.asyncio import Redis

from {{ cookiecutter.package_name }}.domain.cache import Loader
from {{ cookiecutter.package_name }}.infrastructure.cache.cache_aside import CacheAside
from {{ cookiecutter.package_name }}.infrastructure.cache.redis_store import RedisStore
from {{ cookiecutter.package_name }}.infrastructure.redis.client import connect_redis
from {{ cookiecutter.package_name }}.infrastructure.redis.guard import RedisGuard
from {{ cookiecutter.package_name }}.infrastructure.resilience.circuit_breaker import CircuitBreaker

from ..conftest import make_settings


class TextCodec:
    schema_version = 1

    def to_json(self, value: str) -> dict[str, Any]:
        return {"text": value}

    def from_json(self, data: Mapping[str, Any]) -> str:
        text: str = data["text"]
        return text


class VersionedDatabase:
    """The source of truth: each write bumps a key's version. Counts loads; can be slow."""

    def __init__(self, delay_seconds: float = 0.0) -> None:
        self.versions: dict[str, int] = {}
        self.completed: dict[str, int] = {}  # the last write whose invalidation returned
        self.loads = 0
        self.delay_seconds = delay_seconds
        self.gate = asyncio.Event()  # loads wait until it is set
        self.gate.set()

    def loader(self, key: str) -> Loader[str]:
        async def load() -> str | None:
            self.loads += 1
            await self.gate.wait()
            await asyncio.sleep(random.random() * self.delay_seconds)  # noqa: S311
            version = self.versions.get(key)
            await asyncio.sleep(random.random() * self.delay_seconds)  # noqa: S311
            return None if version is None else str(version)

        return load

    async def write(self, key: str, cache: CacheAside[str, str]) -> None:
        """Commit a new version, then invalidate: the order the item service follows."""
        version = self.versions[key] = self.versions.get(key, 0) + 1
        await cache.forget(key)
        self.completed[key] = max(version, self.completed.get(key, 0))

    async def read(self, key: str, cache: CacheAside[str, str]) -> tuple[int, int]:
        """(the version read, the least version that would not be stale)."""
        floor = self.completed.get(key, 0)
        value = await cache.get_or_load(key, self.loader(key))
        return int(value or 0), floor


@dataclass
class CacheProcess:
    """What one API process holds: its own guard, breaker and single-flight, the shared Redis."""

    guard: RedisGuard
    store: RedisStore[str]
    cache: CacheAside[str, str]

    @property
    def redis(self) -> Redis:
        return self.guard.client

    @property
    def breaker(self) -> CircuitBreaker:
        return self.guard.breaker


def start_process(
    redis_url: str,
    prefix: str,
    *,
    ttl_seconds: float = 60.0,
    timeout_seconds: float = 0.2,
    failure_threshold: int = 3,
    reset_seconds: float = 0.3,
) -> CacheProcess:
    settings = make_settings(
        "sqlite+aiosqlite://",
        redis_url=redis_url,
        redis_socket_timeout_seconds=timeout_seconds,
        redis_connect_timeout_seconds=timeout_seconds,
        redis_breaker_failure_threshold=failure_threshold,
        redis_breaker_reset_seconds=reset_seconds,
    )
    guard = connect_redis(settings)
    assert guard is not None
    store = RedisStore(guard, TextCodec(), prefix=prefix, name="text", ttl_seconds=ttl_seconds)
    return CacheProcess(guard, store, CacheAside(store, name="text", ttl_seconds=ttl_seconds))


class RoundTrips:
    """Counts the reads a client sends: MGETs, and the scripts that read and count."""

    def __init__(self, process: CacheProcess, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        for command in ("mget", "evalsha"):
            monkeypatch.setattr(
                process.redis, command, self._counting(getattr(process.redis, command))
            )

    def _counting(self, send: Any) -> Any:
        async def counting(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await send(*args, **kwargs)

        return counting
