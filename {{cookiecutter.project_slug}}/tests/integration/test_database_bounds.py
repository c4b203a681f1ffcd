"""PostgreSQL's bounds from the settings: a statement that runs too long is cancelled by the
server, a server that does not answer fails the connect in time (docs/operations.md, "Bounds")."""

import asyncio
import socket
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine

from ..conftest import TEST_POSTGRES_URL, make_settings


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
