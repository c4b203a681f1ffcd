"""What routes depend on, as `Annotated` aliases named for what they give.

A route that needs a caller takes one `Authorized[...]` alias: the caller (`.actor`) and the
service (`.service`) from one dependency, `Authorize` (security.py; ADR 0004 says why one). A
route open to anyone takes its service alone. Tests replace any of them through
`app.dependency_overrides`, keyed by the lower-case object behind the alias.

Every dependency is `async def`: FastAPI runs plain `def` dependencies in a thread pool, which
costs a hop per request for no benefit when nothing blocks.
"""

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar
{%- if cookiecutter.include_example_domain == "y" %}
from uuid import UUID
{%- endif %}

from fastapi import Depends, Request

from ..domain.audit.service import AuditService
from ..domain.auth.entities import AccessClaims
from ..domain.auth.password_reset import PasswordResetService
from ..domain.auth.service import AuthService
from ..domain.auth.sessions import SessionService
{%- if cookiecutter.include_example_domain == "y" %}
from ..domain.items.ports import ITEM_SORTING, ItemFilter
from ..domain.items.service import ItemService
{%- endif %}
from ..domain.jobs.service import JobService
from ..domain.pagination import BY_CREATION, PageRequest
from ..domain.permissions import Permission
from ..domain.privacy.service import PrivacyService
from ..domain.rate_limits import client_caller
from ..domain.service_clients.service import ServiceClientService
from ..domain.users.passwords import PasswordPolicy
from ..domain.users.ports import USER_SORTING, UserFilter
from ..domain.users.service import UserService
from .idempotency import AuthorizeIdempotent, IdempotentCaller
from .ports import RequestPorts, RequestReads, api_dependencies
from .rate_limits import client_address, enforce_rate_limit
{%- if cookiecutter.include_example_domain == "y" %}
from .schemas.items import item_filter
{%- endif %}
from .schemas.pagination import page_query
from .schemas.users import user_filter
from .security import Authorize, Authorized, ServiceFactory

S = TypeVar("S")


def user_service(ports: RequestPorts) -> UserService:
    adapters = ports.adapters
    return UserService(
        adapters.unit_of_work(),
        adapters.password_hasher,
        ports.reads.access_states,
        ports.reads.profiles,
        PasswordPolicy(adapters.password_strength),
    )


def auth_service(ports: RequestPorts) -> AuthService:
    adapters = ports.adapters
    return AuthService(
        adapters.unit_of_work(),
        adapters.password_hasher,
        adapters.access_tokens,
        ports.reads.access_states,
        adapters.login_throttle,
        adapters.session_policy,
    )


def password_reset_service(ports: RequestPorts) -> PasswordResetService:
    adapters = ports.adapters
    return PasswordResetService(
        adapters.unit_of_work(),
        adapters.password_hasher,
        PasswordPolicy(adapters.password_strength),
        ports.reads.access_states,
        adapters.reset_throttle,
    )


def session_service(ports: RequestPorts) -> SessionService:
    return SessionService(ports.adapters.unit_of_work(), ports.reads.access_states)


def job_service(ports: RequestPorts) -> JobService:
    return JobService(ports.adapters.unit_of_work())


def privacy_service(ports: RequestPorts) -> PrivacyService:
    adapters = ports.adapters
    return PrivacyService(
        adapters.unit_of_work(),
        adapters.password_hasher,
        ports.reads.access_states,
        ports.reads.profiles,
    )


def audit_service(ports: RequestPorts) -> AuditService:
    return AuditService(ports.adapters.unit_of_work())


def service_client_service(ports: RequestPorts) -> ServiceClientService:
    adapters = ports.adapters
    return ServiceClientService(
        adapters.unit_of_work(),
        adapters.access_tokens,
        ports.reads.access_states,
        adapters.login_throttle,
    )


@dataclass(frozen=True, slots=True)
class TokenGrants:
    """The token endpoint's two grants: a user's password, a service client's credentials."""

    users: AuthService
    clients: ServiceClientService


def token_grants(ports: RequestPorts) -> TokenGrants:
    return TokenGrants(auth_service(ports), service_client_service(ports))


def own_profile(_request: Request, claims: AccessClaims, reads: RequestReads) -> None:
    """Announce the caller's profile, so that it shares the access check's round trip."""
    reads.profiles.prefetch(claims.user_id)
{%- if cookiecutter.include_example_domain == "y" %}


def item_service(ports: RequestPorts) -> ItemService:
    return ItemService(ports.adapters.unit_of_work(), ports.reads.items)


