"""Job bodies: what a client asks for, and what it is told about the job."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from ...domain.jobs.entities import JobKind, JobStatus


class JobCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: JobKind  # an unknown kind is a 422 that lists the known ones


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    kind: JobKind
    status: JobStatus
    result: dict[str, str | int] | None = None
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
