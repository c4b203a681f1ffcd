"""Use cases on user accounts: registration, password change, administration, and the first
administrator."""

from uuid import UUID

from ..actor import Actor
from ..audit.entities import AuditAction
from ..auth.ports import AccessStates
from ..clock import utc_now
from ..outbox import SEND_WELCOME_EMAIL, OutboxMessage
from ..pagination import Page, PageRequest
from ..permissions import Role
from ..unit_of_work import UnitOfWork
from .access_audit import record_access_changes
from .entities import User, UserChanges, UserProfile, normalize_email
from .errors import OwnAccessChangeError, UserNotFoundError, WrongPasswordError
from .password_replacement import replace_password
from .passwords import PasswordPolicy
from .ports import PasswordHasher, UserFilter, UserProfileCache


class UserService:
    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        access_states: AccessStates,
        profiles: UserProfileCache,
        policy: PasswordPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._access_states = access_states
        self._profiles = profiles
        self._policy = policy

    async def register(self, email: str, password: str, full_name: str | None = None) -> User:
        await self._policy.check(password, normalize_email(email))
        # Hashed before the transaction opens, so the database is not held while argon2 works.
        password_hash = await self._hasher.hash(password)
        user = User(email=normalize_email(email), password_hash=password_hash, full_name=full_name)
        async with self._uow as uow:
            await uow.users.add(user)
            # In the same transaction: no account without its welcome, no welcome without it.
            await uow.outbox.add(OutboxMessage(SEND_WELCOME_EMAIL, {"user_id": str(user.id)}))
            await uow.commit()
        return user

    async def profile(self, user_id: UUID) -> UserProfile:
        profile = await self._profiles.get_or_load(user_id, lambda: self._load_profile(user_id))
        if profile is None:
            raise UserNotFoundError(user_id)
        return profile

    async def _load_profile(self, user_id: UUID) -> UserProfile | None:
        async with self._uow.read_only() as uow:
            user = await uow.users.get(user_id)
        return None if user is None else user.profile

    async def list(self, page: PageRequest, where: UserFilter) -> Page[User]:
        async with self._uow as uow:
            return await uow.users.list(page, where)

    async def update(self, actor: Actor, user_id: UUID, changes: UserChanges) -> User:
        """Changes a user's role or activity; deactivating also ends every session they have."""
        if user_id == actor.user_id and (
            changes.role not in (None, actor.role) or changes.is_active is False
        ):
            raise OwnAccessChangeError()
        async with self._uow as uow:
            current = await uow.users.get(user_id, for_update=True)
            if current is None:
                raise UserNotFoundError(user_id)
            updated = current.with_changes(changes)
            await uow.users.update(updated)
            await record_access_changes(uow, actor.user_id, current, updated)
            ended: list[UUID] = []
            if changes.is_active is False:
                # Otherwise a later reactivation would bring the old sessions back to life.
                ended = await uow.refresh_tokens.revoke_families_of(user_id, utc_now())
            await uow.commit()
        await self._forget(user_id)
        for session_id in ended:
            await self._access_states.forget_session(session_id)
        return updated

    async def change_password(self, actor: Actor, current_password: str, new_password: str) -> None:
        """Sets a new password for whoever proves they know the current one. Every other
        session ends; the one making the change stays signed in."""
        async with self._uow.read_only() as uow:
            user = await uow.users.get(actor.user_id)
        if user is None:
            raise UserNotFoundError(actor.user_id)
        if not (await self._hasher.verify(current_password, user.password_hash)).is_valid:
            raise WrongPasswordError()
        await self._policy.check(new_password, user.email)
        password_hash = await self._hasher.hash(new_password)
        now = utc_now()
        async with self._uow as uow:
            current = await uow.users.get(actor.user_id, for_update=True)
            if current is None:
                raise UserNotFoundError(actor.user_id)
            # The session making the change stays signed in; every other one ends.
            ended = await replace_password(
                uow,
                current,
                password_hash,
                at=now,
                action=AuditAction.PASSWORD_CHANGED,
                keep_session=actor.session_id,
            )
            await uow.commit()
        for session_id in ended:
            await self._access_states.forget_session(session_id)

    async def ensure_admin(self, email: str, password: str) -> User:
        """Creates an administrator, or promotes and reactivates an existing user; sets the
        password either way. Running it twice leaves the same state as running it once."""
        email = normalize_email(email)
        await self._policy.check(password, email)
        password_hash = await self._hasher.hash(password)
        async with self._uow as uow:
            existing = await uow.users.get_by_email(email)
            if existing is None:
                admin = User(email=email, password_hash=password_hash, role=Role.ADMIN)
                await uow.users.add(admin)
            else:
                promoted = existing.with_changes(UserChanges(role=Role.ADMIN, is_active=True))
                admin = promoted.with_password_hash(password_hash)
                await uow.users.update(admin)
                # No actor: the command line, run by whoever operates the service.
                await record_access_changes(uow, None, existing, admin)
            await uow.commit()
        await self._forget(admin.id)
        return admin

    async def _forget(self, user_id: UUID) -> None:
        """After the commit that changed the user: their next request sees the change."""
        await self._access_states.forget_user(user_id)
        await self._profiles.forget(user_id)
