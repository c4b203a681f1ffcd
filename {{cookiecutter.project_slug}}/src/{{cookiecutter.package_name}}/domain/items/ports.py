"""What the item service needs from the outside world, stated as protocols."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ..cache import Cache
from ..pagination import Page, PageRequest
from .entities import Item


class ItemCache(Cache[UUID, Item], Protocol):
    """Items by id; the adapter (Redis or in-process) is chosen in `create_app()`."""


@dataclass(frozen=True, slots=True)
class ItemTotals:
    count: int
    total_price: Decimal


class ItemRepository(Protocol):
    async def get(self, item_id: UUID, *, for_update: bool = False) -> Item | None: ...

    async def list(self, page: PageRequest, *, owner_id: UUID | None = None) -> Page[Item]:
        """Newest first; only `owner_id`'s items when it is given."""
        ...

    async def add(self, item: Item) -> None: ...

    async def update(self, item: Item) -> None: ...

    async def delete(self, item_id: UUID) -> bool: ...

    async def totals(self, owner_id: UUID) -> ItemTotals:
        """How many items `owner_id` has, and their prices summed."""
        ...
