"""Every cached read of the service costs one Redis round trip and no SQL on a hit.

A cached read makes two lookups, the caller's session and the resource; with Redis they share one
round trip because the route announces its read (docs/caching.md). A new cached resource joins
`CACHED_READS`, so a route that forgot to announce fails here rather than costing a round trip.
"""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from redis.asyncio.connection import AbstractConnection

from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..statement_counter import counting_statements
from .test_items_api import ITEMS, create

# Creates a resource as the signed-in client and returns the URL of its cached read.
NewResource = Callable[[httpx.AsyncClient], Awaitable[str]]


async def new_item(client: httpx.AsyncClient) -> str:
    return f"{ITEMS}/{(await create(client))['id']}"


CACHED_READS: dict[str, NewResource] = {"item": new_item}


class RedisRoundTrips:
    """Counts round trips to Redis: each command or pipeline sent."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        send = AbstractConnection.send_packed_command

        async def counting_send(connection: AbstractConnection, *args: Any, **kwargs: Any) -> None:
            self.count += 1
            await send(connection, *args, **kwargs)

        monkeypatch.setattr(AbstractConnection, "send_packed_command", counting_send)


@pytest.mark.parametrize("new_resource", CACHED_READS.values(), ids=CACHED_READS.keys())
async def test_a_cached_read_costs_one_round_trip_and_no_sql(
    new_resource: NewResource,
    user_client: httpx.AsyncClient,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = await new_resource(user_client)
    assert (await user_client.get(url)).status_code == 200  # fills the caches
    redis = RedisRoundTrips(monkeypatch)

    with counting_statements() as sql:
        response = await user_client.get(url)

    assert response.status_code == 200
    if settings.redis_url:  # the session check and the resource: one MGET, no SQL
        assert (redis.count, len(sql.statements)) == (1, 0)
    else:  # in process: the resource from memory, the session check from the database
        assert (redis.count, len(sql.queries)) == (0, 1)
