"""The item use cases, on in-memory fakes."""

from decimal import Decimal
from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.items.entities import Item, ItemChanges
from {{ cookiecutter.package_name }}.domain.items.errors import InvalidItemError, ItemNotFoundError
from {{ cookiecutter.package_name }}.domain.items.service import ItemService
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest

from .fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(uow: FakeUnitOfWork) -> ItemService:
    return ItemService(uow)


def make_item(name: str = "lamp", price: str = "10.00") -> Item:
    return Item(name=name, price=Decimal(price))


async def test_create_commits_the_item(service: ItemService, uow: FakeUnitOfWork) -> None:
    item = await service.create(make_item())

    assert uow.committed_items.rows == {item.id: item}
    assert uow.commits == 1


async def test_get_returns_a_stored_item(service: ItemService) -> None:
    item = await service.create(make_item())

    assert await service.get(item.id) == item


async def test_get_of_an_unknown_item_raises_not_found(service: ItemService) -> None:
    missing = uuid4()

    with pytest.raises(ItemNotFoundError) as raised:
        await service.get(missing)

    assert raised.value.item_id == missing


async def test_list_pages_newest_first_with_the_total(service: ItemService) -> None:
    created = [await service.create(make_item(f"item {n}")) for n in range(5)]

    page = await service.list(PageRequest(limit=2, offset=1))

    assert page.total == 5
    assert [item.name for item in page.items] == [created[3].name, created[2].name]


async def test_update_applies_only_the_given_fields(service: ItemService) -> None:
    item = await service.create(Item(name="lamp", price=Decimal("10.00"), description="old"))

    updated = await service.update(item.id, ItemChanges(price=Decimal("12.50")))

    assert (updated.name, updated.price, updated.description) == ("lamp", Decimal("12.50"), "old")
    assert updated.updated_at >= item.updated_at
    assert await service.get(item.id) == updated


async def test_update_can_clear_the_description(service: ItemService) -> None:
    item = await service.create(Item(name="lamp", price=Decimal("1.00"), description="old"))

    updated = await service.update(item.id, ItemChanges(description=None))

    assert updated.description is None


async def test_update_that_breaks_a_rule_changes_nothing(
    service: ItemService, uow: FakeUnitOfWork
) -> None:
    item = await service.create(make_item())

    with pytest.raises(InvalidItemError):
        await service.update(item.id, ItemChanges(price=Decimal("-1")))

    assert uow.committed_items.rows[item.id] == item
    assert uow.commits == 1


async def test_update_of_an_unknown_item_raises_not_found(service: ItemService) -> None:
    with pytest.raises(ItemNotFoundError):
        await service.update(uuid4(), ItemChanges(name="x"))


async def test_delete_removes_the_item(service: ItemService, uow: FakeUnitOfWork) -> None:
    item = await service.create(make_item())

    await service.delete(item.id)

    assert uow.committed_items.rows == {}


async def test_delete_of_an_unknown_item_raises_not_found(service: ItemService) -> None:
    with pytest.raises(ItemNotFoundError):
        await service.delete(uuid4())


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
        Item(name=name, price=Decimal(price))


def test_a_description_has_a_maximum_length() -> None:
    with pytest.raises(InvalidItemError):
        Item(name="lamp", price=Decimal("1.00"), description="x" * 2001)
