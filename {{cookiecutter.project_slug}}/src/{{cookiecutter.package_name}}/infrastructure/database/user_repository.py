"""Users stored with SQLAlchemy, translated to and from the domain entity."""

from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.pagination import Page, PageRequest, page_of
from ...domain.permissions import Role
from ...domain.users.entities import User
from ...domain.users.errors import EmailTakenError
from ...domain.users.ports import UserFilter
from .paging import paged
from .tables import UserRow

SORT_COLUMNS = {"created_at": UserRow.created_at, "email": UserRow.email}


def _to_entity(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        full_name=row.full_name,
        password_hash=row.password_hash,
        role=Role(row.role),
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


# The read by id, built once (see access_states.py for why).
USER_BY_ID = select(UserRow).where(UserRow.id == bindparam("user_id"))
USER_FOR_UPDATE = USER_BY_ID.with_for_update()


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        query = USER_FOR_UPDATE if for_update else USER_BY_ID
        row = (await self._session.execute(query, {"user_id": user_id})).scalar_one_or_none()
        return None if row is None else _to_entity(row)

    async def get_by_email(self, email: str) -> User | None:
        row = await self._session.scalar(select(UserRow).where(UserRow.email == email))
        return None if row is None else _to_entity(row)

    async def list(self, page: PageRequest, where: UserFilter) -> Page[User]:
        conditions: list[ColumnElement[bool]] = []
        if where.role is not None:
            conditions.append(UserRow.role == where.role.value)
        if where.is_active is not None:
            conditions.append(UserRow.is_active == where.is_active)
        total = await self._session.scalar(
            select(func.count()).select_from(UserRow).where(*conditions)
        )
        query = paged(select(UserRow).where(*conditions), SORT_COLUMNS, UserRow.id, page)
        rows = [_to_entity(row) for row in await self._session.scalars(query)]
        return page_of(rows, total or 0, page)

    async def add(self, user: User) -> None:
        self._session.add(
            UserRow(
                id=user.id,
                email=user.email,
                full_name=user.full_name,
                password_hash=user.password_hash,
                role=user.role.value,
                is_active=user.is_active,
                created_at=user.created_at,
                updated_at=user.updated_at,
            )
        )
        try:
            await self._session.flush()
        except IntegrityError as error:
            # The unique index decides, so two concurrent registrations cannot both succeed.
            raise EmailTakenError() from error

    async def update(self, user: User) -> None:
        await self._session.execute(
            update(UserRow)
            .where(UserRow.id == user.id)
            .values(
                email=user.email,
                full_name=user.full_name,
                password_hash=user.password_hash,
                role=user.role.value,
                is_active=user.is_active,
                updated_at=user.updated_at,
            )
        )
