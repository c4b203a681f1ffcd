"""The rate limit in a request (SPEC 5): count the caller, refuse them over the limit, and keep
where they stand for the `RateLimit-*` headers that every answer to them carries.

Counted once per request, by the dependency that knows the caller: `Authorize` (security.py)
counts the signed-in user, whose count travels in the access check's round trip to Redis;
`Service` (deps.py) counts the client address of a request without a token.
"""

from starlette.requests import Request
from starlette.types import Scope

from ..domain.rate_limits import (
    RateLimiter,
    RateLimitExceededError,
    RateLimitPolicy,
    RateLimitState,
    WindowCounter,
)

RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
_STATE_KEY = "rate_limit"  # in the request's state: the scope's, which the middleware reads


async def enforce_rate_limit(
    request: Request, counter: WindowCounter, policy: RateLimitPolicy | None, caller: str
) -> None:
    """Counts this request for `caller`. Raises `RateLimitExceededError` over the limit."""
    if policy is None:  # RATE_LIMIT_PER_MINUTE=0
        return
    state = await RateLimiter(counter, policy).count(caller)
    if state is None:  # could not count: fail open, without headers that would guess
        return
    request.scope.setdefault("state", {})[_STATE_KEY] = state
    if state.exceeded:
        raise RateLimitExceededError(state)


def client_address(request: Request) -> str:
    # Behind a proxy this is the proxy's address unless the server trusts its
    # X-Forwarded-For (uvicorn's --forwarded-allow-ips; docs/operations.md).
    return request.client.host if request.client else "unknown"


def rate_limit_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The `RateLimit-*` headers for the answer to this request; none if it was not counted."""
    state: RateLimitState | None = scope.get("state", {}).get(_STATE_KEY)
    if state is None:
        return []
    values = (state.limit, max(state.remaining, 0), state.reset_seconds)
    return [
        (name.lower().encode(), str(value).encode())
        for name, value in zip(RATE_LIMIT_HEADERS, values, strict=True)
    ]
