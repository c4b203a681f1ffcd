"""Registering and administering users, on fakes."""

from dataclasses import replace
from uuid import UUID, uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.auth.entities import RefreshTokenFamily
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.users.entities import User, UserChanges, UserProfile
from {{ cookiecutter.package_name }}.domain.users.errors import (
    EmailTakenError,
    OwnAccessChangeError,
    UserNotFoundError,
    WeakPasswordError,
)
from {{ cookiecutter.package_name }}.domain.users.passwords import PasswordPolicy
from {{ cookiecutter.package_name }}.domain.users.ports import UserFilter
from {{ cookiecutter.package_name }}.domain.users.service import UserService

from .auth_fakes import FakePasswordHasher, ListedPasswordStrength, RecordingAccessStates
from .fakes import FakeUnitOfWork, InMemoryCache

PASSWORD = "correct horse battery staple"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def states() -> RecordingAccessStates:
    return RecordingAccessStates()


@pytest.fixture
def profiles() -> InMemoryCache[UUID, UserProfile]:
    return InMemoryCache()


@pytest.fixture
def users(
    uow: FakeUnitOfWork,
    states: RecordingAccessStates,
    profiles: InMemoryCache[UUID, UserProfile],
) -> UserService:
    policy = PasswordPolicy(ListedPasswordStrength())
    return UserService(uow, FakePasswordHasher(), states, profiles, policy)


@pytest.fixture
async def admin(users: UserService) -> Actor:
    user = await users.ensure_admin("root@example.com", PASSWORD)
    return Actor(user_id=user.id, role=user.role)


async def test_register_stores_a_user_with_a_hashed_password(
    users: UserService, uow: FakeUnitOfWork
) -> None:
    user = await users.register("Ann@Example.com", PASSWORD, "Ann")

    assert (user.email, user.full_name, user.role, user.is_active) == (
        "ann@example.com",
        "Ann",
        Role.USER,
        True,
    )
    assert uow.committed_users.rows == {user.id: user}
    assert user.password_hash == f"v1:{PASSWORD}"  # the fake's "hash": see FakePasswordHasher
    assert user.password_hash not in repr(user)


async def test_an_email_registers_once_whatever_its_case(users: UserService) -> None:
    await users.register("ann@example.com", PASSWORD)

    with pytest.raises(EmailTakenError):
        await users.register("ANN@example.com", PASSWORD)


async def test_a_weak_password_registers_nothing(users: UserService, uow: FakeUnitOfWork) -> None:
    with pytest.raises(WeakPasswordError):
        await users.register("ann@example.com", "short")

    assert uow.committed_users.rows == {}


async def test_profile_and_list(users: UserService) -> None:
    ann = await users.register("ann@example.com", PASSWORD)
    await users.register("bob@example.com", PASSWORD)

    assert await users.profile(ann.id) == ann.profile
    assert (await users.list(PageRequest(limit=1), UserFilter())).total == 2
    with pytest.raises(UserNotFoundError):
        await users.profile(uuid4())


def test_a_profile_shows_everything_but_the_password_hash() -> None:
    ann = User(email="ann@example.com", password_hash="secret-hash", full_name="Ann")

    assert "secret-hash" not in repr(ann.profile)
    assert (ann.profile.id, ann.profile.email, ann.profile.full_name) == (ann.id, ann.email, "Ann")
    assert not hasattr(ann.profile, "password_hash")


async def test_a_role_change_is_stored_and_announced(
    users: UserService,
    admin: Actor,
    states: RecordingAccessStates,
    profiles: InMemoryCache[UUID, UserProfile],
) -> None:
    ann = await users.register("ann@example.com", PASSWORD)
    assert (await users.profile(ann.id)).role is Role.USER  # now in the cache

    promoted = await users.update(admin, ann.id, UserChanges(role=Role.ADMIN))

    assert promoted.role is Role.ADMIN
    assert await users.profile(ann.id) == promoted.profile
    assert states.forgotten_users[-1] == ann.id
    assert profiles.forgotten[-1] == ann.id


async def test_deactivation_ends_every_session(
    users: UserService, admin: Actor, uow: FakeUnitOfWork, states: RecordingAccessStates
) -> None:
    ann = await users.register("ann@example.com", PASSWORD)
    sessions = [RefreshTokenFamily(user_id=ann.id) for _ in range(2)]
    for session in sessions:
        uow.committed_refresh_tokens.families[session.id] = session

    await users.update(admin, ann.id, UserChanges(is_active=False))

    assert all(uow.committed_refresh_tokens.families[s.id].is_revoked for s in sessions)
    assert states.forgotten_users[-1] == ann.id
    assert not (await users.profile(ann.id)).is_active
    assert states.forgotten_sessions == [session.id for session in sessions]


async def test_updating_an_unknown_user_is_not_found(users: UserService, admin: Actor) -> None:
    with pytest.raises(UserNotFoundError):
        await users.update(admin, uuid4(), UserChanges(is_active=False))


@pytest.mark.parametrize(
    "changes", [UserChanges(role=Role.USER), UserChanges(is_active=False)], ids=["demote", "ban"]
)
async def test_an_admin_cannot_lock_themselves_out(
    users: UserService, admin: Actor, changes: UserChanges
) -> None:
    with pytest.raises(OwnAccessChangeError):
        await users.update(admin, admin.user_id, changes)


async def test_an_admin_may_confirm_their_own_state(users: UserService, admin: Actor) -> None:
    same = await users.update(admin, admin.user_id, UserChanges(role=Role.ADMIN, is_active=True))

    assert same.role is Role.ADMIN


async def test_ensure_admin_promotes_reactivates_and_sets_the_password(
    users: UserService, uow: FakeUnitOfWork, states: RecordingAccessStates
) -> None:
    ann = await users.register("ann@example.com", PASSWORD)
    uow.committed_users.rows[ann.id] = replace(ann, is_active=False)

    admin = await users.ensure_admin("Ann@example.com", "a brand new password")
    again = await users.ensure_admin("ann@example.com", "a brand new password")

    assert (again.id, again.role, again.is_active) == (ann.id, Role.ADMIN, True)
    assert again.password_hash == "v1:a brand new password"
    assert admin.id == ann.id
    assert list(uow.committed_users.rows) == [ann.id]
    assert states.forgotten_users == [ann.id, ann.id]


async def test_ensure_admin_refuses_a_weak_password(users: UserService) -> None:
    with pytest.raises(WeakPasswordError):
        await users.ensure_admin("root@example.com", "admin")


def test_a_user_never_shows_its_hash() -> None:
    assert "$argon2id$" not in repr(User(email="a@example.com", password_hash="$argon2id$..."))
