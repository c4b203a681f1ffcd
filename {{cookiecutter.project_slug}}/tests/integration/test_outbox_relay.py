"""The outbox and its relay on the real database and broker: what committed is sent, once,
with its trace context; what the broker refused stays pending; nothing else is sent."""

import asyncio
from uuid import uuid4

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.outbox import RUN_JOB, OutboxMessage
from {{ cookiecutter.package_name }}.infrastructure.database.engine import (
    create_session_factories,
    create_session_factory,
)
from {{ cookiecutter.package_name }}.infrastructure.database.tables import OutboxMessageRow
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork
from {{ cookiecutter.package_name }}.infrastructure.queue import relay as relay_module
from {{ cookiecutter.package_name }}.infrastructure.queue.celery_app import create_celery
from {{ cookiecutter.package_name }}.infrastructure.queue.relay import OutboxRelay, stop_relay
from {{ cookiecutter.package_name }}.infrastructure.telemetry import messaging
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..conftest import make_settings
from ..waiting import eventually
from ..worker_process import take_messages

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def relay_for(engine: AsyncEngine, settings: Settings, batch_size: int = 10) -> OutboxRelay:
    celery = create_celery(settings)
    session_factory = create_session_factory(engine)
    return OutboxRelay(session_factory, celery, poll_seconds=0.05, batch_size=batch_size)


async def commit_messages(engine: AsyncEngine, count: int) -> list[OutboxMessage]:
    messages = [OutboxMessage(RUN_JOB, {"job_id": str(uuid4())}) for _ in range(count)]
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        for message in messages:
            await uow.outbox.add(message)
        await uow.commit()
    return messages


async def unsent(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        query = select(func.count()).where(OutboxMessageRow.sent_at.is_(None))
        return int((await connection.execute(query)).scalar_one())


async def published_ids(settings: Settings, ours: list[OutboxMessage]) -> list[str]:
    """Our messages' ids as the broker holds them (other tests' messages are set aside)."""
    wanted = {str(message.id) for message in ours}
    taken = await asyncio.to_thread(take_messages, settings)
    return sorted(message.headers["id"] for message in taken if message.headers["id"] in wanted)


async def test_committed_messages_are_published_once_and_marked_sent(
    engine: AsyncEngine, settings: Settings
) -> None:
    messages = await commit_messages(engine, 3)
    relay = relay_for(engine, settings)

    assert await relay.relay_once() == 3
    assert await relay.relay_once() == 0

    assert await unsent(engine) == 0
    assert await published_ids(settings, messages) == sorted(str(m.id) for m in messages)


async def test_a_rolled_back_unit_of_work_sends_nothing(
    engine: AsyncEngine, settings: Settings
) -> None:
    async with SqlUnitOfWork(create_session_factories(engine)) as uow:
        await uow.outbox.add(OutboxMessage(RUN_JOB, {"job_id": str(uuid4())}))  # no commit

    assert await relay_for(engine, settings).relay_once() == 0


async def test_a_broker_outage_delays_messages_and_loses_none(
    engine: AsyncEngine, settings: Settings
) -> None:
    messages = await commit_messages(engine, 2)
    down = make_settings(settings.database_url, celery_broker_url=UNREACHABLE_BROKER)

    assert await relay_for(engine, down).relay_once() == 0
    assert await unsent(engine) == 2

    assert await relay_for(engine, settings).relay_once() == 2  # the broker is back
    assert await published_ids(settings, messages) == sorted(str(m.id) for m in messages)


async def test_two_relays_at_once_publish_each_message_once(
    engine: AsyncEngine, settings: Settings
) -> None:
    messages = await commit_messages(engine, 40)
    relays = [relay_for(engine, settings, batch_size=5) for _ in range(2)]

    async def drain(relay: OutboxRelay) -> int:
        sent = 0
        while (batch := await relay.relay_once()) > 0:
            sent += batch
        return sent

    sent = await asyncio.gather(*(drain(relay) for relay in relays))

    assert sum(sent) == 40
    assert await published_ids(settings, messages) == sorted(str(m.id) for m in messages)


async def test_a_message_carries_the_trace_of_the_request_that_wrote_it(
    engine: AsyncEngine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(messaging, "tracer", provider.get_tracer("relay"))
    with provider.get_tracer("test").start_as_current_span("request") as span:
        [message] = await commit_messages(engine, 1)
        trace_id = f"{span.get_span_context().trace_id:032x}"

    await relay_for(engine, settings).relay_once()

    taken = await asyncio.to_thread(take_messages, settings)
    [published] = [m for m in taken if m.headers["id"] == str(message.id)]
    _version, sent_trace_id, parent_id, _flags = published.headers["traceparent"].split("-")
    [publish] = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.PRODUCER]
    assert sent_trace_id == trace_id
    assert publish.name == f"publish {RUN_JOB}"
    assert publish.parent is not None
    assert publish.parent.span_id == span.get_span_context().span_id
    # The worker's span will be a child of the publish, in the request's trace.
    assert parent_id == f"{publish.context.span_id:016x}"


async def test_a_stopped_relay_finishes_its_batch_and_returns_without_being_cancelled(
    engine: AsyncEngine, settings: Settings
) -> None:
    messages = await commit_messages(engine, 2)
    relay = relay_for(engine, settings)
    running = asyncio.create_task(relay.run())

    async def all_sent() -> bool | None:
        return True if await unsent(engine) == 0 else None

    await eventually(all_sent, "the running relay sending the batch")

    await stop_relay(relay, running)

    assert running.done()
    assert not running.cancelled()
    assert await published_ids(settings, messages) == sorted(str(m.id) for m in messages)


async def test_a_relay_that_does_not_stop_in_its_grace_time_is_cancelled(
    engine: AsyncEngine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(relay_module, "STOP_GRACE_SECONDS", 0.05)
    relay = relay_for(engine, settings)
    hung = asyncio.Event()

    async def hangs() -> int:  # a publish that never returns: a broker that hangs
        hung.set()
        await asyncio.Event().wait()
        return 0

    monkeypatch.setattr(relay, "relay_once", hangs)
    running = asyncio.create_task(relay.run())
    await hung.wait()

    await stop_relay(relay, running)

    assert running.cancelled()
