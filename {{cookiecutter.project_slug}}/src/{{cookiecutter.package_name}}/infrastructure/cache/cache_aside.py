"""Cache-aside, once for every store: look up; on a miss load once and fill; forget after writes.

This class implements the domain's `Cache` port. What it adds to a store (`store.py`) is the
policy every store shares: single-flight loads (stampede protection), the TTL with jitter, the
metrics and the spans. A store only keeps entries: in Redis or in this process.
"""

import random
from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractContextManager
from typing import Generic, TypeVar

from opentelemetry import trace

from ...domain.cache import Loader
from ..telemetry.metrics import CacheResult, count_cache_operation
from .read_batch import ReadBatch
from .request_view import request_view
from .single_flight import Flight, SingleFlight
from .spans import NOT_TRACED, cache_span
from .store import CacheStore, Hit

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Entries of one fill expire spread over the last tenth of the TTL rather than all at once,
# so that a burst of misses does not come back as a burst of misses one TTL later.
TTL_JITTER_RATIO = 0.1


class CacheAside(Generic[K, V]):
    def __init__(
        self,
        store: CacheStore[V],
        *,
        name: str,
        ttl_seconds: float,
        depends_on: Callable[[K], Sequence[str]] | None = None,
    ) -> None:
        self._store = store
        self._name = name
        self._ttl_seconds = ttl_seconds
        # What a key's entry depends on (store.py); by default only the key itself.
        self._depends_on = depends_on or (lambda key: (str(key),))
        self._flights: SingleFlight[K, V | None] = SingleFlight()
        self._batch: ReadBatch | None = None

    def reading_through(self, batch: ReadBatch) -> "CacheAside[K, V]":
        """This cache for one request: lookups go through its batch; loads are still shared."""
        # Shallow: the store and the flights stay this process's.
        return request_view(self, _batch=batch)

    def prefetch(self, key: K) -> None:
        """A hint, before the request's first cache read: `key` will be read too."""
        if self._batch is not None:
            self._store.prefetch(str(key), self._depends_on(key), self._batch)

    async def get_or_load(self, key: K, load: Loader[V]) -> V | None:
        # Through a request's batch, the batch's one read is the span (read_batch.py): a span
        # per lookup as well would double the spans of a cached read, for no round trip.
        lookup_span = NOT_TRACED if self._batch is not None else self._span("get")
        with lookup_span as span:
            found = await self._store.lookup(str(key), self._depends_on(key), self._batch)
            result = _result_of(found)
            span.set_attribute("cache.result", result.value)
        count_cache_operation("get", result)
        if isinstance(found, Hit):
            return found.value
        stamps = None if found is None else found.stamps
        can_fill = found is not None

        async def load_and_fill(flight: Flight) -> V | None:
            value = await load()
            # A write that committed during the load supersedes the flight: what it read may be
            # older than that write, so it is served to the readers that were already waiting
            # (they overlapped the write) but never stored for later ones.
            if value is not None and can_fill and not flight.superseded:
                await self._fill(str(key), value, stamps)
            return value

        # Sharing a load is safe between callers whose lookups saw the same stamps (see
        # single_flight.py). When Redis could not be asked, every caller of this process shares
        # the one load: that is when the database needs protecting most (docs/caching.md).
        return await self._flights.run(key, load_and_fill, stamps=stamps)

    async def forget(self, key: K) -> None:
        self._flights.supersede(key)
        await self._invalidate(self._depends_on(key), entry=str(key))

    async def forget_dependents(self, thing: str) -> None:
        """Forget every entry that depends on `thing` (say, all the sessions of one user)."""
        self._flights.supersede_all()  # which loads depend on it is not known here: all of them
        await self._invalidate([thing])

    async def _invalidate(self, depends_on: Sequence[str], entry: str | None = None) -> None:
        with self._span("invalidate") as span:
            reached = await self._store.invalidate(depends_on, entry)
            span.set_attribute("cache.result", _write_result(reached).value)
        count_cache_operation("invalidate", _write_result(reached))

    async def _fill(self, key: str, value: V, stamps: Hashable) -> None:
        jitter = 1 - TTL_JITTER_RATIO * random.random()  # noqa: S311 - spreading, not secrecy
        with self._span("fill") as span:
            reached = await self._store.fill(key, value, stamps, self._ttl_seconds * jitter)
            span.set_attribute("cache.result", _write_result(reached).value)
        count_cache_operation("fill", _write_result(reached))

    def _span(self, operation: str) -> AbstractContextManager[trace.Span]:
        attributes = {"cache.name": self._name, "cache.backend": self._store.backend}
        return cache_span(f"cache {operation} {self._name}", attributes)


def _result_of(found: object) -> CacheResult:
    if found is None:
        return CacheResult.ERROR
    return CacheResult.HIT if isinstance(found, Hit) else CacheResult.MISS


def _write_result(reached: bool) -> CacheResult:
    return CacheResult.OK if reached else CacheResult.ERROR
