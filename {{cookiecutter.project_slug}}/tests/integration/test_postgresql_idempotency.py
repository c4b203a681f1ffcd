"""Two transactions claim one idempotency key at once: one wins, and the other is told at once
that the key is in use (409), without waiting for the first to finish. PostgreSQL only: SQLite
lets one writer in at a time, so there a repeat waits and then gets the first response."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.idempotency import (
    IdempotencyKeyInUseError,
    IdempotentRequest,
    RecordedResponse,
)
from {{ cookiecutter.package_name }}.infrastructure.database.engine import (
    create_engine,
    create_session_factories,
)
from {{ cookiecutter.package_name }}.infrastructure.database.tables import IdempotencyKeyRow
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork

from ..conftest import make_settings

CREATED = RecordedResponse(status=201, body=b"{}", location="/api/v1/things/1")


@pytest.fixture
async def postgresql(postgresql_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_settings(postgresql_database_url))
    yield engine
    async with engine.begin() as connection:
        await connection.execute(delete(IdempotencyKeyRow))
    await engine.dispose()


async def test_of_two_concurrent_claims_one_wins_and_the_other_is_in_use(
    postgresql: AsyncEngine,
) -> None:
    sessions = create_session_factories(postgresql)
    request = IdempotentRequest(principal_id=uuid4(), key="once", fingerprint="a")
    now = utc_now()
    later = now + timedelta(days=1)

    async with SqlUnitOfWork(sessions) as first:
        assert await first.idempotency_records.claim(request, now, later) is None
        async with SqlUnitOfWork(sessions) as second:
            with pytest.raises(IdempotencyKeyInUseError):
                # Bounded: a claim that waited for the first transaction would time out here.
                await asyncio.wait_for(
                    second.idempotency_records.claim(request, now, later), timeout=2
                )
        await first.idempotency_records.record(request, CREATED)
        await first.commit()

    async with SqlUnitOfWork(sessions) as after:
        answered = await after.idempotency_records.claim(request, now, later)
    assert answered is not None
    assert answered.response == CREATED
