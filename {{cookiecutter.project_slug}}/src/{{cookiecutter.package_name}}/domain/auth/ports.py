"""What signing in needs from the outside world, stated as protocols."""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from ..permissions import Permission, Role
from .entities import (
    AccessClaims,
    AccessState,
    ClientAccessState,
    IssuedAccessToken,
    PasswordResetToken,
    ProviderClaims,
    RefreshToken,
    RefreshTokenFamily,
    Session,
)


class AccessTokens(Protocol):
    """Signs and verifies access tokens. Synchronous on purpose: a signature takes microseconds,
    less than handing the work to a thread would cost."""

    def issue(self, user_id: UUID, session_id: UUID, role: Role) -> IssuedAccessToken: ...

    def issue_for_client(
        self, client_id: UUID, secret_id: UUID, permissions: frozenset[Permission]
    ) -> IssuedAccessToken:
        """A token of the client-credentials grant, which `verify` gives back as `ClientClaims`."""
        ...

    def verify(self, token: str) -> AccessClaims:
        """Raises `InvalidAccessTokenError` for anything but a valid, unexpired access token."""
        ...


class ProviderTokens(Protocol):
    """Verifies access tokens signed by the identity provider (`OIDC_ISSUER`), with its keys."""

    def issued(self, token: str) -> bool:
        """Whether the token is not one of ours, and so is the provider's to verify. Cheap: it
        runs before every check of a token while a provider is configured."""
        ...

    async def verify(self, token: str) -> ProviderClaims:
        """Raises `InvalidAccessTokenError` for anything but a valid, unexpired token of the
        provider, and `IdentityProviderUnavailableError` when its key could not be fetched."""
        ...


class AccessStates(Protocol):
    """The per-request check of a user and their session (or of a service client), in one port
    so that an adapter can answer it in one round trip.

    Services call `forget_*` after committing a change that alters an answer (a role change, a
    deactivation, a revoked session or client), so that an adapter that caches answers drops
    stale ones.
    """

    async def get(self, user_id: UUID, session_id: UUID | None) -> AccessState | None:
        """`None` when the user does not exist (any more). Without a session (a token from the
        identity provider), only the user is checked."""
        ...

    async def forget_user(self, user_id: UUID) -> None: ...

    async def forget_session(self, session_id: UUID) -> None: ...

    async def get_client(self, client_id: UUID) -> ClientAccessState | None:
        """`None` when there is no such service client."""
        ...

    async def forget_client(self, client_id: UUID) -> None: ...


class RefreshTokenRepository(Protocol):
    async def add_family(self, family: RefreshTokenFamily) -> None: ...

    async def add(self, token: RefreshToken) -> None: ...

    async def find(self, token_hash: str, *, for_update: bool = False) -> RefreshToken | None: ...

    async def spend(self, token_id: UUID, at: datetime) -> None: ...

    async def revoke_family(self, family_id: UUID, at: datetime) -> None: ...

    async def revoke_families_of(
        self, user_id: UUID, at: datetime, *, keep: UUID | None = None
    ) -> list[UUID]:
        """Revokes every live session of the user but `keep`, and returns their ids."""
        ...

    async def list_live(self, user_id: UUID, now: datetime) -> list[Session]:
        """The user's sessions that are neither revoked nor expired, newest first."""
        ...
{%- if cookiecutter.include_example_domain == "n" %}

    async def count_live(self, user_id: UUID) -> int:
        """How many sessions of the user are not revoked."""
        ...
{%- endif %}

    async def purge_expired(self, before: datetime, limit: int) -> int:
        """Deletes up to `limit` refresh tokens that expired before `before`; returns how many."""
        ...


class PasswordResetTokenRepository(Protocol):
    async def add(self, token: PasswordResetToken) -> None: ...

    async def find(
        self, token_hash: str, *, for_update: bool = False
    ) -> PasswordResetToken | None: ...

    async def spend_all_of(self, user_id: UUID, at: datetime) -> None:
        """Spends every unspent token of the user: one reset ends all the others."""
        ...

    async def purge_expired(self, before: datetime, limit: int) -> int: ...
