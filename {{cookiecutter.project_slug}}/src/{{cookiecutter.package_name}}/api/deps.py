"""What routes depend on, as `Annotated` aliases; the composition root supplies the adapters.

Every provider is `async def`: FastAPI runs plain `def` dependencies in a thread pool, which
costs a hop per request for no benefit when nothing blocks.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ..domain.health import HealthCheck
{%- if cookiecutter.include_example_domain == "y" %}
from ..domain.items.service import ItemService
{%- endif %}
from ..domain.pagination import PageRequest
from ..domain.unit_of_work import UnitOfWork
from .schemas.pagination import page_request


@dataclass(frozen=True, slots=True)
class ApiDependencies:
    """The ports the API needs, implemented by adapters the composition root chose."""

    unit_of_work: Callable[[], UnitOfWork]
    health_checks: Sequence[HealthCheck]


async def api_dependencies(request: Request) -> ApiDependencies:
    dependencies: ApiDependencies = request.app.state.dependencies
    return dependencies


Dependencies = Annotated[ApiDependencies, Depends(api_dependencies)]
Pagination = Annotated[PageRequest, Depends(page_request)]
{%- if cookiecutter.include_example_domain == "y" %}


async def item_service(dependencies: Dependencies) -> ItemService:
    return ItemService(dependencies.unit_of_work())


Items = Annotated[ItemService, Depends(item_service)]
{%- endif %}
