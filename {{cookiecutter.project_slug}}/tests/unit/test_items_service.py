"""The item use cases, on in-memory fakes."""

from decimal import Decimal
from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.items.entities import Item, ItemChanges
from {{ cookiecutter.package_name }}.domain.items.errors import (
    InvalidItemError,
    ItemChangedError,
    ItemNotFoundError,
)
from {{ cookiecutter.package_name }}.domain.items.ports import ItemFilter
from {{ cookiecutter.package_name }}.domain.items.service import ItemService
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.domain.permissions import Role

from .fakes import FakeUnitOfWork, InMemoryCache

OWNER = Actor(user_id=uuid4(), role=Role.USER)
OTHER_USER = Actor(user_id=uuid4(), role=Role.USER)
ADMIN = Actor(user_id=uuid4(), role=Role.ADMIN)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(uow: FakeUnitOfWork) -> ItemService:
    return ItemService(uow, InMemoryCache())


def make_item(
    name: str = "lamp", price: str = "10.00", description: str | None = None, owner: Actor = OWNER
) -> Item:
    return Item(name=name, price=Decimal(price), description=description, owner_id=owner.user_id)


async def test_create_commits_the_item(service: ItemService, uow: FakeUnitOfWork) -> None:
    item = await service.create(make_item())

    assert uow.committed_items.rows == {item.id: item}
    assert uow.commits == 1


async def test_get_returns_a_stored_item(service: ItemService) -> None:
    item = await service.create(make_item())

    assert await service.get(OWNER, item.id) == item


async def test_get_of_an_unknown_item_raises_not_found(service: ItemService) -> None:
    missing = uuid4()

    with pytest.raises(ItemNotFoundError) as raised:
        await service.get(OWNER, missing)

    assert raised.value.item_id == missing


async def test_list_pages_newest_first_with_the_total(service: ItemService) -> None:
    created = [await service.create(make_item(f"item {n}")) for n in range(5)]

    page = await service.list(OWNER, PageRequest(limit=2, offset=1), ItemFilter())

    assert page.total == 5
    assert [item.name for item in page.items] == [created[3].name, created[2].name]


async def test_update_applies_only_the_given_fields(service: ItemService) -> None:
    item = await service.create(make_item(description="old"))

    updated = await service.update(OWNER, item.id, ItemChanges(price=Decimal("12.50")))

    assert (updated.name, updated.price, updated.description) == ("lamp", Decimal("12.50"), "old")
    assert updated.updated_at >= item.updated_at
    assert await service.get(OWNER, item.id) == updated


async def test_update_can_clear_the_description(service: ItemService) -> None:
    item = await service.create(make_item(price="1.00", description="old"))

    updated = await service.update(OWNER, item.id, ItemChanges(description=None))

    assert updated.description is None


async def test_update_that_breaks_a_rule_changes_nothing(
    service: ItemService, uow: FakeUnitOfWork
) -> None:
    item = await service.create(make_item())

    with pytest.raises(InvalidItemError):
        await service.update(OWNER, item.id, ItemChanges(price=Decimal("-1")))

    assert uow.committed_items.rows[item.id] == item
    assert uow.commits == 1


async def test_update_of_an_unknown_item_raises_not_found(service: ItemService) -> None:
    with pytest.raises(ItemNotFoundError):
        await service.update(OWNER, uuid4(), ItemChanges(name="x"))


async def test_delete_removes_the_item(service: ItemService, uow: FakeUnitOfWork) -> None:
    item = await service.create(make_item())

    await service.delete(OWNER, item.id)

    assert uow.committed_items.rows == {}


async def test_delete_of_an_unknown_item_raises_not_found(service: ItemService) -> None:
    with pytest.raises(ItemNotFoundError):
        await service.delete(OWNER, uuid4())


@pytest.mark.parametrize(
    ("name", "price"),
    [
        ("", "1.00"),
        ("   ", "1.00"),
        ("x" * 201, "1.00"),
        ("lamp", "-0.01"),
        ("lamp", "1.005"),
        ("lamp", "10000000000.00"),
        ("lamp", "NaN"),
    ],
)
def test_an_item_refuses_to_break_its_rules(name: str, price: str) -> None:
    with pytest.raises(InvalidItemError):
        make_item(name=name, price=price)


def test_a_description_has_a_maximum_length() -> None:
    with pytest.raises(InvalidItemError):
        make_item(description="x" * 2001)


async def test_another_users_item_is_not_found_for_reading_or_writing(
    service: ItemService,
) -> None:
    item = await service.create(make_item())

    with pytest.raises(ItemNotFoundError):
        await service.get(OTHER_USER, item.id)
    with pytest.raises(ItemNotFoundError):
        await service.update(OTHER_USER, item.id, ItemChanges(name="mine now"))
    with pytest.raises(ItemNotFoundError):
        await service.delete(OTHER_USER, item.id)
    assert await service.get(OWNER, item.id) == item


async def test_a_user_lists_only_their_own_items(service: ItemService) -> None:
    mine = await service.create(make_item("mine"))
    await service.create(make_item("theirs", owner=OTHER_USER))

    page = await service.list(OWNER, PageRequest(), ItemFilter())

    assert (page.total, [item.id for item in page.items]) == (1, [mine.id])


async def test_an_admin_sees_and_changes_everyones_items(service: ItemService) -> None:
    item = await service.create(make_item())

    assert (await service.list(ADMIN, PageRequest(), ItemFilter())).total == 1
    assert await service.get(ADMIN, item.id) == item
    assert (await service.update(ADMIN, item.id, ItemChanges(name="seized"))).name == "seized"
    await service.delete(ADMIN, item.id)


async def test_every_update_is_a_new_version(service: ItemService) -> None:
    item = await service.create(make_item())

    first = await service.update(OWNER, item.id, ItemChanges(name="desk lamp"))
    second = await service.update(OWNER, item.id, ItemChanges(name="floor lamp"))

    assert (item.version, first.version, second.version) == (1, 2, 3)


async def test_an_update_expecting_an_old_version_changes_nothing(
    service: ItemService, uow: FakeUnitOfWork
) -> None:
    item = await service.create(make_item())
    await service.update(OWNER, item.id, ItemChanges(name="theirs"))

    with pytest.raises(ItemChangedError):
        await service.update(OWNER, item.id, ItemChanges(name="mine"), expected_versions={1})

    assert uow.committed_items.rows[item.id].name == "theirs"


async def test_an_update_expecting_the_current_version_applies(service: ItemService) -> None:
    item = await service.create(make_item())

    updated = await service.update(OWNER, item.id, ItemChanges(name="mine"), expected_versions={1})

    assert (updated.name, updated.version) == ("mine", 2)


async def test_a_delete_expecting_an_old_version_keeps_the_item(
    service: ItemService, uow: FakeUnitOfWork
) -> None:
    item = await service.create(make_item())
    await service.update(OWNER, item.id, ItemChanges(name="theirs"))

    with pytest.raises(ItemChangedError):
        await service.delete(OWNER, item.id, expected_versions={1})
    await service.delete(OWNER, item.id, expected_versions={2})

    assert item.id not in uow.committed_items.rows


async def test_a_missing_item_is_not_found_before_any_version_is_compared(
    service: ItemService,
) -> None:
    with pytest.raises(ItemNotFoundError):
        await service.update(OWNER, uuid4(), ItemChanges(name="x"), expected_versions={1})
