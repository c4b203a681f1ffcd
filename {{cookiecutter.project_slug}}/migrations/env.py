"""Alembic environment, async-aware: online migrations run on the service's async engine."""

import asyncio
import logging.config
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from {{ cookiecutter.package_name }}.infrastructure.database import column_types
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.database.migrations import migration_transaction
from {{ cookiecutter.package_name }}.infrastructure.database.tables import Base
from {{ cookiecutter.package_name }}.shared.settings import Settings

config = context.config
if config.config_file_name is not None and "connection" not in config.attributes:
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def render_item(kind: str, obj: Any, autogen: AutogenContext) -> str | Literal[False]:
    """Autogenerate writes the service's own column types (`UTCDateTime()`) by name, with their
    import, as the hand-written revisions do; Alembic alone would write a dotted path it never
    imports. Everything else renders as Alembic renders it (False)."""
    if kind == "type" and type(obj).__module__ == column_types.__name__:
        name = type(obj).__name__
        autogen.imports.add(f"from {column_types.__name__} import {name}")
        return f"{name}()"
    return False


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`alembic upgrade head --sql`) without a database connection."""
    context.configure(
        url=Settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_on(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # A migration may rewrite a large table: the statement timeout sized for requests
        # (DATABASE_STATEMENT_TIMEOUT_SECONDS) is not for it. LOCAL: this transaction only.
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(Settings())
    try:
        async with migration_transaction(engine) as connection:
            await connection.run_sync(run_migrations_on)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
elif (connection := config.attributes.get("connection")) is not None:
    run_migrations_on(connection)
else:
    asyncio.run(run_migrations_online())
