"""Use cases on items. Transactions belong to the unit of work; HTTP is none of its business."""

from uuid import UUID

from ..pagination import Page, PageRequest
from ..unit_of_work import UnitOfWork
from .entities import Item, ItemChanges
from .errors import ItemNotFoundError


class ItemService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def create(self, item: Item) -> Item:
        async with self._uow as uow:
            await uow.items.add(item)
            await uow.commit()
        return item

    async def get(self, item_id: UUID) -> Item:
        async with self._uow as uow:
            item = await uow.items.get(item_id)
        if item is None:
            raise ItemNotFoundError(item_id)
        return item

    async def list(self, page: PageRequest) -> Page[Item]:
        async with self._uow as uow:
            return await uow.items.list(page)

    async def update(self, item_id: UUID, changes: ItemChanges) -> Item:
        async with self._uow as uow:
            # Locking the row makes concurrent partial updates apply one after the other
            # instead of the later one silently undoing the earlier one.
            current = await uow.items.get(item_id, for_update=True)
            if current is None:
                raise ItemNotFoundError(item_id)
            updated = current.with_changes(changes)
            await uow.items.update(updated)
            await uow.commit()
        return updated

    async def delete(self, item_id: UUID) -> None:
        async with self._uow as uow:
            if not await uow.items.delete(item_id):
                raise ItemNotFoundError(item_id)
            await uow.commit()
