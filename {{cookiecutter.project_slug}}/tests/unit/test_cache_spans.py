"""A span per cache operation inside a recorded trace, and none outside one."""

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode, Tracer

from {{ cookiecutter.package_name }}.infrastructure.cache import spans
from {{ cookiecutter.package_name }}.infrastructure.cache.cache_aside import CacheAside
from {{ cookiecutter.package_name }}.infrastructure.cache.in_process_store import InProcessStore


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer(exporter: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tracer]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    monkeypatch.setattr(spans, "tracer", tracer)
    yield tracer
    provider.shutdown()


@pytest.fixture
def cache() -> CacheAside[str, str]:
    return CacheAside(InProcessStore(max_entries=10), name="thing", ttl_seconds=60)


async def load() -> str:
    return "value"


async def test_each_operation_is_a_span_of_the_request(
    cache: CacheAside[str, str], tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with tracer.start_as_current_span("request"):
        await cache.get_or_load("a", load)
        await cache.get_or_load("a", load)
        await cache.forget("a")

    spans = [(span.name, dict(span.attributes or {})) for span in exporter.get_finished_spans()]
    assert [(name, attributes.get("cache.result")) for name, attributes in spans] == [
        ("cache get thing", "miss"),
        ("cache fill thing", "ok"),
        ("cache get thing", "hit"),
        ("cache invalidate thing", "ok"),
        ("request", None),
    ]
    assert spans[0][1]["cache.backend"] == "in-process"


async def test_outside_a_recorded_trace_no_span_is_made(
    cache: CacheAside[str, str], tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    await cache.get_or_load("a", load)

    assert exporter.get_finished_spans() == ()


async def test_a_cache_span_is_the_requests_child_and_leaves_the_request_current(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with (
        tracer.start_as_current_span("request") as request,
        spans.cache_span("cache read", {"cache.keys": 2}),
    ):
        current_inside = trace.get_current_span()

    cache_read, _ = exporter.get_finished_spans()
    assert current_inside is request
    assert cache_read.name == "cache read"
    assert cache_read.parent is not None
    assert cache_read.parent.span_id == request.get_span_context().span_id
    assert cache_read.kind is trace.SpanKind.CLIENT


async def test_an_error_inside_a_cache_span_is_recorded_on_it(
    tracer: Tracer, exporter: InMemorySpanExporter
) -> None:
    with (
        tracer.start_as_current_span("request"),
        pytest.raises(ConnectionError),
        spans.cache_span("cache read", {}),
    ):
        raise ConnectionError("Redis went away")

    cache_read, _ = exporter.get_finished_spans()
    assert cache_read.status.status_code is StatusCode.ERROR
    assert [event.name for event in cache_read.events] == ["exception"]
