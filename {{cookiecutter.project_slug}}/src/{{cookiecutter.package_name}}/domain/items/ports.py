"""What the item service needs from the outside world, stated as protocols."""

from typing import Protocol
from uuid import UUID

from ..pagination import Page, PageRequest
from .entities import Item


class ItemRepository(Protocol):
    async def get(self, item_id: UUID, *, for_update: bool = False) -> Item | None: ...

    async def list(self, page: PageRequest) -> Page[Item]: ...

    async def add(self, item: Item) -> None: ...

    async def update(self, item: Item) -> None: ...

    async def delete(self, item_id: UUID) -> bool: ...
