"""Use cases on jobs, in the API: accept a job, and tell its owner how it went.

Accepting writes the job and its outbox message in one unit of work: either both exist or
neither. Running it is the worker's (runner.py).
"""

from uuid import UUID

from ..actor import Actor
from ..outbox import RUN_JOB, OutboxMessage
from ..permissions import Permission
from ..unit_of_work import UnitOfWork
from .entities import Job, JobKind
from .errors import JobNotFoundError


class JobService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def create(self, actor: Actor, kind: JobKind) -> Job:
        job = Job(owner_id=actor.user_id, kind=kind)
        async with self._uow as uow:
            await uow.jobs.add(job)
            await uow.outbox.add(OutboxMessage(RUN_JOB, {"job_id": str(job.id)}))
            await uow.commit()
        return job

    async def get(self, actor: Actor, job_id: UUID) -> Job:
        async with self._uow.read_only() as uow:
            job = await uow.jobs.get(job_id)
        if job is None or not (actor.owns(job.owner_id) or actor.may(Permission.JOBS_READ_ANY)):
            raise JobNotFoundError(job_id)  # someone else's job: 404, no existence leak
        return job
