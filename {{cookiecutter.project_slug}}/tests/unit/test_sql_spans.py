"""A statement is a span of the work it belongs to; with the SDK disabled, nothing is attached."""

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import text

from {{ cookiecutter.package_name }}.infrastructure.database.engine import create_engine
from {{ cookiecutter.package_name }}.infrastructure.telemetry.sql_spans import ChildSpansOnly
from {{ cookiecutter.package_name }}.infrastructure.telemetry.tracing import configure_tracing

from ..conftest import make_settings

IN_MEMORY_DATABASE = "sqlite+aiosqlite://"


@pytest.fixture
def exporter(fresh_tracing: None) -> InMemorySpanExporter:
    configure_tracing("1.2.3", "test")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


async def run_in_a_request(statement: str) -> None:
    engine = create_engine(make_settings(IN_MEMORY_DATABASE))
    with trace.get_tracer("test").start_as_current_span("request"):
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    await engine.dispose()


async def test_a_statement_is_a_client_span_of_the_request(
    exporter: InMemorySpanExporter,
) -> None:
    await run_in_a_request("SELECT 1")

    *statements, request = exporter.get_finished_spans()
    assert request.name == "request"
    assert request.context is not None
    # SQLite's transactions start with a statement of their own (`BEGIN IMMEDIATE`: engine.py).
    assert [span.name.split()[0] for span in statements] == ["BEGIN", "SELECT"]
    assert {span.kind for span in statements} == {SpanKind.CLIENT}
    assert {span.parent.span_id for span in statements if span.parent} == {request.context.span_id}


async def test_with_the_sdk_disabled_no_statement_is_traced(
    exporter: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")  # read when the engine is made

    await run_in_a_request("SELECT 1")

    assert [span.name for span in exporter.get_finished_spans()] == ["request"]


def test_the_statement_tracer_starts_spans_only_under_a_recording_parent(
    exporter: InMemorySpanExporter,
) -> None:
    tracer = trace.get_tracer("test")
    statements = ChildSpansOnly(tracer)

    with statements.start_as_current_span("orphan") as orphan:
        assert not orphan.is_recording()
    with tracer.start_as_current_span("request"), statements.start_as_current_span("child"):
        pass

    assert [span.name for span in exporter.get_finished_spans()] == ["child", "request"]
