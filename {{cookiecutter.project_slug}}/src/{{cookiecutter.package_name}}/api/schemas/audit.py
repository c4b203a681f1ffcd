"""Audit events as administrators read them, and the filters of the listing."""

import re
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from ...domain.audit.entities import AuditAction, AuditQuery

# RFC 3339's date-time, which the document's `format: date-time` promises. Pydantic alone also
# takes a bare date, or seconds since 1970 ("0.5"), which the document rules out.
RFC3339_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)


def _require_rfc3339(value: object) -> object:
    if isinstance(value, str) and not RFC3339_DATE_TIME.fullmatch(value):
        raise PydanticCustomError(
            "datetime_rfc3339", "Input should be an RFC 3339 date-time, like 2026-01-31T09:30:00Z"
        )
    return value


Rfc3339DateTime = Annotated[datetime, BeforeValidator(_require_rfc3339)]


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
    since: Annotated[
        Rfc3339DateTime | None, Query(description="From this time, inclusive.")
    ] = None,
    until: Annotated[Rfc3339DateTime | None, Query(description="Before this time.")] = None,
) -> AuditQuery:
    return AuditQuery(
        actor_id=actor_id, subject_id=subject_id, action=action, since=since, until=until
    )
