"""The outbox table: messages added in a unit of work, and what the relay reads back.

`SqlOutbox` is the domain's `Outbox` port, inside a unit of work. `pending_messages` and
`mark_sent` are the relay's (infrastructure/queue/relay.py).
"""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from opentelemetry import propagate
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.clock import utc_now
from ...domain.outbox import OutboxMessage
from .tables import OutboxMessageRow


class SqlOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.added = 0  # messages added in this unit of work: the relay is woken after commit

    async def add(self, message: OutboxMessage) -> None:
        headers: dict[str, str] = {}
        propagate.inject(headers)  # the current trace's `traceparent`, if a trace is recorded
        self._session.add(
            OutboxMessageRow(
                id=message.id,
                topic=message.topic,
                payload=dict(message.payload),
                headers=headers,
                created_at=message.created_at,
                sent_at=None,
            )
        )
        self.added += 1

    async def mark_dead(self, message_id: UUID, error: str) -> None:
        """The worker gave up on the message: kept, with why, for a person to look at."""
        await self._session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.id == message_id)
            .values(dead_at=utc_now(), error=error)
            .execution_options(synchronize_session=False)
        )

    async def purge_sent(self, before: datetime, limit: int) -> int:
        # Through a subquery: DELETE ... LIMIT is not portable. Dead messages stay.
        oldest = (
            select(OutboxMessageRow.id)
            .where(
                OutboxMessageRow.sent_at < before,
                OutboxMessageRow.dead_at.is_(None),
            )
            .limit(limit)
        )
        deleted = await self._session.execute(
            delete(OutboxMessageRow)
            .where(OutboxMessageRow.id.in_(oldest))
            .execution_options(synchronize_session=False)
        )
        return int(deleted.rowcount)  # type: ignore[attr-defined]


async def pending_messages(session: AsyncSession, limit: int) -> Sequence[OutboxMessageRow]:
    """The oldest unsent messages, locked: another relay skips them rather than send them too
    (`SKIP LOCKED` on PostgreSQL; SQLite has one writer, which `BEGIN IMMEDIATE` waits for)."""
    query = (
        select(OutboxMessageRow)
        .where(OutboxMessageRow.sent_at.is_(None))
        .order_by(OutboxMessageRow.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()


async def mark_sent(session: AsyncSession, ids: Sequence[UUID], at: datetime) -> None:
    await session.execute(
        update(OutboxMessageRow)
        .where(OutboxMessageRow.id.in_(ids))
        .values(sent_at=at)
        .execution_options(synchronize_session=False)
    )
