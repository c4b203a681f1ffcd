"""One Redis round trip per request: the cache lookups of a request, fetched together.

Hand-written, because no library batches reads across FastAPI dependencies. A route announces
what it will read before authentication runs (`want`: the item's keys); authentication then
reads the session's keys (`read`), and that first read fetches everything announced so far in
one MGET. The item lookup that follows finds its values already here: no second round trip.
The request's rate-limit count rides along the same way (`count`). The MGET itself leaves
together with other requests' (`read_coalescer.py`).
"""

from collections.abc import Iterable, Sequence

from opentelemetry.util.types import AttributeValue

from ...domain.rate_limits import WindowCount
from ..redis.counting_read import Counter, RawValue
from ..redis.guard import RedisUnavailable
from .read_coalescer import ReadCoalescer
from .spans import cache_span

REDIS_MGET: dict[str, AttributeValue] = {"db.system.name": "redis", "db.operation.name": "MGET"}


class ReadBatch:
    def __init__(self, coalescer: ReadCoalescer) -> None:
        self._coalescer = coalescer
        self._wanted: list[str] = []
        self._fetched: dict[str, RawValue] = {}
        self._counters: list[Counter] = []  # to count with the next read
        self._counted: dict[str, WindowCount] = {}
        self._unavailable = False

    def want(self, keys: Iterable[str]) -> None:
        """These keys will be read later in this request: fetch them with the next read."""
        self._wanted.extend(keys)

    async def read(self, keys: Sequence[str]) -> list[RawValue]:
        """The values of `keys`. A value fetched early is handed out once: a second read of
        the same key asks Redis again, so a request that writes between two reads sees its
        write. Raises `RedisUnavailable`; after that, at once: a request waits for a dead
        Redis at most one deadline long."""
        if self._unavailable:
            raise RedisUnavailable("Redis failed earlier in this request")
        if any(key not in self._fetched for key in keys):
            await self._fetch([*self._wanted, *keys])
        return [self._fetched.pop(key) for key in keys]

    def want_counted(self, key: str, window_seconds: int) -> None:
        """Add one to the counter `key` with the next read: its count comes back with it."""
        self._counters.append((key, window_seconds))

    async def count(self, key: str, window_seconds: int) -> WindowCount:
        """The count of `key` after adding one: counted with the read that carried it, or now.
        Raises `RedisUnavailable`, as `read` does."""
        if self._unavailable:
            raise RedisUnavailable("Redis failed earlier in this request")
        if key not in self._counted:
            self.want_counted(key, window_seconds)
            await self._fetch(self._wanted)
        return self._counted.pop(key)

    async def _fetch(self, keys: list[str]) -> None:
        unique = list(dict.fromkeys(keys))
        counters, self._counters = self._counters, []
        self._wanted = []
        # One span for the request's one round trip, whichever caches it read for.
        with cache_span("cache read", {**REDIS_MGET, "cache.keys": len(unique)}) as span:
            try:
                values, counts = await self._coalescer.read(unique, counters)
            except RedisUnavailable:
                self._unavailable = True
                span.set_attribute("error.type", "RedisUnavailable")
                raise
        self._fetched.update(zip(unique, values, strict=True))
        self._counted.update(zip((key for key, _ in counters), counts, strict=True))
