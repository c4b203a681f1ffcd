"""Who is calling (authentication) and whether they may (authorization), as dependencies.

Endpoints declare what they need where they are declared:

    @router.get("", dependencies=[Depends(require("users:read"))])
    async def list_users(...): ...

    async def update_user(actor: Annotated[Actor, Depends(require("users:write"))], ...): ...

Both go through the OAuth2 scheme below, so the OpenAPI document marks every protected endpoint
and the docs page's Authorize button signs in through `/api/v1/auth/token`.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from ..domain.actor import Actor
from ..domain.auth.authenticator import Authenticator
from ..domain.auth.errors import NotAuthenticatedError
from ..domain.errors import PermissionDeniedError
from ..domain.permissions import Permission
from .deps import Dependencies, Reads

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret

# auto_error=False: a missing token becomes a domain error, answered as a problem like any other.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


async def current_actor(
    dependencies: Dependencies, reads: Reads, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Actor:
    if token is None:
        raise NotAuthenticatedError()
    # The access check reads through this request's caches: with Redis, its lookup carries
    # whatever the route announced (`prefetch_item`) in the same round trip.
    authenticator = Authenticator(dependencies.access_tokens, reads.access_states)
    return await authenticator.authenticate(token)


CurrentActor = Annotated[Actor, Depends(current_actor)]


def require(permission: str) -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency that lets the request through only if the actor's role grants `permission`.

    No token or a bad one is a 401 (from `current_actor`); a good token without the permission
    is a 403. A misspelt permission fails when the router module is imported, not on a request.
    """
    needed = Permission(permission)

    async def check_permission(actor: CurrentActor) -> Actor:
        if not actor.may(needed):
            raise PermissionDeniedError(f"Your role does not grant the `{needed}` permission.")
        return actor

    return check_permission
