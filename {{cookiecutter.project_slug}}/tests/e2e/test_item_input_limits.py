"""Items the database cannot hold are a 422 in both run modes, never a driver error."""

import httpx
import pytest

from .problems import assert_problem

ITEMS = "/api/v1/items"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "a\x00b", "price": "1.00"},
        {"name": "ok", "description": "nul \x00 inside", "price": "1.00"},
        {"name": "ok", "price": "100000000000000000000"},
        {"name": "ok", "price": 1e300},
    ],
)
async def test_an_item_the_database_cannot_hold_is_a_422(
    user_client: httpx.AsyncClient, body: dict[str, object]
) -> None:
    response = await user_client.post(ITEMS, json=body)

    assert_problem(response, 422)
    assert (await user_client.get(ITEMS)).json()["meta"]["total"] == 0


async def test_an_update_with_nul_is_a_422_and_changes_nothing(
    user_client: httpx.AsyncClient,
) -> None:
    created = (await user_client.post(ITEMS, json={"name": "lamp", "price": "5.00"})).json()

    response = await user_client.patch(f"{ITEMS}/{created['id']}", json={"name": "l\x00mp"})

    assert_problem(response, 422)
    assert (await user_client.get(f"{ITEMS}/{created['id']}")).json()["name"] == "lamp"


async def test_an_item_id_that_is_not_a_uuid_is_a_422(user_client: httpx.AsyncClient) -> None:
    assert_problem(await user_client.get(f"{ITEMS}/%00"), 422)
