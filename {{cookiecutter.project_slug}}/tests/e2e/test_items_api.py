"""`/api/v1/items` over HTTP: the contract of SPEC section 5, good input and bad."""

import re
from typing import Any
from uuid import uuid4

import httpx
import pytest

from {{ cookiecutter.package_name }}.api.schemas.price_text import PRICE_TEXT
from {{ cookiecutter.package_name }}.api.schemas.storable import NOT_BLANK_WITHOUT_NUL

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


async def test_create_answers_201_with_location(user_client: httpx.AsyncClient) -> None:
    response = await user_client.post(
        ITEMS, json={"name": "lamp", "price": 19.5, "description": "red"}
    )

    assert response.status_code == 201
    item = response.json()
    assert response.headers["location"] == f"{ITEMS}/{item['id']}"
    assert (item["name"], item["price"], item["description"]) == ("lamp", "19.50", "red")
    assert item["created_at"].endswith("Z")


async def test_read_returns_what_was_created(user_client: httpx.AsyncClient) -> None:
    created = await create(user_client)

    response = await user_client.get(f"{ITEMS}/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


async def test_list_is_paginated_with_meta(user_client: httpx.AsyncClient) -> None:
    for n in range(3):
        await create(user_client, name=f"item {n}")

    response = await user_client.get(ITEMS, params={"limit": 2, "offset": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"total": 3, "limit": 2, "offset": 1, "next": None}
    assert [item["name"] for item in body["data"]] == ["item 1", "item 0"]


async def test_list_defaults_to_twenty(user_client: httpx.AsyncClient) -> None:
    body = (await user_client.get(ITEMS)).json()

    assert body == {"data": [], "meta": {"total": 0, "limit": 20, "offset": 0, "next": None}}


async def test_patch_changes_only_the_given_fields(user_client: httpx.AsyncClient) -> None:
    created = await create(user_client, description="old")

    response = await user_client.patch(f"{ITEMS}/{created['id']}", json={"price": "5"})

    assert response.status_code == 200
    item = response.json()
    assert (item["name"], item["price"], item["description"]) == ("lamp", "5.00", "old")
    assert (await user_client.get(f"{ITEMS}/{created['id']}")).json() == item


async def test_patch_with_null_description_clears_it(user_client: httpx.AsyncClient) -> None:
    created = await create(user_client, description="old")

    response = await user_client.patch(f"{ITEMS}/{created['id']}", json={"description": None})

    assert response.json()["description"] is None


async def test_delete_answers_204_and_the_item_is_gone(user_client: httpx.AsyncClient) -> None:
    created = await create(user_client)

    response = await user_client.delete(f"{ITEMS}/{created['id']}")

    assert (response.status_code, response.content) == (204, b"")
    assert_problem(await user_client.get(f"{ITEMS}/{created['id']}"), 404)


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_an_unknown_item_is_a_404_problem(
    user_client: httpx.AsyncClient, method: str
) -> None:
    response = await user_client.request(method, f"{ITEMS}/{uuid4()}", json={"name": "x"})

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
        ({"name": "lamp", "price": "1e2"}, "body.price"),  # Decimal reads it, the pattern does not
        ({"name": "lamp", "price": " 5"}, "body.price"),
        ({"name": " \f", "price": "1.00"}, "body.name"),  # blank once stripped
        ({"name": "lamp", "price": "1.00", "id": str(uuid4())}, "body.id"),
        ({"name": "lamp", "price": "1.00", "description": "x" * 2001}, "body.description"),
    ],
)
async def test_invalid_create_is_a_422_problem_and_writes_nothing(
    user_client: httpx.AsyncClient, payload: dict[str, Any], field: str
) -> None:
    response = await user_client.post(ITEMS, json=payload)

    body = assert_problem(response, 422)
    assert field in [error["field"] for error in body["errors"]]  # type: ignore[attr-defined]
    assert await count_items(user_client) == 0


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b'"lamp"', b"", '{"name": "l\u00e4mp"'.encode()]
)
async def test_a_malformed_body_is_a_422_problem(
    user_client: httpx.AsyncClient, content: bytes
) -> None:
    response = await user_client.post(
        ITEMS, content=content, headers={"content-type": "application/json"}
    )

    assert_problem(response, 422)
    assert await count_items(user_client) == 0


