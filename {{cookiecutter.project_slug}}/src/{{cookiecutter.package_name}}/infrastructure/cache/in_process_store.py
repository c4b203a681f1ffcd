"""The embedded-mode cache store: a bounded, expiring map in this process's memory.

Entries are the (immutable) values themselves, not a serialised form: nothing leaves the
process, so there is nothing to encode. The bound evicts the least recently used entry, so
memory stays flat however many distinct keys are read. One process only: with several API
processes each would keep its own copy, which is why `serve --workers N` needs `REDIS_URL`.
"""

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from .read_batch import ReadBatch
from .store import Hit, Miss

V = TypeVar("V")


class InProcessStore(Generic[V]):
    backend = "in-process"

    def __init__(self, max_entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()

    async def lookup(
        self, key: str, depends_on: Sequence[str] = (), batch: ReadBatch | None = None
    ) -> Hit[V] | Miss:
        entry = self._entries.get(key)
        if entry is None:
            return Miss()
        expires_at, value = entry
        if self._clock() >= expires_at:
            del self._entries[key]
            return Miss()
        self._entries.move_to_end(key)
        return Hit(value)

    def prefetch(self, key: str, depends_on: Sequence[str], batch: ReadBatch) -> None:
        return None  # a lookup here costs no round trip: nothing to gain

    async def fill(self, key: str, value: V, stamps: Hashable, ttl_seconds: float) -> bool:
        # No stamps to check: every load and write runs in this process, where the single-flight
        # in `CacheAside` already keeps a load that overlapped a write from being stored.
        self._entries[key] = (self._clock() + ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return True

    async def invalidate(self, depends_on: Sequence[str], entry: str | None = None) -> bool:
        # What entries depend on is not kept here: without the entry's name, forget everything
        # (rare: caches keyed by more than one thing live in Redis).
        if entry is None:
            self._entries.clear()
        else:
            self._entries.pop(entry, None)
        return True

    def __len__(self) -> int:
        return len(self._entries)
