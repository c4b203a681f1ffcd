"""The audit trail as the domain writes and reads it: `uow.audit`, inside a unit of work.

Recording inside the action's unit of work is the guarantee: the event commits with the action
or not at all, so the trail never claims what did not happen nor misses what did.
"""

from collections.abc import Mapping, Sequence
from typing import Protocol
from uuid import UUID

from ..pagination import Page, PageRequest
from .entities import AuditAction, AuditEvent, AuditQuery


class AuditLog(Protocol):
    async def record(
        self,
        action: AuditAction,
        *,
        actor: UUID | None,
        subject: UUID | None,
        details: Mapping[str, str] | None = None,
    ) -> AuditEvent:
        """Adds the event to the unit of work, stamped with the current request's client
        address and trace id; once committed, it is also logged on the `audit` logger."""
        ...

    async def list(self, query: AuditQuery, page: PageRequest) -> Page[AuditEvent]:
        """Newest first."""
        ...

    async def about(self, user_id: UUID) -> Sequence[AuditEvent]:
        """Every event in which `user_id` is the actor or the subject, newest first."""
        ...

    async def pseudonymise(self, user_id: UUID, pseudonym: UUID) -> int:
        """Replaces `user_id` by `pseudonym` as actor and as subject; returns how many of those
        references changed. The events stay, linked to each other but no longer to the account."""
        ...
