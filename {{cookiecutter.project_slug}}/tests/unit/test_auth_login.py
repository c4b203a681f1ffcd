"""Signing in: one answer for every failure, throttling, and hashes kept up to date."""

import pytest

from {{ cookiecutter.package_name }}.domain.auth.errors import (
    InvalidCredentialsError,
    TooManyLoginAttemptsError,
)
from {{ cookiecutter.package_name }}.domain.auth.refresh_tokens import hash_refresh_token
from {{ cookiecutter.package_name }}.domain.auth.service import AuthService

from .auth_world import CLIENT, PASSWORD, TOKENS, World


async def test_login_starts_a_session_with_a_pair_of_tokens(
    world: World, auth: AuthService
) -> None:
    user = world.add_user()

    pair = await auth.login(" Ann@Example.COM ", PASSWORD, CLIENT)

    claims = TOKENS.verify(pair.access_token)
    assert claims.user_id == user.id
    assert pair.expires_in_seconds == 900
    stored = world.uow.committed_refresh_tokens
    assert list(stored.families) == [claims.session_id]
    # Only the hash is kept: the token itself appears nowhere in what was stored.
    assert list(stored.tokens) == [hash_refresh_token(pair.refresh_token)]
    assert pair.refresh_token not in repr(stored.tokens)


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "inactive user"])
async def test_every_failed_login_looks_the_same(
    world: World, auth: AuthService, case: str
) -> None:
    world.add_user(is_active=case != "inactive user")
    email = "nobody@example.com" if case == "unknown email" else "ann@example.com"
    password = "not the password" if case == "wrong password" else PASSWORD

    with pytest.raises(InvalidCredentialsError) as raised:
        await auth.login(email, password, CLIENT)

    assert raised.value.detail == "Incorrect email or password."
    assert len(world.hasher.checked) == 1  # an unknown email is "checked" all the same
    assert world.uow.committed_refresh_tokens.families == {}


async def test_repeated_failures_lock_the_account_even_for_the_right_password(
    world: World, auth: AuthService
) -> None:
    world.add_user()
    for _ in range(3):
        with pytest.raises(InvalidCredentialsError):
            await auth.login("ann@example.com", "guess", CLIENT)

    with pytest.raises(TooManyLoginAttemptsError) as raised:
        await auth.login("ann@example.com", PASSWORD, CLIENT)

    assert 0 < raised.value.retry_after_seconds <= 61
    assert len(world.hasher.checked) == 3  # a locked account costs no hashing


async def test_a_successful_login_forgives_earlier_typos(world: World, auth: AuthService) -> None:
    world.add_user()
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            await auth.login("ann@example.com", "typo", CLIENT)
    await auth.login("ann@example.com", PASSWORD, CLIENT)
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            await auth.login("ann@example.com", "typo", CLIENT)

    await auth.login("ann@example.com", PASSWORD, CLIENT)


async def test_an_outdated_hash_is_remade_at_login(world: World, auth: AuthService) -> None:
    user = world.add_user()
    world.hasher.version = 2

    await auth.login("ann@example.com", PASSWORD, CLIENT)

    assert world.uow.committed_users.rows[user.id].password_hash == f"v2:{PASSWORD}"
