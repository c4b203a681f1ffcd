"""What the item service needs from the outside world, stated as protocols."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ..cache import Cache
from ..pagination import Page, PageRequest, Sorting
from .entities import Item

ITEM_SORTING = Sorting({"created_at": datetime, "name": str, "price": Decimal})


class ItemCache(Cache[UUID, Item], Protocol):
    """Items by id; the adapter (Redis or in-process) is chosen in `create_app()`."""


@dataclass(frozen=True, slots=True)
class ItemTotals:
    count: int
    total_price: Decimal


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """What a caller narrows a listing to; `None` leaves that condition out."""

    name_contains: str | None = None  # ignoring case, and `%` or `_` are plain characters
    min_price: Decimal | None = None
    max_price: Decimal | None = None


class ItemRepository(Protocol):
    async def get(self, item_id: UUID, *, for_update: bool = False) -> Item | None: ...

    async def list(
        self, page: PageRequest, where: ItemFilter, *, owner_id: UUID | None = None
    ) -> Page[Item]:
        """In `page.order` (one of `ITEM_SORTING`); only `owner_id`'s items when it is given."""
        ...

    async def add(self, item: Item) -> None: ...

    async def update(self, item: Item, *, expected_versions: Collection[int]) -> bool:
        """Writes `item` only if the stored row is at one of `expected_versions`, checked in
        the same statement: False, and nothing written, when it is not."""
        ...

    async def delete(
        self, item_id: UUID, *, expected_versions: Collection[int] | None = None
    ) -> bool:
        """False when no row was deleted: none with that id, or not at an expected version."""
        ...

    async def totals(self, owner_id: UUID) -> ItemTotals:
        """How many items `owner_id` has, and their prices summed."""
        ...
