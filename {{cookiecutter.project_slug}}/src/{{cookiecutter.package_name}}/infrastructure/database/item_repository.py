"""Items stored with SQLAlchemy, translated to and from the domain entity."""

from collections.abc import Collection
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.items.entities import Item
from ...domain.items.ports import ItemFilter, ItemTotals
from ...domain.pagination import Page, PageRequest, page_of
from .paging import paged
from .tables import ItemRow

SORT_COLUMNS = {"created_at": ItemRow.created_at, "name": ItemRow.name, "price": ItemRow.price}


def item_from_row(row: ItemRow) -> Item:
    return Item(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        description=row.description,
        price=row.price,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _conditions(where: ItemFilter, owner_id: UUID | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if owner_id is not None:
        conditions.append(ItemRow.owner_id == owner_id)
    if where.name_contains is not None:
        # autoescape: a `%` or `_` in the search is a character, not a wildcard.
        conditions.append(ItemRow.name.icontains(where.name_contains, autoescape=True))
    if where.min_price is not None:
        conditions.append(ItemRow.price >= where.min_price)
    if where.max_price is not None:
        conditions.append(ItemRow.price <= where.max_price)
    return conditions


# The read by id, built once (see access_states.py for why).
ITEM_BY_ID = select(ItemRow).where(ItemRow.id == bindparam("item_id"))
ITEM_FOR_UPDATE = ITEM_BY_ID.with_for_update()


class SqlItemRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, item_id: UUID, *, for_update: bool = False) -> Item | None:
        query = ITEM_FOR_UPDATE if for_update else ITEM_BY_ID
        row = (await self._session.execute(query, {"item_id": item_id})).scalar_one_or_none()
        return None if row is None else item_from_row(row)

    async def list(
        self, page: PageRequest, where: ItemFilter, *, owner_id: UUID | None = None
    ) -> Page[Item]:
        conditions = _conditions(where, owner_id)
        total = await self._session.scalar(
            select(func.count()).select_from(ItemRow).where(*conditions)
        )
        query = paged(select(ItemRow).where(*conditions), SORT_COLUMNS, ItemRow.id, page)
        rows = [item_from_row(row) for row in await self._session.scalars(query)]
        return page_of(rows, total or 0, page)

    async def add(self, item: Item) -> None:
        self._session.add(
            ItemRow(
                id=item.id,
                owner_id=item.owner_id,
                name=item.name,
                description=item.description,
                price=item.price,
                created_at=item.created_at,
                updated_at=item.updated_at,
                version=item.version,
            )
        )
        await self._session.flush()

    async def update(self, item: Item, *, expected_versions: Collection[int]) -> bool:
        result = await self._session.execute(
            update(ItemRow)
            .where(ItemRow.id == item.id, ItemRow.version.in_(expected_versions))
            .values(
                name=item.name,
                description=item.description,
                price=item.price,
                updated_at=item.updated_at,
                version=item.version,
            )
        )
        return _changed_a_row(result)

    async def delete(
        self, item_id: UUID, *, expected_versions: Collection[int] | None = None
    ) -> bool:
        query = delete(ItemRow).where(ItemRow.id == item_id)
        if expected_versions is not None:
            query = query.where(ItemRow.version.in_(expected_versions))
        return _changed_a_row(await self._session.execute(query))

    async def totals(self, owner_id: UUID) -> ItemTotals:
        # Summed in cents by the database (the column's type), read back as a Decimal.
        summed = func.coalesce(func.sum(ItemRow.price), Decimal(0))
        query = select(func.count(), summed).where(ItemRow.owner_id == owner_id)
        count, total = (await self._session.execute(query)).one()
        return ItemTotals(count=int(count), total_price=total)


def _changed_a_row(result: Any) -> bool:
    return bool(result.rowcount)
