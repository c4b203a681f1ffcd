"""Jobs under faults, with real worker processes: a broker that goes away delays a job and
loses nothing; a worker killed mid-task leaves the job to the next worker, done once; a job
whose worker vanished with its message is found by housekeeping and run again."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.outbox import RUN_JOB
from {{ cookiecutter.package_name }}.infrastructure.database.tables import JobRow, OutboxMessageRow
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..redis_server import RedisServer
from ..waiting import eventually
from ..worker_process import WorkerProcess, take_messages
from .auth import app_with, signed_in_client
from .test_jobs_api import create_job, finished

# Server mode only: the faults are the broker's and a server-mode worker's.
server_mode_only = pytest.mark.parametrize("run_mode", ["server"], indirect=True)
# A schedule every second, and jobs stalled after three: what housekeeping does, in a test's time.
# Retries quick too: a task retried (say, a write that met SQLite's lock on a loaded machine)
# would otherwise wait up to 2, 4, 8... seconds, and the job finish past the test's bound.
QUICK_HOUSEKEEPING = {
    "housekeeping_interval_seconds": 1,
    "task_retry_backoff_seconds": 0.1,
    "task_soft_time_limit_seconds": 1,
    "task_time_limit_seconds": 2,
    "broker_visibility_timeout_seconds": 3,
    "job_stalled_after_seconds": 3,
}


async def test_a_job_left_running_by_a_dead_worker_is_run_again(
    user_client: httpx.AsyncClient,
    engine: AsyncEngine,
    settings: Settings,
    tmp_path: Path,
) -> None:
    job = await create_job(user_client)
    await until_published(engine)
    # As if a worker had taken the message and died where the broker keeps nothing (the
    # embedded transport): the message is gone and the job stays `running`.
    await asyncio.to_thread(take_messages, settings)
    async with engine.begin() as connection:
        an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
        await connection.execute(update(JobRow).values(status="running", started_at=an_hour_ago))

    worker = WorkerProcess(settings, tmp_path, QUICK_HOUSEKEEPING, beat=True)
    worker.start()
    try:
        done = await finished(user_client, job["id"], worker)
    finally:
        worker.stop()

    assert done["status"] == "succeeded"
    assert "stalled_jobs_requeued" in worker.output()


async def until_published(engine: AsyncEngine) -> None:
    """Until the relay has sent the job's message: it is in the queue then."""
    query = select(OutboxMessageRow.sent_at).where(OutboxMessageRow.topic == RUN_JOB)

    async def sent_at() -> datetime | None:
        async with engine.connect() as connection:
            sent: datetime | None = (await connection.execute(query)).scalar_one()
        return sent

    await eventually(sent_at, "the relay publishing the job's message")


@server_mode_only
@pytest.mark.usefixtures("engine")  # empties the database afterwards
async def test_a_broker_outage_delays_a_job_and_loses_nothing(
    settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    on_own_broker = {"celery_broker_url": redis_server.url, "outbox_poll_seconds": 0.1}
    async with (
        app_with(settings, **on_own_broker) as app,
        signed_in_client(app, "user@example.com") as client,
    ):
        redis_server.stop()
        job = await create_job(client)  # accepted into the outbox while the broker is down
        ready = (await client.get("/health/ready")).json()
        await asyncio.sleep(0.3)  # the relay has tried, and failed, a few times
        assert (await client.get(f"/api/v1/jobs/{job['id']}")).json()["status"] == "pending"

        redis_server.start()
        worker = WorkerProcess(settings, tmp_path, on_own_broker)
        worker.start()
        try:
            done = await finished(client, job["id"], worker)
        finally:
            worker.stop()

    assert (ready["status"], ready["checks"]["broker"]["status"]) == ("warn", "fail")
    assert done["status"] == "succeeded"
{%- if cookiecutter.database == "postgresql" %}


@server_mode_only
async def test_a_worker_killed_mid_task_leaves_the_job_to_the_next_worker(
    user_client: httpx.AsyncClient, engine: AsyncEngine, settings: Settings, tmp_path: Path
) -> None:
    # Redis gives a task back once it has gone unacknowledged this long (RabbitMQ at once).
    quick = {
        "task_soft_time_limit_seconds": 3,
        "task_time_limit_seconds": 4,
        "broker_visibility_timeout_seconds": 5,
    }
    job = await create_job(user_client)
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    first = WorkerProcess(settings, tmp_path / "first", quick)
    async with engine.connect() as connection, connection.begin():
        # Holding the job's row makes the first worker wait inside the task, mid-run.
        await connection.execute(select(JobRow).where(JobRow.id == job["id"]).with_for_update())
        first.start()

        async def has_the_task() -> bool | None:
            return True if "jobs.run[" in first.output() else None

        await eventually(has_the_task, "the first worker taking the task", context=first.report)
        first.kill()

    second = WorkerProcess(settings, tmp_path / "second", quick)
    second.start()
    try:
        done = await finished(user_client, job["id"], second)
    finally:
        second.stop()

    assert done["status"] == "succeeded"
    assert "jobs.run[" in second.output()  # redelivered to the second worker, which ran it

{%- endif %}
