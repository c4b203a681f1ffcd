"""Alembic runs from code (the `migrate` command, `alembic` itself through env.py, tests) on the
service's own engine, in one transaction per run."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

ALEMBIC_INI = "alembic.ini"


def find_alembic_config(start: Path | None = None) -> Config:
    """`alembic.ini` of the current directory, else of the project this package was installed from.

    A built image copies `alembic.ini` and `migrations/` next to where it runs the service.
    """
    project_root = Path(__file__).resolve().parents[4]  # an editable install: src/<package>/...
    candidates = [(start or Path.cwd()) / ALEMBIC_INI, project_root / ALEMBIC_INI]
    for candidate in candidates:
        if candidate.is_file():
            return Config(str(candidate))
    raise FileNotFoundError(
        f"no {ALEMBIC_INI} in {candidates[0].parent}; run migrations from the project directory"
    )


async def upgrade_to_head(engine: AsyncEngine, config: Config | None = None) -> None:
    await _run(engine, command.upgrade, "head", config)


async def downgrade_to(engine: AsyncEngine, revision: str, config: Config | None = None) -> None:
    """Rolls the schema back to `revision` (`base`: no table left but Alembic's own)."""
    await _run(engine, command.downgrade, revision, config)


async def _run(
    engine: AsyncEngine,
    step: Callable[[Config, str], None],
    revision: str,
    config: Config | None,
) -> None:
    alembic_config = config or find_alembic_config()

    def run(connection: Connection) -> None:
        # env.py uses a connection handed over in `attributes` instead of opening its own,
        # so the migration runs on this engine inside the caller's event loop.
        alembic_config.attributes["connection"] = connection
        step(alembic_config, revision)

    async with migration_transaction(engine) as connection:
        await connection.run_sync(run)


@asynccontextmanager
async def migration_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction for a migration, committed when the block ends.

    On SQLite, without foreign-key enforcement while it runs: SQLite alters a table by copying
    it and dropping the original (Alembic's batch mode), and with enforcement on, that drop
    deletes every row that references the table, through `ON DELETE CASCADE`. What the
    migration leaves is checked before it commits, and enforcement is back on afterwards.
    """
    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            await _enforce_foreign_keys(connection, enforce=False)
        try:
            async with connection.begin():
                yield connection
                if sqlite:
                    await _check_foreign_keys(connection)
        finally:
            if sqlite:
                await _enforce_foreign_keys(connection, enforce=True)


async def _enforce_foreign_keys(connection: AsyncConnection, *, enforce: bool) -> None:
    # On the driver's connection, outside any transaction: through SQLAlchemy the statement
    # would begin one first, and inside a transaction SQLite ignores this pragma.
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection  # aiosqlite's connection: async, unlike the DBAPI's
    cursor = await driver.execute(f"PRAGMA foreign_keys={'ON' if enforce else 'OFF'}")
    await cursor.close()


async def _check_foreign_keys(connection: AsyncConnection) -> None:
    dangling = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
    if dangling:
        tables = sorted({row[0] for row in dangling})
        raise RuntimeError(f"the migration leaves rows whose foreign keys point nowhere: {tables}")
