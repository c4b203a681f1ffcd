"""Listing items on the real database: keyset paging with ties, filters, and the version check
of conditional writes, said in the SQL of whichever backend the run uses."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.items.entities import Item, ItemChanges
from {{ cookiecutter.package_name }}.domain.items.ports import ITEM_SORTING, ItemFilter
from {{ cookiecutter.package_name }}.domain.pagination import NEWEST_FIRST, Cursor, PageRequest
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.database.item_repository import (
    SORT_COLUMNS,
    _conditions,
)
from {{ cookiecutter.package_name }}.infrastructure.database.paging import paged
from {{ cookiecutter.package_name }}.infrastructure.database.tables import ItemRow

from .test_item_repository import owner, unit_of_work  # noqa: F401  (a fixture is used by name)

NOON = datetime(2026, 12, 5, 12, tzinfo=UTC)


async def add_items(engine: AsyncEngine, items: list[Item]) -> None:
    async with unit_of_work(engine) as uow:
        for item in items:
            await uow.items.add(item)
        await uow.commit()


async def walk(engine: AsyncEngine, request: PageRequest, where: ItemFilter) -> list[Item]:
    """Every page by cursor, `request` first."""
    seen: list[Item] = []
    while True:
        async with unit_of_work(engine) as uow:
            page = await uow.items.list(request, where)
        seen += page.items
        if page.next is None:
            return seen
        request = PageRequest(limit=request.limit, order=request.order, after=page.next)


async def test_the_cursor_walk_breaks_created_at_ties_by_id(
    engine: AsyncEngine,
    owner: User,  # noqa: F811
) -> None:
    # Ten rows in three instants: pages end in the middle of a tie.
    items = [
        Item(
            name=f"item {n}",
            price=Decimal(n),
            owner_id=owner.id,
            created_at=NOON + timedelta(seconds=n % 3),
        )
        for n in range(10)
    ]
    await add_items(engine, items)

    for sort in ["-created_at", "created_at"]:
        order = ITEM_SORTING.parse(sort)
        seen = await walk(engine, PageRequest(limit=3, order=order), ItemFilter())

        expected = sorted(items, key=lambda i: (i.created_at, i.id), reverse=order.descending)
        assert [i.id for i in seen] == [i.id for i in expected], sort


async def test_the_cursor_walk_by_name_and_price_with_ties(
    engine: AsyncEngine,
    owner: User,  # noqa: F811
) -> None:
    items = [
        Item(name=["Lamp", "chair", "lamp"][n % 3], price=Decimal(n % 4), owner_id=owner.id)
        for n in range(9)
    ]
    await add_items(engine, items)

    by_price = await walk(
        engine, PageRequest(limit=2, order=ITEM_SORTING.parse("-price")), ItemFilter()
    )
    by_name = await walk(
        engine, PageRequest(limit=4, order=ITEM_SORTING.parse("name")), ItemFilter()
    )

    assert [i.id for i in by_price] == [
        i.id for i in sorted(items, key=lambda i: (i.price, i.id), reverse=True)
    ]
    assert sorted(i.id for i in by_name) == sorted(i.id for i in items)  # the collation orders
    assert len({i.id for i in by_name}) == len(items)


async def test_filters_combine_and_escape_like_wildcards(
    engine: AsyncEngine,
    owner: User,  # noqa: F811
) -> None:
    names = ["50% off", "500 off", "a_b", "axb", "back\\slash", "LAMP", "lamp"]
    await add_items(
        engine,
        [Item(name=name, price=Decimal(n), owner_id=owner.id) for n, name in enumerate(names)],
    )

    async def matching(where: ItemFilter) -> list[str]:
        async with unit_of_work(engine) as uow:
            page = await uow.items.list(PageRequest(order=ITEM_SORTING.parse("price")), where)
        return [item.name for item in page.items]

    assert await matching(ItemFilter(name_contains="0%")) == ["50% off"]
    assert await matching(ItemFilter(name_contains="_")) == ["a_b"]
    assert await matching(ItemFilter(name_contains="\\")) == ["back\\slash"]
    assert await matching(ItemFilter(name_contains="Lam")) == ["LAMP", "lamp"]
    assert await matching(ItemFilter(name_contains="lam", max_price=Decimal(5))) == ["LAMP"]
    assert await matching(ItemFilter(min_price=Decimal(1), max_price=Decimal(2))) == [
        "500 off",
        "a_b",
    ]


async def test_a_write_at_another_version_changes_nothing(
    engine: AsyncEngine,
    owner: User,  # noqa: F811
) -> None:
    item = Item(name="lamp", price=Decimal("1.00"), owner_id=owner.id)
    await add_items(engine, [item])
    changed = item.with_changes(ItemChanges(name="desk lamp"))

    async with unit_of_work(engine) as uow:
        stale = await uow.items.update(changed, expected_versions={7})
        stale_delete = await uow.items.delete(item.id, expected_versions={7})
        current = await uow.items.update(changed, expected_versions={1})
        await uow.commit()
    async with unit_of_work(engine) as uow:
        stored = await uow.items.get(item.id)
    async with engine.connect() as connection:
        versions = (await connection.execute(text("SELECT version FROM items"))).scalars().all()

    assert (stale, stale_delete, current) == (False, False, True)
    assert stored == changed
    assert list(versions) == [2]


# A listing, and the index its plan must use. `ix_items_name` is a trigram index on PostgreSQL,
# which serves `ILIKE '%x%'`; on SQLite it is a plain one, which serves `sort=name`.
LISTINGS: list[tuple[str, ItemFilter, UUID | None, str, dict[str, str]]] = [
    (
        "an owner's, by cursor",
        ItemFilter(),
        uuid4(),
        "-created_at",
        {"*": "ix_items_owner_id_created_at"},
    ),
    ("everyone's, by cursor", ItemFilter(), None, "-created_at", {"*": "ix_items_created_at"}),
    (
        "a price range",
        ItemFilter(min_price=Decimal(1), max_price=Decimal(2)),
        None,
        "price",
        {"*": "ix_items_price"},
    ),
    (
        "name contains, by name",
        ItemFilter(name_contains="lamp"),
        None,
        "name",
        {"*": "ix_items_name"},
    ),
]


def query_plan(connection: Connection, where: ItemFilter, owner_id: UUID | None, sort: str) -> str:
    order = ITEM_SORTING.parse(sort)
    after = Cursor(order, NOON, uuid4()) if order == NEWEST_FIRST else None
    page = PageRequest(order=order, after=after)
    query = paged(
        select(ItemRow).where(*_conditions(where, owner_id)), SORT_COLUMNS, ItemRow.id, page
    )
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "postgresql":
        # With a handful of rows a scan is cheaper: forbid it, to see which index the plan uses.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return "\n".join(connection.exec_driver_sql(f"EXPLAIN {sql}").scalars())
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize(
    ("what", "where", "owner_id", "sort", "index"),
    LISTINGS,
    ids=[listing[0] for listing in LISTINGS],
)
async def test_listings_read_through_their_indexes(
    engine: AsyncEngine,
    what: str,
    where: ItemFilter,
    owner_id: UUID | None,
    sort: str,
    index: dict[str, str],
) -> None:
    async with engine.begin() as connection:
        plan = await connection.run_sync(query_plan, where, owner_id, sort)
        expected = index.get(connection.dialect.name, index.get("*"))

    assert expected is not None
    # SQLite says "USING INDEX ix_...", PostgreSQL "using ix_..." or "Index Scan on ix_...".
    assert re.search(rf"\b(INDEX|using|on) {expected}\b", plan), plan
