"""Use cases of privacy in the API: the export of one's data, and the request to be forgotten.

Asking for erasure takes effect at once where it must (the account is deactivated and every
session ended, in one transaction), and leaves the slow part, deleting the data, to a job the
outbox hands to the worker (erasure.py): the answer is a 202.
"""

from uuid import UUID

from ..actor import Actor
from ..audit.entities import AuditAction
from ..auth.ports import AccessStates
from ..clock import utc_now
from ..outbox import ERASE_ACCOUNT, OutboxMessage
from ..unit_of_work import UnitOfWork
from ..users.access_audit import record_access_changes
from ..users.entities import UserChanges
from ..users.errors import OwnAccessChangeError, UserNotFoundError, WrongPasswordError
from ..users.ports import PasswordHasher, UserProfileCache
from .entities import AccountExport


class PrivacyService:
    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        access_states: AccessStates,
        profiles: UserProfileCache,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._access_states = access_states
        self._profiles = profiles

    async def export(self, actor: Actor) -> AccountExport:
        """Everything held about the caller (GDPR articles 15 and 20), read in one transaction
        with the audit event that records the export."""
        user_id = actor.user_id
        async with self._uow as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise UserNotFoundError(user_id)
            await uow.audit.record(AuditAction.DATA_EXPORTED, actor=user_id, subject=user_id)
            data = uow.personal_data
            export = AccountExport(
                user=user,
                sessions=await data.sessions(user_id),
                jobs=await data.jobs(user_id),
{%- if cookiecutter.include_example_domain == "y" %}
                items=await data.items(user_id),
{%- endif %}
                audit_events=await uow.audit.about(user_id),
            )
            await uow.commit()
        return export

    async def erase_own_account(self, actor: Actor, current_password: str) -> None:
        """The caller asks to be forgotten, proving it is them with their password once more: a
        stolen access token alone must not be enough to destroy an account."""
        async with self._uow.read_only() as uow:
            user = await uow.users.get(actor.user_id)
        if user is None:
            raise UserNotFoundError(actor.user_id)
        check = await self._hasher.verify(current_password, user.password_hash)
        if not check.is_valid:
            raise WrongPasswordError()
        await self._schedule_erasure(actor, user.id)

    async def erase_account(self, actor: Actor, user_id: UUID) -> None:
        """An administrator erases someone else's account (their own goes through the owner's
        route, which asks for the password)."""
        if user_id == actor.user_id:
            raise OwnAccessChangeError()
        await self._schedule_erasure(actor, user_id)

    async def _schedule_erasure(self, actor: Actor, user_id: UUID) -> None:
        async with self._uow as uow:
            user = await uow.users.get(user_id, for_update=True)
            if user is None or user.is_erased:
                raise UserNotFoundError(user_id)
            deactivated = user.with_changes(UserChanges(is_active=False))
            await uow.users.update(deactivated)
            await record_access_changes(uow, actor.user_id, user, deactivated)
            ended = await uow.refresh_tokens.revoke_families_of(user_id, utc_now())
            await uow.audit.record(
                AuditAction.ERASURE_REQUESTED, actor=actor.user_id, subject=user_id
            )
            # In the same transaction: the erasure is certain to follow once this commits.
            await uow.outbox.add(OutboxMessage(ERASE_ACCOUNT, {"user_id": str(user_id)}))
            await uow.commit()
        # After the commit: from the next request on, the account's tokens are refused.
        await self._access_states.forget_user(user_id)
        await self._profiles.forget(user_id)
        for session_id in ended:
            await self._access_states.forget_session(session_id)
