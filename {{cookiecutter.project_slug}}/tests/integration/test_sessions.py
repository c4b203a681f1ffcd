"""Refresh tokens, their families (sessions) and the per-request access check, in SQL."""

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.auth.entities import AccessState, RefreshToken, RefreshTokenFamily
from {{ cookiecutter.package_name }}.domain.auth.refresh_tokens import new_refresh_token
from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.database.access_states import SqlAccessStates
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.tables import UserRow
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork


def unit_of_work(engine: AsyncEngine) -> SqlUnitOfWork:
    return SqlUnitOfWork(create_session_factories(engine))


@pytest.fixture
async def user(engine: AsyncEngine) -> User:
    user = User(email="ann@example.com", password_hash="$argon2id$stand-in")
    async with unit_of_work(engine) as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


async def start_session(engine: AsyncEngine, user: User) -> tuple[RefreshTokenFamily, str]:
    family = RefreshTokenFamily(user_id=user.id)
    _token, token_hash = new_refresh_token()
    async with unit_of_work(engine) as uow:
        await uow.refresh_tokens.add_family(family)
        await uow.refresh_tokens.add(
            RefreshToken(
                family=family, token_hash=token_hash, expires_at=utc_now() + timedelta(hours=1)
            )
        )
        await uow.commit()
    return family, token_hash


async def test_a_token_is_found_by_its_hash_with_its_family(
    engine: AsyncEngine, user: User
) -> None:
    family, token_hash = await start_session(engine, user)

    async with unit_of_work(engine) as uow:
        found = await uow.refresh_tokens.find(token_hash, for_update=True)
        missing = await uow.refresh_tokens.find("0" * 64)

    assert found is not None
    assert (found.family, found.token_hash, found.spent_at) == (family, token_hash, None)
    assert missing is None


async def test_spend_and_revoke(engine: AsyncEngine, user: User) -> None:
    family, token_hash = await start_session(engine, user)
    now = utc_now()
    async with unit_of_work(engine) as uow:
        found = await uow.refresh_tokens.find(token_hash)
        assert found is not None
        await uow.refresh_tokens.spend(found.id, now)
        await uow.refresh_tokens.revoke_family(family.id, now)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        spent = await uow.refresh_tokens.find(token_hash)

    assert spent is not None
    assert (spent.spent_at, spent.family.revoked_at) == (now, now)


async def test_revoking_a_users_sessions_names_the_live_ones(
    engine: AsyncEngine, user: User
) -> None:
    first, _ = await start_session(engine, user)
    second, _ = await start_session(engine, user)
    async with unit_of_work(engine) as uow:
        await uow.refresh_tokens.revoke_family(first.id, utc_now())
        await uow.commit()

    async with unit_of_work(engine) as uow:
        revoked = await uow.refresh_tokens.revoke_families_of(user.id, utc_now())
        await uow.commit()

    assert revoked == [second.id]
    states = SqlAccessStates(engine)
    assert (await states.get(user.id, second.id)) == AccessState(
        role=Role.USER, is_active=True, session_revoked=True
    )


async def test_access_state_of_a_live_session(engine: AsyncEngine, user: User) -> None:
    family, _ = await start_session(engine, user)

    state = await SqlAccessStates(engine).get(user.id, family.id)

    assert state == AccessState(role=Role.USER, is_active=True, session_revoked=False)
    assert state.grants_access


async def test_access_state_follows_the_user(engine: AsyncEngine, user: User) -> None:
    family, _ = await start_session(engine, user)
    async with unit_of_work(engine) as uow:
        await uow.users.update(replace(user, role=Role.ADMIN, is_active=False))
        await uow.commit()

    state = await SqlAccessStates(engine).get(user.id, family.id)

    assert state == AccessState(role=Role.ADMIN, is_active=False, session_revoked=False)


async def test_another_users_session_counts_as_revoked(engine: AsyncEngine, user: User) -> None:
    other = User(email="bob@example.com", password_hash="$argon2id$stand-in")
    async with unit_of_work(engine) as uow:
        await uow.users.add(other)
        await uow.commit()
    others_session, _ = await start_session(engine, other)

    state = await SqlAccessStates(engine).get(user.id, others_session.id)
    unknown_session = await SqlAccessStates(engine).get(user.id, uuid4())

    assert state is not None
    assert state.session_revoked
    assert unknown_session is not None
    assert unknown_session.session_revoked


async def test_a_deleted_user_has_no_access_state(engine: AsyncEngine, user: User) -> None:
    family, token_hash = await start_session(engine, user)
    async with engine.begin() as connection:
        await connection.execute(delete(UserRow).where(UserRow.id == user.id))
    states = SqlAccessStates(engine)

    assert await states.get(user.id, family.id) is None
    async with unit_of_work(engine) as uow:
        assert await uow.refresh_tokens.find(token_hash) is None  # cascaded with the user
    await states.forget_user(user.id)  # nothing cached, nothing to do
    await states.forget_session(family.id)
