"""Which messages a handler has acted on (the idempotency of effects such as a mail)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.clock import utc_now
from .tables import ProcessedMessageRow


class SqlProcessedMessages:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, message_id: UUID) -> bool:
        # ON CONFLICT DO NOTHING rather than catching the duplicate key: on PostgreSQL a failed
        # INSERT would abort the whole transaction the claim belongs to.
        dialect = postgresql if self._session.get_bind().dialect.name == "postgresql" else sqlite
        claimed = await self._session.execute(
            dialect.insert(ProcessedMessageRow)
            .values(message_id=message_id, processed_at=utc_now())
            .on_conflict_do_nothing(index_elements=["message_id"])
        )
        return bool(claimed.rowcount)  # type: ignore[attr-defined]

    async def purge(self, before: datetime, limit: int) -> int:
        oldest = (
            select(ProcessedMessageRow.message_id)
            .where(ProcessedMessageRow.processed_at < before)
            .limit(limit)
        )
        deleted = await self._session.execute(
            delete(ProcessedMessageRow)
            .where(ProcessedMessageRow.message_id.in_(oldest))
            .execution_options(synchronize_session=False)
        )
        return int(deleted.rowcount)  # type: ignore[attr-defined]
