"""The Alembic revisions build exactly the schema the code declares, on every backend."""

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.infrastructure.database.tables import Base


def schema_drift(connection: Connection) -> list[Any]:
    drift: list[Any] = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    return drift


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_migrated_schema_matches_the_declared_tables(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        drift = await connection.run_sync(schema_drift)
        tables = await connection.run_sync(table_names)

    assert drift == []
    assert set(Base.metadata.tables) <= tables
