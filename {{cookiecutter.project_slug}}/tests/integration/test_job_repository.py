"""Jobs, handled-message marks and purges on the real database: the conditional writes that
make a second delivery harmless."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.jobs.entities import Job, JobKind, JobStatus
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
KIND = next(iter(JobKind))


async def new_job(engine: AsyncEngine) -> tuple[SqlUnitOfWork, Job]:
    uow = SqlUnitOfWork(create_session_factories(engine))
    owner = User(email=f"{uuid4().hex}@example.com", password_hash="x")
    job = Job(owner_id=owner.id, kind=KIND)
    async with uow:
        await uow.users.add(owner)
        await uow.jobs.add(job)
        await uow.commit()
    return uow, job


async def test_a_transition_happens_only_from_the_statuses_given(engine: AsyncEngine) -> None:
    uow, job = await new_job(engine)
    running = job.started(NOW)
    async with uow:
        assert await uow.jobs.transition(running, when=(JobStatus.PENDING,)) is True
        assert await uow.jobs.transition(running, when=(JobStatus.PENDING,)) is False
        await uow.commit()
    async with uow:
        stored = await uow.jobs.get(job.id)
    assert stored is not None
    assert (stored.status, stored.started_at) == (JobStatus.RUNNING, NOW)


async def test_a_start_keeps_the_first_start_and_skips_a_finished_job(
    engine: AsyncEngine,
) -> None:
    uow, job = await new_job(engine)
    async with uow:
        first = await uow.jobs.start(job.id, NOW)
        again = await uow.jobs.start(job.id, NOW + timedelta(minutes=1))  # a redelivery
        assert await uow.jobs.mark_failed(job.id, "broken", NOW) == KIND.value
        finished = await uow.jobs.start(job.id, NOW)
        unknown = await uow.jobs.start(uuid4(), NOW)
        await uow.commit()

    assert first is not None
    assert again is not None
    assert (first.status, first.started_at, again.started_at) == (JobStatus.RUNNING, NOW, NOW)
    assert (finished, unknown) == (None, None)


async def test_only_jobs_running_since_before_the_bound_are_requeued(
    engine: AsyncEngine,
) -> None:
    uow, stalled = await new_job(engine)
    _, recent = await new_job(engine)
    async with uow:
        await uow.jobs.start(stalled.id, NOW - timedelta(hours=1))
        await uow.jobs.start(recent.id, NOW)
        await uow.commit()
    bound = NOW - timedelta(minutes=10)
    async with uow:
        assert await uow.jobs.requeue_stalled(bound, limit=10) == [stalled.id]
        await uow.commit()
        assert await uow.jobs.requeue_stalled(bound, limit=10) == []
        requeued, running = await uow.jobs.get(stalled.id), await uow.jobs.get(recent.id)
    assert requeued is not None
    assert running is not None
    assert (requeued.status, running.status) == (JobStatus.PENDING, JobStatus.RUNNING)


async def test_a_job_fails_once_and_a_finished_one_not_at_all(engine: AsyncEngine) -> None:
    uow, job = await new_job(engine)
    async with uow:
        assert await uow.jobs.mark_failed(job.id, "broken", NOW) == KIND.value
        assert await uow.jobs.mark_failed(job.id, "again", NOW) is None
        await uow.commit()
        stored = await uow.jobs.get(job.id)
    assert stored is not None
    assert (stored.status, stored.error, stored.finished_at) == (JobStatus.FAILED, "broken", NOW)


async def test_a_message_is_claimed_once(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWork(create_session_factories(engine))
    message_id = uuid4()
    async with uow:
        assert await uow.processed_messages.claim(message_id) is True
        await uow.commit()
    async with uow:
        assert await uow.processed_messages.claim(message_id) is False
        await uow.commit()


async def test_purges_take_only_what_is_due_in_batches(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWork(create_session_factories(engine))
    async with uow:
        for _ in range(3):
            await uow.processed_messages.claim(uuid4())
        await uow.commit()
    later = datetime.now(UTC) + timedelta(seconds=1)
    async with uow:
        assert await uow.processed_messages.purge(later - timedelta(days=1), limit=10) == 0
        assert await uow.processed_messages.purge(later, limit=2) == 2
        assert await uow.processed_messages.purge(later, limit=2) == 1
        await uow.commit()
