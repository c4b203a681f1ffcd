"""What routes depend on; the composition root supplies the adapters behind it.

A route takes its service from one dependency: `Authorize` (security.py) for a caller's
request, `Service` below for a route open to anyone. Services are built by plain functions of
the ports and the request's caches, so that one dependency can authenticate, announce what the
route will read, and build the service, all on the same `RequestReads`. Why one: FastAPI
resolves each dependency at a cost (measured here: a chain of seven took a third of a cached
read's time), and a value shared between dependencies would need one more to carry it.

Every dependency is `async def`: FastAPI runs plain `def` dependencies in a thread pool, which
costs a hop per request for no benefit when nothing blocks.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar
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

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class ApiDependencies:
    """The ports the API needs, implemented by adapters the composition root chose."""

    unit_of_work: Callable[[], UnitOfWork]
    health_checks: Sequence[HealthCheck]
    request_reads: Callable[[], RequestReads]  # a fresh one per request
    access_tokens: AccessTokens
    access_states: AccessStates
    password_hasher: PasswordHasher
    login_throttle: LoginThrottle
    session_policy: SessionPolicy


ServiceFactory = Callable[[ApiDependencies, RequestReads], S]


def api_dependencies(request: Request) -> ApiDependencies:
    """The adapters `create_app()` put on the application."""
    dependencies: ApiDependencies = request.app.state.dependencies
    return dependencies


class Service(Generic[S]):
    """A dependency that builds a service for a route that needs no caller (sign-in, say)."""

    def __init__(self, factory: ServiceFactory[S]) -> None:
        self.factory = factory

    async def __call__(self, request: Request) -> S:
        dependencies = api_dependencies(request)
        return self.factory(dependencies, dependencies.request_reads())


def user_service(dependencies: ApiDependencies, _reads: RequestReads) -> UserService:
    return UserService(
        dependencies.unit_of_work(), dependencies.password_hasher, dependencies.access_states
    )


def auth_service(dependencies: ApiDependencies, _reads: RequestReads) -> AuthService:
    return AuthService(
        dependencies.unit_of_work(),
        dependencies.password_hasher,
        dependencies.access_tokens,
        dependencies.access_states,
        dependencies.login_throttle,
        dependencies.session_policy,
    )


Users = Annotated[UserService, Depends(Service(user_service))]
Auth = Annotated[AuthService, Depends(Service(auth_service))]
Pagination = Annotated[PageRequest, Depends(page_request)]
{%- if cookiecutter.include_example_domain == "y" %}


def item_service(dependencies: ApiDependencies, reads: RequestReads) -> ItemService:
    return ItemService(dependencies.unit_of_work(), reads.items)


def item_in_path(request: Request, reads: RequestReads) -> None:
    """Announce the item of `{item_id}` before authentication reads the session, so that both
    lookups share one round trip to Redis. A malformed id is left to the route's validation."""
    try:
        item_id = UUID(request.path_params["item_id"])
    except ValueError:
        return
    reads.items.prefetch(item_id)
{%- endif %}
