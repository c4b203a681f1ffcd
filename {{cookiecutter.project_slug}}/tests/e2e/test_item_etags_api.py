"""Conditional requests on `/api/v1/items/{item_id}`: ETag, If-None-Match, If-Match."""

import httpx

from .problems import assert_problem
from .test_items_api import ITEMS, create


async def test_a_read_carries_the_items_version_as_its_etag(user_client: httpx.AsyncClient) -> None:
    item = await create(user_client)

    first = await user_client.get(f"{ITEMS}/{item['id']}")
    changed = await user_client.patch(f"{ITEMS}/{item['id']}", json={"name": "desk lamp"})
    second = await user_client.get(f"{ITEMS}/{item['id']}")

    assert first.headers["etag"] == '"1"'
    assert changed.headers["etag"] == second.headers["etag"] == '"2"'


async def test_a_read_with_the_current_etag_is_304_without_a_body(
    user_client: httpx.AsyncClient,
) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"
    etag = (await user_client.get(url)).headers["etag"]

    response = await user_client.get(url, headers={"If-None-Match": etag})
    weak = await user_client.get(url, headers={"If-None-Match": f'"7", W/{etag}'})

    assert (response.status_code, response.content, response.headers["etag"]) == (304, b"", etag)
    assert weak.status_code == 304


async def test_a_read_with_an_old_etag_gets_the_item(user_client: httpx.AsyncClient) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"
    old = (await user_client.get(url)).headers["etag"]
    await user_client.patch(url, json={"price": "5.00"})

    response = await user_client.get(url, headers={"If-None-Match": old})

    assert (response.status_code, response.json()["price"]) == (200, "5.00")


async def test_a_patch_with_the_current_etag_applies(user_client: httpx.AsyncClient) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"
    etag = (await user_client.get(url)).headers["etag"]

    response = await user_client.patch(url, json={"name": "mine"}, headers={"If-Match": etag})

    assert (response.status_code, response.json()["name"]) == (200, "mine")
    assert response.headers["etag"] == '"2"'


async def test_a_patch_with_a_stale_etag_is_412_and_changes_nothing(
    user_client: httpx.AsyncClient,
) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"
    etag = (await user_client.get(url)).headers["etag"]
    await user_client.patch(url, json={"name": "theirs"})  # another client got there first

    response = await user_client.patch(url, json={"name": "mine"}, headers={"If-Match": etag})

    body = assert_problem(response, 412)
    assert str(body["type"]).endswith("item-changed")
    assert (await user_client.get(url)).json()["name"] == "theirs"


async def test_a_delete_with_a_stale_etag_is_412_and_keeps_the_item(
    user_client: httpx.AsyncClient,
) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"
    await user_client.patch(url, json={"name": "theirs"})

    stale = await user_client.delete(url, headers={"If-Match": '"1"'})
    current = await user_client.delete(url, headers={"If-Match": '"2"'})

    assert_problem(stale, 412)
    assert current.status_code == 204
    assert (await user_client.get(url)).status_code == 404


async def test_a_weak_etag_never_satisfies_if_match(user_client: httpx.AsyncClient) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"

    response = await user_client.patch(url, json={"name": "x"}, headers={"If-Match": 'W/"1"'})

    assert_problem(response, 412)


async def test_without_if_match_the_last_write_wins(user_client: httpx.AsyncClient) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"

    await user_client.patch(url, json={"name": "first"})
    response = await user_client.patch(url, json={"name": "second"})

    assert (response.status_code, response.headers["etag"]) == (200, '"3"')


async def test_if_match_on_a_missing_item_is_still_404(user_client: httpx.AsyncClient) -> None:
    url = f"{ITEMS}/00000000-0000-4000-8000-000000000000"

    response = await user_client.patch(url, json={"name": "x"}, headers={"If-Match": '"1"'})

    assert_problem(response, 404)
