"""Items stored with SQLAlchemy, translated to and from the domain entity."""

from decimal import Decimal
from uuid import UUID

from sqlalchemy import bindparam, delete, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.items.entities import Item
from ...domain.items.ports import ItemTotals
from ...domain.pagination import Page, PageRequest
from .tables import ItemRow


def item_from_row(row: ItemRow) -> Item:
    return Item(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        description=row.description,
        price=row.price,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


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

    async def list(self, page: PageRequest, *, owner_id: UUID | None = None) -> Page[Item]:
        owned = ItemRow.owner_id == owner_id if owner_id is not None else true()
        total = await self._session.scalar(select(func.count()).select_from(ItemRow).where(owned))
        rows = await self._session.scalars(
            select(ItemRow)
            .where(owned)
            .order_by(ItemRow.created_at.desc(), ItemRow.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        return Page(items=[item_from_row(row) for row in rows], total=total or 0, request=page)

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
            )
        )
        await self._session.flush()

    async def update(self, item: Item) -> None:
        await self._session.execute(
            update(ItemRow)
            .where(ItemRow.id == item.id)
            .values(
                name=item.name,
                description=item.description,
                price=item.price,
                updated_at=item.updated_at,
            )
        )

    async def delete(self, item_id: UUID) -> bool:
        result = await self._session.execute(delete(ItemRow).where(ItemRow.id == item_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def totals(self, owner_id: UUID) -> ItemTotals:
        # Summed in cents by the database (the column's type), read back as a Decimal.
        summed = func.coalesce(func.sum(ItemRow.price), Decimal(0))
        query = select(func.count(), summed).where(ItemRow.owner_id == owner_id)
        count, total = (await self._session.execute(query)).one()
        return ItemTotals(count=int(count), total_price=total)
