"""`/api/v1/items` over HTTP: the contract of SPEC section 5, good input and bad."""

from typing import Any
from uuid import uuid4

import httpx
import pytest

from .problems import assert_problem

ITEMS = "/api/v1/items"


async def create(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post(ITEMS, json={"name": "lamp", "price": "19.99", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def count_items(client: httpx.AsyncClient) -> int:
    total: int = (await client.get(ITEMS)).json()["meta"]["total"]
    return total


async def test_create_answers_201_with_location(client: httpx.AsyncClient) -> None:
    response = await client.post(ITEMS, json={"name": "lamp", "price": 19.5, "description": "red"})

    assert response.status_code == 201
    item = response.json()
    assert response.headers["location"] == f"{ITEMS}/{item['id']}"
    assert (item["name"], item["price"], item["description"]) == ("lamp", "19.50", "red")
    assert item["created_at"].endswith("Z")


async def test_read_returns_what_was_created(client: httpx.AsyncClient) -> None:
    created = await create(client)

    response = await client.get(f"{ITEMS}/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


async def test_list_is_paginated_with_meta(client: httpx.AsyncClient) -> None:
    for n in range(3):
        await create(client, name=f"item {n}")

    response = await client.get(ITEMS, params={"limit": 2, "offset": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"total": 3, "limit": 2, "offset": 1}
    assert [item["name"] for item in body["data"]] == ["item 1", "item 0"]


async def test_list_defaults_to_twenty(client: httpx.AsyncClient) -> None:
    body = (await client.get(ITEMS)).json()

    assert body == {"data": [], "meta": {"total": 0, "limit": 20, "offset": 0}}


async def test_patch_changes_only_the_given_fields(client: httpx.AsyncClient) -> None:
    created = await create(client, description="old")

    response = await client.patch(f"{ITEMS}/{created['id']}", json={"price": "5"})

    assert response.status_code == 200
    item = response.json()
    assert (item["name"], item["price"], item["description"]) == ("lamp", "5.00", "old")
    assert (await client.get(f"{ITEMS}/{created['id']}")).json() == item


async def test_patch_with_null_description_clears_it(client: httpx.AsyncClient) -> None:
    created = await create(client, description="old")

    response = await client.patch(f"{ITEMS}/{created['id']}", json={"description": None})

    assert response.json()["description"] is None


async def test_delete_answers_204_and_the_item_is_gone(client: httpx.AsyncClient) -> None:
    created = await create(client)

    response = await client.delete(f"{ITEMS}/{created['id']}")

    assert (response.status_code, response.content) == (204, b"")
    assert_problem(await client.get(f"{ITEMS}/{created['id']}"), 404)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_an_unknown_item_is_a_404_problem(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(method, f"{ITEMS}/{uuid4()}", json={"name": "x"})

    body = assert_problem(response, 404)
    assert str(body["type"]).endswith("item-not-found")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"price": "1.00"}, "body.name"),
        ({"name": "", "price": "1.00"}, "body.name"),
        ({"name": "x" * 201, "price": "1.00"}, "body.name"),
        ({"name": "lamp"}, "body.price"),
        ({"name": "lamp", "price": -1}, "body.price"),
        ({"name": "lamp", "price": "1.001"}, "body.price"),
        ({"name": "lamp", "price": "cheap"}, "body.price"),
        ({"name": "lamp", "price": "1.00", "id": str(uuid4())}, "body.id"),
        ({"name": "lamp", "price": "1.00", "description": "x" * 2001}, "body.description"),
    ],
)
async def test_invalid_create_is_a_422_problem_and_writes_nothing(
    client: httpx.AsyncClient, payload: dict[str, Any], field: str
) -> None:
    response = await client.post(ITEMS, json=payload)

    body = assert_problem(response, 422)
    assert field in [error["field"] for error in body["errors"]]  # type: ignore[attr-defined]
    assert await count_items(client) == 0


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b'"lamp"', b"", '{"name": "l\u00e4mp"'.encode()]
)
async def test_a_malformed_body_is_a_422_problem(client: httpx.AsyncClient, content: bytes) -> None:
    response = await client.post(
        ITEMS, content=content, headers={"content-type": "application/json"}
    )

    assert_problem(response, 422)
    assert await count_items(client) == 0


@pytest.mark.parametrize(
    "payload",
    [{}, {"name": None}, {"price": None}, {"price": "-5"}, {"owner": "me"}, {"name": " "}],
)
async def test_invalid_patch_is_a_422_problem_and_changes_nothing(
    client: httpx.AsyncClient, payload: dict[str, Any]
) -> None:
    created = await create(client)

    response = await client.patch(f"{ITEMS}/{created['id']}", json=payload)

    assert_problem(response, 422)
    assert (await client.get(f"{ITEMS}/{created['id']}")).json() == created


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 101}, "query.limit"),
        ({"limit": "many"}, "query.limit"),
        ({"offset": -1}, "query.offset"),
    ],
)
async def test_invalid_pagination_is_a_422_problem(
    client: httpx.AsyncClient, query: dict[str, Any], field: str
) -> None:
    body = assert_problem(await client.get(ITEMS, params=query), 422)

    assert [error["field"] for error in body["errors"]] == [field]  # type: ignore[attr-defined]


async def test_a_malformed_item_id_is_a_422_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get(f"{ITEMS}/not-a-uuid"), 422)

    assert body["errors"][0]["field"] == "path.item_id"  # type: ignore[index]


async def test_a_trailing_slash_is_a_404_not_a_redirect(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get(f"{ITEMS}/"), 404)
