"""The engine's settings reach the driver: PostgreSQL's bounds travel with each connection."""

from {{ cookiecutter.package_name }}.infrastructure.database.engine import postgresql_connect_args

from ..conftest import make_settings


def test_postgresql_connections_carry_the_statement_and_connect_timeouts() -> None:
    settings = make_settings(
        "postgresql+asyncpg://app@db.internal/app",
        database_statement_timeout_seconds=1.5,
        database_connect_timeout_seconds=0.5,
    )

    assert postgresql_connect_args(settings) == {
        "timeout": 0.5,
        "server_settings": {"statement_timeout": "1500"},
    }
