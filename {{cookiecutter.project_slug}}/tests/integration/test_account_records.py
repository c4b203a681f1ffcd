"""What the account features store, in SQL: sessions with where they began and when they were
last refreshed, revoking all but one, and password reset tokens."""

from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.auth.entities import (
    PasswordResetToken,
    RefreshToken,
    RefreshTokenFamily,
)
from {{ cookiecutter.package_name }}.domain.auth.refresh_tokens import new_refresh_token
from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork

NOW = utc_now().replace(microsecond=0)


def unit_of_work(engine: AsyncEngine) -> SqlUnitOfWork:
    return SqlUnitOfWork(create_session_factories(engine))


async def add_user(engine: AsyncEngine, email: str) -> User:
    user = User(email=email, password_hash="$argon2id$stand-in")
    async with unit_of_work(engine) as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


async def add_session(
    engine: AsyncEngine, user: User, started: datetime, *refreshes: datetime, ttl_hours: int = 1
) -> RefreshTokenFamily:
    family = RefreshTokenFamily(
        user_id=user.id, created_at=started, user_agent="curl/8.5", client="192.0.2.1"
    )
    async with unit_of_work(engine) as uow:
        await uow.refresh_tokens.add_family(family)
        for issued in (started, *refreshes):
            await uow.refresh_tokens.add(
                RefreshToken(
                    family=family,
                    token_hash=new_refresh_token()[1],
                    created_at=issued,
                    expires_at=issued + timedelta(hours=ttl_hours),
                )
            )
        await uow.commit()
    return family


@pytest.fixture
async def ann(engine: AsyncEngine) -> User:
    return await add_user(engine, "ann@example.com")


async def test_live_sessions_newest_first_with_their_last_refresh(
    engine: AsyncEngine, ann: User
) -> None:
    older = await add_session(engine, ann, NOW - timedelta(minutes=30), NOW - timedelta(minutes=5))
    newer = await add_session(engine, ann, NOW - timedelta(minutes=10))

    async with unit_of_work(engine).read_only() as uow:
        live = await uow.refresh_tokens.list_live(ann.id, NOW)

    assert [(s.family, s.last_used_at) for s in live] == [
        (newer, NOW - timedelta(minutes=10)),
        (older, NOW - timedelta(minutes=5)),
    ]


async def test_revoked_expired_and_other_users_sessions_are_not_live(
    engine: AsyncEngine, ann: User
) -> None:
    bob = await add_user(engine, "bob@example.com")
    revoked = await add_session(engine, ann, NOW)
    await add_session(engine, ann, NOW - timedelta(hours=3))  # its only token expired
    await add_session(engine, bob, NOW)
    async with unit_of_work(engine) as uow:
        await uow.refresh_tokens.revoke_family(revoked.id, NOW)
        await uow.commit()

    async with unit_of_work(engine).read_only() as uow:
        assert await uow.refresh_tokens.list_live(ann.id, NOW) == []


async def test_revoking_all_sessions_but_one(engine: AsyncEngine, ann: User) -> None:
    kept, *others = [await add_session(engine, ann, NOW) for _ in range(3)]

    async with unit_of_work(engine) as uow:
        revoked = await uow.refresh_tokens.revoke_families_of(ann.id, NOW, keep=kept.id)
        await uow.commit()
    async with unit_of_work(engine).read_only() as uow:
        live = await uow.refresh_tokens.list_live(ann.id, NOW)

    assert sorted(revoked) == sorted(family.id for family in others)
    assert [session.family.id for session in live] == [kept.id]


def reset_token(user: User, expires_at: datetime) -> PasswordResetToken:
    return PasswordResetToken(
        user_id=user.id, token_hash=uuid4().hex * 2, created_at=NOW, expires_at=expires_at
    )


async def test_reset_tokens_are_found_by_hash_and_spent_together(
    engine: AsyncEngine, ann: User
) -> None:
    first, second = (reset_token(ann, NOW + timedelta(minutes=30)) for _ in range(2))
    async with unit_of_work(engine) as uow:
        await uow.password_reset_tokens.add(first)
        await uow.password_reset_tokens.add(second)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        assert await uow.password_reset_tokens.find(first.token_hash, for_update=True) == first
        assert await uow.password_reset_tokens.find("0" * 64) is None
        await uow.password_reset_tokens.spend_all_of(ann.id, NOW)
        await uow.commit()

    async with unit_of_work(engine).read_only() as uow:
        for token in (first, second):
            found = await uow.password_reset_tokens.find(token.token_hash)
            assert found is not None
            assert found.spent_at == NOW
            assert not found.is_usable(NOW)


async def test_expired_reset_tokens_are_purged_in_batches(engine: AsyncEngine, ann: User) -> None:
    expired = [reset_token(ann, NOW - timedelta(minutes=1)) for _ in range(3)]
    live = reset_token(ann, NOW + timedelta(minutes=1))
    async with unit_of_work(engine) as uow:
        for token in (*expired, live):
            await uow.password_reset_tokens.add(token)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        assert await uow.password_reset_tokens.purge_expired(NOW, limit=2) == 2
        assert await uow.password_reset_tokens.purge_expired(NOW, limit=2) == 1
        await uow.commit()

    async with unit_of_work(engine).read_only() as uow:
        assert await uow.password_reset_tokens.find(live.token_hash) == live
