"""What the job services need from the outside world, stated as protocols."""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from .entities import Job, JobStatus


class JobRepository(Protocol):
    async def get(self, job_id: UUID) -> Job | None: ...

    async def add(self, job: Job) -> None: ...

    async def start(self, job_id: UUID, at: datetime) -> Job | None:
        """Marks the job running (first start kept) unless it finished; returns it, or `None`
        if it is unknown or finished. One statement: check and write cannot be split."""
        ...

    async def transition(self, job: Job, *, when: tuple[JobStatus, ...]) -> bool:
        """Stores `job` only if the stored one's status is one of `when`: the check and the
        write are one statement, so two deliveries of a message cannot both make it."""
        ...

    async def requeue_stalled(self, started_before: datetime, limit: int) -> list[UUID]:
        """Up to `limit` jobs still running that started before `started_before`, made pending
        again; returns their ids."""
        ...

    async def mark_failed(self, job_id: UUID, error: str, at: datetime) -> str | None:
        """Fails the job unless it finished already, without reading it as an entity (it may
        be what cannot be read); returns its stored kind if this call failed it."""
        ...
