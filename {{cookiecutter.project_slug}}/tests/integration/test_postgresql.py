"""What only a database server shows: pool settings from config and an unreachable server."""

from {{ cookiecutter.package_name }}.domain.health import HealthStatus
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.database.health import DatabaseHealthCheck

from ..conftest import TEST_POSTGRES_URL, make_settings


def test_pool_settings_come_from_config() -> None:
    engine = create_engine(
        make_settings(TEST_POSTGRES_URL, database_pool_size=3, database_max_overflow=2)
    )

    assert engine.pool.size() == 3  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 2  # type: ignore[attr-defined]


async def test_an_unreachable_server_fails_the_check_quickly() -> None:
    engine = create_engine(make_settings("postgresql+asyncpg://postgres@127.0.0.1:1/none"))

    result = await DatabaseHealthCheck(engine, timeout_seconds=2).check()
    await engine.dispose()

    assert result.status is HealthStatus.FAIL
    assert result.latency_ms < 2500
