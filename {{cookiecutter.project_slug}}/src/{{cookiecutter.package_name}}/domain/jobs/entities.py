"""A job: work a user asked for that runs in the worker, and what became of it."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID, uuid4

from ..clock import utc_now

JobResult = Mapping[str, str | int]  # JSON-safe: decimals as strings


class JobKind(StrEnum):
{%- if cookiecutter.include_example_domain == "y" %}
    ITEMS_REPORT = "items_report"  # the owner's item count and total price
{%- else %}
    SESSIONS_REPORT = "sessions_report"  # how many sessions the owner has open
{%- endif %}


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# A job in these may still start, finish or fail; the other two are its outcome, for good.
UNFINISHED: Final = (JobStatus.PENDING, JobStatus.RUNNING)


@dataclass(frozen=True, slots=True)
class Job:
    owner_id: UUID
    kind: JobKind
    status: JobStatus = JobStatus.PENDING
    result: JobResult | None = None
    error: str | None = None
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utc_now)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def started(self, at: datetime) -> "Job":
        return replace(self, status=JobStatus.RUNNING, started_at=self.started_at or at)

    def succeeded(self, result: JobResult, at: datetime) -> "Job":
        return replace(self, status=JobStatus.SUCCEEDED, result=result, finished_at=at)
