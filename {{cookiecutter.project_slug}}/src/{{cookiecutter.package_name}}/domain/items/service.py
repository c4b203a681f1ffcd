"""Use cases on items. Transactions belong to the unit of work; HTTP is none of its business."""

from collections.abc import Collection
from uuid import UUID

from ..actor import Actor
from ..errors import PermissionDeniedError
from ..pagination import Page, PageRequest
from ..permissions import Permission
from ..unit_of_work import UnitOfWork
from .entities import Item, ItemChanges
from .errors import ItemChangedError, ItemNotFoundError
from .ports import ItemCache, ItemFilter


class ItemService:
    def __init__(self, uow: UnitOfWork, cache: ItemCache) -> None:
        self._uow = uow
        self._cache = cache

    async def create(self, item: Item) -> Item:
        async with self._uow as uow:
            await uow.items.add(item)
            await uow.commit()
        return item

    async def get(self, actor: Actor, item_id: UUID) -> Item:
        item = await self._cache.get_or_load(item_id, lambda: self._load(item_id))
        if item is None or not _may_read(actor, item):
            raise ItemNotFoundError(item_id)  # someone else's item: 404, no existence leak
        return item

    async def _load(self, item_id: UUID) -> Item | None:
        async with self._uow.read_only() as uow:
            return await uow.items.get(item_id)

    async def list(self, actor: Actor, page: PageRequest, where: ItemFilter) -> Page[Item]:
        owner_id = None if actor.may(Permission.ITEMS_READ_ANY) else actor.user_id
        # A transaction, though it only reads: the page and its total must agree.
        async with self._uow as uow:
            return await uow.items.list(page, where, owner_id=owner_id)

    async def update(
        self,
        actor: Actor,
        item_id: UUID,
        changes: ItemChanges,
        *,
        expected_versions: Collection[int] | None = None,
    ) -> Item:
        """`expected_versions` (from `If-Match`): change the item only if it is still at one of
        them. Without it the last write wins, field by field (docs/for-callers.md)."""
        async with self._uow as uow:
            current = await _lock_for_writing(uow, actor, item_id)
            updated = current.with_changes(changes)
            expected = {current.version} if expected_versions is None else expected_versions
            # Checked by the UPDATE itself, so that no write can slip in between check and write.
            if not await uow.items.update(updated, expected_versions=expected):
                raise ItemChangedError(item_id)
            await uow.commit()
        # After the commit, never before: forgetting first would let a read between the two
        # store the old row again. Outside the block, so the connection is already returned.
        await self._cache.forget(item_id)
        return updated

    async def delete(
        self, actor: Actor, item_id: UUID, *, expected_versions: Collection[int] | None = None
    ) -> None:
        async with self._uow as uow:
            await _lock_for_writing(uow, actor, item_id)
            deleted = await uow.items.delete(item_id, expected_versions=expected_versions)
            if not deleted and expected_versions is not None:
                raise ItemChangedError(item_id)
            await uow.commit()
        await self._cache.forget(item_id)


def _may_read(actor: Actor, item: Item) -> bool:
    return actor.may(Permission.ITEMS_READ) and (
        actor.owns(item.owner_id) or actor.may(Permission.ITEMS_READ_ANY)
    )


def _may_write(actor: Actor, item: Item) -> bool:
    return actor.may(Permission.ITEMS_WRITE) and (
        actor.owns(item.owner_id) or actor.may(Permission.ITEMS_WRITE_ANY)
    )


async def _lock_for_writing(uow: UnitOfWork, actor: Actor, item_id: UUID) -> Item:
    # Locking the row makes concurrent partial updates apply one after the other
    # instead of the later one silently undoing the earlier one.
    item = await uow.items.get(item_id, for_update=True)
    if item is None or not _may_read(actor, item):
        raise ItemNotFoundError(item_id)
    if not _may_write(actor, item):
        raise PermissionDeniedError(f"You may read item {item_id} but not change it.")
    return item
