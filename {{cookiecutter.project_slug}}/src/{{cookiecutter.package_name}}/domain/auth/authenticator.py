"""Turns the access token of a request into an actor, or refuses it. Runs on every request."""

from ..actor import Actor
from .entities import AccessClaims, ClientClaims
from .errors import InvalidAccessTokenError
from .ports import AccessStates, AccessTokens


class Authenticator:
    def __init__(self, tokens: AccessTokens, states: AccessStates) -> None:
        self._tokens = tokens
        self._states = states

    async def authenticate(self, token: str) -> Actor:
        return await self.actor(self.verify(token))

    def verify(self, token: str) -> AccessClaims:
        """What the token asserts, if its signature, expiry, issuer and audience hold."""
        return self._tokens.verify(token)

    async def actor(self, claims: AccessClaims) -> Actor:
        """Who the verified claims stand for, as of now."""
        if isinstance(claims, ClientClaims):
            return await self._client(claims)
        # A valid signature is not enough: the user may have been deactivated or deleted, or
        # the session revoked (logout, refresh-token reuse) since the token was issued.
        state = await self._states.get(claims.user_id, claims.session_id)
        if state is None or not state.grants_access:
            raise InvalidAccessTokenError()
        return Actor(user_id=claims.user_id, role=state.role, session_id=claims.session_id)

    async def _client(self, claims: ClientClaims) -> Actor:
        """The same check for a service client: revoked, or its secret rotated, since."""
        state = await self._states.get_client(claims.user_id)
        if state is None or not state.grants_access(claims.session_id):
            raise InvalidAccessTokenError()
        return Actor(
            user_id=claims.user_id,
            role=None,
            session_id=claims.session_id,
            granted=state.permissions,
        )
