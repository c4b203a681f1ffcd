"""Alembic upgrades run from code (the `migrate` command, tests) on the service's own engine."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

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
    alembic_config = config or find_alembic_config()

    def upgrade(connection: Connection) -> None:
        # env.py uses a connection handed over in `attributes` instead of opening its own,
        # so the upgrade runs on this engine inside the caller's event loop.
        alembic_config.attributes["connection"] = connection
        command.upgrade(alembic_config, "head")

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)
