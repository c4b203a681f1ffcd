"""Reads and counts in one round trip: an MGET and any number of fixed-window counters.

A request's cache lookups and its rate-limit count leave together (read_coalescer.py), and a
counter alone uses the same script (attempt_counters.py). A Lua script, because a counter's
first increment must set its expiry atomically, and because one script is one command: one
round trip, one reply to parse.
"""

from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from ...domain.rate_limits import WindowCount

RawValue = bytes | str | None  # what the client returns for one key of an MGET
Counter = tuple[str, int]  # a counter's key and its window in seconds

# KEYS: the keys to read, then the counters to add one to (a key may repeat: each occurrence
# adds one). ARGV[1]: how many keys to read; then each counter's window in seconds.
# Returns the values read, then each counter's count and seconds left (its TTL).
_READ_AND_COUNT = """
local reads = tonumber(ARGV[1])
local result = {}
if reads > 0 then
    result = redis.call('MGET', unpack(KEYS, 1, reads))
end
for i = reads + 1, #KEYS do
    local count = redis.call('INCR', KEYS[i])
    if count == 1 then
        redis.call('EXPIRE', KEYS[i], ARGV[i - reads + 1])
    end
    table.insert(result, count)
    table.insert(result, redis.call('TTL', KEYS[i]))
end
return result
"""


class CountingRead:
    def __init__(self, client: Redis) -> None:
        self._script: AsyncScript = client.register_script(_READ_AND_COUNT)

    async def __call__(
        self, keys: Sequence[str], counters: Sequence[Counter]
    ) -> tuple[list[RawValue], list[WindowCount]]:
        """The values of `keys`, and each counter's count after adding one."""
        args: list[Any] = [len(keys), *(window for _, window in counters)]
        flat = await self._script(keys=[*keys, *(key for key, _ in counters)], args=args)
        # Lua's `false` (a missing key) comes back as None, as from a plain MGET.
        values, counted = flat[: len(keys)], flat[len(keys) :]
        pairs = zip(counted[::2], counted[1::2], strict=True)
        return list(values), [WindowCount(int(count), max(int(ttl), 0)) for count, ttl in pairs]
