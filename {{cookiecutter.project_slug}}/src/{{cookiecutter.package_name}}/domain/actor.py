"""The actor: who is making a request, and what their role lets them do right now."""

from dataclasses import dataclass
from uuid import UUID

from .permissions import ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True, slots=True)
class Actor:
    """Built per request from the caller's current state, not from the token alone, so a role
    change, a deactivation or a revoked client takes effect on the very next request."""

    # The user; for a service client, the client (what rate limits and the audit trail name).
    user_id: UUID
    # None for a service client: it holds the permissions it was granted, not a role.
    role: Role | None
    # The session (`sid`) the request's token belongs to; a client's current secret.
    session_id: UUID | None = None
    granted: frozenset[Permission] = frozenset()

    @property
    def is_client(self) -> bool:
        return self.role is None

    def may(self, permission: Permission) -> bool:
        if self.role is None:
            return permission in self.granted
        return permission in ROLE_PERMISSIONS[self.role]

    def owns(self, owner_id: UUID) -> bool:
        return owner_id == self.user_id
