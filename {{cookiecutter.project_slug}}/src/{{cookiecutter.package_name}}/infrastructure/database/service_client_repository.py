"""Service clients stored with SQLAlchemy, translated to and from the domain entity."""

from uuid import UUID

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.pagination import Page, PageRequest, page_of
from ...domain.permissions import Permission
from ...domain.service_clients.entities import ServiceClient
from .paging import paged
from .tables import ServiceClientRow

SORT_COLUMNS = {"created_at": ServiceClientRow.created_at}
CLIENT_BY_ID = select(ServiceClientRow).where(ServiceClientRow.id == bindparam("client_id"))
LIVE = ServiceClientRow.revoked_at.is_(None)


def _to_entity(row: ServiceClientRow) -> ServiceClient:
    return ServiceClient(
        id=row.id,
        name=row.name,
        permissions=permissions_of(row.permissions),
        secret_hash=row.secret_hash,
        secret_id=row.secret_id,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def permissions_of(stored: str) -> frozenset[Permission]:
    return frozenset(Permission(name) for name in stored.split())


def _stored(permissions: frozenset[Permission]) -> str:
    return " ".join(sorted(permissions))


class SqlServiceClientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, client_id: UUID, *, for_update: bool = False) -> ServiceClient | None:
        query = CLIENT_BY_ID.with_for_update() if for_update else CLIENT_BY_ID
        row = (await self._session.execute(query, {"client_id": client_id})).scalar_one_or_none()
        return None if row is None else _to_entity(row)

    async def add(self, client: ServiceClient) -> None:
        self._session.add(
            ServiceClientRow(
                id=client.id,
                name=client.name,
                permissions=_stored(client.permissions),
                secret_hash=client.secret_hash,
                secret_id=client.secret_id,
                created_at=client.created_at,
                revoked_at=client.revoked_at,
            )
        )
        await self._session.flush()

    async def update(self, client: ServiceClient) -> None:
        await self._session.execute(
            update(ServiceClientRow)
            .where(ServiceClientRow.id == client.id)
            .values(
                name=client.name,
                permissions=_stored(client.permissions),
                secret_hash=client.secret_hash,
                secret_id=client.secret_id,
                revoked_at=client.revoked_at,
            )
        )

    async def list_live(self, page: PageRequest) -> Page[ServiceClient]:
        total = await self._session.scalar(
            select(func.count()).select_from(ServiceClientRow).where(LIVE)
        )
        query = paged(select(ServiceClientRow).where(LIVE), SORT_COLUMNS, ServiceClientRow.id, page)
        rows = [_to_entity(row) for row in await self._session.scalars(query)]
        return page_of(rows, total or 0, page)
