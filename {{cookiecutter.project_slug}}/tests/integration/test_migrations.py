"""The Alembic revisions build exactly the schema the code declares, on every backend, and every
one of them can be rolled back and applied again."""

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.database.migrations import (
    downgrade_to,
    upgrade_to_head,
)
from {{ cookiecutter.package_name }}.infrastructure.database.tables import Base

from ..conftest import make_settings

# The revision before 0003, which rebuilds `refresh_token_families` on SQLite (batch mode).
BEFORE_SESSION_DETAILS = "0002"


def schema_drift(connection: Connection) -> list[Any]:
    """What `alembic revision --autogenerate` would put in a new revision: nothing, if the
    migrations and `tables.py` agree."""
    drift: list[Any] = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    return drift


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


@pytest.fixture
async def blank_engine(blank_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_settings(blank_database_url))
    yield engine
    await engine.dispose()


async def drift_and_tables(engine: AsyncEngine) -> tuple[list[Any], set[str]]:
    async with engine.connect() as connection:
        return await connection.run_sync(schema_drift), await connection.run_sync(table_names)


async def test_migrated_schema_matches_the_declared_tables(engine: AsyncEngine) -> None:
    drift, tables = await drift_and_tables(engine)

    assert drift == []
    assert set(Base.metadata.tables) <= tables


async def test_every_revision_rolls_back_and_applies_again(blank_engine: AsyncEngine) -> None:
    await upgrade_to_head(blank_engine)
    await downgrade_to(blank_engine, "base")
    _, tables_at_base = await drift_and_tables(blank_engine)
    await upgrade_to_head(blank_engine)
    drift, tables = await drift_and_tables(blank_engine)

    assert tables_at_base == {"alembic_version"}
    assert drift == []
    assert set(Base.metadata.tables) <= tables


async def test_a_rollback_keeps_the_rows_of_the_tables_it_rebuilds(
    blank_engine: AsyncEngine,
) -> None:
    # On SQLite, rebuilding `refresh_token_families` drops the original table; with foreign
    # keys enforced, that drop would cascade to every refresh token (migrations.py).
    await upgrade_to_head(blank_engine)
    await add_a_session(blank_engine)

    await downgrade_to(blank_engine, BEFORE_SESSION_DETAILS)
    after_rollback = await count_rows(blank_engine, "refresh_tokens")
    await upgrade_to_head(blank_engine)
    after_upgrade = await count_rows(blank_engine, "refresh_tokens")

    assert (after_rollback, after_upgrade) == (1, 1)


async def test_after_a_migration_foreign_keys_are_enforced_again(
    blank_engine: AsyncEngine,
) -> None:
    # On SQLite the run turns enforcement off on its connection, which goes back to the pool.
    await upgrade_to_head(blank_engine)
    families = Base.metadata.tables["refresh_token_families"]
    orphan = {"id": uuid4(), "user_id": uuid4(), "created_at": utc_now()}

    with pytest.raises(IntegrityError):
        async with blank_engine.begin() as connection:
            await connection.execute(insert(families), [orphan])


async def add_a_session(engine: AsyncEngine) -> None:
    tables, now = Base.metadata.tables, utc_now()
    user_id, family_id = uuid4(), uuid4()
    user = {"id": user_id, "email": "ada@example.com", "password_hash": "x", "role": "user"}
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables["users"]),
            [{**user, "is_active": True, "created_at": now, "updated_at": now}],
        )
        await connection.execute(
            insert(tables["refresh_token_families"]),
            [{"id": family_id, "user_id": user_id, "created_at": now}],
        )
        await connection.execute(
            insert(tables["refresh_tokens"]),
            [
                {
                    "id": uuid4(),
                    "family_id": family_id,
                    "token_hash": "0" * 64,
                    "created_at": now,
                    "expires_at": now + timedelta(days=1),
                }
            ],
        )


async def count_rows(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(select(func.count()).select_from(text(table)))
    return int(count or 0)
