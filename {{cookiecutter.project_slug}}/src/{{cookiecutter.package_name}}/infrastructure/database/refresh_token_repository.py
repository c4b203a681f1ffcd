"""Refresh tokens and their families (sessions), stored with SQLAlchemy."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.auth.entities import RefreshToken, RefreshTokenFamily, Session
from .tables import RefreshTokenFamilyRow, RefreshTokenRow


def _to_family(row: RefreshTokenFamilyRow) -> RefreshTokenFamily:
    return RefreshTokenFamily(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        user_agent=row.user_agent,
        client=row.client,
    )


class SqlRefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_family(self, family: RefreshTokenFamily) -> None:
        self._session.add(
            RefreshTokenFamilyRow(
                id=family.id,
                user_id=family.user_id,
                created_at=family.created_at,
                revoked_at=family.revoked_at,
                user_agent=family.user_agent,
                client=family.client,
            )
        )
        # Flushed at once: its tokens refer to it, and the rows have no ORM relationship
        # that would order the inserts.
        await self._session.flush()

    async def add(self, token: RefreshToken) -> None:
        self._session.add(
            RefreshTokenRow(
                id=token.id,
                family_id=token.family.id,
                token_hash=token.token_hash,
                created_at=token.created_at,
                expires_at=token.expires_at,
                spent_at=token.spent_at,
            )
        )
        await self._session.flush()

    async def find(self, token_hash: str, *, for_update: bool = False) -> RefreshToken | None:
        query = (
            select(RefreshTokenRow, RefreshTokenFamilyRow)
            .join(RefreshTokenFamilyRow, RefreshTokenFamilyRow.id == RefreshTokenRow.family_id)
            .where(RefreshTokenRow.token_hash == token_hash)
        )
        if for_update:
            query = query.with_for_update()
        found = (await self._session.execute(query)).one_or_none()
        if found is None:
            return None
        token, family = found
        return RefreshToken(
            id=token.id,
            family=_to_family(family),
            token_hash=token.token_hash,
            created_at=token.created_at,
            expires_at=token.expires_at,
            spent_at=token.spent_at,
        )

    async def spend(self, token_id: UUID, at: datetime) -> None:
        await self._session.execute(
            update(RefreshTokenRow).where(RefreshTokenRow.id == token_id).values(spent_at=at)
        )

    async def revoke_family(self, family_id: UUID, at: datetime) -> None:
        await self._session.execute(
            update(RefreshTokenFamilyRow)
            .where(
                RefreshTokenFamilyRow.id == family_id, RefreshTokenFamilyRow.revoked_at.is_(None)
            )
            .values(revoked_at=at)
        )

    async def revoke_families_of(
        self, user_id: UUID, at: datetime, *, keep: UUID | None = None
    ) -> list[UUID]:
        live = select(RefreshTokenFamilyRow.id).where(
            RefreshTokenFamilyRow.user_id == user_id, RefreshTokenFamilyRow.revoked_at.is_(None)
        )
        if keep is not None:
            live = live.where(RefreshTokenFamilyRow.id != keep)
        revoked = list(await self._session.scalars(live))
        await self._session.execute(
            update(RefreshTokenFamilyRow)
            .where(RefreshTokenFamilyRow.id.in_(revoked))
            .values(revoked_at=at)
        )
        return revoked

    async def list_live(self, user_id: UUID, now: datetime) -> list[Session]:
        # The latest refresh token of a session was issued at its last refresh (or the
        # sign-in); a session whose every token expired is over, revoked or not.
        last_used = func.max(RefreshTokenRow.created_at).label("last_used_at")
        query = (
            select(RefreshTokenFamilyRow, last_used)
            .join(RefreshTokenRow, RefreshTokenRow.family_id == RefreshTokenFamilyRow.id)
            .where(
                RefreshTokenFamilyRow.user_id == user_id,
                RefreshTokenFamilyRow.revoked_at.is_(None),
            )
            .group_by(RefreshTokenFamilyRow.id)
            .having(func.max(RefreshTokenRow.expires_at) > now)
            .order_by(RefreshTokenFamilyRow.created_at.desc(), RefreshTokenFamilyRow.id)
        )
        rows = (await self._session.execute(query)).all()
        return [Session(family=_to_family(family), last_used_at=at) for family, at in rows]
{%- if cookiecutter.include_example_domain == "n" %}

    async def count_live(self, user_id: UUID) -> int:
        live = select(func.count()).where(
            RefreshTokenFamilyRow.user_id == user_id, RefreshTokenFamilyRow.revoked_at.is_(None)
        )
        return int(await self._session.scalar(live) or 0)
{%- endif %}

    async def purge_expired(self, before: datetime, limit: int) -> int:
        # Through a subquery: DELETE ... LIMIT is not portable.
        expired = select(RefreshTokenRow.id).where(RefreshTokenRow.expires_at < before).limit(limit)
        deleted = await self._session.execute(
            delete(RefreshTokenRow)
            .where(RefreshTokenRow.id.in_(expired))
            .execution_options(synchronize_session=False)
        )
        return int(deleted.rowcount)  # type: ignore[attr-defined]
