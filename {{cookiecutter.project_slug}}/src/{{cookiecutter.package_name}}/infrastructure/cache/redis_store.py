"""The server-mode cache store: entries in Redis that a write can never leave stale.

Every entry records the *stamps* it was read under: random strings that writes replace.

    {prefix}:{name}:v{schema}:stamp           the namespace's stamp, shared by all its entries
    {prefix}:{name}:v{schema}:stamp:{thing}   one per thing an entry depends on (`depends_on`)
    {prefix}:{name}:v{schema}:entry:{key}     the JSON entry (codecs.py)

An entry is a hit only while every stamp it records is still the current one, and a missing
stamp matches nothing. One MGET reads the stamps and the entry, so a hit costs one round trip.

- A write replaces the stamp of what it changed, after its commit: entries filled from reads
  that began before it (in any process) stop matching, even when their fill lands after it.
- A write whose invalidation did not reach Redis, or an outage this process saw, makes the
  namespace suspect: before it serves another hit, this process replaces the namespace stamp.
- Stamps are random, never counters, so a Redis restored from an old dump, or one that evicted
  a stamp, cannot bring back an entry that matches again.
"""

import secrets
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from redis.asyncio.client import Pipeline

from ...shared.logging import get_logger
from ..redis.counting_read import RawValue
from ..redis.guard import RedisGuard, RedisUnavailable
from .codecs import JsonCodec, decode_entry, encode_entry
from .read_batch import ReadBatch
from .store import Hit, Miss

V = TypeVar("V")

logger = get_logger(__name__)

DECODED_ENTRIES_KEPT = 1024  # per namespace: the hot entries, a few hundred kB at most


@dataclass(frozen=True, slots=True)
class Stamps:
    """The stamps a lookup read (`None`: missing), the namespace's first. A fill records them."""

    keys: tuple[str, ...]
    values: tuple[str | None, ...]


