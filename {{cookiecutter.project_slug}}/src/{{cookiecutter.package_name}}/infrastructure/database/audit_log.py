"""The audit trail in the `audit_events` table, and on the `audit` logger once committed.

Each event is stamped here with what the domain cannot know: the client address and the trace
id of the request (or task) it happened in. The log line is written only after the commit, so
the log never tells of an action that was rolled back.
"""

from collections.abc import Mapping, Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, and_, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...domain.audit.entities import AuditAction, AuditEvent, AuditQuery
from ...domain.pagination import Page, PageRequest
from ...shared.logging import get_logger
from ...shared.request_context import client_address_var, current_trace_id
from .tables import AuditEventRow

audit_logger = get_logger("audit")


def _to_entity(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        occurred_at=row.occurred_at,
        action=AuditAction(row.action),
        actor_id=row.actor_id,
        subject_id=row.subject_id,
        client=row.client,
        trace_id=row.trace_id,
        details=row.details,
    )


def _matching(query: AuditQuery) -> ColumnElement[bool]:
    conditions = [
        AuditEventRow.actor_id == query.actor_id if query.actor_id else None,
        AuditEventRow.subject_id == query.subject_id if query.subject_id else None,
        AuditEventRow.action == query.action.value if query.action else None,
        AuditEventRow.occurred_at >= query.since if query.since else None,
        AuditEventRow.occurred_at < query.until if query.until else None,
    ]
    return and_(true(), *[condition for condition in conditions if condition is not None])


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.uncommitted: list[AuditEvent] = []

    async def record(
        self,
        action: AuditAction,
        *,
        actor: UUID | None,
        subject: UUID | None,
        details: Mapping[str, str] | None = None,
    ) -> AuditEvent:
        event = AuditEvent(
            action=action,
            actor_id=actor,
            subject_id=subject,
            client=client_address_var.get(),
            trace_id=current_trace_id(),
            details=dict(details or {}),
        )
        self._session.add(
            AuditEventRow(
                id=event.id,
                occurred_at=event.occurred_at,
                action=event.action.value,
                actor_id=event.actor_id,
                subject_id=event.subject_id,
                client=event.client,
                trace_id=event.trace_id,
                details=dict(event.details),
            )
        )
        self.uncommitted.append(event)
        return event

    async def list(self, query: AuditQuery, page: PageRequest) -> Page[AuditEvent]:
        matching = _matching(query)
        total = await self._session.scalar(
            select(func.count()).select_from(AuditEventRow).where(matching)
        )
        rows = await self._session.scalars(
            select(AuditEventRow)
            .where(matching)
            .order_by(AuditEventRow.occurred_at.desc(), AuditEventRow.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        return Page(items=[_to_entity(row) for row in rows], total=total or 0, request=page)

    async def about(self, user_id: UUID) -> Sequence[AuditEvent]:
        rows = await self._session.scalars(
            select(AuditEventRow)
            .where(or_(AuditEventRow.actor_id == user_id, AuditEventRow.subject_id == user_id))
            .order_by(AuditEventRow.occurred_at.desc(), AuditEventRow.id)
        )
        return [_to_entity(row) for row in rows]

    async def pseudonymise(self, user_id: UUID, pseudonym: UUID) -> int:
        changed = 0
        for column in (AuditEventRow.actor_id, AuditEventRow.subject_id):
            result = await self._session.execute(
                update(AuditEventRow)
                .where(column == user_id)
                .values({column: pseudonym})
                .execution_options(synchronize_session=False)
            )
            changed += int(result.rowcount)  # type: ignore[attr-defined]
        return changed

    def log_committed(self) -> None:
        """One JSON line per event on the `audit` logger; call after the commit."""
        events, self.uncommitted = self.uncommitted, []
        for event in events:
            audit_logger.info(
                "audit event",
                event_id=str(event.id),
                action=event.action.value,
                actor_id=None if event.actor_id is None else str(event.actor_id),
                subject_id=None if event.subject_id is None else str(event.subject_id),
                client=event.client,
                trace_id=event.trace_id,
                occurred_at=event.occurred_at.isoformat(),
                details=dict(event.details),
            )
