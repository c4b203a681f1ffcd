"""Every cached read of the service costs one Redis round trip and no SQL on a hit.

A cached read makes two lookups, the caller's session and the resource; with Redis they share one
round trip because the route announces its read (docs/caching.md). A new cached resource joins
`CACHED_READS`, so a route that forgot to announce fails here rather than costing a round trip.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from redis.asyncio.connection import AbstractConnection

from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..statement_counter import counting_statements
from .auth import USERS
{%- if cookiecutter.include_example_domain == "y" %}
from .test_items_api import ITEMS, create
{%- endif %}

# Creates a resource as the signed-in client and returns the URL of its cached read.
NewResource = Callable[[httpx.AsyncClient], Awaitable[str]]


@dataclass(frozen=True)
class CachedRead:
    url_of: NewResource
    # What a hit still reads from the database in embedded mode, where the session check and
    # the profiles are not cached: `create-admin`, another process, changes them (caching.md).
    queries_in_process: int


async def own_profile(_client: httpx.AsyncClient) -> str:
    return f"{USERS}/me"
{%- if cookiecutter.include_example_domain == "y" %}


async def new_item(client: httpx.AsyncClient) -> str:
    return f"{ITEMS}/{(await create(client))['id']}"
{%- endif %}


CACHED_READS: dict[str, CachedRead] = {
    "profile": CachedRead(own_profile, queries_in_process=2),
{%- if cookiecutter.include_example_domain == "y" %}
    "item": CachedRead(new_item, queries_in_process=1),
{%- endif %}
}


class RedisRoundTrips:
    """Counts round trips to Redis: each command or pipeline sent."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        send = AbstractConnection.send_packed_command

        async def counting_send(connection: AbstractConnection, *args: Any, **kwargs: Any) -> None:
            self.count += 1
            await send(connection, *args, **kwargs)

        monkeypatch.setattr(AbstractConnection, "send_packed_command", counting_send)


@pytest.mark.parametrize("read", CACHED_READS.values(), ids=CACHED_READS.keys())
async def test_a_cached_read_costs_one_round_trip_and_no_sql(
    read: CachedRead,
    user_client: httpx.AsyncClient,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = await read.url_of(user_client)
    assert (await user_client.get(url)).status_code == 200  # fills the caches
    redis = RedisRoundTrips(monkeypatch)

    with counting_statements() as sql:
        response = await user_client.get(url)

    assert response.status_code == 200
    if settings.redis_url:  # the session check and the resource: one MGET, no SQL
        assert (redis.count, len(sql.statements)) == (1, 0)
    else:
        assert (redis.count, len(sql.queries)) == (0, read.queries_in_process)
