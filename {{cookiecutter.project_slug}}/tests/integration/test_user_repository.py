"""The SQLAlchemy user repository on every backend the service supports."""

from dataclasses import replace
from datetime import UTC

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.domain.users.errors import EmailTakenError
from {{ cookiecutter.package_name }}.domain.users.ports import UserFilter
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork


def unit_of_work(engine: AsyncEngine) -> SqlUnitOfWork:
    return SqlUnitOfWork(create_session_factories(engine))


def make_user(email: str = "ann@example.com") -> User:
    return User(email=email, password_hash="$argon2id$stand-in", full_name="Ann")


async def test_an_added_user_reads_back_equal_by_id_and_email(engine: AsyncEngine) -> None:
    user = make_user()
    async with unit_of_work(engine) as uow:
        await uow.users.add(user)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        by_id = await uow.users.get(user.id, for_update=True)
        by_email = await uow.users.get_by_email("ann@example.com")
        nobody = await uow.users.get_by_email("bob@example.com")

    assert by_id == by_email == user
    assert by_id is not None
    assert by_id.created_at.tzinfo is UTC
    assert nobody is None


async def test_an_email_is_unique(engine: AsyncEngine) -> None:
    async with unit_of_work(engine) as uow:
        await uow.users.add(make_user())
        await uow.commit()

    async with unit_of_work(engine) as uow:
        with pytest.raises(EmailTakenError):
            await uow.users.add(make_user())


async def test_update_changes_role_activity_and_hash(engine: AsyncEngine) -> None:
    user = make_user()
    async with unit_of_work(engine) as uow:
        await uow.users.add(user)
        await uow.commit()

    changed = replace(user, role=Role.ADMIN, is_active=False, password_hash="$argon2id$new")
    async with unit_of_work(engine) as uow:
        await uow.users.update(changed)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        assert await uow.users.get(user.id) == changed


async def test_list_is_newest_first_with_the_total(engine: AsyncEngine) -> None:
    users = [make_user(f"user{n}@example.com") for n in range(3)]
    async with unit_of_work(engine) as uow:
        for user in users:
            await uow.users.add(user)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        page = await uow.users.list(PageRequest(limit=2, offset=1), UserFilter())

    assert page.total == 3
    assert [user.id for user in page.items] == [users[1].id, users[0].id]
