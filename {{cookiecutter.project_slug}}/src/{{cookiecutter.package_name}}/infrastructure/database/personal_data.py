"""One user's rows outside their account, read for an export and deleted for an erasure."""

from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

{% if cookiecutter.include_example_domain == "y" -%}
from ...domain.items.entities import Item
{% endif -%}
from ...domain.jobs.entities import Job
from ...domain.privacy.entities import SessionRecord
{%- if cookiecutter.include_example_domain == "y" %}
from .item_repository import item_from_row
{%- endif %}
from .job_repository import job_from_row
from .tables import {% if cookiecutter.include_example_domain == "y" %}ItemRow, {% endif %}JobRow, RefreshTokenFamilyRow, RefreshTokenRow


class SqlPersonalData:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def sessions(self, user_id: UUID) -> list[SessionRecord]:
        # Rotation issues a refresh token per use, so the newest one is when it was last used
        # (or, once housekeeping purged the expired ones, when it began).
        last_used = (
            select(RefreshTokenRow.family_id, func.max(RefreshTokenRow.created_at).label("at"))
            .group_by(RefreshTokenRow.family_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(RefreshTokenFamilyRow, last_used.c.at)
            .outerjoin(last_used, last_used.c.family_id == RefreshTokenFamilyRow.id)
            .where(RefreshTokenFamilyRow.user_id == user_id)
            .order_by(RefreshTokenFamilyRow.created_at.desc(), RefreshTokenFamilyRow.id)
        )
        return [
            SessionRecord(
                id=family.id,
                created_at=family.created_at,
                last_used_at=family.created_at if at is None else at,
                revoked_at=family.revoked_at,
            )
            for family, at in rows
        ]

    async def jobs(self, user_id: UUID) -> list[Job]:
        rows = await self._session.scalars(
            select(JobRow).where(JobRow.owner_id == user_id).order_by(JobRow.created_at.desc())
        )
        return [job_from_row(row) for row in rows]
{%- if cookiecutter.include_example_domain == "y" %}

    async def items(self, user_id: UUID) -> list[Item]:
        rows = await self._session.scalars(
            select(ItemRow).where(ItemRow.owner_id == user_id).order_by(ItemRow.created_at.desc())
        )
        return [item_from_row(row) for row in rows]
{%- endif %}

    async def delete_sessions(self, user_id: UUID) -> list[UUID]:
        ids = list(
            await self._session.scalars(
                select(RefreshTokenFamilyRow.id).where(RefreshTokenFamilyRow.user_id == user_id)
            )
        )
        # Tokens first, explicitly: SQLite enforces the cascade only with foreign keys on.
        await self._session.execute(
            delete(RefreshTokenRow)
            .where(RefreshTokenRow.family_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
        await self._session.execute(
            delete(RefreshTokenFamilyRow)
            .where(RefreshTokenFamilyRow.user_id == user_id)
            .execution_options(synchronize_session=False)
        )
        return ids

    async def delete_jobs(self, user_id: UUID) -> int:
        deleted = await self._session.execute(
            delete(JobRow)
            .where(JobRow.owner_id == user_id)
            .execution_options(synchronize_session=False)
        )
        return int(deleted.rowcount)  # type: ignore[attr-defined]
{%- if cookiecutter.include_example_domain == "y" %}

    async def delete_items(self, user_id: UUID) -> list[UUID]:
        deleted = await self._session.execute(
            delete(ItemRow)
            .where(ItemRow.owner_id == user_id)
            .returning(ItemRow.id)
            .execution_options(synchronize_session=False)
        )
        return list(deleted.scalars())
{%- endif %}
