"""The server span and the HTTP metrics: named after the route template, in one pass."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode, format_trace_id
from prometheus_client import REGISTRY

from {{ cookiecutter.package_name }}.api.middleware.request_context import RequestContextMiddleware
from {{ cookiecutter.package_name }}.api.middleware.telemetry import UNMATCHED_ROUTE, TelemetryMiddleware
from {{ cookiecutter.package_name }}.api.problems import install_problem_handlers
from {{ cookiecutter.package_name }}.infrastructure.telemetry.metrics import observe_http_request

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
ROUTE = "/things/{thing_id}"


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


def make_app(exporter: InMemorySpanExporter | None) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get(ROUTE)
    async def thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    tracer = None
    if exporter is not None:
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        tracer = provider.get_tracer("test")
    app.add_middleware(TelemetryMiddleware, tracer=tracer, record_request=observe_http_request)
    app.add_middleware(RequestContextMiddleware)
    return app


@pytest.fixture
async def client(exporter: InMemorySpanExporter) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app(exporter), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def requests_counted(method: str, route: str, status: str) -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("http_requests_total", labels) or 0.0


def durations_counted(method: str, route: str) -> float:
    labels = {"method": method, "route": route}
    return REGISTRY.get_sample_value("http_request_duration_seconds_count", labels) or 0.0


async def test_the_span_is_named_after_the_route_template(
    client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    response = await client.get("/things/7")

    assert response.status_code == 200
    [span] = exporter.get_finished_spans()
    assert span.name == f"GET {ROUTE}"
    assert span.kind is SpanKind.SERVER
    assert span.attributes is not None
    assert span.attributes["http.route"] == ROUTE
    assert span.attributes["http.request.method"] == "GET"
    assert span.attributes["http.response.status_code"] == 200
    assert span.status.status_code is StatusCode.UNSET


async def test_an_incoming_traceparent_is_continued(
    client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    await client.get("/things/7", headers={"traceparent": TRACEPARENT})

    [span] = exporter.get_finished_spans()
    assert format_trace_id(span.context.trace_id) == TRACE_ID
    assert span.parent is not None
    assert span.parent.span_id == 0x00F067AA0BA902B7


async def test_metrics_carry_the_template_never_the_raw_path(client: httpx.AsyncClient) -> None:
    before = requests_counted("GET", ROUTE, "200"), durations_counted("GET", ROUTE)

    await client.get("/things/1")
    await client.get("/things/2")

    assert requests_counted("GET", ROUTE, "200") == before[0] + 2
    assert durations_counted("GET", ROUTE) == before[1] + 2
    assert (
        REGISTRY.get_sample_value(
            "http_requests_total", {"method": "GET", "route": "/things/1", "status": "200"}
        )
        is None
    )


async def test_a_path_no_route_matches_is_counted_as_unmatched(
    client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    before = requests_counted("GET", UNMATCHED_ROUTE, "404")

    response = await client.get("/no/such/path")

    assert response.status_code == 404
    assert requests_counted("GET", UNMATCHED_ROUTE, "404") == before + 1
    [span] = exporter.get_finished_spans()
    assert span.name == "GET"  # no route: the method alone, never the raw path
    assert span.attributes is not None
    assert "http.route" not in span.attributes


async def test_an_unhandled_error_is_a_500_span_and_the_problem_quotes_its_trace(
    client: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    before = requests_counted("GET", "/broken", "500")

    response = await client.get("/broken")

    assert response.status_code == 500
    assert requests_counted("GET", "/broken", "500") == before + 1
    [span] = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes is not None
    assert span.attributes["error.type"] == "500"
    assert [event.name for event in span.events] == ["exception"]
    # The 500 answer is written outside the span; it still quotes the span's trace.
    assert response.json()["trace_id"] == format_trace_id(span.context.trace_id)


async def test_with_tracing_off_metrics_are_still_recorded() -> None:
    transport = httpx.ASGITransport(app=make_app(exporter=None))
    before = requests_counted("GET", ROUTE, "200")

    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/things/3", headers={"traceparent": TRACEPARENT})

    assert response.status_code == 200
    assert requests_counted("GET", ROUTE, "200") == before + 1


async def test_an_unknown_method_is_one_label_value(client: httpx.AsyncClient) -> None:
    before = requests_counted("_OTHER", UNMATCHED_ROUTE, "404")

    await client.request("BREW", "/no/such/path")

    assert requests_counted("_OTHER", UNMATCHED_ROUTE, "404") == before + 1
