"""Housekeeping on the schedule: purging what has expired, in bounded batches.

Each batch is its own short transaction, so a large backlog never holds locks for long. Safe to
run twice at once or back to back: deleting what is already gone deletes nothing.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import utc_now
from .unit_of_work import UnitOfWork, UnitOfWorkFactory

PurgeBatch = Callable[[UnitOfWork, int], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class HousekeepingPolicy:
    retention_seconds: int  # how long sent outbox messages and handled-message marks are kept
    batch_size: int


@dataclass(frozen=True, slots=True)
class Purged:
    refresh_tokens: int
    password_reset_tokens: int
    outbox_messages: int
    processed_messages: int
    idempotency_records: int


class Housekeeping:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        policy: HousekeepingPolicy,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._policy = policy
        self._clock = clock

    async def run(self) -> Purged:
        now = self._clock()
        kept_since = now - timedelta(seconds=self._policy.retention_seconds)
        return Purged(
            refresh_tokens=await self._purge(
                lambda uow, limit: uow.refresh_tokens.purge_expired(now, limit)
            ),
            password_reset_tokens=await self._purge(
                lambda uow, limit: uow.password_reset_tokens.purge_expired(now, limit)
            ),
            outbox_messages=await self._purge(
                lambda uow, limit: uow.outbox.purge_sent(kept_since, limit)
            ),
            processed_messages=await self._purge(
                lambda uow, limit: uow.processed_messages.purge(kept_since, limit)
            ),
            idempotency_records=await self._purge(
                lambda uow, limit: uow.idempotency_records.purge_expired(now, limit)
            ),
        )

    async def _purge(self, batch: PurgeBatch) -> int:
        purged = 0
        while True:
            async with self._unit_of_work() as uow:
                count = await batch(uow, self._policy.batch_size)
                await uow.commit()
            purged += count
            if count < self._policy.batch_size:
                return purged
