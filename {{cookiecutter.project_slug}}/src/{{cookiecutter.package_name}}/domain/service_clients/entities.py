"""A service client: another service that signs in with its own id and secret, not as a user.

It holds the permissions an administrator granted it (`CLIENT_GRANTABLE`), never a role. Its
secret is stored as a hash only (SHA-256, not argon2: auth/refresh_tokens.py says why), and shown
once: when the client is made and when it is rotated.
"""

import hmac
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final, Self
from uuid import UUID, uuid4

from ..auth.refresh_tokens import hash_client_secret
from ..clock import utc_now
from ..permissions import Permission

NAME_MAX_LENGTH: Final = 100


@dataclass(frozen=True, slots=True)
class ServiceClient:
    name: str
    permissions: frozenset[Permission]
    secret_hash: str = field(repr=False)
    id: UUID = field(default_factory=uuid4)
    # Names the current secret: tokens carry it in `sid`, so rotating the secret ends them.
    secret_id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utc_now)
    revoked_at: datetime | None = None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def accepts(self, secret: str) -> bool:
        """Whether `secret` is this client's current one; compared in constant time."""
        return not self.is_revoked and hmac.compare_digest(
            hash_client_secret(secret), self.secret_hash
        )

    def with_new_secret(self, secret_hash: str) -> Self:
        return replace(self, secret_hash=secret_hash, secret_id=uuid4())

    def revoked(self, at: datetime) -> Self:
        return replace(self, revoked_at=at)


@dataclass(frozen=True, slots=True)
class IssuedClientSecret:
    """A client with its secret in clear: the one answer that ever shows the secret."""

    client: ServiceClient
    secret: str = field(repr=False)
