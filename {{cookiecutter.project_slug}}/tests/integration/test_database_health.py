"""The database readiness check against a real server and an unreachable one."""

from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.health import HealthStatus
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.database.health import DatabaseHealthCheck

from ..conftest import make_settings


async def test_a_reachable_database_passes(engine: AsyncEngine) -> None:
    result = await DatabaseHealthCheck(engine).check()

    assert result.status is HealthStatus.PASS
    assert result.latency_ms >= 0


async def test_an_unusable_database_fails_and_names_the_error(tmp_path: object) -> None:
    # A directory cannot be opened as a SQLite file: the connection attempt fails.
    engine = create_engine(make_settings(f"sqlite+aiosqlite:///{tmp_path}"))

    result = await DatabaseHealthCheck(engine, timeout_seconds=1).check()
    await engine.dispose()

    assert result.status is HealthStatus.FAIL
    assert result.output
