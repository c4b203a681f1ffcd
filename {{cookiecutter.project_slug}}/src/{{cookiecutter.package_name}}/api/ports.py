"""What the API needs from the composition root: the adapters behind the domain's ports, and
the caches as one request reads them. `create_app()` puts an `ApiDependencies` on the app."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar
from uuid import UUID

from fastapi import Request

from ..domain.auth.login_throttle import LoginThrottle
from ..domain.auth.ports import AccessStates, AccessTokens, ProviderTokens
from ..domain.auth.service import SessionPolicy
from ..domain.cache import Cache
from ..domain.health import HealthCheck
from ..domain.idempotency import IdempotencyPolicy
{%- if cookiecutter.include_example_domain == "y" %}
from ..domain.items.entities import Item
{%- endif %}
from ..domain.rate_limits import RateLimitPolicy, WindowCounter
from ..domain.unit_of_work import UnitOfWork
from ..domain.users.entities import UserProfile
from ..domain.users.passwords import PasswordStrengthEstimator
from ..domain.users.ports import PasswordHasher

K_contra = TypeVar("K_contra", contravariant=True)
V = TypeVar("V")


class PrefetchingCache(Cache[K_contra, V], Protocol[K_contra, V]):
    def prefetch(self, key: K_contra) -> None:
        """Before the request's first cache read: `key` will be read too. With Redis, it is
        fetched in the same round trip as that first read (docs/caching.md)."""
        ...


class PrefetchingCounter(WindowCounter, Protocol):
    def prefetch_hit(self, key: str, window_seconds: int) -> None:
        """Before the request's first cache read: `key` will be hit too. With Redis, the count
        comes back in the same round trip as that first read."""
        ...


class RequestReads(Protocol):
    """The caches as one request reads them, and its counts: a fresh one per request."""

    @property
    def access_states(self) -> AccessStates: ...

    @property
    def profiles(self) -> PrefetchingCache[UUID, UserProfile]: ...

    @property
    def counter(self) -> PrefetchingCounter: ...
{%- if cookiecutter.include_example_domain == "y" %}

    @property
    def items(self) -> PrefetchingCache[UUID, Item]: ...
{%- endif %}


class MetricsPage(Protocol):
    async def render(self, accept: str) -> tuple[bytes, str]:
        """The metrics exposition and its content type, in the format `accept` asks for."""
        ...


@dataclass(frozen=True, slots=True)
class ApiDependencies:
    """The ports the API needs, implemented by adapters the composition root chose."""

    unit_of_work: Callable[[], UnitOfWork]
    request_reads: Callable[[], RequestReads]
    health_checks: Sequence[HealthCheck]
    access_tokens: AccessTokens
    # The identity provider's tokens, accepted beside ours; None without OIDC_ISSUER.
    provider_tokens: ProviderTokens | None
    password_hasher: PasswordHasher
    login_throttle: LoginThrottle
    rate_limit: RateLimitPolicy | None  # None: RATE_LIMIT_PER_MINUTE=0
    session_policy: SessionPolicy
    idempotency: IdempotencyPolicy
    password_strength: PasswordStrengthEstimator
    # Reset requests and confirmations, counted like sign-ins but apart from them.
    reset_throttle: LoginThrottle
    metrics: MetricsPage


@dataclass(frozen=True, slots=True)
class RequestPorts:
    """What one request's service is built from: the process's adapters, and the caches as
    this request reads them. A factory in deps.py takes one and uses what it needs."""

    adapters: ApiDependencies
    reads: RequestReads


def api_dependencies(request: Request) -> ApiDependencies:
    """The adapters `create_app()` put on the application."""
    dependencies: ApiDependencies = request.app.state.dependencies
    return dependencies
