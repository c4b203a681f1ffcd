"""The audit trail, on fakes: which actions record what, and how administrators filter it."""

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.audit.entities import AuditAction, AuditQuery
from {{ cookiecutter.package_name }}.domain.audit.service import AuditService
from {{ cookiecutter.package_name }}.domain.auth.errors import (
    InvalidCredentialsError,
    InvalidRefreshTokenError,
)
from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.users.entities import UserChanges, UserProfile
from {{ cookiecutter.package_name }}.domain.users.passwords import PasswordPolicy
from {{ cookiecutter.package_name }}.domain.users.service import UserService

from .auth_fakes import FakePasswordHasher, ListedPasswordStrength
from .auth_world import CLIENT, PASSWORD, World
from .fakes import InMemoryCache


def recorded(world: World) -> list[tuple[AuditAction, UUID | None, UUID | None]]:
    return [(e.action, e.actor_id, e.subject_id) for e in world.uow.committed_audit.events]


async def test_sign_ins_are_recorded_failed_or_not(world: World) -> None:
    user = world.add_user()
    auth = world.service()

    pair = await auth.login(user.email, PASSWORD, CLIENT)
    for email in (user.email, "nobody@example.com"):
        with pytest.raises(InvalidCredentialsError):
            await auth.login(email, "wrong password", CLIENT)

    assert recorded(world) == [
        (AuditAction.SIGN_IN_SUCCEEDED, user.id, user.id),
        (AuditAction.SIGN_IN_FAILED, None, user.id),
        (AuditAction.SIGN_IN_FAILED, None, None),  # an unknown address: not even it is kept
    ]
    session = world.uow.committed_audit.events[0].details["session_id"]
    assert session == str(world.family_of(pair))


async def test_sign_out_and_refresh_token_reuse_are_recorded(world: World) -> None:
    user = world.add_user()
    auth = world.service()
    first = await auth.login(user.email, PASSWORD, CLIENT)
    await auth.refresh(first.refresh_token)
    with pytest.raises(InvalidRefreshTokenError):
        await auth.refresh(first.refresh_token)  # spent: a reuse
    second = await auth.login(user.email, PASSWORD, CLIENT)
    await auth.logout(second.refresh_token)

    assert [action for action, _, _ in recorded(world)] == [
        AuditAction.SIGN_IN_SUCCEEDED,
        AuditAction.REFRESH_TOKEN_REUSED,
        AuditAction.SIGN_IN_SUCCEEDED,
        AuditAction.SIGNED_OUT,
    ]


async def test_role_and_activity_changes_are_recorded_with_the_admin_who_made_them(
    world: World,
) -> None:
    user = world.add_user()
    users = UserService(
        world.uow,
        FakePasswordHasher(),
        world.states,
        InMemoryCache[UUID, UserProfile](),
        PasswordPolicy(ListedPasswordStrength()),
    )
    admin = Actor(user_id=uuid4(), role=Role.ADMIN)

    await users.update(admin, user.id, UserChanges(role=Role.ADMIN))
    await users.update(admin, user.id, UserChanges(is_active=False))
    await users.update(admin, user.id, UserChanges(is_active=True))
    await users.update(admin, user.id, UserChanges(is_active=True))  # no change, no event

    assert recorded(world) == [
        (AuditAction.ROLE_CHANGED, admin.user_id, user.id),
        (AuditAction.USER_DEACTIVATED, admin.user_id, user.id),
        (AuditAction.USER_REACTIVATED, admin.user_id, user.id),
    ]
    assert world.uow.committed_audit.events[0].details == {"from": "user", "to": "admin"}


async def test_a_rolled_back_action_leaves_no_event(world: World) -> None:
    async with world.uow as uow:
        await uow.audit.record(AuditAction.ROLE_CHANGED, actor=None, subject=uuid4())
        # no commit

    assert world.uow.committed_audit.events == []


async def test_administrators_filter_the_trail(world: World) -> None:
    user = world.add_user()
    auth = world.service()
    await auth.login(user.email, PASSWORD, CLIENT)
    with pytest.raises(InvalidCredentialsError):
        await auth.login(user.email, "wrong password", CLIENT)
    trail = AuditService(world.uow)
    page = PageRequest(limit=10)

    failed = await trail.list(AuditQuery(action=AuditAction.SIGN_IN_FAILED), page)
    by_user = await trail.list(AuditQuery(actor_id=user.id), page)
    about_user = await trail.list(AuditQuery(subject_id=user.id), page)
    future = await trail.list(AuditQuery(since=utc_now() + timedelta(hours=1)), page)
    past = await trail.list(AuditQuery(until=utc_now() - timedelta(hours=1)), page)

    assert [e.action for e in failed.items] == [AuditAction.SIGN_IN_FAILED]
    assert [e.action for e in by_user.items] == [AuditAction.SIGN_IN_SUCCEEDED]
    assert (about_user.total, future.total, past.total) == (2, 0, 0)
