"""The server-mode cache store: entries in Redis that a write can never leave stale.

Three kinds of keys per namespace (docs/caching.md has the layout and the entry schema):

    {prefix}:{name}:v{schema}:generation    a random token for the whole namespace
    {prefix}:{name}:v{schema}:stamp:{what}  a random token per thing, replaced by each write to it
    {prefix}:{name}:v{schema}:entry:{key}   the JSON entry, with the tokens it was read under

An entry is served only while every token it records is still the current one, and a missing
token matches nothing. One MGET reads them all, so a hit costs one round trip.

- A write replaces the stamp after its commit: entries filled from reads that began before it
  (in any process) stop matching, even when their fill lands after the write.
- A write whose invalidation did not reach Redis, or an outage this process saw, makes the whole
  namespace suspect: before it serves another hit, this process replaces the generation.
- Tokens are random, never counters, so a Redis restored from an old dump, or one that evicted
  a token, cannot bring back a value that matches again.
"""

import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from redis.asyncio import Redis

from ...shared.logging import get_logger
from .batched_redis_store import BatchedRedisStore
from .entry import JsonCodec, Versions, decode_entry, encode_entry
from .read_batch import ReadBatch
from .read_coalescer import RawValue
from .redis_guard import RedisGuard, RedisUnavailable
from .store import Hit, Miss

V = TypeVar("V")

logger = get_logger(__name__)


class RedisStore(Generic[V]):
    backend = "redis"

    def __init__(
        self,
        redis: Redis,
        guard: RedisGuard,
        codec: JsonCodec[V],
        *,
        prefix: str,
        name: str,
        ttl_seconds: float,
    ) -> None:
        self._redis = redis
        self._guard = guard
        self._codec = codec
        self.namespace = f"{prefix}:{name}:v{codec.schema_version}"
        self.generation_key = f"{self.namespace}:generation"
        # A stamp outlives the entries it guards, so they can live their whole TTL. When it
        # expires they only stop matching: correctness never depends on how long tokens live.
        self._stamp_ttl_ms = _ms(2 * ttl_seconds)
        self._suspicions = 0  # invalidations that did not reach Redis
        self._settled = self._suspicion()

    def stamp_key(self, what: str) -> str:
        return f"{self.namespace}:stamp:{what}"

    def entry_key(self, key: str) -> str:
        return f"{self.namespace}:entry:{key}"

    @property
    def is_suspect(self) -> bool:
        """Whether the generation must be replaced before another hit may be served."""
        return self._suspicion() != self._settled

    def keys_to_read(self, key: str, stamps: Sequence[str]) -> list[str]:
        """What a lookup reads, in `interpret`'s order (a request-wide MGET can include them)."""
        return [self.generation_key, *map(self.stamp_key, stamps), self.entry_key(key)]

    def interpret(self, stamps: Sequence[str], values: Sequence[RawValue]) -> Hit[V] | Miss:
        """The lookup's answer from the values of `keys_to_read`."""
        *tokens, entry = values
        seen = Versions(_text(tokens[0]), tuple(map(_text, tokens[1:])), tuple(stamps))
        value = None if entry is None else self._decode(entry, seen)
        return Miss(seen) if value is None else Hit(value)

    async def lookup(self, key: str, stamps: Sequence[str]) -> Hit[V] | Miss | None:
        try:
            if self.is_suspect:
                return Miss(await self._start_new_generation(stamps))
            values = await self._guard.call(
                lambda: self._redis.mget(self.keys_to_read(key, stamps))
            )
        except RedisUnavailable:
            return None
        return self.interpret(stamps, values)

    async def fill(self, key: str, value: V, ticket: object, ttl_seconds: float) -> bool:
        if not isinstance(ticket, Versions):
            raise TypeError(f"not a ticket of this store: {ticket!r}")
        # A missing token is created here (NX: unless someone else just did), so that an entry
        # is always recorded under tokens that exist; if another token won, the entry is dead.
        generation = ticket.generation or secrets.token_hex(8)
        stamps = [stamp or secrets.token_hex(8) for stamp in ticket.stamps]
        entry = encode_entry(self._codec, value, generation, stamps)
        pipeline = self._redis.pipeline(transaction=False)
        if ticket.generation is None:
            pipeline.set(self.generation_key, generation, nx=True)
        for name, seen, token in zip(ticket.stamp_names, ticket.stamps, stamps, strict=True):
            if seen is None:
                pipeline.set(self.stamp_key(name), token, nx=True, px=self._stamp_ttl_ms)
        pipeline.set(self.entry_key(key), entry, px=_ms(ttl_seconds))
        return await self._reached(pipeline.execute)

    async def invalidate(self, stamps: Sequence[str], entry: str | None = None) -> bool:
        """New tokens for `stamps`: every entry read under the old ones stops matching."""
        pipeline = self._redis.pipeline(transaction=False)
        for what in stamps:
            pipeline.set(self.stamp_key(what), secrets.token_hex(8), px=self._stamp_ttl_ms)
        if entry is not None:
            pipeline.delete(self.entry_key(entry))  # dead already; this frees the memory
        if await self._reached(pipeline.execute):
            return True
        self._suspicions += 1
        logger.warning("cache invalidation did not reach Redis; the namespace will be renewed")
        return False

    def prefetch(self, key: str, stamps: Sequence[str]) -> None:
        return None  # without a request's batch there is nothing to fetch early into

    def batched(self, batch: ReadBatch) -> BatchedRedisStore[V]:
        return BatchedRedisStore(self, batch)

    async def _start_new_generation(self, stamps: Sequence[str]) -> Versions:
        """Replace the generation (every entry stops matching) and read the stamps."""
        target, generation = self._suspicion(), secrets.token_hex(8)
        pipeline = self._redis.pipeline(transaction=False)
        pipeline.set(self.generation_key, generation)
        pipeline.mget(list(map(self.stamp_key, stamps)))
        _, tokens = await self._guard.call(pipeline.execute)
        self._settled = target
        logger.info("cache namespace renewed", namespace=self.namespace)
        return Versions(generation, tuple(map(_text, tokens)), tuple(stamps))

    def _suspicion(self) -> tuple[int, int]:
        # Also after an outage this process saw: another process may have lost an
        # invalidation during it, and this one cannot know (docs/caching.md).
        return self._suspicions, self._guard.breaker.times_opened

    def _decode(self, raw: bytes | str, seen: Versions) -> V | None:
        try:
            return decode_entry(self._codec, raw, seen)
        except Exception as error:  # corrupt, or written by other code: a miss the fill replaces
            logger.warning("cache entry unreadable", namespace=self.namespace, error=str(error))
            return None

    async def _reached(self, command: Callable[[], Awaitable[Any]]) -> bool:
        try:
            await self._guard.call(command)
        except RedisUnavailable:
            return False
        return True


def _text(raw: RawValue) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else raw


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
