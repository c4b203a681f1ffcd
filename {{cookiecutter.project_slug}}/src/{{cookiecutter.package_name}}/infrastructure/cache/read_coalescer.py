"""Concurrent requests' cache reads, sent to Redis together: one MGET per event-loop turn.

The DataLoader pattern (github.com/graphql/dataloader): a read does not go out at once; it
waits for the rest of the current turn of the event loop, and every read queued in that turn
leaves in the same MGET. Under load, one round trip then serves several requests, so the cost
of talking to Redis (system calls, protocol parsing) is shared instead of paid per request.
Idle, a read waits one turn of the loop: microseconds. Kept because it pays under load
(docs/adr/0005-measured-tuning.md has the measurement).

A request's rate-limit count travels in the same round trip: when any reader of the turn
brings counters, the MGET becomes one script that reads and counts (counting_read.py).

Hand-written, because redis-py batches only what one caller puts in one pipeline. Consistency
is unchanged: a read is sent after it was asked for, never before, so it sees every write that
completed before it began.
"""

import asyncio
from collections.abc import Sequence

from ...domain.rate_limits import WindowCount
from ..redis.counting_read import Counter, CountingRead, RawValue
from ..redis.guard import RedisGuard

Answer = tuple[list[RawValue], list[WindowCount]]  # the values read, the counts counted
_Waiter = tuple[Sequence[str], Sequence[Counter], "asyncio.Future[Answer]"]


class ReadCoalescer:
    def __init__(self, redis: RedisGuard) -> None:
        self._redis = redis
        self._counting_read = CountingRead(redis.client)
        self._queued: list[_Waiter] = []
        self._sending: set[asyncio.Task[None]] = set()  # referenced, or they may vanish mid-way

    async def mget(self, keys: Sequence[str]) -> list[RawValue]:
        """The values of `keys`, read with whatever else is asked for in this turn. Raises
        `RedisUnavailable` (for every reader of the turn, and only after one deadline)."""
        values, _ = await self.read(keys, ())
        return values

    async def read(self, keys: Sequence[str], counters: Sequence[Counter]) -> Answer:
        """As `mget`, and adds one to each counter: their counts come back with the values."""
        loop = asyncio.get_running_loop()
        result: asyncio.Future[Answer] = loop.create_future()
        self._queued.append((keys, counters, result))
        if len(self._queued) == 1:
            loop.call_soon(self._send_queued)  # after the other ready requests had their say
        return await result

    def _send_queued(self) -> None:
        waiters, self._queued = self._queued, []
        # A task of its own: the round trip must not belong to (and die with) one request.
        sending = asyncio.ensure_future(self._send(waiters))
        self._sending.add(sending)
        sending.add_done_callback(self._sending.discard)

    async def _send(self, waiters: list[_Waiter]) -> None:
        keys = [key for wanted, _, _ in waiters for key in wanted]
        counters = [counter for _, counting, _ in waiters for counter in counting]
        try:
            if counters:
                values, counts = await self._redis.call(
                    lambda _: self._counting_read(keys, counters)
                )
            else:  # nothing to count: a plain MGET is the cheaper command
                values = await self._redis.call(lambda client: client.mget(keys))
                counts = []
        except Exception as error:  # RedisUnavailable, or a bug: either way no reader may hang
            for _, _, result in waiters:
                if not result.done():  # a reader cancelled meanwhile has left
                    result.set_exception(error)
            return
        read = counted = 0
        for wanted, counting, result in waiters:
            if not result.done():
                result.set_result(
                    (
                        values[read : read + len(wanted)],
                        counts[counted : counted + len(counting)],
                    )
                )
            read += len(wanted)
            counted += len(counting)
