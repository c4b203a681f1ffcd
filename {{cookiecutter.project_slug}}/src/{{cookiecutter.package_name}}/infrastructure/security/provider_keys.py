"""The identity provider's signing keys (its JWKS), fetched through the outbound client, cached.

Fetched with the service's outbound client (infrastructure/http) and parsed by `jwt.PyJWKSet`,
rather than with `jwt.PyJWKClient`: PyJWKClient fetches with urllib, which blocks. On the event
loop that would stall every request while the provider answers; in a thread it would still
escape the timeouts, retries, breaker, spans and metrics that every outbound call gets here.

The keys are fetched when a token first needs them and kept. A token naming a `kid` we do not
hold causes one refetch (the provider rotated its keys), but never more than one a minute: a
stream of tokens with made-up `kid`s must not become a stream of requests to the provider.
Concurrent requests wait for one fetch rather than each starting their own.
"""

import asyncio
from collections.abc import Callable
from time import monotonic
from typing import Any, Final

import httpx
import jwt

from ...domain.auth.errors import IdentityProviderUnavailableError, InvalidAccessTokenError
from ...shared.logging import get_logger
from ..http.client import ResilientHttpClient, UpstreamUnavailable

# The least time between two fetches of the keys.
REFETCH_INTERVAL_SECONDS: Final = 60.0
METADATA_PATH: Final = "/.well-known/openid-configuration"

logger = get_logger(__name__)


class KeysNotFetched(Exception):  # noqa: N818 - a condition, answered with a 503
    """The provider's metadata or keys could not be had; the message says why in a few words."""


class ProviderKeys:
    def __init__(
        self,
        http: ResilientHttpClient,
        *,
        issuer: str,
        jwks_url: str | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._http = http
        self._issuer = issuer
        self._jwks_url = jwks_url  # None until discovered from the issuer's metadata
        self._clock = clock or _now
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # the last attempt, whatever came of it
        self._last_fetch_failed = False
        self._fetching = asyncio.Lock()

    async def key(self, kid: str) -> jwt.PyJWK:
        """The key with this id. Raises `InvalidAccessTokenError` when the provider does not
        have it, and `IdentityProviderUnavailableError` when the provider could not be asked."""
        found = self._keys.get(kid)
        if found is not None:
            return found
        async with self._fetching:
            if kid not in self._keys:  # the fetch we waited for may have brought it
                await self._refetch_unless_recent()
        found = self._keys.get(kid)
        if found is None:
            raise InvalidAccessTokenError()
        return found

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _refetch_unless_recent(self) -> None:
        now = self._clock()
        if self._fetched_at is not None and now - self._fetched_at < REFETCH_INTERVAL_SECONDS:
            if self._last_fetch_failed:
                raise IdentityProviderUnavailableError(self._seconds_to_next_fetch(now))
            return  # the keys are as fresh as we may have them: the kid is unknown
        # Counted before the fetch: one that fails or is cancelled counts too.
        self._fetched_at, self._last_fetch_failed = now, True
        try:
            self._keys = await self._fetch_keys()
        except KeysNotFetched as error:
            logger.warning("identity provider keys not fetched", reason=str(error))
            raise IdentityProviderUnavailableError(int(REFETCH_INTERVAL_SECONDS)) from error
        self._last_fetch_failed = False
        logger.info("identity provider keys fetched", key_ids=sorted(self._keys))

    def _seconds_to_next_fetch(self, now: float) -> int:
        waited = now - (self._fetched_at or now)
        return max(1, int(REFETCH_INTERVAL_SECONDS - waited))

    async def _fetch_keys(self) -> dict[str, jwt.PyJWK]:
        if self._jwks_url is None:
            self._jwks_url = await self._discover_jwks_url()
        document = await self._get_json(self._jwks_url)
        try:
            key_set = jwt.PyJWKSet.from_dict(document)
        except jwt.PyJWTError as error:
            raise KeysNotFetched(f"unusable JWKS: {error}") from error
        # Signing keys with an id only: a token names its key by `kid`.
        return {
            key.key_id: key
            for key in key_set.keys
            if key.key_id is not None and key.public_key_use in (None, "sig")
        }

    async def _discover_jwks_url(self) -> str:
        metadata = await self._get_json(self._issuer.rstrip("/") + METADATA_PATH)
        # OpenID Connect Discovery 1.0, section 4.3: the metadata must name the same issuer.
        if metadata.get("issuer") != self._issuer:
            raise KeysNotFetched("the metadata names another issuer")
        jwks_uri = metadata.get("jwks_uri")
        if not isinstance(jwks_uri, str):
            raise KeysNotFetched("the metadata has no jwks_uri")
        return jwks_uri

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self._http.request("GET", url)
        except (UpstreamUnavailable, httpx.HTTPError, httpx.InvalidURL) as error:
            raise KeysNotFetched(str(error) or type(error).__name__) from error
        if not response.is_success:
            raise KeysNotFetched(f"{url} answered {response.status_code}")
        try:
            document = response.json()
        except ValueError as error:
            raise KeysNotFetched(f"{url} answered no JSON") from error
        if not isinstance(document, dict):
            raise KeysNotFetched(f"{url} answered no JSON object")
        return document


def _now() -> float:
    # Looked up at each call, so that a test can move this module's clock alone.
    return monotonic()
