"""Waiting, in a test, for what another process does: poll a check until it answers."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")
BOUND_SECONDS = 30.0  # a correctness bound (it must happen), not a benchmark


async def eventually(
    check: Callable[[], Awaitable[T | None]],
    what: str,
    *,
    context: Callable[[], str] = lambda: "",
    seconds: float = BOUND_SECONDS,
) -> T:
    """`check()`'s first answer that is not `None`. Fails after `seconds`, saying `what` did
    not happen, with `context()` (a worker's log, say) for whoever reads the failure."""
    deadline = time.monotonic() + seconds
    while True:
        answer = await check()
        if answer is not None:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:g}s\n{context()}")
        await asyncio.sleep(0.02)
