"""The audit trail on the real database: written with its transaction, logged after the commit,
filtered for administrators, and pseudonymised by an erasure."""

import json
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.audit.entities import AuditAction, AuditQuery
from {{ cookiecutter.package_name }}.domain.clock import utc_now
from {{ cookiecutter.package_name }}.domain.pagination import PageRequest
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork
from {{ cookiecutter.package_name }}.shared.logging import configure_logging
from {{ cookiecutter.package_name }}.shared.request_context import (
    client_address_var,
    fallback_trace_id_var,
)

PAGE = PageRequest(limit=100)
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def audit_lines(output: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return [line for line in lines if line["logger"] == "audit"]


async def test_an_event_is_stored_and_logged_only_when_its_transaction_commits(
    engine: AsyncEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    client_address_var.set("203.0.113.9")
    fallback_trace_id_var.set(TRACE_ID)  # no span is recording here: the request's own id
    uow = SqlUnitOfWork(create_session_factories(engine))
    actor, subject = uuid4(), uuid4()
    async with uow:
        await uow.audit.record(AuditAction.ROLE_CHANGED, actor=actor, subject=subject)
        # rolled back: no commit
    assert audit_lines(capsys.readouterr().out) == []
    async with uow:
        await uow.audit.record(
            AuditAction.ROLE_CHANGED, actor=actor, subject=subject, details={"to": "admin"}
        )
        await uow.commit()

    (line,) = audit_lines(capsys.readouterr().out)
    async with uow.read_only() as reading:
        page = await reading.audit.list(AuditQuery(), PAGE)
    (event,) = page.items
    assert (event.actor_id, event.subject_id, event.details) == (actor, subject, {"to": "admin"})
    assert (event.client, event.trace_id) == ("203.0.113.9", TRACE_ID)
    assert line["action"] == "user.role_changed"
    assert line["actor_id"] == str(actor)
    assert line["subject_id"] == str(subject)
    assert (line["client"], line["trace_id"], line["event_id"]) == (
        "203.0.113.9",
        TRACE_ID,
        str(event.id),
    )


async def test_the_trail_filters_by_actor_subject_action_and_time(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWork(create_session_factories(engine))
    ann, bob = uuid4(), uuid4()
    async with uow:
        await uow.audit.record(AuditAction.SIGN_IN_SUCCEEDED, actor=ann, subject=ann)
        await uow.audit.record(AuditAction.ROLE_CHANGED, actor=ann, subject=bob)
        await uow.audit.record(AuditAction.SIGN_IN_FAILED, actor=None, subject=bob)
        await uow.commit()

    async def actions(query: AuditQuery) -> list[AuditAction]:
        async with uow.read_only() as reading:
            return [event.action for event in (await reading.audit.list(query, PAGE)).items]

    hour = timedelta(hours=1)
    assert await actions(AuditQuery(actor_id=ann)) == [
        AuditAction.ROLE_CHANGED,
        AuditAction.SIGN_IN_SUCCEEDED,
    ]
    assert await actions(AuditQuery(subject_id=bob, action=AuditAction.SIGN_IN_FAILED)) == [
        AuditAction.SIGN_IN_FAILED
    ]
    assert len(await actions(AuditQuery(since=utc_now() - hour, until=utc_now() + hour))) == 3
    assert await actions(AuditQuery(since=utc_now() + hour)) == []
    async with uow.read_only() as reading:
        second_page = await reading.audit.list(AuditQuery(), PageRequest(limit=1, offset=1))
    assert (second_page.total, len(second_page.items)) == (3, 1)


async def test_pseudonymising_replaces_the_user_as_actor_and_subject(engine: AsyncEngine) -> None:
    uow = SqlUnitOfWork(create_session_factories(engine))
    ann, bob, pseudonym = uuid4(), uuid4(), uuid4()
    async with uow:
        await uow.audit.record(AuditAction.SIGN_IN_SUCCEEDED, actor=ann, subject=ann)
        await uow.audit.record(AuditAction.ROLE_CHANGED, actor=bob, subject=ann)
        await uow.commit()
    async with uow:
        assert await uow.audit.pseudonymise(ann, pseudonym) == 3
        await uow.commit()

    async with uow.read_only() as reading:
        assert await reading.audit.about(ann) == []
        kept = await reading.audit.about(pseudonym)
    assert {(e.actor_id, e.subject_id) for e in kept} == {(pseudonym, pseudonym), (bob, pseudonym)}
