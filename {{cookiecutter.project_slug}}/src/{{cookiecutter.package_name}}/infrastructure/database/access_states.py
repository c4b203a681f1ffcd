"""The per-request access check, answered by the database in one query."""

from uuid import UUID

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ...domain.auth.entities import AccessState, ClientAccessState
from ...domain.permissions import Role
from .engine import read_only
from .service_client_repository import permissions_of
from .tables import RefreshTokenFamilyRow, ServiceClientRow, UserRow

# Built once, with the ids as bound parameters: building a statement and computing its cache key
# took more CPU than running it on a warm connection (docs/database.md).
ACCESS_STATE = (
    select(
        UserRow.role,
        UserRow.is_active,
        RefreshTokenFamilyRow.id.label("session_id"),
        RefreshTokenFamilyRow.revoked_at,
    )
    .select_from(UserRow)
    # The join also checks that the session belongs to this user.
    .outerjoin(
        RefreshTokenFamilyRow,
        and_(
            RefreshTokenFamilyRow.id == bindparam("session_id"),
            RefreshTokenFamilyRow.user_id == UserRow.id,
        ),
    )
    .where(UserRow.id == bindparam("user_id"))
)
CLIENT_ACCESS_STATE = select(
    ServiceClientRow.permissions, ServiceClientRow.secret_id, ServiceClientRow.revoked_at
).where(ServiceClientRow.id == bindparam("client_id"))


class SqlAccessStates:
    """Reads the user and the session together: one round trip per authenticated request.

    Nothing is cached here, so the `forget_*` notifications have nothing to drop.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        # One query, so no transaction: on PostgreSQL that saves a BEGIN and a ROLLBACK.
        self._engine = read_only(engine)

    async def get(self, user_id: UUID, session_id: UUID | None) -> AccessState | None:
        # A bare connection rather than an ORM session: a single read needs no identity map.
        async with self._engine.connect() as connection:
            ids = {"user_id": user_id, "session_id": session_id}
            row = (await connection.execute(ACCESS_STATE, ids)).one_or_none()
        if row is None:
            return None
        return AccessState(
            role=Role(row.role),
            is_active=row.is_active,
            # No session asked for (a token from the identity provider): none to be revoked.
            session_revoked=session_id is not None
            and (row.session_id is None or row.revoked_at is not None),
        )

    async def get_client(self, client_id: UUID) -> ClientAccessState | None:
        async with self._engine.connect() as connection:
            ids = {"client_id": client_id}
            row = (await connection.execute(CLIENT_ACCESS_STATE, ids)).one_or_none()
        if row is None:
            return None
        return ClientAccessState(
            permissions=permissions_of(row.permissions),
            secret_id=row.secret_id,
            is_revoked=row.revoked_at is not None,
        )

    async def forget_user(self, user_id: UUID) -> None:
        return None

    async def forget_session(self, session_id: UUID) -> None:
        return None

    async def forget_client(self, client_id: UUID) -> None:
        return None
