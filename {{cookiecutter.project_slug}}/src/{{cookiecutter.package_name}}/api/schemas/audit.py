"""Audit events as administrators read them, and the filters of the listing."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from ...domain.audit.entities import AuditAction, AuditQuery


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    occurred_at: datetime
    action: AuditAction
    actor_id: UUID | None
    subject_id: UUID | None
    client: str | None
    trace_id: str | None
    details: dict[str, str]


async def audit_query(
    actor_id: Annotated[UUID | None, Query(description="Who acted.")] = None,
    subject_id: Annotated[UUID | None, Query(description="Whom it concerned.")] = None,
    action: AuditAction | None = None,
    since: Annotated[datetime | None, Query(description="From this time, inclusive.")] = None,
    until: Annotated[datetime | None, Query(description="Before this time.")] = None,
) -> AuditQuery:
    return AuditQuery(
        actor_id=actor_id, subject_id=subject_id, action=action, since=since, until=until
    )
