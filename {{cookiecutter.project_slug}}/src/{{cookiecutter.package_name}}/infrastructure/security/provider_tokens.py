"""Access tokens signed by the identity provider (`OIDC_ISSUER`), verified with its keys.

As for our own tokens (access_tokens.py), nothing in the header is trusted: the algorithm must
be on the allow-list (`OIDC_ALGORITHMS`, asymmetric only, so `alg: none` and HS256 signed with
the public key fail) and be the key's own; issuer, audience and expiry are required and checked.
Which tokens come here is decided by their header alone: ours all share one header (no `kid`),
so anything else is the provider's, decided without decoding anything.
"""

import time
from collections.abc import Callable, Sequence
from typing import Any, Final

import jwt

from ...domain.auth.entities import ProviderClaims
from ...domain.auth.errors import InvalidAccessTokenError
from ...domain.auth.provider_sign_in import provider_user_id
from ...domain.permissions import Role
from ...domain.users.entities import EMAIL_MAX_LENGTH, FULL_NAME_MAX_LENGTH
from ...shared.settings import Settings
from ..http.client import create_http_client
from .provider_keys import ProviderKeys

REQUIRED_CLAIMS: Final = ["iss", "aud", "exp", "sub"]
LEEWAY_SECONDS: Final = 5  # as for our own tokens: clocks differ a little
MAX_REMEMBERED_TOKENS: Final = 10_000


class OidcProviderTokens:
    def __init__(
        self,
        keys: ProviderKeys,
        *,
        own_header: str,
        issuer: str,
        audience: str,
        algorithms: Sequence[str],
        roles_claim: str,
        admin_role: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._own_prefix = own_header + "."
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)
        self._roles_path = roles_claim.split(".")
        self._admin_role = admin_role
        self._clock = clock
        # As for our own tokens: a verified token is remembered until it expires, so that the
        # signature is checked once (the account is still checked on every request).
        self._verified: dict[str, tuple[ProviderClaims, float]] = {}

    def issued(self, token: str) -> bool:
        return not token.startswith(self._own_prefix)

    async def verify(self, token: str) -> ProviderClaims:
        remembered = self._verified.get(token)
        if remembered is not None and self._clock() < remembered[1]:
            return remembered[0]
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidAccessTokenError() from error
        kid, algorithm = header.get("kid"), header.get("alg")
        # Refused before any key is looked up: a forged header costs the provider nothing.
        if not isinstance(kid, str) or algorithm not in self._algorithms:
            raise InvalidAccessTokenError()
        key = await self._keys.key(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                issuer=self._issuer,
                audience=self._audience,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as error:
            raise InvalidAccessTokenError() from error
        verified = self._claims(claims)
        if len(self._verified) >= MAX_REMEMBERED_TOKENS:
            self._verified.clear()
        self._verified[token] = (verified, float(claims["exp"]))
        return verified

    def _claims(self, claims: dict[str, Any]) -> ProviderClaims:
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject:
            raise InvalidAccessTokenError()
        email, name = claims.get("email"), claims.get("name")
        return ProviderClaims(
            user_id=provider_user_id(self._issuer, subject),
            session_id=None,
            issuer=self._issuer,
            role=Role.ADMIN if self._admin_role in self._roles(claims) else Role.USER,
            email=email if _is_email(email) else None,
            full_name=name[:FULL_NAME_MAX_LENGTH] if isinstance(name, str) and name else None,
        )

    def _roles(self, claims: dict[str, Any]) -> list[str]:
        """The roles at the dotted path (`realm_access.roles`): a list, or a string of
        space-separated roles (as `scope` is); none when the path leads nowhere."""
        value: Any = claims
        for part in self._roles_path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str):
            return value.split()
        if isinstance(value, list):
            return [role for role in value if isinstance(role, str)]
        return []

    async def aclose(self) -> None:
        await self._keys.aclose()


def _is_email(value: object) -> bool:
    return isinstance(value, str) and "@" in value and len(value) <= EMAIL_MAX_LENGTH


def create_provider_tokens(settings: Settings, own_header: str) -> OidcProviderTokens | None:
    """The verifier of the provider's tokens; None without `OIDC_ISSUER`. `own_header` is the
    first part of every token of our own (`JwtAccessTokens.header`)."""
    if settings.oidc_issuer is None or settings.oidc_audience is None:
        return None
    keys = ProviderKeys(
        create_http_client(settings), issuer=settings.oidc_issuer, jwks_url=settings.oidc_jwks_url
    )
    return OidcProviderTokens(
        keys,
        own_header=own_header,
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        algorithms=settings.oidc_algorithms,
        roles_claim=settings.oidc_roles_claim,
        admin_role=settings.oidc_admin_role,
    )
