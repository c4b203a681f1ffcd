"""A task run is a CONSUMER span in the trace its message carries, with its SQL statements as
children and its log lines quoting it; a failed run says why. The tasks run in this process,
on the real database, through Celery's own tracer (`Task.apply`), which sends the signals a
worker sends."""

import json
from collections.abc import Iterator
from uuid import uuid4

import pytest
from celery import Celery
from celery.signals import task_postrun, task_prerun
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from {{ cookiecutter.package_name }}.domain.outbox import RUN_JOB
from {{ cookiecutter.package_name }}.infrastructure.queue.celery_app import HOUSEKEEPING, create_celery
from {{ cookiecutter.package_name }}.infrastructure.queue.tasks import register_tasks
from {{ cookiecutter.package_name }}.infrastructure.telemetry import worker_tracing
from {{ cookiecutter.package_name }}.infrastructure.telemetry.tracing import configure_tracing
from {{ cookiecutter.package_name }}.shared.logging import configure_logging
from {{ cookiecutter.package_name }}.shared.settings import Settings

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
CALLER_SPAN_ID = "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{CALLER_SPAN_ID}-01"


@pytest.fixture
def exporter(
    fresh_tracing: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[InMemorySpanExporter]:
    """The process's tracing, as a pool process sets it up, with every span kept in memory;
    the task span handlers connected as `trace_worker` connects them."""
    configure_tracing("1.2.3", "test")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # The module's tracer may have bound itself to an earlier test's provider.
    monkeypatch.setattr(worker_tracing, "tracer", provider.get_tracer(worker_tracing.__name__))
    task_prerun.connect(worker_tracing.start_task_span, weak=False)
    task_postrun.connect(worker_tracing.end_task_span, weak=False)
    yield exporter
    task_prerun.disconnect(worker_tracing.start_task_span)
    task_postrun.disconnect(worker_tracing.end_task_span)


def worker_app(settings: Settings) -> Celery:
    app = create_celery(settings)
    register_tasks(app, settings)
    return app


def spans_named(exporter: InMemorySpanExporter, prefix: str) -> list[ReadableSpan]:
    return [span for span in exporter.get_finished_spans() if span.name.startswith(prefix)]


def test_a_task_run_continues_the_trace_of_its_message(
    exporter: InMemorySpanExporter,
    settings: Settings,
    engine: AsyncEngine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO")
    task_id = str(uuid4())

    worker_app(settings).tasks[HOUSEKEEPING].apply(
        task_id=task_id, headers={"traceparent": TRACEPARENT}
    )

    [run] = spans_named(exporter, "process ")
    context = run.context
    assert context is not None
    assert run.name == f"process {HOUSEKEEPING}"
    assert run.kind is SpanKind.CONSUMER
    assert (f"{context.trace_id:032x}", f"{run.parent.span_id:016x}" if run.parent else None) == (
        TRACE_ID,
        CALLER_SPAN_ID,
    )
    assert dict(run.attributes or {}) == {
        "messaging.system": "celery",
        "messaging.operation.type": "process",
        "messaging.destination.name": settings.celery_queue,
        "messaging.message.id": task_id,
        "celery.state": "SUCCESS",
    }
    statements = [span for span in exporter.get_finished_spans() if span.kind is SpanKind.CLIENT]
    assert statements  # housekeeping deletes in several tables
    assert {span.parent.span_id if span.parent else None for span in statements} == {
        context.span_id
    }
    [done] = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if '"housekeeping done"' in line
    ]
    assert (done["trace_id"], done["span_id"]) == (TRACE_ID, f"{context.span_id:016x}")


async def test_statements_are_spans_only_inside_traced_work(
    exporter: InMemorySpanExporter, engine: AsyncEngine
) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))  # in no trace, as the relay's polls are
        with trace.get_tracer("test").start_as_current_span("request") as request:
            await connection.execute(text("SELECT 2"))

    [statement] = [span for span in exporter.get_finished_spans() if span.kind is SpanKind.CLIENT]
    assert statement.parent is not None
    assert statement.parent.span_id == request.get_span_context().span_id
    assert "SELECT 2" in str((statement.attributes or {}).get("db.statement"))


def test_a_failed_run_is_an_error_span_naming_the_error(
    exporter: InMemorySpanExporter, settings: Settings, engine: AsyncEngine
) -> None:
    no_retries = settings.model_copy(update={"task_max_retries": 0})

    worker_app(no_retries).tasks[RUN_JOB].apply(
        kwargs={"job_id": "not-a-uuid"}, headers={"traceparent": TRACEPARENT}
    )

    [run] = spans_named(exporter, "process ")
    assert run.status.status_code is StatusCode.ERROR
    assert (run.attributes or {})["error.type"] == "ValueError"
    assert (run.attributes or {})["celery.state"] == "REJECTED"
    assert [event.name for event in run.events] == ["exception"]


def test_a_run_without_a_started_span_is_left_alone(exporter: InMemorySpanExporter) -> None:
    worker_tracing.end_task_span(str(uuid4()), state="SUCCESS")

    assert exporter.get_finished_spans() == ()
