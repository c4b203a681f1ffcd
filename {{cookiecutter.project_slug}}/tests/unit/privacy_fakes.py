"""In-memory fakes of the audit trail and of the personal-data port (over the other fakes)."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Self
from uuid import UUID

from {{ cookiecutter.package_name }}.domain.audit.entities import AuditAction, AuditEvent, AuditQuery
{%- if cookiecutter.include_example_domain == "y" %}
from {{ cookiecutter.package_name }}.domain.items.entities import Item
{%- endif %}
from {{ cookiecutter.package_name }}.domain.jobs.entities import Job
from {{ cookiecutter.package_name }}.domain.pagination import Page, PageRequest
from {{ cookiecutter.package_name }}.domain.privacy.entities import SessionRecord

if TYPE_CHECKING:
    from .fakes import FakeUnitOfWork

CLIENT = "198.51.100.4"


def _matches(event: AuditEvent, query: AuditQuery) -> bool:
    return (
        query.actor_id in (None, event.actor_id)
        and query.subject_id in (None, event.subject_id)
        and query.action in (None, event.action)
        and (query.since is None or event.occurred_at >= query.since)
        and (query.until is None or event.occurred_at < query.until)
    )


class InMemoryAuditLog:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def copy(self) -> Self:
        copy = type(self)()
        copy.events = list(self.events)
        return copy

    def actions(self) -> list[AuditAction]:
        return [event.action for event in self.events]

    async def record(
        self,
        action: AuditAction,
        *,
        actor: UUID | None,
        subject: UUID | None,
        details: Mapping[str, str] | None = None,
    ) -> AuditEvent:
        event = AuditEvent(action, actor, subject, client=CLIENT, details=dict(details or {}))
        self.events.append(event)
        return event

    async def list(self, query: AuditQuery, page: PageRequest) -> Page[AuditEvent]:
        found = [event for event in reversed(self.events) if _matches(event, query)]
        window = found[page.offset : page.offset + page.limit]
        return Page(items=window, total=len(found), request=page)

    async def about(self, user_id: UUID) -> Sequence[AuditEvent]:
        return [e for e in reversed(self.events) if user_id in (e.actor_id, e.subject_id)]

    async def pseudonymise(self, user_id: UUID, pseudonym: UUID) -> int:
        changed = 0
        for index, event in enumerate(self.events):
            if user_id in (event.actor_id, event.subject_id):
                actor = pseudonym if event.actor_id == user_id else event.actor_id
                subject = pseudonym if event.subject_id == user_id else event.subject_id
                self.events[index] = replace(event, actor_id=actor, subject_id=subject)
                changed += (event.actor_id == user_id) + (event.subject_id == user_id)
        return changed


class InMemoryPersonalData:
    """A view over the unit of work's other fakes, as the SQL adapter is over their tables."""

    def __init__(self, uow: "FakeUnitOfWork") -> None:
        self._uow = uow

    async def sessions(self, user_id: UUID) -> list[SessionRecord]:
        tokens = self._uow.refresh_tokens.tokens.values()
        return [
            SessionRecord(
                id=family.id,
                created_at=family.created_at,
                last_used_at=max(
                    (t.created_at for t in tokens if t.family.id == family.id),
                    default=family.created_at,
                ),
                revoked_at=family.revoked_at,
            )
            for family in self._uow.refresh_tokens.families.values()
            if family.user_id == user_id
        ]

    async def jobs(self, user_id: UUID) -> list[Job]:
        return [job for job in self._uow.jobs.rows.values() if job.owner_id == user_id]
{%- if cookiecutter.include_example_domain == "y" %}

    async def items(self, user_id: UUID) -> list[Item]:
        return [item for item in self._uow.items.rows.values() if item.owner_id == user_id]
{%- endif %}

    async def delete_sessions(self, user_id: UUID) -> list[UUID]:
        store = self._uow.refresh_tokens
        ids = [family.id for family in store.families.values() if family.user_id == user_id]
        store.tokens = {key: t for key, t in store.tokens.items() if t.family.id not in ids}
        store.families = {key: f for key, f in store.families.items() if key not in ids}
        return ids

    async def delete_jobs(self, user_id: UUID) -> int:
        ids = [job.id for job in await self.jobs(user_id)]
        for job_id in ids:
            del self._uow.jobs.rows[job_id]
        return len(ids)
{%- if cookiecutter.include_example_domain == "y" %}

    async def delete_items(self, user_id: UUID) -> list[UUID]:
        ids = [item.id for item in await self.items(user_id)]
        for item_id in ids:
            del self._uow.items.rows[item_id]
        return ids
{%- endif %}
