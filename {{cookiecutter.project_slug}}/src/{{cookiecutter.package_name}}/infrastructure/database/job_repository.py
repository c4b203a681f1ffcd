"""Jobs stored with SQLAlchemy, translated to and from the domain entity."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.jobs.entities import UNFINISHED, Job, JobKind, JobStatus
from .tables import JobRow


def job_from_row(row: JobRow) -> Job:
    return Job(
        id=row.id,
        owner_id=row.owner_id,
        kind=JobKind(row.kind),
        status=JobStatus(row.status),
        result=row.result,
        error=row.error,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class SqlJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, job_id: UUID) -> Job | None:
        query = select(JobRow).where(JobRow.id == job_id)
        row = (await self._session.execute(query)).scalar_one_or_none()
        return None if row is None else job_from_row(row)

    async def add(self, job: Job) -> None:
        self._session.add(
            JobRow(
                id=job.id,
                owner_id=job.owner_id,
                kind=job.kind.value,
                status=job.status.value,
                result=None if job.result is None else dict(job.result),
                error=job.error,
                created_at=job.created_at,
                started_at=job.started_at,
                finished_at=job.finished_at,
            )
        )

    async def start(self, job_id: UUID, at: datetime) -> Job | None:
        started = await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status.in_(UNFINISHED))
            .values(status=JobStatus.RUNNING.value, started_at=func.coalesce(JobRow.started_at, at))
            .returning(JobRow)
            .execution_options(synchronize_session=False)
        )
        row = started.scalar_one_or_none()
        return None if row is None else job_from_row(row)

    async def transition(self, job: Job, *, when: tuple[JobStatus, ...]) -> bool:
        moved = await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job.id, JobRow.status.in_([status.value for status in when]))
            .values(
                status=job.status.value,
                result=None if job.result is None else dict(job.result),
                error=job.error,
                started_at=job.started_at,
                finished_at=job.finished_at,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(moved.rowcount)  # type: ignore[attr-defined]

    async def requeue_stalled(self, started_before: datetime, limit: int) -> list[UUID]:
        running = JobStatus.RUNNING.value
        stalled = (
            select(JobRow.id)
            .where(JobRow.status == running, JobRow.started_at < started_before)
            .limit(limit)
            .with_for_update(skip_locked=True)  # two schedulers never take the same job
        )
        ids = list(await self._session.scalars(stalled))
        if ids:
            await self._session.execute(
                update(JobRow)
                .where(JobRow.id.in_(ids), JobRow.status == running)
                .values(status=JobStatus.PENDING.value)
                .execution_options(synchronize_session=False)
            )
        return ids

    async def mark_failed(self, job_id: UUID, error: str, at: datetime) -> str | None:
        failed = await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status.in_(UNFINISHED))
            .values(status=JobStatus.FAILED.value, error=error, finished_at=at)
            .returning(JobRow.kind)
            .execution_options(synchronize_session=False)
        )
        return failed.scalar_one_or_none()
