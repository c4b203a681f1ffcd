"""The SQLAlchemy item repository on every backend the service supports."""

import asyncio
from datetime import UTC
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.items.entities import Item, ItemChanges
from {{ cookiecutter.package_name }}.domain.items.ports import ItemFilter
from {{ cookiecutter.package_name }}.domain.items.service import ItemService
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork

from ..unit.fakes import InMemoryCache


def unit_of_work(engine: AsyncEngine) -> SqlUnitOfWork:
    return SqlUnitOfWork(create_session_factories(engine))


async def add_user(engine: AsyncEngine, email: str) -> User:
    user = User(email=email, password_hash="not-a-real-hash")
    async with unit_of_work(engine) as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


@pytest.fixture
async def owner(engine: AsyncEngine) -> User:
    """Every item has an owner, and the foreign key wants the user to exist."""
    return await add_user(engine, "owner@example.com")


async def test_an_added_item_reads_back_equal(engine: AsyncEngine, owner: User) -> None:
    item = Item(name="lamp", price=Decimal("19.99"), description="bright", owner_id=owner.id)
    async with unit_of_work(engine) as uow:
        await uow.items.add(item)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        stored = await uow.items.get(item.id)

    assert stored == item
    assert stored.created_at.tzinfo is UTC


async def test_money_is_exact_at_the_extremes(engine: AsyncEngine, owner: User) -> None:
    prices = [Decimal("0.00"), Decimal("0.01"), Decimal("9999999999.99")]
    items = [Item(name=str(price), price=price, owner_id=owner.id) for price in prices]
    async with unit_of_work(engine) as uow:
        for item in items:
            await uow.items.add(item)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        stored = [await uow.items.get(item.id) for item in items]

    assert [item.price for item in stored if item] == prices


async def test_work_not_committed_is_rolled_back(engine: AsyncEngine, owner: User) -> None:
    item = Item(name="lamp", price=Decimal("1.00"), owner_id=owner.id)
    async with unit_of_work(engine) as uow:
        await uow.items.add(item)

    async with unit_of_work(engine) as uow:
        assert await uow.items.get(item.id) is None


async def test_list_is_newest_first_and_counts_everything(engine: AsyncEngine, owner: User) -> None:
    items = [Item(name=f"item {n}", price=Decimal(n), owner_id=owner.id) for n in range(5)]
    async with unit_of_work(engine) as uow:
        for item in items:
            await uow.items.add(item)
        await uow.commit()

    async with unit_of_work(engine) as uow:
        page = await uow.items.list(PageRequest(limit=2, offset=1), ItemFilter())
        beyond = await uow.items.list(PageRequest(limit=2, offset=10), ItemFilter())

    assert page.total == 5
    assert [item.id for item in page.items] == [items[3].id, items[2].id]
    assert (beyond.items, beyond.total) == ([], 5)


async def test_update_and_delete(engine: AsyncEngine, owner: User) -> None:
    item = Item(name="lamp", price=Decimal("1.00"), owner_id=owner.id)
    async with unit_of_work(engine) as uow:
        await uow.items.add(item)
        await uow.commit()

    changed = item.with_changes(ItemChanges(name="desk lamp", description="new"))
    async with unit_of_work(engine) as uow:
        assert await uow.items.update(changed, expected_versions={item.version}) is True
        await uow.commit()
    async with unit_of_work(engine) as uow:
        assert await uow.items.get(item.id, for_update=True) == changed
        assert await uow.items.delete(item.id) is True
        assert await uow.items.delete(uuid4()) is False
        await uow.commit()
    async with unit_of_work(engine) as uow:
        assert await uow.items.get(item.id) is None


async def test_concurrent_partial_updates_both_survive(engine: AsyncEngine, owner: User) -> None:
    # PostgreSQL: the row lock of `for_update`. SQLite: the write lock `BEGIN IMMEDIATE` takes.
    sessions = create_session_factories(engine)
    actor = Actor(user_id=owner.id, role=owner.role)

    def service() -> ItemService:
        return ItemService(SqlUnitOfWork(sessions), InMemoryCache())

    item = await service().create(Item(name="lamp", price=Decimal("1.00"), owner_id=owner.id))

    await asyncio.gather(
        service().update(actor, item.id, ItemChanges(name="desk lamp")),
        service().update(actor, item.id, ItemChanges(price=Decimal("2.00"))),
    )

    stored = await service().get(actor, item.id)
    assert (stored.name, stored.price) == ("desk lamp", Decimal("2.00"))


async def test_list_filters_by_owner(engine: AsyncEngine, owner: User) -> None:
    other = await add_user(engine, "other@example.com")
    mine = Item(name="mine", price=Decimal("1.00"), owner_id=owner.id)
    async with unit_of_work(engine) as uow:
        await uow.items.add(mine)
        await uow.items.add(Item(name="theirs", price=Decimal("1.00"), owner_id=other.id))
        await uow.commit()

    async with unit_of_work(engine) as uow:
        owned = await uow.items.list(PageRequest(), ItemFilter(), owner_id=owner.id)
        everything = await uow.items.list(PageRequest(), ItemFilter())

    assert (owned.total, owned.items) == (1, [mine])
    assert everything.total == 2
