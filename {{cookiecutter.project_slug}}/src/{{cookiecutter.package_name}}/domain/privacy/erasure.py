"""Erasing an account, in the worker: what the right to be forgotten (GDPR article 17) deletes.

Deleted: the user's{% if cookiecutter.include_example_domain == "y" %} items,{% endif %} jobs, sessions and refresh tokens. Replaced: the email, by a
tombstone in a domain that cannot exist, the name, by nothing, the password hash, by one no
password matches. Kept: the account's row, under its id, because other records point at it;
and the audit trail, with the user replaced by a pseudonym in every event, so that what was
done (and by which administrator) stays on record without naming whom it was done to.

Safe to run twice: a second delivery finds the account erased and does nothing.
"""

import secrets
from uuid import UUID, uuid4

from ..audit.entities import AuditAction
from ..auth.ports import AccessStates
{%- if cookiecutter.include_example_domain == "y" %}
from ..items.ports import ItemCache
{%- endif %}
from ..unit_of_work import UnitOfWorkFactory
from ..users.ports import PasswordHasher, UserProfileCache
from .entities import ErasedData


class AccountEraser:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        hasher: PasswordHasher,
        access_states: AccessStates,
        profiles: UserProfileCache,
{%- if cookiecutter.include_example_domain == "y" %}
        items: ItemCache,
{%- endif %}
    ) -> None:
        self._unit_of_work = unit_of_work
        self._hasher = hasher
        self._access_states = access_states
        self._profiles = profiles
{%- if cookiecutter.include_example_domain == "y" %}
        self._items = items
{%- endif %}

    async def erase(self, user_id: UUID) -> bool:
        """Erases the account; `False` if there was nothing to do (unknown, or erased)."""
        # A password no one will ever know, hashed outside the transaction (argon2 is slow).
        unusable_hash = await self._hasher.hash(secrets.token_urlsafe(32))
        async with self._unit_of_work() as uow:
            user = await uow.users.get(user_id, for_update=True)
            if user is None or user.is_erased:
                return False
            data = uow.personal_data
            erased = ErasedData(
                session_ids=await data.delete_sessions(user_id),
{%- if cookiecutter.include_example_domain == "y" %}
                item_ids=await data.delete_items(user_id),
{%- endif %}
            )
            await data.delete_jobs(user_id)
            await uow.users.update(user.erased(unusable_hash))
            # A fresh pseudonym per erasure: the user's events stay linked to one another, and
            # to nothing else (it is stored nowhere but in them).
            pseudonym = uuid4()
            await uow.audit.pseudonymise(user_id, pseudonym)
            await uow.audit.record(AuditAction.ACCOUNT_ERASED, actor=None, subject=pseudonym)
            await uow.commit()
        await self._forget(user_id, erased)
        return True

    async def _forget(self, user_id: UUID, erased: ErasedData) -> None:
        """Drops every cache entry that held the erased data, in every process sharing Redis."""
        await self._profiles.forget(user_id)
        await self._access_states.forget_user(user_id)
        for session_id in erased.session_ids:
            await self._access_states.forget_session(session_id)
{%- if cookiecutter.include_example_domain == "y" %}
        for item_id in erased.item_ids:
            await self._items.forget(item_id)
{%- endif %}
