"""Concurrent requests' cache reads, sent to Redis together: one MGET per event-loop turn.

The DataLoader pattern (github.com/graphql/dataloader): a read does not go out at once; it
waits for the rest of the current turn of the event loop, and every read queued in that turn
leaves in the same MGET. Under load, one round trip then serves several requests, so the cost
of talking to Redis (system calls, protocol parsing) is shared instead of paid per request.
Idle, a read waits one turn of the loop: microseconds. Kept because it pays under load
(docs/adr/0005-measured-tuning.md has the measurement).

Hand-written, because redis-py batches only what one caller puts in one pipeline. Consistency
is unchanged: a read is sent after it was asked for, never before, so it sees every write that
completed before it began.
"""

import asyncio
from collections.abc import Sequence

from ..redis.guard import RedisGuard

RawValue = bytes | str | None  # what the client returns for one key of an MGET
_Waiter = tuple[Sequence[str], "asyncio.Future[list[RawValue]]"]


class ReadCoalescer:
    def __init__(self, redis: RedisGuard) -> None:
        self._redis = redis
        self._queued: list[_Waiter] = []
        self._sending: set[asyncio.Task[None]] = set()  # referenced, or they may vanish mid-way

    async def mget(self, keys: Sequence[str]) -> list[RawValue]:
        """The values of `keys`, read with whatever else is asked for in this turn. Raises
        `RedisUnavailable` (for every reader of the turn, and only after one deadline)."""
        loop = asyncio.get_running_loop()
        result: asyncio.Future[list[RawValue]] = loop.create_future()
        self._queued.append((keys, result))
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
        keys = [key for wanted, _ in waiters for key in wanted]
        try:
            values = await self._redis.call(lambda client: client.mget(keys))
        except Exception as error:  # RedisUnavailable, or a bug: either way no reader may hang
            for _, result in waiters:
                if not result.done():  # a reader cancelled meanwhile has left
                    result.set_exception(error)
            return
        start = 0
        for wanted, result in waiters:
            if not result.done():
                result.set_result(values[start : start + len(wanted)])
            start += len(wanted)
