"""A real worker process exports its task spans over OTLP/HTTP, in the trace of the message.

Tracing starts in each pool process after the fork (prefork in server mode, the one solo
process in embedded mode) and is flushed when that process ends. The exporter's scheduled
export is set far beyond the test, so the spans can only arrive through that flush.
"""

import asyncio
import json
from pathlib import Path

from opentelemetry import context, propagate
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.outbox import OutboxMessage
from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_session_factories
from {{ cookiecutter.package_name }}.infrastructure.database.unit_of_work import SqlUnitOfWork
from {{ cookiecutter.package_name }}.infrastructure.queue.celery_app import HOUSEKEEPING
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..otlp_receiver import ReceivedSpan, otlp_receiver
from ..waiting import eventually
from ..worker_process import WorkerProcess

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{CALLER_SPAN_ID}-01"


async def enqueue_in_trace(engine: AsyncEngine, message: OutboxMessage) -> None:
    """Writes the message as a request in that trace would: its `traceparent` in the outbox."""
    token = context.attach(propagate.extract({"traceparent": TRACEPARENT}))
    try:
        async with SqlUnitOfWork(create_session_factories(engine)) as uow:
            await uow.outbox.add(message)
            await uow.commit()
    finally:
        context.detach(token)


def is_our_run(span: ReceivedSpan) -> bool:
    return span.trace_id == TRACE_ID and span.kind == "CONSUMER"


async def test_the_task_span_reaches_the_collector_in_the_messages_trace(
    engine: AsyncEngine, settings: Settings, tmp_path: Path
) -> None:
    message = OutboxMessage(HOUSEKEEPING, {})
    with otlp_receiver() as receiver:
        worker = WorkerProcess(
            settings,
            tmp_path,
            {
                "otel_exporter_otlp_endpoint": receiver.endpoint,
                "otel_bsp_schedule_delay": 600_000,  # milliseconds
                "otel_service_name": "worker-under-test",
            },
        )
        worker.start()
        try:
            await enqueue_in_trace(engine, message)  # the worker's relay publishes it

            async def finished() -> bool | None:
                return f"{message.id}] succeeded" in worker.output() or None

            await eventually(finished, "the task's run", context=worker.report)
            # The pool process logs the success a moment before the main process hears of it;
            # a stop in between finds the task still running and waits out the soft shutdown.
            await asyncio.sleep(1)
        finally:
            worker.stop()

        spans = receiver.wait_for(is_our_run)

    [run] = [span for span in spans if is_our_run(span)]
    assert run.name == f"process {HOUSEKEEPING}"
    # Its parent is the caller's span, or, where the relay records spans (the solo pool's one
    # process in embedded mode; not the prefork parent), the publish span under the caller's.
    publishes = {span.span_id: span for span in spans if span.kind == "PRODUCER"}
    parent = publishes.get(run.parent_span_id)
    assert (parent.parent_span_id if parent else run.parent_span_id) == CALLER_SPAN_ID
    assert run.attributes["messaging.message.id"] == str(message.id)
    assert run.resource["service.name"] == "worker-under-test"
    statements = [span for span in spans if span.parent_span_id == run.span_id]
    assert statements
    assert {span.kind for span in statements} == {"CLIENT"}
    [logged] = [
        json.loads(line)
        for line in worker.output().splitlines()
        if '"housekeeping done"' in line and TRACE_ID in line
    ]
    assert (logged["trace_id"], logged["span_id"]) == (TRACE_ID, run.span_id)
