"""Idempotency records in the `idempotency_keys` table, inside the unit of work of their effect."""

import hashlib
from datetime import datetime

from sqlalchemy import delete, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.idempotency import (
    IdempotencyKeyInUseError,
    IdempotencyRecord,
    IdempotentRequest,
    RecordedResponse,
)
from .tables import IdempotencyKeyRow

Row = IdempotencyKeyRow


class SqlIdempotencyRecords:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self, request: IdempotentRequest, now: datetime, expires_at: datetime
    ) -> IdempotencyRecord | None:
        is_postgresql = self._session.get_bind().dialect.name == "postgresql"
        if is_postgresql and not await self._lock(request):
            raise IdempotencyKeyInUseError()
        # On conflict, nothing is written unless the record there has expired: then this
        # request takes the key over. No exception for a taken key: on PostgreSQL a failed
        # INSERT would abort the transaction it belongs to.
        dialect = postgresql if is_postgresql else sqlite
        insert = dialect.insert(Row).values(
            principal_id=request.principal_id,
            key=request.key,
            fingerprint=request.fingerprint,
            created_at=now,
            expires_at=expires_at,
        )
        claimed = await self._session.execute(
            insert.on_conflict_do_update(
                index_elements=[Row.principal_id, Row.key],
                set_={
                    "fingerprint": insert.excluded.fingerprint,
                    "status": None,
                    "body": None,
                    "location": None,
                    "created_at": insert.excluded.created_at,
                    "expires_at": insert.excluded.expires_at,
                },
                where=Row.expires_at <= now,
            )
        )
        if claimed.rowcount:  # type: ignore[attr-defined]
            return None
        return await self._first(request)

    async def _lock(self, request: IdempotentRequest) -> bool:
        # A second INSERT of a key that an open transaction inserted would wait for that
        # transaction to end. The key's lock, held until commit or rollback, lets a concurrent
        # repeat see at once that the first is in progress (409) instead of waiting for it.
        # SQLite needs none: its one writer at a time makes a repeat wait, then replay.
        digest = hashlib.sha256(request.principal_id.bytes + request.key.encode()).digest()
        lock_id = int.from_bytes(digest[:8], "big", signed=True)
        taken = await self._session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:lock_id)"), {"lock_id": lock_id}
        )
        return bool(taken)

    async def _first(self, request: IdempotentRequest) -> IdempotencyRecord:
        row = (
            await self._session.execute(
                select(Row).where(Row.principal_id == request.principal_id, Row.key == request.key)
            )
        ).scalar_one()
        if row.status is None or row.body is None:
            raise IdempotencyKeyInUseError()  # claimed, its response not yet written
        response = RecordedResponse(status=row.status, body=row.body, location=row.location)
        return IdempotencyRecord(fingerprint=row.fingerprint, response=response)

    async def record(self, request: IdempotentRequest, response: RecordedResponse) -> None:
        await self._session.execute(
            update(Row)
            .where(Row.principal_id == request.principal_id, Row.key == request.key)
            .values(status=response.status, body=response.body, location=response.location)
            .execution_options(synchronize_session=False)
        )

    async def purge_expired(self, now: datetime, limit: int) -> int:
        # Through a subquery: DELETE ... LIMIT is not portable.
        oldest = select(Row.principal_id, Row.key).where(Row.expires_at < now).limit(limit)
        deleted = await self._session.execute(
            delete(Row)
            .where(tuple_(Row.principal_id, Row.key).in_(oldest))
            .execution_options(synchronize_session=False)
        )
        return int(deleted.rowcount)  # type: ignore[attr-defined]
