"""Use cases on user accounts: registration, administration, and the first administrator."""

from uuid import UUID

from ..actor import Actor
from ..auth.ports import AccessStates
from ..clock import utc_now
from ..outbox import SEND_WELCOME_EMAIL, OutboxMessage
from ..pagination import Page, PageRequest
from ..permissions import Role
from ..unit_of_work import UnitOfWork
from .entities import User, UserChanges, UserProfile, normalize_email
from .errors import OwnAccessChangeError, UserNotFoundError
from .passwords import check_password_policy
from .ports import PasswordHasher, UserFilter, UserProfileCache


class UserService:
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

    async def register(self, email: str, password: str, full_name: str | None = None) -> User:
        check_password_policy(password)
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
            ended: list[UUID] = []
            if changes.is_active is False:
                # Otherwise a later reactivation would bring the old sessions back to life.
                ended = await uow.refresh_tokens.revoke_families_of(user_id, utc_now())
            await uow.commit()
        await self._forget(user_id)
        for session_id in ended:
            await self._access_states.forget_session(session_id)
        return updated

    async def ensure_admin(self, email: str, password: str) -> User:
        """Creates an administrator, or promotes and reactivates an existing user; sets the
        password either way. Running it twice leaves the same state as running it once."""
        check_password_policy(password)
        password_hash = await self._hasher.hash(password)
        email = normalize_email(email)
        async with self._uow as uow:
            existing = await uow.users.get_by_email(email)
            if existing is None:
                admin = User(email=email, password_hash=password_hash, role=Role.ADMIN)
                await uow.users.add(admin)
            else:
                promoted = existing.with_changes(UserChanges(role=Role.ADMIN, is_active=True))
                admin = promoted.with_password_hash(password_hash)
                await uow.users.update(admin)
            await uow.commit()
        await self._forget(admin.id)
        return admin

    async def _forget(self, user_id: UUID) -> None:
        """After the commit that changed the user: their next request sees the change."""
        await self._access_states.forget_user(user_id)
        await self._profiles.forget(user_id)
