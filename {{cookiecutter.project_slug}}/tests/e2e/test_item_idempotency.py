"""`Idempotency-Key` on `POST /api/v1/items`: a repeat creates no second item, and a key is for
one request only (the rules themselves: test_idempotency_api.py, on jobs)."""

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.infrastructure.database.tables import ItemRow

from .problems import assert_problem
from .test_idempotency_api import JOBS, KIND
from .test_items_api import ITEMS

LAMP = {"name": "lamp", "price": "19.99"}


async def post_item(client: httpx.AsyncClient, key: str, body: dict[str, Any]) -> httpx.Response:
    return await client.post(ITEMS, json=body, headers={"Idempotency-Key": key})


async def count_items(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(ItemRow)) or 0)


async def test_a_repeat_gets_the_first_response_and_creates_no_second_item(
    user_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    first = await post_item(user_client, "lamp-1", LAMP)
    # The same request spelt differently (a number for the price) is still the same request.
    repeat = await post_item(user_client, "lamp-1", {"price": 19.99, "name": "lamp"})

    assert (first.status_code, repeat.status_code) == (201, 201)
    assert repeat.content == first.content
    assert repeat.headers["location"] == first.headers["location"]
    assert first.headers["location"] == f"{ITEMS}/{first.json()['id']}"
    assert repeat.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert repeat.headers["idempotent-replayed"] == "true"
    assert await count_items(engine) == 1


async def test_the_same_key_with_another_body_is_a_422(
    user_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    await post_item(user_client, "lamp-1", LAMP)

    problem = assert_problem(await post_item(user_client, "lamp-1", {**LAMP, "name": "desk"}), 422)

    assert str(problem["type"]).endswith("/idempotency-key-reused")
    assert await count_items(engine) == 1


async def test_the_same_key_on_another_route_is_another_request(
    user_client: httpx.AsyncClient,
) -> None:
    await post_item(user_client, "key-1", LAMP)

    response = await user_client.post(
        JOBS, json={"kind": KIND}, headers={"Idempotency-Key": "key-1"}
    )

    assert_problem(response, 422)


async def test_without_a_key_the_answer_is_as_before(user_client: httpx.AsyncClient) -> None:
    response = await user_client.post(ITEMS, json=LAMP)

    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.json()["price"] == "19.99"
    assert "idempotent-replayed" not in response.headers
