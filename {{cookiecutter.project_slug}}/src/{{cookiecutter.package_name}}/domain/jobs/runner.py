"""Running a job, in the worker. Safe to call twice for one job: a message may come twice.

The job moves pending -> running -> succeeded (or failed), and each move is conditional on the
status it moves from (`JobRepository.transition`). A second delivery of a finished job does
nothing; a second delivery of a running one (its worker died mid-task) runs it again, which is
harmless because a report only reads, and only one of the two can record the outcome.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from ..clock import utc_now
from ..outbox import RUN_JOB, OutboxMessage
from ..unit_of_work import UnitOfWorkFactory
from .entities import Job, JobStatus
from .reports import compute_report


class JobRunner:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._unit_of_work = unit_of_work
        self._clock = clock

    async def run(self, job_id: UUID) -> Job | None:
        """Runs the job; returns it finished, or `None` if there was nothing to do (unknown,
        already finished, or finished meanwhile by another delivery). Raises what the report
        raised: the task decides whether to retry."""
        async with self._unit_of_work() as uow:
            job = await uow.jobs.start(job_id, self._clock())
            await uow.commit()  # `running` is visible while the report is computed
        if job is None:
            return None
        async with self._unit_of_work() as uow:
            result = await compute_report(job.kind, job.owner_id, uow)
            done = job.succeeded(result, self._clock())
            moved = await uow.jobs.transition(done, when=(JobStatus.RUNNING,))
            await uow.commit()
        return done if moved else None

    async def requeue_stalled(self, stalled_after_seconds: float, limit: int) -> int:
        """Runs again the jobs whose worker is gone: still `running` long after any task could
        be. Without this, a worker killed where the broker cannot give its message back (the
        embedded transport) or a task killed at its hard time limit would leave a job running
        for ever. Safe if it runs twice: a job runs to one outcome however often it is sent."""
        started_before = self._clock() - timedelta(seconds=stalled_after_seconds)
        async with self._unit_of_work() as uow:
            stalled = await uow.jobs.requeue_stalled(started_before, limit)
            for job_id in stalled:
                await uow.outbox.add(OutboxMessage(RUN_JOB, {"job_id": str(job_id)}))
            await uow.commit()
        return len(stalled)

    async def fail(self, job_id: UUID, error: str) -> str | None:
        """Records a failure that retrying will not cure. Returns the job's kind, or `None` if
        the job had finished already (or never existed)."""
        async with self._unit_of_work() as uow:
            kind = await uow.jobs.mark_failed(job_id, error, self._clock())
            await uow.commit()
        return kind