@pytest.mark.parametrize(
    "payload",
    [{}, {"name": None}, {"price": None}, {"price": "-5"}, {"owner": "me"}, {"name": " "}],
)
async def test_invalid_patch_is_a_422_problem_and_changes_nothing(
    user_client: httpx.AsyncClient, payload: dict[str, Any]
) -> None:
    created = await create(user_client)

    response = await user_client.patch(f"{ITEMS}/{created['id']}", json=payload)

    assert_problem(response, 422)
    assert (await user_client.get(f"{ITEMS}/{created['id']}")).json() == created


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
    user_client: httpx.AsyncClient, query: dict[str, Any], field: str
) -> None:
    body = assert_problem(await user_client.get(ITEMS, params=query), 422)

    assert [error["field"] for error in body["errors"]] == [field]  # type: ignore[attr-defined]


async def test_a_malformed_item_id_is_a_422_problem(user_client: httpx.AsyncClient) -> None:
    body = assert_problem(await user_client.get(f"{ITEMS}/not-a-uuid"), 422)

    assert body["errors"][0]["field"] == "path.item_id"  # type: ignore[index]


async def test_a_trailing_slash_is_a_404_not_a_redirect(user_client: httpx.AsyncClient) -> None:
    assert_problem(await user_client.get(f"{ITEMS}/"), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", ""), ("POST", ""), ("GET", "/{id}"), ("PATCH", "/{id}"), ("DELETE", "/{id}")],
)
async def test_every_items_endpoint_needs_a_token(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, ITEMS + path.format(id=uuid4()), json={"name": "x"})

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_another_users_item_is_a_404_not_a_403(
    user_client: httpx.AsyncClient, other_user_client: httpx.AsyncClient, method: str
) -> None:
    created = await create(user_client)

    response = await other_user_client.request(
        method, f"{ITEMS}/{created['id']}", json={"name": "mine now"}
    )

    assert_problem(response, 404)
    assert (await user_client.get(f"{ITEMS}/{created['id']}")).json() == created


async def test_each_user_lists_only_their_own_items(
    user_client: httpx.AsyncClient, other_user_client: httpx.AsyncClient
) -> None:
    mine = await create(user_client, name="mine")
    await create(other_user_client, name="theirs")

    body = (await user_client.get(ITEMS)).json()

    assert body["meta"]["total"] == 1
    assert [item["id"] for item in body["data"]] == [mine["id"]]
    assert mine["owner_id"] == (await user_client.get("/api/v1/users/me")).json()["id"]


async def test_an_admin_lists_reads_and_changes_everyones_items(
    user_client: httpx.AsyncClient, admin_client: httpx.AsyncClient
) -> None:
    created = await create(user_client)

    assert (await admin_client.get(ITEMS)).json()["meta"]["total"] == 1
    assert (await admin_client.get(f"{ITEMS}/{created['id']}")).json() == created
    patched = await admin_client.patch(f"{ITEMS}/{created['id']}", json={"name": "confiscated"})
    assert patched.json()["name"] == "confiscated"
    assert (await admin_client.delete(f"{ITEMS}/{created['id']}")).status_code == 204


async def test_the_document_states_what_a_patch_refuses(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]["ItemUpdate"]
    fields = schema["properties"]

    assert schema["minProperties"] == 1  # `{}` changes nothing: a 422
    assert fields["name"]["type"] == "string"  # absent is "unchanged", null a 422
    assert {"type": "null"} not in fields["price"]["anyOf"]
    assert {"type": "string", "pattern": PRICE_TEXT} in fields["price"]["anyOf"]
    assert {"type": "null"} in fields["description"]["anyOf"]  # null clears it
    # Stripped, then at least one character: blank is a 422 (and NUL, as in every stored text).
    assert fields["name"]["pattern"] == NOT_BLANK_WITHOUT_NUL
    assert re.fullmatch(NOT_BLANK_WITHOUT_NUL, " \f\u3000") is None
    assert re.fullmatch(NOT_BLANK_WITHOUT_NUL, " lamp ")
