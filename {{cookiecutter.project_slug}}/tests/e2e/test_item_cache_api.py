"""`GET /api/v1/items/{item_id}` through the cache, over HTTP: hits, invalidation, ownership, and
a Redis that goes away (SPEC section 8)."""

import time

import httpx
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..metrics import cache_operations
from ..redis_server import RedisServer
from ..statement_counter import counting_statements
from .auth import app_with, signed_in_client
from .problems import assert_problem
from .test_items_api import ITEMS, create


async def test_a_second_read_is_served_from_the_cache(user_client: httpx.AsyncClient) -> None:
    created = await create(user_client)
    await user_client.get(f"{ITEMS}/{created['id']}")
    hits, misses = cache_operations("get", "hit"), cache_operations("get", "miss")

    response = await user_client.get(f"{ITEMS}/{created['id']}")

    assert response.json() == created
    assert cache_operations("get", "miss") == misses  # item (and, with Redis, session) cached
    assert cache_operations("get", "hit") > hits


async def test_a_hit_answers_with_the_etag_and_304_without_reading_the_item(
    user_client: httpx.AsyncClient,
) -> None:
    url = f"{ITEMS}/{(await create(user_client))['id']}"
    etag = (await user_client.get(url)).headers["etag"]  # now cached, with its version

    with counting_statements() as log:
        full = await user_client.get(url)
        not_modified = await user_client.get(url, headers={"If-None-Match": etag})

    assert (full.status_code, full.headers["etag"]) == (200, etag)
    assert (not_modified.status_code, not_modified.headers["etag"]) == (304, etag)
    assert [query for query in log.queries if "FROM items" in query] == []


async def test_reads_after_writes_are_never_stale(user_client: httpx.AsyncClient) -> None:
    item = f"{ITEMS}/{(await create(user_client))['id']}"
    await user_client.get(item)

    patched = (await user_client.patch(item, json={"name": "desk"})).json()
    assert (await user_client.get(item)).json() == patched

    assert (await user_client.delete(item)).status_code == 204
    assert_problem(await user_client.get(item), 404)


async def test_a_cached_item_is_still_hidden_from_other_users(
    user_client: httpx.AsyncClient, other_user_client: httpx.AsyncClient
) -> None:
    item = f"{ITEMS}/{(await create(user_client))['id']}"
    await user_client.get(item)
    hits = cache_operations("get", "hit")

    assert_problem(await other_user_client.get(item), 404)
    assert cache_operations("get", "hit") == hits + 1  # refused on a hit, not by a miss


async def test_without_redis_every_request_still_succeeds_and_ready_warns(
    settings: Settings, app: FastAPI, redis_server: RedisServer
) -> None:
    async with (
        app_with(
            settings,
            redis_url=redis_server.url,
            redis_socket_timeout_seconds=0.1,
            redis_connect_timeout_seconds=0.1,
            redis_breaker_reset_seconds=0.2,
        ) as app_on_own_redis,
        signed_in_client(app_on_own_redis, "user@example.com") as client,
    ):
        item = f"{ITEMS}/{(await create(client))['id']}"
        await client.get(item)  # cached

        redis_server.stop()
        for _ in range(5):
            started = time.perf_counter()
            assert (await client.get(item)).status_code == 200
            assert time.perf_counter() - started < 1.0
        patched = (await client.patch(item, json={"name": "desk"})).json()
        assert (await client.get(item)).json() == patched
        ready = await client.get("/health/ready")

        assert (ready.status_code, ready.json()["status"]) == (200, "warn")
        assert ready.json()["checks"]["cache"]["status"] == "fail"
        redis_server.start()
        assert (await client.get(item)).json() == patched
