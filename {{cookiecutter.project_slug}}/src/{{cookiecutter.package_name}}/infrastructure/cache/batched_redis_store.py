"""A Redis store as one request sees it: lookups read through the request's `ReadBatch`."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from .read_batch import ReadBatch
from .redis_guard import RedisUnavailable
from .store import Hit, Miss

if TYPE_CHECKING:
    from .redis_store import RedisStore

V = TypeVar("V")


class BatchedRedisStore(Generic[V]):
    backend = "redis"

    def __init__(self, store: "RedisStore[V]", batch: ReadBatch) -> None:
        self._store = store
        self._batch = batch

    def prefetch(self, key: str, stamps: Sequence[str]) -> None:
        if not self._store.is_suspect:
            self._batch.want(self._store.keys_to_read(key, stamps))

    async def lookup(self, key: str, stamps: Sequence[str]) -> Hit[V] | Miss | None:
        if self._store.is_suspect:  # the generation must be renewed first: the store's own path
            return await self._store.lookup(key, stamps)
        try:
            values = await self._batch.read(self._store.keys_to_read(key, stamps))
        except RedisUnavailable:
            return None
        return self._store.interpret(stamps, values)

    async def fill(self, key: str, value: V, ticket: object, ttl_seconds: float) -> bool:
        return await self._store.fill(key, value, ticket, ttl_seconds)

    async def invalidate(self, stamps: Sequence[str], entry: str | None = None) -> bool:
        return await self._store.invalidate(stamps, entry)

    def batched(self, batch: ReadBatch) -> "BatchedRedisStore[V]":
        return BatchedRedisStore(self._store, batch)
