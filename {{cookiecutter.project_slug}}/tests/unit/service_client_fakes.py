"""An in-memory fake of the service client repository."""

from typing import Self
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.pagination import Page, PageRequest, page_of
from {{ cookiecutter.package_name }}.domain.service_clients.entities import ServiceClient


class InMemoryServiceClients:
    def __init__(self) -> None:
        self.rows: dict[UUID, ServiceClient] = {}

    def copy(self) -> Self:
        copied = type(self)()
        copied.rows = dict(self.rows)
        return copied

    async def get(self, client_id: UUID, *, for_update: bool = False) -> ServiceClient | None:
        return self.rows.get(client_id)

    async def add(self, client: ServiceClient) -> None:
        self.rows[client.id] = client

    async def update(self, client: ServiceClient) -> None:
        self.rows[client.id] = client

    async def list_live(self, page: PageRequest) -> Page[ServiceClient]:
        live = [client for client in self.rows.values() if not client.is_revoked]
        live.sort(key=lambda client: (client.created_at, client.id), reverse=True)
        return page_of(live[page.offset : page.offset + page.limit + 1], len(live), page)
