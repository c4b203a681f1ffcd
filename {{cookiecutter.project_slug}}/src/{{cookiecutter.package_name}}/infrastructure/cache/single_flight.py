"""Single-flight: concurrent requests for one key share one load (stampede protection).

The first caller for a key starts the load as a task; callers arriving while it runs await the
same task instead of starting their own. The load is a task of its own, shielded from its
callers, so a client that disconnects does not cancel the load the others are waiting for.

A caller joins a load only if it knows what the load's starter knew: the same `stamps` (for
Redis, the stamps its lookup saw). A caller that saw newer stamps, because a write in another
process happened since, starts its own load rather than take one that may predate that write.
Within one process, `supersede` does the same job without stamps.
"""

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Flight:
    """One load in progress. `superseded` once a write made its result unsafe to store."""

    __slots__ = ("stamps", "superseded")

    def __init__(self, stamps: Hashable) -> None:
        self.stamps = stamps
        self.superseded = False


Load = Callable[[Flight], Coroutine[Any, Any, V]]
_InFlight = tuple[Flight, asyncio.Task[V]]


class SingleFlight(Generic[K, V]):
    def __init__(self) -> None:
        self._flights: dict[K, _InFlight[V]] = {}

    async def run(self, key: K, load: Load[V], stamps: Hashable = None) -> V:
        """`load(flight)`'s result, running it only if no load of `key` under the same `stamps`
        is in flight."""
        in_flight = self._flights.get(key)
        if in_flight is None or in_flight[0].stamps != stamps:
            in_flight = self._start(key, load, stamps)
        return await asyncio.shield(in_flight[1])

    def supersede(self, key: K) -> None:
        """A write changed `key`: later callers start a new load, and the one in flight,
        which may have read the old value, is marked so that its result is not stored."""
        in_flight = self._flights.pop(key, None)
        if in_flight is not None:
            in_flight[0].superseded = True

    def supersede_all(self) -> None:
        for flight, _ in self._flights.values():
            flight.superseded = True
        self._flights.clear()

    def _start(self, key: K, load: Load[V], stamps: Hashable) -> _InFlight[V]:
        flight = Flight(stamps)
        in_flight = self._flights[key] = (flight, asyncio.create_task(load(flight)))
        in_flight[1].add_done_callback(lambda _: self._land(key, in_flight))
        return in_flight

    def _land(self, key: K, landed: _InFlight[V]) -> None:
        if self._flights.get(key) is landed:
            del self._flights[key]
        task = landed[1]
        if not task.cancelled():
            task.exception()  # retrieved, so an error nobody awaited is not logged as lost
