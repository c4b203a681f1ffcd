"""The N+1 guard for `/api/v1/items`: the bounds are in test_statement_counts.py, with the rest."""

import httpx

from .test_items_api import ITEMS, create
from .test_statement_counts import (
    LARGE_PAGE,
    assert_same_statements_for_any_page_size,
    settings,  # noqa: F401  (the caches off, here too: a fixture is used by its name)
    within_bound,
)


async def test_item_endpoints_stay_within_their_bounds(user_client: httpx.AsyncClient) -> None:
    created = await within_bound(
        user_client, "POST /api/v1/items", json={"name": "lamp", "price": "19.99"}
    )
    item = {"item_id": created.json()["id"]}
    await within_bound(user_client, "GET /api/v1/items")
    await within_bound(user_client, "GET /api/v1/items/{item_id}", path=item)
    await within_bound(
        user_client, "PATCH /api/v1/items/{item_id}", path=item, json={"name": "desk lamp"}
    )
    await within_bound(user_client, "DELETE /api/v1/items/{item_id}", path=item)


async def test_the_item_list_costs_the_same_for_any_page_size(
    user_client: httpx.AsyncClient,
) -> None:
    for n in range(LARGE_PAGE):
        await create(user_client, name=f"item {n}")

    await assert_same_statements_for_any_page_size(user_client, ITEMS)
