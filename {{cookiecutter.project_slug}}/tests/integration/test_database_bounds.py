"""PostgreSQL's bounds from the settings: a statement that runs too long is cancelled by the
server, a server that does not answer fails the connect in time (docs/operations.md, "Bounds").
And which failures mean the database is unavailable, which the API answers with a 503."""

import asyncio
import socket
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from {{ cookiecutter.package_name }}.infrastructure.database.availability import database_unavailable
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.main import create_app

from ..conftest import TEST_POSTGRES_URL, make_settings
from ..e2e.auth import AUTH, PASSWORD, client_for

UNREACHABLE_URL = "postgresql+asyncpg://postgres@127.0.0.1:1/none"


async def test_a_statement_past_the_timeout_is_cancelled_and_the_pool_recovers() -> None:
    engine = create_engine(make_settings(TEST_POSTGRES_URL, database_statement_timeout_seconds=0.2))
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as cancelled:
                await connection.execute(text("SELECT pg_sleep(2)"))
        async with engine.connect() as connection:
            answer = await connection.scalar(text("SELECT 1"))
    finally:
        await engine.dispose()

    assert "canceling statement due to statement timeout" in str(cancelled.value)
    assert answer == 1


async def test_a_silent_server_fails_the_connect_within_its_timeout() -> None:
    # A socket that listens but never answers: the TCP handshake succeeds, PostgreSQL's does not.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/none"
        engine = create_engine(make_settings(url, database_connect_timeout_seconds=0.3))
        started = time.monotonic()
        try:
            with pytest.raises((TimeoutError, asyncio.TimeoutError, OSError)):
                async with engine.connect():
                    pass
        finally:
            await engine.dispose()

    assert time.monotonic() - started < 2


async def test_a_refused_connect_is_unavailable_and_a_wrong_statement_is_not() -> None:
    refused_engine = create_engine(make_settings(UNREACHABLE_URL))
    engine = create_engine(make_settings(TEST_POSTGRES_URL))
    try:
        with pytest.raises(ConnectionRefusedError) as refused:
            async with refused_engine.connect():
                pass
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as wrong:
                await connection.execute(text("SELECT * FROM no_such_table"))
    finally:
        await refused_engine.dispose()
        await engine.dispose()

    assert database_unavailable(refused.value)
    assert not database_unavailable(wrong.value)
    assert not database_unavailable(OSError("raised by other code than the driver"))


async def test_a_pool_with_no_free_connection_is_unavailable() -> None:
    settings = make_settings(
        TEST_POSTGRES_URL, database_pool_size=1, database_pool_timeout_seconds=0.1
    )
    engine = create_engine(settings)
    try:
        async with engine.connect():
            with pytest.raises(PoolTimeoutError) as exhausted:
                async with engine.connect():
                    pass
    finally:
        await engine.dispose()

    assert database_unavailable(exhausted.value)


async def test_a_session_ended_under_its_statement_is_unavailable() -> None:
    """What a restart (or a failover) does to the statements in flight."""
    engine = create_engine(make_settings(TEST_POSTGRES_URL))
    try:
        async with engine.connect() as victim, engine.connect() as killer:
            pid = await victim.scalar(text("SELECT pg_backend_pid()"))
            sleeping = asyncio.create_task(victim.execute(text("SELECT pg_sleep(5)")))
            await asyncio.sleep(0.2)
            await killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(DBAPIError) as ended:
                await sleeping
    finally:
        await engine.dispose()

    assert database_unavailable(ended.value)


async def test_a_request_while_the_database_is_unreachable_is_a_503_to_retry() -> None:
    app = create_app(make_settings(UNREACHABLE_URL))
    async with app.router.lifespan_context(app), client_for(app) as client:
        form = {"username": "ann@example.com", "password": PASSWORD}
        response = await client.post(f"{AUTH}/token", data=form)

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith("A service this one depends on is unavailable")
