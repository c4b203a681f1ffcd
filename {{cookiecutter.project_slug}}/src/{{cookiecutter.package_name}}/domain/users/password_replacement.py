"""What setting a new password does besides storing it, the same after a reset and a change:
a reset mailed earlier is spent (it must not undo the new password later), the sessions that
the old password may have opened end, and the trail records it."""

from datetime import datetime
from uuid import UUID

from ..audit.entities import AuditAction
from ..unit_of_work import UnitOfWork
from .entities import User


async def replace_password(
    uow: UnitOfWork,
    user: User,
    password_hash: str,
    *,
    at: datetime,
    action: AuditAction,
    keep_session: UUID | None = None,
) -> list[UUID]:
    """Within `uow`'s transaction; returns the sessions ended, whose cached access checks the
    caller forgets after the commit."""
    await uow.users.update(user.with_password_hash(password_hash))
    await uow.password_reset_tokens.spend_all_of(user.id, at)
    ended = await uow.refresh_tokens.revoke_families_of(user.id, at, keep=keep_session)
    await uow.audit.record(
        action, actor=user.id, subject=user.id, details={"sessions_ended": str(len(ended))}
    )
    return ended
