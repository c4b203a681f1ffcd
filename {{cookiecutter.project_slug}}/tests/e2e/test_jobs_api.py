"""`/api/v1/jobs` end to end: the API accepts a job, its outbox message reaches a real worker
process through the broker, and the worker records the outcome (SPEC section 5)."""

{% if cookiecutter.broker == "rabbitmq" %}import asyncio
{% endif %}from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import Executable, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.infrastructure.database.tables import (
    JobRow,
    OutboxMessageRow,
    ProcessedMessageRow,
)
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..waiting import eventually
from ..worker_process import WorkerProcess{% if cookiecutter.broker == "rabbitmq" %}, take_messages{% endif %}
from .auth import USERS
from .problems import assert_problem
{%- if cookiecutter.include_example_domain == "y" %}
from .test_items_api import create

KIND = "items_report"
{%- else %}

KIND = "sessions_report"
{%- endif %}
JOBS = "/api/v1/jobs"
# Quick retries, so that a poison message gives up within the test.
FAST_RETRIES = {"task_max_retries": 1, "task_retry_backoff_seconds": 0.05}


@pytest.fixture
def worker(settings: Settings, tmp_path: Path) -> Iterator[WorkerProcess]:
    process = WorkerProcess(settings, tmp_path, FAST_RETRIES)
    process.start()
    yield process
    process.stop()


async def create_job(client: httpx.AsyncClient, kind: str = KIND) -> dict[str, Any]:
    response = await client.post(JOBS, json={"kind": kind})
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    assert response.headers["location"] == f"{JOBS}/{job['id']}"
    return job


async def finished(client: httpx.AsyncClient, job_id: str, worker: WorkerProcess) -> dict[str, Any]:
    """The job once it has an outcome; a failure shows the job and the worker's log."""
    last: dict[str, Any] = {}

    async def outcome() -> dict[str, Any] | None:
        nonlocal last
        last = (await client.get(f"{JOBS}/{job_id}")).json()
        return last if last["status"] in ("succeeded", "failed") else None

    def context() -> str:
        # The time too: the schedule (beat) runs on the wall clock, and a clock set back delays it.
        return f"the job at {datetime.now(UTC).isoformat()}: {last}\n{worker.report()}"

    return await eventually(outcome, f"job {job_id} finishing", context=context)


async def test_a_job_is_accepted_pending_and_run_by_the_worker(
    user_client: httpx.AsyncClient, worker: WorkerProcess
) -> None:
{%- if cookiecutter.include_example_domain == "y" %}
    await create(user_client, price="10.00")
    await create(user_client, price="2.50")
    expected = {"item_count": 2, "total_price": "12.50"}
{%- else %}
    expected = {"active_session_count": 1}  # the client's own sign-in
{%- endif %}

    job = await create_job(user_client)

    assert (job["kind"], job["status"], job["result"]) == (KIND, "pending", None)
    done = await finished(user_client, job["id"], worker)
    assert (done["status"], done["result"], done["error"]) == ("succeeded", expected, None)
    assert done["started_at"] <= done["finished_at"]


async def test_a_job_is_its_owners_and_an_admins_only(
    user_client: httpx.AsyncClient,
    other_user_client: httpx.AsyncClient,
    admin_client: httpx.AsyncClient,
) -> None:
    job = await create_job(user_client)

    assert_problem(await other_user_client.get(f"{JOBS}/{job['id']}"), 404)
    assert (await admin_client.get(f"{JOBS}/{job['id']}")).json()["id"] == job["id"]


async def test_bad_requests_are_problems(
    user_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    assert_problem(await user_client.post(JOBS, json={"kind": "mine_bitcoin"}), 422)
    assert_problem(await user_client.post(JOBS, json={"kind": KIND, "extra": 1}), 422)
    assert_problem(await user_client.get(f"{JOBS}/not-a-uuid"), 422)
    assert_problem(await client.post(JOBS, json={"kind": KIND}), 401)


async def test_registration_sends_one_welcome_email(
    user_client: httpx.AsyncClient, engine: AsyncEngine, worker: WorkerProcess
) -> None:
    me = (await user_client.get(f"{USERS}/me")).json()  # registered and signed in
    async with engine.connect() as connection:
        welcome = (
            await connection.execute(
                select(OutboxMessageRow.id).where(
                    OutboxMessageRow.payload["user_id"].as_string() == me["id"]
                )
            )
        ).scalar_one()
    handled = select(func.count()).where(ProcessedMessageRow.message_id == welcome)

    async def marked() -> bool | None:
        return True if (await row_of(engine, handled))[0] == 1 else None

    await eventually(marked, "the welcome email", context=worker.report)

    assert worker.output().count("mail sent") == 1
    assert "user@example.com" not in worker.output()  # addresses are personal data


async def test_a_poison_message_fails_its_job_and_is_dead_lettered(
    user_client: httpx.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
    tmp_path: Path,
) -> None:
    job = await create_job(user_client)
    async with engine.begin() as connection:  # as if a newer release had written it
        await connection.execute(update(JobRow).values(kind="kind_from_the_future"))
    worker = WorkerProcess(settings, tmp_path, FAST_RETRIES)
    worker.start()
    try:
        # From the database: this release cannot read the job as an entity, not even to show it.
        stored = select(JobRow.status, JobRow.error).where(JobRow.id == UUID(job["id"]))

        async def failed() -> Any:
            row = await row_of(engine, stored)
            return row if row.status == "failed" else None

        done = await eventually(failed, "the job failing", context=worker.report)

        async def dead() -> Any:  # the failure is recorded first, the dead-letter mark after
            row = await outbox_message_of(engine, job["id"])
            return row if row.dead_at is not None else None

        message = await eventually(dead, "the dead-letter mark")
{%- if cookiecutter.broker == "rabbitmq" %}
        if settings.is_rabbitmq_broker:  # and RabbitMQ moves it to the dead-letter queue
            # The worker rejects the message last of all: wait for it.
            async def dead_lettered() -> bool | None:
                letters = await asyncio.to_thread(take_messages, settings, dead_letters=True)
                return True if str(message.id) in [m.headers["id"] for m in letters] else None

            await eventually(dead_lettered, "the message reaching the dead-letter queue")
{%- endif %}
    finally:
        worker.stop()

    assert "kind_from_the_future" in done.error
    assert "kind_from_the_future" in (message.error or "")  # the dead-letter record


async def outbox_message_of(engine: AsyncEngine, job_id: str) -> Any:
    """The row of the job's outbox message: `id`, `dead_at`, `error`."""
    columns = (OutboxMessageRow.id, OutboxMessageRow.dead_at, OutboxMessageRow.error)
    query = select(*columns).where(OutboxMessageRow.payload["job_id"].as_string() == job_id)
    return await row_of(engine, query)


async def row_of(engine: AsyncEngine, query: Executable) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(query)).one()