class RedisStore(Generic[V]):
    backend = "redis"

    def __init__(
        self, redis: RedisGuard, codec: JsonCodec[V], *, prefix: str, name: str, ttl_seconds: float
    ) -> None:
        self._redis = redis
        self._codec = codec
        self.namespace = f"{prefix}:{name}:v{codec.schema_version}"
        # A thing's stamp outlives the entries it guards, so they can live their whole TTL.
        # When it expires they only stop matching: correctness never depends on how long
        # stamps live. The namespace stamp never expires: its loss would empty the namespace.
        self._stamp_ttl_ms = _ms(2 * ttl_seconds)
        self._lost_invalidations = 0
        self._renewed_after = self._suspicion()
        # Entries this process decoded, by their exact bytes (see `_decode`).
        self._decoded: dict[bytes | str, tuple[tuple[str, ...], V]] = {}

    def stamp_key(self, thing: str | None = None) -> str:
        """The key of `thing`'s stamp, or of the namespace's."""
        return f"{self.namespace}:stamp" if thing is None else f"{self.namespace}:stamp:{thing}"

    def entry_key(self, key: str) -> str:
        return f"{self.namespace}:entry:{key}"

    @property
    def is_suspect(self) -> bool:
        """Whether the namespace stamp must be replaced before another hit may be served."""
        return self._suspicion() != self._renewed_after

    def prefetch(self, key: str, depends_on: Sequence[str], batch: ReadBatch) -> None:
        if not self.is_suspect:  # a suspect lookup skips the batch (see `lookup`)
            batch.want(self._keys_to_read(key, depends_on))

    async def lookup(
        self, key: str, depends_on: Sequence[str], batch: ReadBatch | None = None
    ) -> Hit[V] | Miss | None:
        keys = self._keys_to_read(key, depends_on)
        stamp_keys = keys[:-1]
        try:
            if self.is_suspect:
                return Miss(await self._renew_namespace(stamp_keys))
            if batch is None:
                values = await self._redis.call(lambda client: client.mget(keys))
            else:
                values = await batch.read(keys)
        except RedisUnavailable:
            return None
        *stamp_values, entry = values
        stamps = Stamps(tuple(stamp_keys), tuple(map(_text, stamp_values)))
        value = None if entry is None else self._decode(entry, stamps)
        return Miss(stamps) if value is None else Hit(value)

    async def fill(self, key: str, value: V, stamps: Hashable, ttl_seconds: float) -> bool:
        if not isinstance(stamps, Stamps):
            raise TypeError(f"not the stamps of a lookup of this store: {stamps!r}")
        # A missing stamp is created here (NX: unless someone else just did), so that an entry
        # is always recorded under stamps that exist; if another one won, the entry is dead.
        recorded = [seen or _new_stamp() for seen in stamps.values]
        pipeline = self._redis.client.pipeline(transaction=False)
        for index, (stamp_key, seen) in enumerate(zip(stamps.keys, stamps.values, strict=True)):
            if seen is None:
                expiry = None if index == 0 else self._stamp_ttl_ms
                pipeline.set(stamp_key, recorded[index], nx=True, px=expiry)
        entry = encode_entry(self._codec, value, recorded)
        pipeline.set(self.entry_key(key), entry, px=_ms(ttl_seconds))
        return await self._send(pipeline)

    async def invalidate(self, depends_on: Sequence[str], entry: str | None = None) -> bool:
        pipeline = self._redis.client.pipeline(transaction=False)
        for thing in depends_on:
            pipeline.set(self.stamp_key(thing), _new_stamp(), px=self._stamp_ttl_ms)
        if entry is not None:
            pipeline.delete(self.entry_key(entry))  # dead already; this frees the memory
        if await self._send(pipeline):
            return True
        self._lost_invalidations += 1
        logger.warning("cache invalidation did not reach Redis; the namespace will be renewed")
        return False

    def _keys_to_read(self, key: str, depends_on: Sequence[str]) -> list[str]:
        return [self.stamp_key(), *map(self.stamp_key, depends_on), self.entry_key(key)]

    async def _renew_namespace(self, stamp_keys: Sequence[str]) -> Stamps:
        """Replace the namespace stamp (every entry stops matching) and read the others."""
        suspicion, namespace_stamp = self._suspicion(), _new_stamp()
        pipeline = self._redis.client.pipeline(transaction=False)
        pipeline.set(stamp_keys[0], namespace_stamp)
        pipeline.mget(stamp_keys[1:])
        _, others = await self._redis.call(lambda _: pipeline.execute())
        self._renewed_after = suspicion
        logger.info("cache namespace renewed", namespace=self.namespace)
        return Stamps(tuple(stamp_keys), (namespace_stamp, *map(_text, others)))

    def _suspicion(self) -> tuple[int, int]:
        # Also after an outage this process saw: another process may have lost an
        # invalidation during it, and this one cannot know (docs/caching.md).
        return self._lost_invalidations, self._redis.breaker.times_opened

    def _decode(self, raw: bytes | str, stamps: Stamps) -> V | None:
        """The entry's value, if it was written under exactly the stamps just read."""
        if None in stamps.values:
            return None  # a missing stamp matches nothing
        # A hit returns the same bytes request after request, so each entry is decoded once per
        # process, not once per read: exact, since equal bytes decode to equal (immutable)
        # values. It saves a JSON parse and a value's construction per lookup, two lookups per
        # cached read (docs/adr/0005-measured-tuning.md). Bounded: emptied when full.
        decoded = self._decoded.get(raw)
        if decoded is None:
            try:
                decoded = decode_entry(self._codec, raw)
            except Exception as error:  # corrupt, or written by other code: a miss to refill
                logger.warning("cache entry unreadable", namespace=self.namespace, error=str(error))
                return None
            if len(self._decoded) >= DECODED_ENTRIES_KEPT:
                self._decoded.clear()
            self._decoded[raw] = decoded
        written_under, value = decoded
        return value if written_under == stamps.values else None

    async def _send(self, pipeline: Pipeline) -> bool:
        try:
            await self._redis.call(lambda _: pipeline.execute())
        except RedisUnavailable:
            return False
        return True


def _new_stamp() -> str:
    return secrets.token_hex(8)


def _text(raw: RawValue) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else raw


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
