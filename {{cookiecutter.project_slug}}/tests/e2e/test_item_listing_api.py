"""Listing `/api/v1/items` over HTTP: filters, sorting, and paging by offset or by cursor."""

from typing import Any, cast

import httpx
import pytest

from .problems import assert_problem
from .test_items_api import ITEMS, create


async def names(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get(ITEMS, params=params)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["data"]]


async def test_the_default_order_is_newest_first(user_client: httpx.AsyncClient) -> None:
    for name in ["oldest", "middle", "newest"]:
        await create(user_client, name=name)

    assert await names(user_client) == ["newest", "middle", "oldest"]


async def test_sort_by_an_allowed_field_either_way(user_client: httpx.AsyncClient) -> None:
    for name, price in [("b", "2.00"), ("c", "1.00"), ("a", "3.00")]:
        await create(user_client, name=name, price=price)

    assert await names(user_client, sort="name") == ["a", "b", "c"]
    assert await names(user_client, sort="-price") == ["a", "b", "c"]
    assert await names(user_client, sort="price") == ["c", "b", "a"]


@pytest.mark.parametrize("sort", ["owner_id", "-description", "name;drop table items"])
async def test_an_unknown_sort_field_is_a_422_naming_the_allowed_ones(
    user_client: httpx.AsyncClient, sort: str
) -> None:
    response = await user_client.get(ITEMS, params={"sort": sort})

    body = assert_problem(response, 422)
    [error] = cast(list[dict[str, str]], body["errors"])
    assert error["field"] == "query.sort"
    assert "created_at, name, price" in error["message"]


async def test_name_contains_ignores_case_and_treats_wildcards_as_text(
    user_client: httpx.AsyncClient,
) -> None:
    for name in ["Desk Lamp", "lamp_post", "lampshade", "100% wool", "1000 wool"]:
        await create(user_client, name=name)

    assert sorted(await names(user_client, name="LAMP")) == ["Desk Lamp", "lamp_post", "lampshade"]
    assert await names(user_client, name="p_p") == ["lamp_post"]
    assert await names(user_client, name="p_") == ["lamp_post"]
    assert await names(user_client, name="0%") == ["100% wool"]


async def test_a_price_range_includes_its_bounds(user_client: httpx.AsyncClient) -> None:
    for price in ["0.99", "1.00", "5.00", "10.00", "10.01"]:
        await create(user_client, name=price, price=price)

    response = await user_client.get(
        ITEMS, params={"min_price": "1", "max_price": "10", "sort": "price"}
    )

    assert [item["name"] for item in response.json()["data"]] == ["1.00", "5.00", "10.00"]
    assert response.json()["meta"]["total"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [({"min_price": "-1"}, "query.min_price"), ({"name": "x" * 201}, "query.name")],
)
async def test_a_bad_filter_is_a_422(
    user_client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    body = assert_problem(await user_client.get(ITEMS, params=params), 422)
    assert [error["field"] for error in body["errors"]] == [field]  # type: ignore[attr-defined]


async def test_the_cursor_walk_sees_every_row_once_while_rows_are_added(
    user_client: httpx.AsyncClient,
) -> None:
    originals = [(await create(user_client, name=f"item {n}"))["id"] for n in range(7)]

    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        body = (await user_client.get(ITEMS, params=params)).json()
        seen += [item["id"] for item in body["data"]]
        # Newer rows arrive between pages: offsets would shift and show a row twice.
        await create(user_client, name="arrived meanwhile")
        if body["meta"]["next"] is None:
            break
        params = {"limit": 3, "cursor": body["meta"]["next"]}

    assert seen == list(reversed(originals))


async def test_a_cursor_keeps_the_filters_and_sort_it_is_sent_with(
    user_client: httpx.AsyncClient,
) -> None:
    for n in range(5):
        await create(user_client, name=f"lamp {n}", price=f"{n}.00")
    await create(user_client, name="chair", price="2.50")
    params: dict[str, str | int] = {"limit": 2, "sort": "-price", "name": "lamp"}

    first = (await user_client.get(ITEMS, params=params)).json()
    second = (
        await user_client.get(ITEMS, params={**params, "cursor": first["meta"]["next"]})
    ).json()

    assert [i["name"] for i in first["data"] + second["data"]] == [
        f"lamp {n}" for n in (4, 3, 2, 1)
    ]
    assert second["meta"]["total"] == 5


async def test_an_offset_page_also_offers_the_cursor_to_the_next(
    user_client: httpx.AsyncClient,
) -> None:
    for n in range(4):
        await create(user_client, name=f"item {n}")

    first = (await user_client.get(ITEMS, params={"limit": 2, "offset": 1})).json()
    rest = (
        await user_client.get(ITEMS, params={"limit": 2, "cursor": first["meta"]["next"]})
    ).json()

    assert [i["name"] for i in first["data"] + rest["data"]] == ["item 2", "item 1", "item 0"]
    assert rest["meta"]["next"] is None


async def test_a_tampered_cursor_is_a_422(user_client: httpx.AsyncClient) -> None:
    for n in range(3):
        await create(user_client, name=f"item {n}")
    cursor = (await user_client.get(ITEMS, params={"limit": 1})).json()["meta"]["next"]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")

    for bad in [tampered, "garbage"]:
        body = assert_problem(await user_client.get(ITEMS, params={"cursor": bad}), 422)
        assert [e["field"] for e in body["errors"]] == ["query.cursor"]  # type: ignore[attr-defined]


async def test_a_cursor_sent_with_another_sort_is_a_422(user_client: httpx.AsyncClient) -> None:
    for n in range(3):
        await create(user_client, name=f"item {n}")
    cursor = (await user_client.get(ITEMS, params={"limit": 1, "sort": "name"})).json()["meta"][
        "next"
    ]

    response = await user_client.get(ITEMS, params={"cursor": cursor, "sort": "-name"})

    body = assert_problem(response, 422)
    assert "sorted by `name`" in body["errors"][0]["message"]  # type: ignore[index]
