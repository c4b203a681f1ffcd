"""The user account: who can sign in, with which role, and whether they still may."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final
from uuid import UUID, uuid4

from ..clock import utc_now
from ..permissions import Role

EMAIL_MAX_LENGTH: Final = 320  # RFC 5321: 64 for the local part, @, 255 for the domain
FULL_NAME_MAX_LENGTH: Final = 200
# Erased accounts keep their row (other records point at it) under an address in `.invalid`,
# a domain reserved never to exist (RFC 2606): it receives no mail and no one can register it.
ERASED_EMAIL_DOMAIN: Final = "erased.invalid"


def normalize_email(email: str) -> str:
    """One spelling per address, so `Ann@Example.com` cannot register beside `ann@example.com`.

    RFC 5321 lets a mail server treat the local part case-sensitively; none that matters does.
    """
    return email.strip().lower()


@dataclass(frozen=True, slots=True)
class User:
    email: str
    # Out of `repr`, so a hash never reaches a log line or a traceback through the entity.
    # None: no password (an account of the identity provider's), so no password ever matches.
    password_hash: str | None = field(repr=False)
    full_name: str | None = None
    role: Role = Role.USER
    is_active: bool = True
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)

    def with_changes(self, changes: "UserChanges") -> "User":
        return replace(
            self,
            role=self.role if changes.role is None else changes.role,
            is_active=self.is_active if changes.is_active is None else changes.is_active,
            updated_at=utc_now(),
        )

    def with_password_hash(self, password_hash: str) -> "User":
        return replace(self, password_hash=password_hash, updated_at=utc_now())

    def erased(self, unusable_password_hash: str) -> "User":
        """The account with its personal data gone: a tombstone address, no name, inactive,
        and the hash of the old password replaced by that of a password no one knows."""
        return replace(
            self,
            email=f"erased-{self.id.hex}@{ERASED_EMAIL_DOMAIN}",
            full_name=None,
            password_hash=unusable_password_hash,
            is_active=False,
            updated_at=utc_now(),
        )

    @property
    def is_erased(self) -> bool:
        return self.email.endswith(f"@{ERASED_EMAIL_DOMAIN}")

    @property
    def profile(self) -> "UserProfile":
        return UserProfile(
            id=self.id,
            email=self.email,
            full_name=self.full_name,
            role=self.role,
            is_active=self.is_active,
            created_at=self.created_at,
        )


@dataclass(frozen=True, slots=True)
class UserProfile:
    """The account as its owner sees it: everything but the password hash. It is what the
    profile cache keeps, so that a hash never leaves the database."""

    id: UUID
    email: str
    full_name: str | None
    role: Role
    is_active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class UserChanges:
    """What an administrator may change about a user; `None` leaves a field as it is."""

    role: Role | None = None
    is_active: bool | None = None
