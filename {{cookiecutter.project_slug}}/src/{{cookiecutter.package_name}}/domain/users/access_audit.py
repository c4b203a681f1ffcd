"""The audit events of a change to what a user may do: their role, and whether they may sign in."""

from uuid import UUID

from ..audit.entities import AuditAction
from ..unit_of_work import UnitOfWork
from .entities import User


async def record_access_changes(
    uow: UnitOfWork, actor_id: UUID | None, before: User, after: User
) -> None:
    """Records, in `uow`, what changed from `before` to `after`; nothing if nothing did."""
    if before.role != after.role:
        await uow.audit.record(
            AuditAction.ROLE_CHANGED,
            actor=actor_id,
            subject=after.id,
            details={"from": before.role.value, "to": after.role.value},
        )
    if before.is_active != after.is_active:
        action = AuditAction.USER_REACTIVATED if after.is_active else AuditAction.USER_DEACTIVATED
        await uow.audit.record(action, actor=actor_id, subject=after.id)
