"""Sessions as their owner manages them, and changing a known password, on fakes."""

from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.audit.entities import AuditAction
from {{ cookiecutter.package_name }}.domain.auth.entities import TokenPair
from {{ cookiecutter.package_name }}.domain.auth.errors import SessionNotFoundError
from {{ cookiecutter.package_name }}.domain.auth.sessions import SessionService
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.domain.users.errors import WeakPasswordError, WrongPasswordError
from {{ cookiecutter.package_name }}.domain.users.passwords import PasswordPolicy
from {{ cookiecutter.package_name }}.domain.users.service import UserService

from .auth_fakes import ListedPasswordStrength
from .auth_world import CLIENT, PASSWORD, World
from .fakes import InMemoryCache

NEW_PASSWORD = "a sturdy new passphrase"


@pytest.fixture
def sessions(world: World) -> SessionService:
    return SessionService(world.uow, world.states, clock=world.clock)


async def signed_in(world: World, user: User, user_agent: str) -> tuple[TokenPair, Actor]:
    pair = await world.service().login(user.email, PASSWORD, CLIENT, user_agent)
    return pair, Actor(user.id, user.role, session_id=world.family_of(pair))


async def test_the_list_shows_where_each_live_session_began(
    world: World, sessions: SessionService
) -> None:
    user = world.add_user()
    laptop, _ = await signed_in(world, user, "Firefox on a laptop")
    world.clock.advance(60)
    _, phone = await signed_in(world, user, "Safari on a phone" + "!" * 300)
    world.clock.advance(60)
    await world.service().refresh(laptop.refresh_token)

    page = await sessions.list(phone, PageRequest())

    assert page.total == 2
    newest, oldest = page.items
    assert newest.family.id == phone.session_id
    assert newest.family.user_agent == "Safari on a phone" + "!" * (255 - 17)  # cut to fit
    assert (oldest.family.user_agent, oldest.family.client) == ("Firefox on a laptop", CLIENT)
    assert oldest.last_used_at == world.clock.now  # its refresh, not its sign-in
    assert newest.last_used_at == newest.family.created_at


async def test_revoked_and_expired_sessions_are_not_listed(
    world: World, sessions: SessionService
) -> None:
    user = world.add_user()
    ended, _ = await signed_in(world, user, "old")
    await world.service().logout(ended.refresh_token)
    _, actor = await signed_in(world, user, "current")

    assert [s.family.user_agent for s in (await sessions.list(actor, PageRequest())).items] == [
        "current"
    ]
    world.clock.advance(3601)  # past the refresh token's lifetime
    assert (await sessions.list(actor, PageRequest())).total == 0


async def test_ending_a_session_revokes_it_and_forgets_its_access_check(
    world: World, sessions: SessionService
) -> None:
    user = world.add_user()
    _, other = await signed_in(world, user, "other")
    _, actor = await signed_in(world, user, "current")
    assert other.session_id is not None

    await sessions.end(actor, other.session_id)

    assert world.is_revoked(other.session_id)
    assert world.states.forgotten_sessions == [other.session_id]
    with pytest.raises(SessionNotFoundError):
        await sessions.end(actor, other.session_id)  # no longer live


async def test_another_user_s_session_is_not_found(world: World, sessions: SessionService) -> None:
    ann = world.add_user()
    bob = User(email="bob@example.com", password_hash=f"v1:{PASSWORD}")
    world.uow.committed_users.rows[bob.id] = bob
    _, ann_actor = await signed_in(world, ann, "ann")
    _, bob_actor = await signed_in(world, bob, "bob")
    assert bob_actor.session_id is not None

    for session_id in (bob_actor.session_id, uuid4()):
        with pytest.raises(SessionNotFoundError):
            await sessions.end(ann_actor, session_id)
    assert not world.is_revoked(bob_actor.session_id)


async def test_ending_the_others_keeps_the_current_session(
    world: World, sessions: SessionService
) -> None:
    user = world.add_user()
    others = [(await signed_in(world, user, f"other {n}"))[1] for n in range(2)]
    _, actor = await signed_in(world, user, "current")

    await sessions.end_others(actor)

    assert [s.family.id for s in (await sessions.list(actor, PageRequest())).items] == [
        actor.session_id
    ]
    assert sorted(world.states.forgotten_sessions) == sorted(a.session_id for a in others)  # type: ignore[type-var]


@pytest.fixture
def users(world: World) -> UserService:
    policy = PasswordPolicy(ListedPasswordStrength())
    return UserService(world.uow, world.hasher, world.states, InMemoryCache(), policy)


async def test_changing_the_password_ends_the_other_sessions(
    world: World, users: UserService
) -> None:
    user = world.add_user()
    _, other = await signed_in(world, user, "other")
    _, actor = await signed_in(world, user, "current")
    assert actor.session_id is not None

    await users.change_password(actor, PASSWORD, NEW_PASSWORD)

    assert world.uow.committed_users.rows[user.id].password_hash == f"v1:{NEW_PASSWORD}"
    assert world.states.forgotten_sessions == [other.session_id]
    assert not world.is_revoked(actor.session_id)


@pytest.mark.parametrize(
    ("current", "new", "error"),
    [
        ("not the password", NEW_PASSWORD, WrongPasswordError),
        (PASSWORD, "password123", WeakPasswordError),
        (PASSWORD, "ann and her passphrase", WeakPasswordError),
        (PASSWORD, "short", WeakPasswordError),
    ],
)
async def test_a_change_is_refused_with_a_wrong_current_or_a_weak_new_password(
    world: World, users: UserService, current: str, new: str, error: type[Exception]
) -> None:
    user = world.add_user()
    _, actor = await signed_in(world, user, "current")

    with pytest.raises(error):
        await users.change_password(actor, current, new)

    assert world.uow.committed_users.rows[user.id].password_hash == f"v1:{PASSWORD}"
    assert world.states.forgotten_sessions == []


async def test_ending_sessions_and_changing_the_password_are_audited(
    world: World, sessions: SessionService, users: UserService
) -> None:
    user = world.add_user()
    _, laptop = await signed_in(world, user, "laptop")
    _, phone = await signed_in(world, user, "phone")
    _, tablet = await signed_in(world, user, "tablet")

    assert phone.session_id is not None
    await sessions.end(laptop, phone.session_id)
    await sessions.end_others(laptop)
    await users.change_password(laptop, PASSWORD, NEW_PASSWORD)

    audited = [
        (event.action, event.actor_id, event.subject_id, dict(event.details))
        for event in world.uow.committed_audit.events
        if event.action in {AuditAction.SESSION_ENDED, AuditAction.PASSWORD_CHANGED}
    ]
    assert audited == [
        (AuditAction.SESSION_ENDED, user.id, user.id, {"session_id": str(phone.session_id)}),
        (
            AuditAction.SESSION_ENDED,
            user.id,
            user.id,
            {"sessions_ended": "1", "kept": str(laptop.session_id)},  # the tablet's
        ),
        (AuditAction.PASSWORD_CHANGED, user.id, user.id, {"sessions_ended": "0"}),
    ]
    assert tablet.session_id is not None
    assert world.is_revoked(tablet.session_id)
