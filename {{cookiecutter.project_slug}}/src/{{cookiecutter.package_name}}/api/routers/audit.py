"""`/api/v1/audit-events`: the audit trail, for administrators."""

from typing import Annotated

from fastapi import APIRouter, Depends

from ...domain.audit.entities import AuditQuery
from ..deps import AuditReader, Pagination
from ..problems import problem_docs
from ..schemas.audit import AuditEventOut, audit_query
from ..schemas.pagination import PageMeta, PageOut

router = APIRouter(
    prefix="/api/v1/audit-events", tags=["audit"], responses=problem_docs(401, 403, 422, 429)
)


@router.get("", response_model=PageOut[AuditEventOut])
async def list_audit_events(
    caller: AuditReader, page: Pagination, query: Annotated[AuditQuery, Depends(audit_query)]
) -> PageOut[AuditEventOut]:
    """Newest first; filter by `actor_id`, `subject_id`, `action` and a `since`..`until` range."""
    found = await caller.service.list(query, page)
    return PageOut[AuditEventOut](
        data=[AuditEventOut.model_validate(event) for event in found.items],
        meta=PageMeta(total=found.total, limit=page.limit, offset=page.offset),
    )
