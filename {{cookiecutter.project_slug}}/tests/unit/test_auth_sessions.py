"""Sessions: refresh-token rotation, reuse detection with its grace period, and logout."""

from dataclasses import replace

import pytest

from {{ cookiecutter.package_name }}.domain.auth.errors import (
    InvalidRefreshTokenError,
)
from {{ cookiecutter.package_name }}.domain.auth.refresh_tokens import hash_refresh_token
from {{ cookiecutter.package_name }}.domain.auth.service import AuthService

from .auth_world import CLIENT, PASSWORD, World


async def test_refresh_rotates_within_the_session(world: World, auth: AuthService) -> None:
    world.add_user()
    first = await auth.login("ann@example.com", PASSWORD, CLIENT)

    second = await auth.refresh(first.refresh_token)

    assert second.refresh_token != first.refresh_token
    assert world.family_of(second) == world.family_of(first)
    spent = world.uow.committed_refresh_tokens.tokens[hash_refresh_token(first.refresh_token)]
    assert spent.spent_at == world.clock.now
    assert (await auth.refresh(second.refresh_token)).refresh_token != second.refresh_token


async def test_reuse_of_a_spent_token_ends_the_session(world: World, auth: AuthService) -> None:
    world.add_user()
    stolen = await auth.login("ann@example.com", PASSWORD, CLIENT)
    rotated = await auth.refresh(stolen.refresh_token)

    with pytest.raises(InvalidRefreshTokenError):
        await auth.refresh(stolen.refresh_token)

    session = world.family_of(stolen)
    assert world.is_revoked(session)
    assert world.states.forgotten_sessions == [session]
    with pytest.raises(InvalidRefreshTokenError):
        await auth.refresh(rotated.refresh_token)  # the legitimate holder must sign in again


async def test_reuse_within_the_grace_period_is_refused_but_forgiven(world: World) -> None:
    world.add_user()
    auth = world.service(grace_seconds=30)
    first = await auth.login("ann@example.com", PASSWORD, CLIENT)
    second = await auth.refresh(first.refresh_token)

    world.clock.advance(29)
    with pytest.raises(InvalidRefreshTokenError):
        await auth.refresh(first.refresh_token)
    assert not world.is_revoked(world.family_of(first))
    third = await auth.refresh(second.refresh_token)

    world.clock.advance(2)  # 31 seconds after the first token was spent
    with pytest.raises(InvalidRefreshTokenError):
        await auth.refresh(first.refresh_token)
    assert world.is_revoked(world.family_of(third))


@pytest.mark.parametrize("case", ["unknown", "expired", "user deactivated", "user deleted"])
async def test_refresh_refuses_a_token_that_cannot_continue(
    world: World, auth: AuthService, case: str
) -> None:
    user = world.add_user()
    pair = await auth.login("ann@example.com", PASSWORD, CLIENT)
    presented = "made-up" if case == "unknown" else pair.refresh_token
    if case == "expired":
        world.clock.advance(3601)
    elif case == "user deactivated":
        world.uow.committed_users.rows[user.id] = replace(user, is_active=False)
    elif case == "user deleted":
        del world.uow.committed_users.rows[user.id]

    with pytest.raises(InvalidRefreshTokenError):
        await auth.refresh(presented)


async def test_logout_ends_the_session(world: World, auth: AuthService) -> None:
    world.add_user()
    pair = await auth.login("ann@example.com", PASSWORD, CLIENT)

    await auth.logout(pair.refresh_token)
    await auth.logout(pair.refresh_token)  # twice is not an error
    await auth.logout("never issued")

    session = world.family_of(pair)
    assert world.is_revoked(session)
    assert world.states.forgotten_sessions == [session]
    with pytest.raises(InvalidRefreshTokenError):
        await auth.refresh(pair.refresh_token)
