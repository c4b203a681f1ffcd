"""How the item service uses its cache: reads through it, forgets only after a commit, and
checks the caller on a hit exactly as on a database read."""

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.items.entities import Item, ItemChanges
from {{ cookiecutter.package_name }}.domain.items.errors import InvalidItemError, ItemNotFoundError
from {{ cookiecutter.package_name }}.domain.items.service import ItemService
from {{ cookiecutter.package_name }}.domain.permissions import Role

from .fakes import FakeUnitOfWork, InMemoryCache

OWNER = Actor(user_id=uuid4(), role=Role.USER)
OTHER_USER = Actor(user_id=uuid4(), role=Role.USER)


class CommitAwareCache(InMemoryCache[UUID, Item]):
    """Records how many commits had happened when each key was forgotten."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        super().__init__()
        self.uow = uow
        self.commits_when_forgotten: list[int] = []

    async def forget(self, key: UUID) -> None:
        self.commits_when_forgotten.append(self.uow.commits)
        await super().forget(key)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def cache(uow: FakeUnitOfWork) -> CommitAwareCache:
    return CommitAwareCache(uow)


@pytest.fixture
def service(uow: FakeUnitOfWork, cache: CommitAwareCache) -> ItemService:
    return ItemService(uow, cache)


async def stored_item(service: ItemService) -> Item:
    return await service.create(Item(name="lamp", price=Decimal("10.00"), owner_id=OWNER.user_id))


async def test_a_cached_item_is_served_without_the_database(
    service: ItemService, uow: FakeUnitOfWork, cache: CommitAwareCache
) -> None:
    item = await stored_item(service)
    await service.get(OWNER, item.id)
    uow.committed_items.rows.clear()  # the database lost it; the cache has not

    assert await service.get(OWNER, item.id) == item
    assert cache.entries == {item.id: item}


async def test_a_cache_hit_is_still_checked_against_the_caller(
    service: ItemService, cache: CommitAwareCache
) -> None:
    item = await stored_item(service)
    await service.get(OWNER, item.id)
    assert item.id in cache.entries

    with pytest.raises(ItemNotFoundError):
        await service.get(OTHER_USER, item.id)


async def test_update_forgets_the_cached_item_after_its_commit(
    service: ItemService, cache: CommitAwareCache
) -> None:
    item = await stored_item(service)
    await service.get(OWNER, item.id)

    updated = await service.update(OWNER, item.id, ItemChanges(name="desk"))

    assert cache.forgotten == [item.id]
    assert cache.commits_when_forgotten == [2]  # the create's commit and the update's
    assert await service.get(OWNER, item.id) == updated


async def test_delete_forgets_the_cached_item_after_its_commit(
    service: ItemService, cache: CommitAwareCache
) -> None:
    item = await stored_item(service)
    await service.get(OWNER, item.id)

    await service.delete(OWNER, item.id)

    assert cache.commits_when_forgotten == [2]
    with pytest.raises(ItemNotFoundError):
        await service.get(OWNER, item.id)


async def test_a_failed_update_forgets_nothing(
    service: ItemService, cache: CommitAwareCache
) -> None:
    item = await stored_item(service)

    with pytest.raises(InvalidItemError):
        await service.update(OWNER, item.id, ItemChanges(price=Decimal("-1")))

    assert cache.forgotten == []
