"""What only a database server shows: pool settings from config, an unreachable server, and
connections the server closed."""

import asyncio
from functools import partial

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.domain.health import HealthStatus
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.database.health import DatabaseHealthCheck
from {{ cookiecutter.package_name }}.main import create_app

from ..conftest import (
    TEST_POSTGRES_URL,
    _create_postgres_database,
    _drop_postgres_database,
    _migrate,
    make_settings,
)
from ..e2e.auth import USERS, bearer, client_for, register, sign_in
from ..waiting import eventually


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


async def test_connections_a_restart_closed_are_replaced_before_any_request_fails() -> None:
    """No pre-ping per checkout (a round trip on every request): the pool replaces the
    connections the server closed, and the requests after a restart all succeed."""
    url = await _create_postgres_database()  # its own: every session of it gets terminated
    await _migrate(url)
    # The outbox relay polls its own pooled connection: kept quiet here (it publishes the sign-up's
    # email at once, then waits an hour), so that only the requests' connections are under test.
    # Its poll meeting the restart is a case of its own (test_outbox_relay.py); under load in CI
    # it once raced this test's requests into a 503.
    settings = make_settings(
        url, database_pool_size=4, database_max_overflow=0, outbox_poll_seconds=3600
    )
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app), client_for(app) as client:
            await register(client, "ann@example.com")
            tokens = await sign_in(client, "ann@example.com")
            me = partial(client.get, f"{USERS}/me", headers=bearer(tokens["access_token"]))
            # Enough at once to leave every pooled connection open: the access check and the
            # profile read each check one out (no Redis here: both from the database).
            assert {r.status_code for r in await asyncio.gather(*[me() for _ in range(8)])} == {200}

            await _terminate_sessions_of(url)  # what a restart does to each of them

            answers = await asyncio.gather(*[me() for _ in range(8)])
            assert [r.status_code for r in answers] == [200] * 8, answers[0].text
    finally:
        await _drop_postgres_database(url)


async def _terminate_sessions_of(url: str) -> None:
    database = make_url(url).database
    admin = create_async_engine(TEST_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    sessions = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :database")
    async with admin.connect() as connection:
        # With a timeout, pg_terminate_backend waits for each process to exit, its socket
        # closed: pg_stat_activity forgets a session a moment before that, and under load a
        # request sent in between met a connection that looked open (a 503, once in CI).
        await connection.execute(
            text("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = :d"),
            {"d": database},
        )

        async def all_gone() -> bool | None:
            left = (await connection.execute(sessions, {"database": database})).scalar_one()
            return True if left == 0 else None

        # While this waits, the event loop also reads each closed socket's end of file, as a
        # running service's loop does while the server restarts.
        await eventually(all_gone, "the terminated sessions ending")
    await admin.dispose()
