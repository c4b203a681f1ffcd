"""Running a job, in the worker. Safe to call twice for one job: a message may come twice.

The job moves pending -> running -> succeeded (or failed), and each move is conditional on the
status it moves from (`JobRepository.transition`). A second delivery of a finished job does
nothing; a second delivery of a running one (its worker died mid-task) runs it again, which is
harmless because a report only reads, and only one of the two can record the outcome.
"""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from ..clock import utc_now
from ..unit_of_work import UnitOfWork
from .entities import Job, JobStatus
from .reports import compute_report

UnitOfWorkFactory = Callable[[], UnitOfWork]


class JobRunner:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def run(self, job_id: UUID) -> Job | None:
        """Runs the job; returns it finished, or `None` if there was nothing to do (unknown, or
        already finished). Raises what the report raised: the task decides whether to retry."""
        job = await self._start(job_id)
        if job is None:
            return None
        result = await compute_report(job.kind, job.owner_id, self._unit_of_work())
        return await self._finish(job.succeeded(result, self._clock()))

    async def fail(self, job_id: UUID, error: str) -> str | None:
        """Records a failure that retrying will not cure. Returns the job's kind, or `None` if
        the job had finished already (or never existed)."""
        async with self._unit_of_work() as uow:
            kind = await uow.jobs.mark_failed(job_id, error, self._clock())
            await uow.commit()
        return kind

    async def _start(self, job_id: UUID) -> Job | None:
        async with self._unit_of_work() as uow:
            job = await uow.jobs.get(job_id, for_update=True)
            if job is None or job.status.is_final:
                return None
            running = job.started(self._clock())
            await uow.jobs.transition(running, when=(JobStatus.PENDING, JobStatus.RUNNING))
            await uow.commit()
        return running

    async def _finish(self, job: Job) -> Job | None:
        async with self._unit_of_work() as uow:
            moved = await uow.jobs.transition(job, when=(JobStatus.PENDING, JobStatus.RUNNING))
            await uow.commit()
        return job if moved else None
