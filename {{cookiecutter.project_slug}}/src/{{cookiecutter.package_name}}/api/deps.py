"""What routes depend on, as `Annotated` aliases; the composition root supplies the adapters.

Every provider is `async def`: FastAPI runs plain `def` dependencies in a thread pool, which
costs a hop per request for no benefit when nothing blocks.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated
{%- if cookiecutter.include_example_domain == "y" %}
from uuid import UUID
{%- endif %}

from fastapi import Depends, Request

from ..domain.auth.login_throttle import LoginThrottle
from ..domain.auth.ports import AccessStates, AccessTokens
from ..domain.auth.service import AuthService, SessionPolicy
from ..domain.health import HealthCheck
{%- if cookiecutter.include_example_domain == "y" %}
from ..domain.items.service import ItemService
{%- endif %}
from ..domain.pagination import PageRequest
from ..domain.request_reads import RequestReads
from ..domain.unit_of_work import UnitOfWork
from ..domain.users.ports import PasswordHasher
from ..domain.users.service import UserService
from .schemas.pagination import page_request


@dataclass(frozen=True, slots=True)
class ApiDependencies:
    """The ports the API needs, implemented by adapters the composition root chose."""

    unit_of_work: Callable[[], UnitOfWork]
    health_checks: Sequence[HealthCheck]
    request_reads: Callable[[], RequestReads]
    access_tokens: AccessTokens
    access_states: AccessStates
    password_hasher: PasswordHasher
    login_throttle: LoginThrottle
    session_policy: SessionPolicy


async def api_dependencies(request: Request) -> ApiDependencies:
    dependencies: ApiDependencies = request.app.state.dependencies
    return dependencies


Dependencies = Annotated[ApiDependencies, Depends(api_dependencies)]
Pagination = Annotated[PageRequest, Depends(page_request)]


async def request_reads(dependencies: Dependencies) -> RequestReads:
    """The caches as this request sees them: made once per request (FastAPI reuses a value
    within a request), so that their lookups can share one round trip (docs/caching.md)."""
    return dependencies.request_reads()


Reads = Annotated[RequestReads, Depends(request_reads)]


async def user_service(dependencies: Dependencies) -> UserService:
    return UserService(
        dependencies.unit_of_work(), dependencies.password_hasher, dependencies.access_states
    )


async def auth_service(dependencies: Dependencies) -> AuthService:
    return AuthService(
        dependencies.unit_of_work(),
        dependencies.password_hasher,
        dependencies.access_tokens,
        dependencies.access_states,
        dependencies.login_throttle,
        dependencies.session_policy,
    )


Users = Annotated[UserService, Depends(user_service)]
Auth = Annotated[AuthService, Depends(auth_service)]
{%- if cookiecutter.include_example_domain == "y" %}


async def item_service(dependencies: Dependencies, reads: Reads) -> ItemService:
    return ItemService(dependencies.unit_of_work(), reads.items)


async def prefetch_item(item_id: UUID, reads: Reads) -> None:
    """Announce the item's cache lookup before authentication runs, so that both share one round
    trip to Redis. A route lists it first in `dependencies`, which FastAPI resolves first."""
    reads.items.prefetch(item_id)


Items = Annotated[ItemService, Depends(item_service)]
{%- endif %}
