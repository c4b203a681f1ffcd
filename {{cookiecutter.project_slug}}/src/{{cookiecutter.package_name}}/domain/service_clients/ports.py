"""What service clients need from the outside world, stated as protocols."""

from typing import Protocol
from uuid import UUID

from ..pagination import Page, PageRequest
from .entities import ServiceClient


class ServiceClientRepository(Protocol):
    async def get(self, client_id: UUID, *, for_update: bool = False) -> ServiceClient | None:
        """Revoked clients too: the caller decides what a revoked one means."""
        ...

    async def add(self, client: ServiceClient) -> None: ...

    async def update(self, client: ServiceClient) -> None: ...

    async def list_live(self, page: PageRequest) -> Page[ServiceClient]:
        """The clients not revoked, newest first (the `created_at` order of `page`)."""
        ...
