"""Rate limiting: each caller may send `limit` requests per window (a minute by default).

The caller is the signed-in user, or the client address for a request without a token. A fixed
window: the caller's first request starts it, and the count starts again from zero when it
ends. One counter per caller, which is precise enough to stop a runaway client; a client can
send up to twice the limit across the end of a window, the usual price of fixed windows (a
sliding window would cost a sorted set per caller and a second command per request).

The counter is the same port the sign-in throttle counts failures with (`WindowCounter`): in
Redis, shared by every process, or in process memory in embedded mode. It fails open: when it
cannot count, the request goes through, because refusing everyone is worse than counting no one
for a while.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from .errors import TooManyRequestsError


@dataclass(frozen=True, slots=True)
class WindowCount:
    count: int
    retry_after_seconds: int  # until the window ends and the count starts again from zero


class WindowCounter(Protocol):
    """Counts events per key in fixed time windows (failed sign-ins, requests). Adapters fail
    open: an outage counts nothing rather than locking everybody out."""

    async def counts(self, keys: Sequence[str]) -> list[WindowCount]: ...

    async def add(self, keys: Sequence[str], window_seconds: int) -> None: ...

    async def hit(self, key: str, window_seconds: int) -> WindowCount | None:
        """Adds one to `key` and returns its count with this one; `None` when it could not
        count (the store is unavailable)."""
        ...

    async def reset(self, key: str) -> None: ...


@dataclass(frozen=True, slots=True)
class RateLimitPolicy:
    limit: int  # requests per window, per caller
    window_seconds: int = 60


@dataclass(frozen=True, slots=True)
class RateLimitState:
    """Where a caller stands after this request: what the `RateLimit-*` headers say."""

    limit: int
    remaining: int
    reset_seconds: int  # until the window ends

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0


class RateLimitExceededError(TooManyRequestsError):
    code = "rate-limit-exceeded"

    def __init__(self, state: RateLimitState) -> None:
        super().__init__(
            f"More than {state.limit} requests in a window; "
            f"try again in {state.reset_seconds} seconds.",
            state.reset_seconds,
        )
        self.state = state


def user_caller(user_id: UUID) -> str:
    return f"rate:user:{user_id}"


def client_caller(address: str) -> str:
    return f"rate:client:{address}"


class RateLimiter:
    def __init__(self, counter: WindowCounter, policy: RateLimitPolicy) -> None:
        self._counter = counter
        self._policy = policy

    async def count(self, caller: str) -> RateLimitState | None:
        """Counts this request of `caller`; `None` when nothing could be counted (fail open).
        A state that is `exceeded` means: refuse the request."""
        counted = await self._counter.hit(caller, self._policy.window_seconds)
        if counted is None:
            return None
        limit = self._policy.limit
        return RateLimitState(limit, limit - counted.count, counted.retry_after_seconds)
