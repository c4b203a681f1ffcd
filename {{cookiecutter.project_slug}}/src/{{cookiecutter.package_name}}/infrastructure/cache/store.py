"""What `CacheAside` asks of a store, and what a lookup answers. Stores: Redis, in-process.

A key's entry depends on one or more *stamps*, named strings that a write replaces to say
"everything read before me is old" (for items, the item's id; for access states, the user and
the session). Only the Redis store keeps stamps; the in-process one drops entries instead.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from .read_batch import ReadBatch

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Hit(Generic[V]):
    value: V


@dataclass(frozen=True, slots=True)
class Miss:
    """Nothing usable is stored. `ticket` is what a fill must hand back: for Redis, the
    versions this lookup saw, so a fill can never store a value a newer write replaced."""

    ticket: object = None


class CacheStore(Protocol[V]):
    """Every method answers within a short deadline and never raises because the store is
    down: `lookup` says `None` and the writes say `False` instead."""

    backend: str  # for spans: "redis" or "in-process"

    async def lookup(self, key: str, stamps: Sequence[str]) -> Hit[V] | Miss | None: ...

    async def fill(self, key: str, value: V, ticket: object, ttl_seconds: float) -> bool: ...

    async def invalidate(self, stamps: Sequence[str], entry: str | None = None) -> bool:
        """Everything read under `stamps` is old (and the entry `entry` can go)."""
        ...

    def prefetch(self, key: str, stamps: Sequence[str]) -> None:
        """A hint that `key` will be looked up soon (the request's batch may fetch it early)."""
        ...

    def batched(self, batch: ReadBatch) -> "CacheStore[V]":
        """This store as one request sees it: lookups go through the request's batch."""
        ...
