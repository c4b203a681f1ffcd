"""The cache port: cache-aside for one kind of entity, as the domain sees it.

A service asks for a value and says how to load it; whether the answer came from Redis, from
process memory or from the loader is the adapter's business. Writes call `forget` after their
transaction committed, so that no later read can see what the write replaced.
"""

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

K_contra = TypeVar("K_contra", contravariant=True)
V = TypeVar("V")

Loader = Callable[[], Awaitable[V | None]]


class Cache(Protocol[K_contra, V]):
    """Never fails because of the cache itself: when the cache cannot answer (down, slow,
    switched off), `get_or_load` is just `load`, and `forget` still returns normally."""

    async def get_or_load(self, key: K_contra, load: Loader[V]) -> V | None:
        """The cached value, else `load()`'s (stored for the next reader). `None` is not cached."""
        ...

    async def forget(self, key: K_contra) -> None:
        """Call after the commit that changed `key`: no read starting later sees the old value."""
        ...
