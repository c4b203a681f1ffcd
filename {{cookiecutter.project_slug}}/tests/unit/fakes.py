"""In-memory fakes of the domain's ports: obviously correct, no server, no SQLAlchemy."""

from dataclasses import replace
from types import TracebackType
from typing import Self
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.pagination import Page, PageRequest
{%- if cookiecutter.include_example_domain == "y" %}
from {{ cookiecutter.package_name }}.domain.items.entities import Item


class InMemoryItems:
    def __init__(self) -> None:
        self.rows: dict[UUID, Item] = {}

    async def get(self, item_id: UUID, *, for_update: bool = False) -> Item | None:
        return self.rows.get(item_id)

    async def list(self, page: PageRequest) -> Page[Item]:
        newest_first = sorted(self.rows.values(), key=lambda item: item.created_at, reverse=True)
        window = newest_first[page.offset : page.offset + page.limit]
        return Page(items=window, total=len(self.rows), request=page)

    async def add(self, item: Item) -> None:
        self.rows[item.id] = item

    async def update(self, item: Item) -> None:
        self.rows[item.id] = replace(item)

    async def delete(self, item_id: UUID) -> bool:
        return self.rows.pop(item_id, None) is not None
{%- endif %}


class FakeUnitOfWork:
    """Changes become visible in `committed` state only on `commit()`, like a real transaction."""

    def __init__(self) -> None:
{%- if cookiecutter.include_example_domain == "y" %}
        self.committed_items = InMemoryItems()
        self.items = InMemoryItems()
{%- endif %}
        self.commits = 0

    async def __aenter__(self) -> Self:
{%- if cookiecutter.include_example_domain == "y" %}
        self.items.rows = dict(self.committed_items.rows)
{%- endif %}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    async def commit(self) -> None:
{%- if cookiecutter.include_example_domain == "y" %}
        self.committed_items.rows = dict(self.items.rows)
{%- endif %}
        self.commits += 1
