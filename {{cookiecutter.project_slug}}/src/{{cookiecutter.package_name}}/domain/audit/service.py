"""Reading the audit trail: what administrators see at `/api/v1/audit-events`."""

from ..pagination import Page, PageRequest
from ..unit_of_work import UnitOfWork
from .entities import AuditEvent, AuditQuery


class AuditService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def list(self, query: AuditQuery, page: PageRequest) -> Page[AuditEvent]:
        async with self._uow.read_only() as uow:
            return await uow.audit.list(query, page)
