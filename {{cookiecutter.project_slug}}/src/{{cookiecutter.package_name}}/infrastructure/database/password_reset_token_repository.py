"""Password reset tokens, stored with SQLAlchemy (their hashes only)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.auth.entities import PasswordResetToken
from .tables import PasswordResetTokenRow


class SqlPasswordResetTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: PasswordResetToken) -> None:
        self._session.add(
            PasswordResetTokenRow(
                id=token.id,
                user_id=token.user_id,
                token_hash=token.token_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
                spent_at=token.spent_at,
            )
        )
        await self._session.flush()

    async def find(self, token_hash: str, *, for_update: bool = False) -> PasswordResetToken | None:
        query = select(PasswordResetTokenRow).where(PasswordResetTokenRow.token_hash == token_hash)
        if for_update:
            query = query.with_for_update()
        row = await self._session.scalar(query)
        if row is None:
            return None
        return PasswordResetToken(
            id=row.id,
            user_id=row.user_id,
            token_hash=row.token_hash,
            created_at=row.created_at,
            expires_at=row.expires_at,
            spent_at=row.spent_at,
        )

    async def spend_all_of(self, user_id: UUID, at: datetime) -> None:
        await self._session.execute(
            update(PasswordResetTokenRow)
            .where(
                PasswordResetTokenRow.user_id == user_id, PasswordResetTokenRow.spent_at.is_(None)
            )
            .values(spent_at=at)
        )

    async def purge_expired(self, before: datetime, limit: int) -> int:
        # Through a subquery: DELETE ... LIMIT is not portable.
        expired = (
            select(PasswordResetTokenRow.id)
            .where(PasswordResetTokenRow.expires_at < before)
            .limit(limit)
        )
        deleted = await self._session.execute(
            delete(PasswordResetTokenRow)
            .where(PasswordResetTokenRow.id.in_(expired))
            .execution_options(synchronize_session=False)
        )
        return int(deleted.rowcount)  # type: ignore[attr-defined]
