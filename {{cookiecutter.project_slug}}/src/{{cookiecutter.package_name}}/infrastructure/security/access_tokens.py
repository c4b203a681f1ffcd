"""Access tokens as signed JWTs (PyJWT), issued and verified as RFC 8725 advises.

Verification trusts nothing in the token's header: the algorithm is the configured one (so
`alg: none` and HS256-signed-with-the-RSA-public-key forgeries fail), every claim the service
relies on is required, and issuer, audience, expiry and token type are all checked.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final, Self
from uuid import UUID, uuid4

import jwt

from ...domain.auth.entities import AccessClaims, ClientClaims, IssuedAccessToken
from ...domain.auth.errors import InvalidAccessTokenError
from ...domain.clock import utc_now
from ...domain.permissions import Permission, Role
from ...shared.settings import Settings
from .jwt_keys import JwtKeys, load_jwt_keys

ACCESS_TOKEN_TYPE: Final = "access"  # noqa: S105 - the `typ` claim, not a secret
# The claims of a user's token; a service client's has `client_id` and `scope` for `role`.
REQUIRED_CLAIMS: Final = ["sub", "sid", "role", "iss", "aud", "iat", "exp", "jti", "typ"]
CLIENT_TOKEN_CLAIMS: Final = [*(c for c in REQUIRED_CLAIMS if c != "role"), "client_id", "scope"]
EVERY_TOKEN_CLAIMS: Final = [claim for claim in REQUIRED_CLAIMS if claim != "role"]
# Tolerated clock difference between the host that issued a token and the one checking it.
LEEWAY_SECONDS: Final = 5
# Verified tokens remembered at most; when full, remembering starts over (simpler than LRU, and
# forgetting costs no more than one signature check).
MAX_REMEMBERED_TOKENS: Final = 10_000


class JwtAccessTokens:
    def __init__(
        self,
        keys: JwtKeys,
        *,
        issuer: str,
        audience: str,
        ttl_seconds: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._ttl = timedelta(seconds=ttl_seconds)
        self._clock = clock
        # token -> (its claims, its expiry as a Unix time). Checking a signature costs more than
        # the rest of a cached read, and what a token claims never changes, so a token is
        # verified once and then remembered until it expires. Revocation is not a claim: the
        # session is still checked on every request (`AccessStates`).
        self._verified: dict[str, tuple[AccessClaims, float]] = {}
        # The first part of every token we issue: they all have the same header, with no `kid`,
        # which tells them from an identity provider's tokens without decoding (provider_tokens.py).
        self.header = jwt.encode({}, keys.signing_key, algorithm=keys.algorithm).split(".")[0]

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        return cls(
            load_jwt_keys(settings),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
        )

    def issue(self, user_id: UUID, session_id: UUID, role: Role) -> IssuedAccessToken:
        # `role` for the holder (which menu to show); the service trusts only the current role.
        return self._signed(user_id, session_id, {"role": role.value})

    def issue_for_client(
        self, client_id: UUID, secret_id: UUID, permissions: frozenset[Permission]
    ) -> IssuedAccessToken:
        # RFC 9068 (section 2.2): with no user involved, `sub` is the client, and `client_id`
        # names it too; that claim is what tells a client's token from a user's. `scope` lists
        # what it was granted, for the caller's information: the service checks the current
        # grant on every request, and `sid` is its current secret, so a rotation ends the token.
        scope = " ".join(sorted(permissions))
        return self._signed(client_id, secret_id, {"client_id": str(client_id), "scope": scope})

    def _signed(
        self, subject: UUID, session_id: UUID, extra_claims: dict[str, str]
    ) -> IssuedAccessToken:
        now = self._clock()
        claims = {
            "sub": str(subject),
            "sid": str(session_id),
            **extra_claims,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "exp": now + self._ttl,
            "jti": uuid4().hex,
            "typ": ACCESS_TOKEN_TYPE,
        }
        token = jwt.encode(claims, self._keys.signing_key, algorithm=self._keys.algorithm)
        return IssuedAccessToken(token=token, expires_in_seconds=int(self._ttl.total_seconds()))

    def verify(self, token: str) -> AccessClaims:
        remembered = self._verified.get(token)
        if remembered is not None and self._clock().timestamp() < remembered[1]:
            return remembered[0]
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._keys.verification_key,
                algorithms=[self._keys.algorithm],
                issuer=self._issuer,
                audience=self._audience,
                leeway=LEEWAY_SECONDS,
                options={"require": EVERY_TOKEN_CLAIMS, "strict_aud": True},
            )
        except jwt.PyJWTError as error:
            raise InvalidAccessTokenError() from error
        # A refresh or ID token signed with the same key must not pass for an access token.
        if claims["typ"] != ACCESS_TOKEN_TYPE:
            raise InvalidAccessTokenError()
        verified = _claims_of(claims)
        if len(self._verified) >= MAX_REMEMBERED_TOKENS:
            self._verified.clear()
        self._verified[token] = (verified, float(claims["exp"]))
        return verified


def _claims_of(claims: dict[str, Any]) -> AccessClaims:
    """A user's token names a role, a service client's its `client_id` (and never both)."""
    subject, session = _uuid(claims["sub"]), _uuid(claims["sid"])
    if "client_id" in claims:
        if claims["client_id"] != claims["sub"] or "role" in claims:
            raise InvalidAccessTokenError()
        return ClientClaims(user_id=subject, session_id=session)
    if "role" not in claims:
        raise InvalidAccessTokenError()
    return AccessClaims(user_id=subject, session_id=session)


def _uuid(value: object) -> UUID:
    try:
        return UUID(str(value))
    except ValueError as error:
        raise InvalidAccessTokenError() from error
