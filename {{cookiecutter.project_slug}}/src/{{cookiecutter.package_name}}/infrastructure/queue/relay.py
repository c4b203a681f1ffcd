"""The outbox relay: hands committed outbox messages to the broker, then marks them sent.

It runs inside `serve` and inside `worker` (SPEC section 4), never as a process of its own. A
commit that added messages in this process wakes it at once (`wake`); otherwise it polls, to
pick up what other processes wrote. Several relays may run: each claims its batch with
`FOR UPDATE SKIP LOCKED` (PostgreSQL) or the single writer lock (SQLite), so a message is
published by one of them. A broker that is down leaves the batch unsent, to be tried again:
delayed, never lost. A relay that dies between publishing and marking publishes again on its
next turn; the tasks are idempotent for exactly that.
"""

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ...domain.clock import utc_now
from ...shared.logging import get_logger
from ..database.outbox import mark_sent, pending_messages
from ..database.tables import OutboxMessageRow
from ..telemetry.messaging import publish_span, trace_headers

logger = get_logger(__name__)
# How long a stopping relay may take to finish the batch in hand before it is cancelled.
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A pending message as plain values: the thread that publishes never touches ORM rows,
    which a session closing meanwhile (at shutdown, say) would detach under it."""

    id: UUID
    topic: str
    payload: dict[str, str]
    headers: dict[str, str]

    @classmethod
    def of(cls, row: OutboxMessageRow) -> "Outgoing":
        return cls(row.id, row.topic, row.payload, row.headers)


class OutboxRelay:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        celery: Celery,
        *,
        poll_seconds: float,
        batch_size: int,
    ) -> None:
        self._session_factory = session_factory
        self._celery = celery
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._woken = asyncio.Event()
        self._queue_declared = False
        self._stopping = False

    def wake(self) -> None:
        """Called after a commit that added messages: relay them now, not at the next poll."""
        self._woken.set()

    def stop(self) -> None:
        """Ends `run` between batches (`stop_relay`)."""
        self._stopping = True
        self._woken.set()

    async def run(self) -> None:
        """Relays until stopped."""
        while not self._stopping:
            self._woken.clear()
            try:
                sent = await self.relay_once()
            except Exception:  # the database or the broker is down: try again after a poll
                logger.exception("outbox relay failed; retrying")
                sent = 0
            if sent < self._batch_size and not self._stopping:  # a full batch: more may wait
                await self._sleep_until_woken()

    async def relay_once(self) -> int:
        """Publishes one batch of pending messages; returns how many it sent."""
        async with self._session_factory() as session, session.begin():
            batch = [Outgoing.of(row) for row in await pending_messages(session, self._batch_size)]
            if not batch:
                return 0
            published = await asyncio.to_thread(self._publish, batch)
            await mark_sent(session, [message.id for message in published], utc_now())
        if len(published) < len(batch):
            logger.warning("outbox messages stay pending", pending=len(batch) - len(published))
        return len(published)

    def _publish(self, batch: Sequence[Outgoing]) -> list[Outgoing]:
        """Publishes in order until one fails (the broker is down); returns those published.
        In a thread: kombu's publishing blocks, and the event loop must keep serving."""
        published: list[Outgoing] = []
        queue = self._celery.amqp.queues[self._celery.conf.task_default_queue]
        try:
            with self._celery.producer_or_acquire() as producer:
                if not self._queue_declared:
                    # Once, before the first message: on RabbitMQ, a message published before
                    # any worker declared the queue would be dropped as unroutable.
                    queue.bind(producer.channel).declare()
                    self._queue_declared = True
                for message in batch:
                    with publish_span(message):
                        self._celery.send_task(
                            message.topic,
                            kwargs=message.payload,
                            task_id=str(message.id),  # the handlers' idempotency key
                            headers=trace_headers(),  # the worker's span continues this trace
                            producer=producer,
                            retry=False,
                        )
                    published.append(message)
        except Exception as error:  # kombu raises many kinds; any means "the rest is not sent"
            logger.warning("publish failed", error=type(error).__name__)
        return published

    async def _sleep_until_woken(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 a cancel that lands as the event is set
        # is swallowed by wait_for, and the relay, never stopping, held up the shutdown.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._poll_seconds):
                await self._woken.wait()


async def stop_relay(relay: OutboxRelay, running: "asyncio.Task[None]") -> None:
    """Stops the relay after the batch in hand, and cancels it only if that takes too long (a
    broker that hangs). A relay cancelled inside its transaction abandons the connection in
    the middle of a statement; on SQLite that connection then holds the write lock until the
    driver's thread gets round to closing it, and every writer waits meanwhile."""
    relay.stop()
    done, _ = await asyncio.wait({running}, timeout=STOP_GRACE_SECONDS)
    if not done:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
