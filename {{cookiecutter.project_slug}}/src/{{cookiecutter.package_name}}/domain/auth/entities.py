"""Sessions and the tokens that carry them.

A session is a *refresh-token family*: the first refresh token issued at sign-in and every token
that rotation descended from it. Access tokens name their family in `sid`, so revoking the family
ends the whole session, access tokens included.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from uuid import UUID, uuid4

from ..clock import utc_now
from ..permissions import Permission, Role

USER_AGENT_MAX_LENGTH: Final = 255


@dataclass(frozen=True, slots=True)
class RefreshTokenFamily:
    user_id: UUID
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utc_now)
    revoked_at: datetime | None = None
    # Where the session began, so that its owner can recognise it in their list of sessions.
    user_agent: str | None = None
    client: str | None = None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """One refresh token as stored: its hash only, never the token itself."""

    family: RefreshTokenFamily
    token_hash: str = field(repr=False)
    expires_at: datetime
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utc_now)
    # Set when rotation exchanged it for a new one; presenting it again is a reuse.
    spent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """A live session as its owner sees it. `last_used_at` is its latest refresh (or the
    sign-in): access tokens are not tracked, which would cost a write per request."""

    family: RefreshTokenFamily
    last_used_at: datetime


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a verified access token asserts. Its `role` claim is deliberately not here: decisions
    use the role the user has now (`AccessState`), not the one they had when it was issued."""

    user_id: UUID
    # None for a token from the identity provider: its sessions are the provider's, not ours.
    session_id: UUID | None


@dataclass(frozen=True, slots=True)
class ProviderClaims(AccessClaims):
    """What a verified token of the identity provider asserts: its user (`provider_sign_in.py`
    derives the id), the role mapped from its claim, and what the account is made with on first
    sight. `session_id` is None: the sessions are the provider's."""

    issuer: str
    role: Role
    email: str | None
    full_name: str | None


@dataclass(frozen=True, slots=True)
class ClientClaims(AccessClaims):
    """What a verified token of a service client asserts: `user_id` is the client's id (`sub`),
    `session_id` the id of the secret it was issued for (`sid`), so that rotating the secret
    ends its tokens as revoking a session ends a user's."""

    session_id: UUID


@dataclass(frozen=True, slots=True)
class IssuedAccessToken:
    token: str = field(repr=False)
    expires_in_seconds: int


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in_seconds: int


@dataclass(frozen=True, slots=True)
class AccessState:
    """The current facts a request's access depends on, read fresh for every request."""

    role: Role
    is_active: bool
    session_revoked: bool

    @property
    def grants_access(self) -> bool:
        return self.is_active and not self.session_revoked


@dataclass(frozen=True, slots=True)
class ClientAccessState:
    """A service client's facts for the per-request check, as `AccessState` is a user's."""

    permissions: frozenset[Permission]
    secret_id: UUID  # the current secret: tokens issued for an older one are refused
    is_revoked: bool

    def grants_access(self, secret_id: UUID) -> bool:
        return not self.is_revoked and secret_id == self.secret_id


@dataclass(frozen=True, slots=True)
class PasswordResetToken:
    """A mailed password reset, as stored: its hash only. Spent by its first use."""

    user_id: UUID
    token_hash: str = field(repr=False)
    expires_at: datetime
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utc_now)
    spent_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.spent_at is None and now < self.expires_at
