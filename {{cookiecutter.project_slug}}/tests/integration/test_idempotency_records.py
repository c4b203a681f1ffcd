"""Idempotency records on the real database: a claim commits with its effect or not at all, an
expired key is taken over, and housekeeping purges what expired."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.housekeeping import Housekeeping, HousekeepingPolicy
from {{ cookiecutter.package_name }}.domain.idempotency import IdempotentRequest, RecordedResponse
from {{ cookiecutter.package_name }}.domain.jobs.entities import JobKind
from {{ cookiecutter.package_name }}.domain.jobs.service import JobService
from {{ cookiecutter.package_name }}.domain.permissions import Role
from {{ cookiecutter.package_name }}.domain.users.entities import User
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.tables import IdempotencyKeyRow, JobRow
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
ACCEPTED = RecordedResponse(status=202, body=b'{"status":"pending"}', location="/api/v1/jobs/1")
PRINCIPAL = uuid4()


def once(key: str = "key-1", fingerprint: str = "a") -> IdempotentRequest:
    return IdempotentRequest(principal_id=PRINCIPAL, key=key, fingerprint=fingerprint)


async def count(engine: AsyncEngine, row: type[JobRow] | type[IdempotencyKeyRow]) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(row)) or 0)


async def owner(engine: AsyncEngine) -> Actor:
    user = User(email=f"{uuid4().hex}@example.com", password_hash="x")
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        await uow.users.add(user)
        await uow.commit()
    return Actor(user.id, Role.USER)


async def test_the_effect_and_its_record_commit_together(engine: AsyncEngine) -> None:
    actor = await owner(engine)
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        assert await uow.idempotency_records.claim(once(), NOW, LATER) is None
        # The use case commits its unit of work: joined, that leaves the commit to this block.
        await JobService(uow.joined()).create(actor, next(iter(JobKind)))
        await uow.idempotency_records.record(once(), ACCEPTED)
        await uow.commit()

    assert (await count(engine, JobRow), await count(engine, IdempotencyKeyRow)) == (1, 1)
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        first = await uow.idempotency_records.claim(once(), NOW, LATER)
    assert first is not None
    assert (first.fingerprint, first.response) == ("a", ACCEPTED)


async def test_an_effect_that_fails_leaves_no_claim_behind(engine: AsyncEngine) -> None:
    actor = await owner(engine)
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        assert await uow.idempotency_records.claim(once(), NOW, LATER) is None
        await JobService(uow.joined()).create(actor, next(iter(JobKind)))
        # The request fails here: its block ends without the commit.

    assert (await count(engine, JobRow), await count(engine, IdempotencyKeyRow)) == (0, 0)


async def test_an_expired_record_is_taken_over(engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        await uow.idempotency_records.claim(once(fingerprint="a"), NOW, LATER)
        await uow.idempotency_records.record(once(), ACCEPTED)
        await uow.commit()

    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        assert await uow.idempotency_records.claim(once(fingerprint="b"), LATER, LATER) is None
        await uow.commit()

    async with engine.connect() as connection:
        row = (await connection.execute(select(IdempotencyKeyRow))).one()
    assert (row.fingerprint, row.status, row.body) == ("b", None, None)


async def test_housekeeping_purges_expired_records_in_batches(engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        for index in range(3):
            await uow.idempotency_records.claim(once(f"old-{index}"), NOW, NOW)
        await uow.idempotency_records.claim(once("fresh"), NOW, LATER + timedelta(days=1))
        await uow.commit()

    purged = await Housekeeping(
        lambda: SqlUnitOfWork(create_session_factories(engine)),
        HousekeepingPolicy(retention_seconds=3600, batch_size=2),
        clock=lambda: LATER,
    ).run()

    assert purged.idempotency_records == 3
    async with engine.connect() as connection:
        assert list(await connection.scalars(select(IdempotencyKeyRow.key))) == ["fresh"]
