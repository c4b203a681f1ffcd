"""`Idempotency-Key` over HTTP, on `POST /api/v1/jobs` (SPEC 5): a repeat gets the first response
and has no second effect; in progress, expired, another caller's and malformed keys."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.jobs.service import JobService
from {{ cookiecutter.package_name }}.domain.outbox import RUN_JOB
from {{ cookiecutter.package_name }}.infrastructure.database.tables import (
    IdempotencyKeyRow,
    JobRow,
    OutboxMessageRow,
)

from ..waiting import eventually
from .auth import USERS
from .problems import assert_problem

JOBS = "/api/v1/jobs"
# Waits until the request sent first is stuck inside its transaction.
Stuck = Callable[[], Awaitable[Any]]
KIND = "{{ 'items_report' if cookiecutter.include_example_domain == 'y' else 'sessions_report' }}"


async def post_job(client: httpx.AsyncClient, key: str | None) -> httpx.Response:
    headers = {} if key is None else {"Idempotency-Key": key}
    return await client.post(JOBS, json={"kind": KIND}, headers=headers)


async def count(engine: AsyncEngine, row: type[JobRow] | type[OutboxMessageRow]) -> int:
    query = select(func.count()).select_from(row)
    if row is OutboxMessageRow:
        query = query.where(OutboxMessageRow.topic == RUN_JOB)  # not the welcome emails
    async with engine.connect() as connection:
        return int(await connection.scalar(query) or 0)


async def test_a_repeat_gets_the_first_response_and_has_no_second_effect(
    user_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    first = await post_job(user_client, "job-1")
    repeat = await post_job(user_client, "job-1")

    assert (first.status_code, repeat.status_code) == (202, 202)
    assert repeat.content == first.content
    assert repeat.headers["location"] == first.headers["location"] == f"{JOBS}/{first.json()['id']}"
    assert repeat.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert (await count(engine, JobRow), await count(engine, OutboxMessageRow)) == (1, 1)


async def test_without_a_key_every_request_is_a_new_one(
    user_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    responses = [await post_job(user_client, None) for _ in range(2)]

    assert [response.status_code for response in responses] == [202, 202]
    assert await count(engine, JobRow) == 2


async def test_keys_belong_to_their_caller(
    user_client: httpx.AsyncClient, other_user_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    mine = await post_job(user_client, "shared-key")
    theirs = await post_job(other_user_client, "shared-key")

    assert (mine.status_code, theirs.status_code) == (202, 202)
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in theirs.headers
    assert await count(engine, JobRow) == 2


async def test_a_key_past_its_lifetime_is_a_new_request(
    user_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    first = await post_job(user_client, "job-1")
    async with engine.begin() as connection:  # as if a day had passed
        await connection.execute(update(IdempotencyKeyRow).values(expires_at=utc_now()))

    again = await post_job(user_client, "job-1")

    assert again.status_code == 202
    assert again.json()["id"] != first.json()["id"]
    assert "idempotent-replayed" not in again.headers
    assert await count(engine, JobRow) == 2


async def test_a_request_that_failed_leaves_no_claim_and_its_retry_runs(
    user_client: httpx.AsyncClient, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(*_args: object) -> None:
        raise RuntimeError("the database went away mid-request")

    with monkeypatch.context() as patch:
        patch.setattr(JobService, "create", fail)
        assert_problem(await post_job(user_client, "job-1"), 500)

    retry = await post_job(user_client, "job-1")

    assert retry.status_code == 202
    assert "idempotent-replayed" not in retry.headers
    assert await count(engine, JobRow) == 1


@pytest.mark.parametrize(
    "key", ["", "x" * 256, "two words", "caf\u00e9"], ids=["empty", "256", "space", "non-ascii"]
)
async def test_a_malformed_key_is_a_422(user_client: httpx.AsyncClient, key: str) -> None:
    response = await user_client.post(
        JOBS, json={"kind": KIND}, headers={b"Idempotency-Key": key.encode()}
    )

    errors = assert_problem(response, 422)["errors"]
    assert isinstance(errors, list)
    assert [error["field"] for error in errors] == ["header.Idempotency-Key"]


async def test_the_openapi_document_declares_the_key_and_its_problems(
    client: httpx.AsyncClient,
) -> None:
    operation = (await client.get("/openapi.json")).json()["paths"][JOBS]["post"]

    headers = [param["name"] for param in operation["parameters"] if param["in"] == "header"]
    assert headers == ["Idempotency-Key"]
    assert {"202", "409", "422"} <= set(operation["responses"])
    assert set(operation["responses"]["202"]["headers"]) == {"Location", "Idempotent-Replayed"}


async def test_a_repeat_while_the_first_is_in_progress(
    user_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """PostgreSQL: 409 at once. SQLite, one writer at a time: the repeat waits for the first
    and gets its response. Either way, one job."""
    user_id = (await user_client.get(f"{USERS}/me")).json()["id"]
    one_writer = engine.dialect.name == "sqlite"
    async with holding_up_writes(engine, user_id) as first_is_stuck:
        first = asyncio.create_task(post_job(user_client, "job-1"))
        await first_is_stuck()
        repeat = asyncio.create_task(post_job(user_client, "job-1"))
        if one_writer:
            await asyncio.sleep(0.2)
            assert not repeat.done()
        else:
            assert_problem(await asyncio.wait_for(repeat, timeout=5), 409)

    responses = [await first, await repeat] if one_writer else [await first]
    assert {response.status_code for response in responses} == {202}
    assert len({response.content for response in responses}) == 1
    assert (await post_job(user_client, "job-1")).headers["idempotent-replayed"] == "true"
    assert await count(engine, JobRow) == 1


@asynccontextmanager
async def holding_up_writes(engine: AsyncEngine, user_id: str) -> AsyncIterator[Stuck]:
    """Keeps a request that writes for the user stuck inside its transaction until the block
    ends: on PostgreSQL a lock on the user's row holds up its job's foreign-key check (after the
    key is claimed); on SQLite the one write lock holds up its transaction's start."""
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            lock = text("SELECT id FROM users WHERE id = :id FOR UPDATE")
            await connection.execute(lock, {"id": UUID(user_id)})
            yield lambda: eventually(lambda: lock_waits(engine), "a request waiting for a lock")
        else:
            await connection.execute(text("SELECT 1"))  # begins with BEGIN IMMEDIATE (engine.py)
            yield lambda: asyncio.sleep(0.2)
        await connection.rollback()


async def lock_waits(engine: AsyncEngine) -> int | None:
    # This run's database only: the server may be shared with other runs.
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with engine.connect() as observer:
        waiting = await observer.scalar(query)
    return waiting or None
