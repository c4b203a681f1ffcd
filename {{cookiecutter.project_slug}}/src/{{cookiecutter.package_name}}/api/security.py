"""Who is calling (authentication), whether they may (authorization), and the service they
work through, as one dependency per route (ADR 0004; the aliases are in deps.py).

No token or a bad one is a 401; a caller over the rate limit a 429 (rate_limits.py); a good
token whose role lacks the permission is a 403, and so is a service client's token on a route
that names no permission (those are a user's own account: `/users/me`, sessions). Every
`Authorize` is an OAuth2 scheme, so the OpenAPI document marks each protected endpoint and the
docs page's Authorize button signs in through `/api/v1/auth/token`, as a user (password flow)
or as a service client (client-credentials flow).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from fastapi import Request
from fastapi.openapi.models import OAuth2 as OAuth2Model
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2PasswordBearer

from ..domain.actor import Actor
from ..domain.auth.authenticator import Authenticator
from ..domain.auth.entities import AccessClaims
from ..domain.auth.errors import NotAuthenticatedError
from ..domain.auth.provider_sign_in import ProviderSignIn
from ..domain.errors import PermissionDeniedError
from ..domain.permissions import Permission
from ..domain.rate_limits import user_caller
from ..domain.service_clients.errors import NotAUserError
from ..shared.request_context import user_id_var
from .ports import RequestPorts, RequestReads, api_dependencies
from .rate_limits import enforce_rate_limit

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret
# Both grants of the token endpoint, so the docs page's Authorize dialog offers both.
SIGN_IN_FLOWS = OAuth2Model(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_URL),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL),
    )
)

S = TypeVar("S")
# Builds a route's service from the adapters and this request's caches (deps.py has them).
ServiceFactory = Callable[[RequestPorts], S]
# Names, before the access check reads the caches, what else the route will read from them
# (deps.py has two): with Redis, all of it comes back in one round trip.
Announcement = Callable[[Request, AccessClaims, RequestReads], None]


@dataclass(frozen=True, slots=True)
class Authorized(Generic[S]):
    """A caller allowed to use the route, and the service the route works through."""

    actor: Actor
    service: S


class Authorize(OAuth2PasswordBearer, Generic[S]):
    """The dependency of a route that needs a caller: checks the caller and builds the service.

    It subclasses FastAPI's OAuth2 scheme, as FastAPI's docs do for custom token handling, so
    that the scheme, the access check and the service come from one dependency (ADR 0004).
    """

    def __init__(
        self,
        service: ServiceFactory[S],
        permission: Permission | None = None,
        *,
        announce: Announcement | None = None,
    ) -> None:
        # auto_error=False: a missing token becomes a domain error, answered as a problem. One
        # scheme name for all of them: the OpenAPI document shows one way to sign in.
        super().__init__(tokenUrl=TOKEN_URL, scheme_name="OAuth2PasswordBearer", auto_error=False)
        self.model = SIGN_IN_FLOWS
        self.service = service
        self.permission = permission
        self.announce = announce

    async def __call__(self, request: Request) -> Authorized[S]:  # type: ignore[override]
        actor, ports = await self.check(request)
        return Authorized(actor, self.service(ports))

    async def check(self, request: Request) -> tuple[Actor, RequestPorts]:
        """The caller, allowed to use the route, and what their service is built from."""
        token = await super().__call__(request)
        if token is None:
            raise NotAuthenticatedError()
        dependencies = api_dependencies(request)
        reads = dependencies.request_reads()
        provider = dependencies.provider_tokens
        access: Authenticator | ProviderSignIn
        # One branch: without OIDC_ISSUER, `provider` is None and our own tokens' path is as it
        # was; with it, our tokens are told apart by their header (provider_tokens.py).
        if provider is not None and provider.issued(token):
            access = ProviderSignIn(reads.access_states, reads.profiles, dependencies.unit_of_work)
            claims: AccessClaims = await provider.verify(token)
        else:
            access = Authenticator(dependencies.access_tokens, reads.access_states)
            claims = access.verify(token)
        user_id_var.set(str(claims.user_id))  # from here on, the request's logs name the caller
        caller, rate_limit = user_caller(claims.user_id), dependencies.rate_limit
        if rate_limit is not None:
            reads.counter.prefetch_hit(caller, rate_limit.window_seconds)
        if self.announce is not None:
            self.announce(request, claims, reads)
        # The access check reads through this request's caches: with Redis, its lookup carries
        # whatever was announced, and the caller's count, in the same round trip.
        actor = await access.actor(claims)
        await enforce_rate_limit(request, reads.counter, rate_limit, caller)
        if self.permission is None:
            if actor.is_client:
                raise NotAUserError()
        elif not actor.may(self.permission):
            raise PermissionDeniedError(
                f"Your role does not grant the `{self.permission}` permission."
            )
        return actor, RequestPorts(dependencies, reads)