def item_in_path(request: Request, _claims: AccessClaims, reads: RequestReads) -> None:
    """Announce the item of `{item_id}` before the access check reads the session, so that both
    lookups share one round trip to Redis. A malformed id is left to the route's validation."""
    raw = request.path_params.get("item_id")
    try:
        item_id = UUID(raw)
    except (TypeError, ValueError):  # no item in this path, or not an id
        return
    reads.items.prefetch(item_id)
{%- endif %}


class Service(Generic[S]):
    """The dependency of a route that needs no caller (sign-in, say): its service alone. The
    request counts against the rate limit of its client address."""

    def __init__(self, factory: ServiceFactory[S]) -> None:
        self.factory = factory

    async def __call__(self, request: Request) -> S:
        dependencies = api_dependencies(request)
        reads = dependencies.request_reads()
        caller = client_caller(client_address(request))
        await enforce_rate_limit(request, reads.counter, dependencies.rate_limit, caller)
        return self.factory(RequestPorts(dependencies, reads))


# Routes open to anyone.
auth = Service(auth_service)
AuthServiceDep = Annotated[AuthService, Depends(auth)]
token_endpoint = Service(token_grants)
TokenGrantsDep = Annotated[TokenGrants, Depends(token_endpoint)]
users = Service(user_service)
UserServiceDep = Annotated[UserService, Depends(users)]
password_resets = Service(password_reset_service)
PasswordResetsDep = Annotated[PasswordResetService, Depends(password_resets)]
# Each listing's paging, with the fields it may be sorted by, and its filters.
Pagination = Annotated[PageRequest, Depends(page_query(BY_CREATION))]
UserPage = Annotated[PageRequest, Depends(page_query(USER_SORTING))]
UserFilterDep = Annotated[UserFilter, Depends(user_filter)]
{%- if cookiecutter.include_example_domain == "y" %}
ItemPage = Annotated[PageRequest, Depends(page_query(ITEM_SORTING))]
ItemFilterDep = Annotated[ItemFilter, Depends(item_filter)]
{%- endif %}

# Signed-in callers, with the permission each needs.
signed_in_user = Authorize(user_service, announce=own_profile)
SignedInUser = Annotated[Authorized[UserService], Depends(signed_in_user)]
user_reader = Authorize(user_service, Permission.USERS_READ)
UserReader = Annotated[Authorized[UserService], Depends(user_reader)]
user_admin = Authorize(user_service, Permission.USERS_WRITE)
UserAdmin = Annotated[Authorized[UserService], Depends(user_admin)]
account_owner = Authorize(privacy_service)
AccountOwner = Annotated[Authorized[PrivacyService], Depends(account_owner)]
privacy_admin = Authorize(privacy_service, Permission.USERS_WRITE)
PrivacyAdmin = Annotated[Authorized[PrivacyService], Depends(privacy_admin)]
audit_reader = Authorize(audit_service, Permission.AUDIT_READ)
AuditReader = Annotated[Authorized[AuditService], Depends(audit_reader)]
password_changer = Authorize(user_service)
PasswordChanger = Annotated[Authorized[UserService], Depends(password_changer)]
session_owner = Authorize(session_service)
SessionOwner = Annotated[Authorized[SessionService], Depends(session_owner)]
service_client_admin = Authorize(service_client_service, Permission.SERVICE_CLIENTS_WRITE)
ServiceClientAdmin = Annotated[Authorized[ServiceClientService], Depends(service_client_admin)]
# A route that creates takes an `Idempotency-Key` (api/idempotency.py).
job_creator = AuthorizeIdempotent(job_service, Permission.JOBS_CREATE)
JobCreator = Annotated[IdempotentCaller[JobService], Depends(job_creator)]
# Whose jobs the actor sees (their own, or all) is the service's decision.
job_viewer = Authorize(job_service)
JobViewer = Annotated[Authorized[JobService], Depends(job_viewer)]
{%- if cookiecutter.include_example_domain == "y" %}
# Which items the actor sees or changes (their own, or all) is the service's decision.
item_reader = Authorize(item_service, Permission.ITEMS_READ, announce=item_in_path)
ItemReader = Annotated[Authorized[ItemService], Depends(item_reader)]
item_writer = Authorize(item_service, Permission.ITEMS_WRITE)
ItemWriter = Annotated[Authorized[ItemService], Depends(item_writer)]
item_creator = AuthorizeIdempotent(item_service, Permission.ITEMS_WRITE)
ItemCreator = Annotated[IdempotentCaller[ItemService], Depends(item_creator)]
{%- endif %}
