"""Fixed-window counters (failed sign-ins, requests per caller): in Redis, shared by every
process, or in process memory in embedded mode.

Hand-written rather than the `limits` library: its async Redis storage builds its own client from
a URL, so it could share neither this process's pool nor its guard, and a request's count must
travel in the request's one round trip to Redis (`reading_through`), which no library does. A
fixed window is precise enough to slow down password guessing and runaway clients.

Both fail open: if Redis is down, nothing is counted and the outage is logged, because locking
every user out is worse than letting a guesser try a few more passwords for a while.
"""

import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from ...domain.rate_limits import WindowCount
from ...shared.logging import get_logger
from ..cache.read_batch import ReadBatch
from ..cache.request_view import request_view
from ..redis.counting_read import CountingRead
from ..redis.guard import RedisGuard, RedisUnavailable

T = TypeVar("T")

logger = get_logger(__name__)

# Increments every key; the first increment of a window starts its expiry. Atomic, one round trip.
_ADD_SCRIPT = """
for _, key in ipairs(KEYS) do
    if redis.call('INCR', key) == 1 then
        redis.call('EXPIRE', key, ARGV[1])
    end
end
"""
# Each key's count and the seconds left in its window (TTL is -2 for a missing key).
_COUNTS_SCRIPT = """
local result = {}
for _, key in ipairs(KEYS) do
    table.insert(result, tonumber(redis.call('GET', key) or '0'))
    table.insert(result, redis.call('TTL', key))
end
return result
"""


class RedisAttemptCounter:
    def __init__(self, redis: RedisGuard, key_prefix: str) -> None:
        self._redis = redis
        self._key_prefix = key_prefix
        self._add = redis.client.register_script(_ADD_SCRIPT)
        self._counts = redis.client.register_script(_COUNTS_SCRIPT)
        self._counting_read = CountingRead(redis.client)
        self._batch: ReadBatch | None = None

    def reading_through(self, batch: ReadBatch) -> "RedisAttemptCounter":
        """This counter for one request: a hit travels in the request's round trip."""
        return request_view(self, _batch=batch)

    def prefetch_hit(self, key: str, window_seconds: int) -> None:
        """A hint, before the request's first cache read: `key` will be hit too."""
        if self._batch is not None:
            self._batch.want_counted(self._namespaced([key])[0], window_seconds)

    async def hit(self, key: str, window_seconds: int) -> WindowCount | None:
        (namespaced,) = self._namespaced([key])
        try:
            if self._batch is not None:
                return await self._batch.count(namespaced, window_seconds)
            _, (count,) = await self._redis.call(
                lambda _: self._counting_read((), [(namespaced, window_seconds)])
            )
        except RedisUnavailable:
            # Not logged per request: the guard logs the outage once, and /health/ready and
            # `circuit_breaker_open` show it while it lasts.
            return None
        return count

    async def counts(self, keys: Sequence[str]) -> list[WindowCount]:
        flat = await self._failing_open(lambda: self._counts(keys=self._namespaced(keys)))
        if flat is None:
            return [WindowCount(0, 0) for _ in keys]
        pairs = zip(flat[::2], flat[1::2], strict=True)
        return [WindowCount(int(count), max(int(ttl), 0)) for count, ttl in pairs]

    async def add(self, keys: Sequence[str], window_seconds: int) -> None:
        await self._failing_open(
            lambda: self._add(keys=self._namespaced(keys), args=[window_seconds])
        )

    async def reset(self, key: str) -> None:
        await self._failing_open(lambda: self._redis.client.delete(*self._namespaced([key])))

    async def _failing_open(self, command: Callable[[], Awaitable[T]]) -> T | None:
        try:
            return await self._redis.call(lambda _: command())
        except RedisUnavailable as error:
            logger.warning("login throttle unavailable, not counting", error=str(error))
            return None

    def _namespaced(self, keys: Sequence[str]) -> list[str]:
        return [f"{self._key_prefix}:{key}" for key in keys]


class InProcessAttemptCounter:
    """For embedded mode, where one process serves everything (see `serve --workers`)."""

    # Past this many keys, expired windows are swept: a guesser cycling through made-up
    # emails must not grow the dictionary without bound.
    SWEEP_ABOVE = 10_000

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (count, window end)

    async def counts(self, keys: Sequence[str]) -> list[WindowCount]:
        now = self._clock()
        return [self._count(key, now) for key in keys]

    async def add(self, keys: Sequence[str], window_seconds: int) -> None:
        now = self._clock()
        for key in keys:
            current = self._count(key, now)
            ends = now + window_seconds if current.count == 0 else self._windows[key][1]
            self._windows[key] = (current.count + 1, ends)
        if len(self._windows) > self.SWEEP_ABOVE:
            self._windows = {k: v for k, v in self._windows.items() if v[1] > now}

    def prefetch_hit(self, key: str, window_seconds: int) -> None:
        """Nothing to share a round trip with here: the hit is counted when it comes."""

    async def hit(self, key: str, window_seconds: int) -> WindowCount:
        await self.add([key], window_seconds)
        return self._count(key, self._clock())

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    def _count(self, key: str, now: float) -> WindowCount:
        count, ends = self._windows.get(key, (0, now))
        if ends <= now:
            return WindowCount(0, 0)
        return WindowCount(count, int(ends - now) + 1)
