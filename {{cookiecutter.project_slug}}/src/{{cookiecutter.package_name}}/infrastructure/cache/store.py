"""What `CacheAside` asks of a store, and what a lookup answers. Stores: Redis, in-process.

An entry depends on one or more named things (an item's id; a user and a session), listed by
`depends_on`. A write to one of them makes every entry that depends on it stale. The Redis store
keeps a *stamp* per thing for that (redis_store.py); the in-process one drops entries instead.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from .read_batch import ReadBatch

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Hit(Generic[V]):
    value: V


@dataclass(frozen=True, slots=True)
class Miss:
    """Nothing usable is stored. `stamps` is what the lookup saw, for a fill to hand back: a
    fill can then never store a value that a newer write replaced (Redis only)."""

    stamps: Hashable = None


class CacheStore(Protocol[V]):
    """Every method answers within a short deadline and never raises because the store is
    down: `lookup` says `None` and the writes say `False` instead."""

    backend: str  # for spans: "redis" or "in-process"

    async def lookup(
        self, key: str, depends_on: Sequence[str], batch: ReadBatch | None = None
    ) -> Hit[V] | Miss | None:
        """With a `batch`, the lookup reads through the request's batch (read_batch.py)."""
        ...

    def prefetch(self, key: str, depends_on: Sequence[str], batch: ReadBatch) -> None:
        """`key` will be looked up later in this request: fetch it with the batch's next read."""
        ...

    async def fill(self, key: str, value: V, stamps: Hashable, ttl_seconds: float) -> bool: ...

    async def invalidate(self, depends_on: Sequence[str], entry: str | None = None) -> bool:
        """Every entry that depends on one of `depends_on` is stale (and `entry` can go)."""
        ...
