"""Jobs on in-memory fakes: accepted with their outbox message, run once however often delivered."""

from datetime import timedelta
{%- if cookiecutter.include_example_domain == "y" %}
from decimal import Decimal
{%- endif %}
from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.domain.actor import Actor
{%- if cookiecutter.include_example_domain == "y" %}
from {{ cookiecutter.package_name }}.domain.items.entities import Item
{%- else %}
from {{ cookiecutter.package_name }}.domain.auth.entities import RefreshTokenFamily
{%- endif %}
from {{ cookiecutter.package_name }}.domain.jobs.entities import JobKind, JobStatus
from {{ cookiecutter.package_name }}.domain.jobs.errors import JobNotFoundError
from {{ cookiecutter.package_name }}.domain.jobs.runner import JobRunner
from {{ cookiecutter.package_name }}.domain.jobs.service import JobService
from {{ cookiecutter.package_name }}.domain.outbox import RUN_JOB
from {{ cookiecutter.package_name }}.domain.permissions import Role

from .fakes import FakeUnitOfWork

OWNER = Actor(user_id=uuid4(), role=Role.USER)
OTHER_USER = Actor(user_id=uuid4(), role=Role.USER)
ADMIN = Actor(user_id=uuid4(), role=Role.ADMIN)
{%- if cookiecutter.include_example_domain == "y" %}
KIND = JobKind.ITEMS_REPORT
{%- else %}
KIND = JobKind.SESSIONS_REPORT
{%- endif %}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def jobs(uow: FakeUnitOfWork) -> JobService:
    return JobService(uow)


@pytest.fixture
def runner(uow: FakeUnitOfWork) -> JobRunner:
    return JobRunner(lambda: uow)


async def test_a_job_and_its_message_commit_together(jobs: JobService, uow: FakeUnitOfWork) -> None:
    job = await jobs.create(OWNER, KIND)

    assert uow.commits == 1
    assert uow.committed_jobs.rows[job.id].status is JobStatus.PENDING
    [message] = uow.committed_outbox.messages
    assert (message.topic, dict(message.payload)) == (RUN_JOB, {"job_id": str(job.id)})


async def test_a_job_is_seen_by_its_owner_and_admins_only(jobs: JobService) -> None:
    job = await jobs.create(OWNER, KIND)

    assert (await jobs.get(OWNER, job.id)).id == job.id
    assert (await jobs.get(ADMIN, job.id)).id == job.id
    with pytest.raises(JobNotFoundError):
        await jobs.get(OTHER_USER, job.id)
    with pytest.raises(JobNotFoundError):
        await jobs.get(OWNER, uuid4())


async def test_running_a_job_records_its_report(
    jobs: JobService, runner: JobRunner, uow: FakeUnitOfWork
) -> None:
{%- if cookiecutter.include_example_domain == "y" %}
    for price in ("10.00", "2.50"):
        item = Item(name="lamp", price=Decimal(price), owner_id=OWNER.user_id)
        uow.committed_items.rows[item.id] = item
    expected = {"item_count": 2, "total_price": "12.50"}
{%- else %}
    for _ in range(2):
        family = RefreshTokenFamily(user_id=OWNER.user_id)
        uow.committed_refresh_tokens.families[family.id] = family
    expected = {"active_session_count": 2}
{%- endif %}
    job = await jobs.create(OWNER, KIND)

    done = await runner.run(job.id)

    assert done is not None
    stored = uow.committed_jobs.rows[job.id]
    assert (stored.status, stored.result) == (JobStatus.SUCCEEDED, expected)
    assert stored.started_at is not None
    assert stored.finished_at is not None


async def test_a_second_delivery_of_a_finished_job_does_nothing(
    jobs: JobService, runner: JobRunner, uow: FakeUnitOfWork
) -> None:
    job = await jobs.create(OWNER, KIND)
    await runner.run(job.id)
    finished = uow.committed_jobs.rows[job.id]

    assert await runner.run(job.id) is None
    assert await runner.fail(job.id, "too late") is None
    assert uow.committed_jobs.rows[job.id] == finished


async def test_a_job_whose_worker_died_mid_run_is_run_again_to_the_end(
    jobs: JobService, runner: JobRunner, uow: FakeUnitOfWork
) -> None:
    job = await jobs.create(OWNER, KIND)
    started = job.started(job.created_at)
    uow.committed_jobs.rows[job.id] = started  # the first delivery got this far

    await runner.run(job.id)

    stored = uow.committed_jobs.rows[job.id]
    assert stored.status is JobStatus.SUCCEEDED
    assert stored.started_at == started.started_at  # when it first started


async def test_a_failure_is_recorded_with_its_reason(
    jobs: JobService, runner: JobRunner, uow: FakeUnitOfWork
) -> None:
    job = await jobs.create(OWNER, KIND)

    assert await runner.fail(job.id, "ValueError: broken") == KIND.value

    stored = uow.committed_jobs.rows[job.id]
    assert (stored.status, stored.error) == (JobStatus.FAILED, "ValueError: broken")
    assert await runner.run(job.id) is None  # a failed job stays failed


async def test_an_unknown_job_is_nothing_to_do(runner: JobRunner) -> None:
    assert await runner.run(uuid4()) is None
    assert await runner.fail(uuid4(), "gone") is None


async def test_a_job_left_running_by_a_dead_worker_is_sent_again(
    jobs: JobService, runner: JobRunner, uow: FakeUnitOfWork
) -> None:
    stalled, recent = await jobs.create(OWNER, KIND), await jobs.create(OWNER, KIND)
    an_hour_ago = stalled.created_at - timedelta(hours=1)
    uow.committed_jobs.rows[stalled.id] = stalled.started(an_hour_ago)
    uow.committed_jobs.rows[recent.id] = recent.started(recent.created_at)
    sent_before = len(uow.committed_outbox.messages)

    assert await runner.requeue_stalled(stalled_after_seconds=600, limit=10) == 1

    assert uow.committed_jobs.rows[stalled.id].status is JobStatus.PENDING
    assert uow.committed_jobs.rows[recent.id].status is JobStatus.RUNNING
    [message] = uow.committed_outbox.messages[sent_before:]
    assert dict(message.payload) == {"job_id": str(stalled.id)}
    await runner.run(stalled.id)
    done = uow.committed_jobs.rows[stalled.id]
    assert (done.status, done.started_at) == (JobStatus.SUCCEEDED, an_hour_ago)
