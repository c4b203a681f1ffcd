"""In-memory fakes of the ports that jobs, the outbox and handled-message marks use."""

from dataclasses import replace
from datetime import datetime
from typing import Self
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.jobs.entities import UNFINISHED, Job, JobStatus
from {{ cookiecutter.package_name }}.domain.outbox import OutboxMessage


class InMemoryJobs:
    def __init__(self) -> None:
        self.rows: dict[UUID, Job] = {}

    def copy(self) -> Self:
        copy = type(self)()
        copy.rows = dict(self.rows)
        return copy

    async def get(self, job_id: UUID) -> Job | None:
        return self.rows.get(job_id)

    async def add(self, job: Job) -> None:
        self.rows[job.id] = job

    async def start(self, job_id: UUID, at: datetime) -> Job | None:
        stored = self.rows.get(job_id)
        if stored is None or stored.status not in UNFINISHED:
            return None
        self.rows[job_id] = stored.started(at)
        return self.rows[job_id]

    async def transition(self, job: Job, *, when: tuple[JobStatus, ...]) -> bool:
        stored = self.rows.get(job.id)
        if stored is None or stored.status not in when:
            return False
        self.rows[job.id] = job
        return True

    async def requeue_stalled(self, started_before: datetime, limit: int) -> list[UUID]:
        stalled = [
            job.id
            for job in self.rows.values()
            if job.status is JobStatus.RUNNING
            and job.started_at is not None
            and job.started_at < started_before
        ][:limit]
        for job_id in stalled:
            self.rows[job_id] = replace(self.rows[job_id], status=JobStatus.PENDING)
        return stalled

    async def mark_failed(self, job_id: UUID, error: str, at: datetime) -> str | None:
        stored = self.rows.get(job_id)
        if stored is None or stored.status not in UNFINISHED:
            return None
        self.rows[job_id] = replace(stored, status=JobStatus.FAILED, error=error, finished_at=at)
        return stored.kind.value


class InMemoryOutbox:
    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []
        self.sent_at: dict[UUID, datetime] = {}

    def copy(self) -> Self:
        copy = type(self)()
        copy.messages, copy.sent_at = list(self.messages), dict(self.sent_at)
        return copy

    async def add(self, message: OutboxMessage) -> None:
        self.messages.append(message)

    async def purge_sent(self, before: datetime, limit: int) -> int:
        due = [id_ for id_, sent in self.sent_at.items() if sent < before][:limit]
        self.messages = [message for message in self.messages if message.id not in due]
        for id_ in due:
            del self.sent_at[id_]
        return len(due)


class InMemoryProcessedMessages:
    def __init__(self) -> None:
        self.claimed: dict[UUID, datetime] = {}

    def copy(self) -> Self:
        copy = type(self)()
        copy.claimed = dict(self.claimed)
        return copy

    async def claim(self, message_id: UUID) -> bool:
        if message_id in self.claimed:
            return False
        self.claimed[message_id] = utc_now()
        return True

    async def purge(self, before: datetime, limit: int) -> int:
        due = [id_ for id_, at in self.claimed.items() if at < before][:limit]
        for id_ in due:
            del self.claimed[id_]
        return len(due)
