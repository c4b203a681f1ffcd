"""The actor: who is making a request, and what their role lets them do right now."""

from dataclasses import dataclass
from uuid import UUID

from .permissions import ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True, slots=True)
class Actor:
    """Built per request from the user's current state, not from the token alone, so a role
    change or a deactivation takes effect on the very next request."""

    user_id: UUID
    role: Role
    # The session (`sid`) the request's token belongs to.
    session_id: UUID | None = None

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def owns(self, owner_id: UUID) -> bool:
        return owner_id == self.user_id
