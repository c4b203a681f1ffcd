"""Looking for a person's traces, for the erasure tests: in every table and every cache entry."""

from redis.asyncio import Redis
from sqlalchemy import Connection, MetaData, select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.shared.settings import Settings


def _rows_mentioning(connection: Connection, needle: str) -> list[str]:
    # Reflected, not the declared tables: a table the code forgot to declare is searched too.
    schema = MetaData()
    schema.reflect(connection)
    found = []
    for table in schema.sorted_tables:
        for row in connection.execute(select(table)):
            if needle in repr(tuple(row)).lower():
                found.append(f"{table.name}: {tuple(row)!r}")
    return found


async def rows_mentioning(engine: AsyncEngine, needle: str) -> list[str]:
    """Every row, of every table in the database, with `needle` in any column."""
    async with engine.connect() as connection:
        return await connection.run_sync(_rows_mentioning, needle.lower())


async def cache_entries_mentioning(settings: Settings, needle: str) -> list[str]:
    """Every Redis key of this run's prefix whose name or value holds `needle`."""
    if settings.redis_url is None:
        return []
    client = Redis.from_url(settings.redis_url)
    found = []
    async for key in client.scan_iter(match=f"{settings.redis_key_prefix}*"):
        kind = await client.type(key)
        if kind == b"string":
            value: object = await client.get(key)
        elif kind == b"hash":
            value = await client.hgetall(key)
        else:
            value = await client.dump(key)
        if needle.lower() in f"{key!r} {value!r}".lower():
            found.append(f"{key!r}: {value!r}")
    await client.aclose()
    return found
