"""`make bench-telemetry`: what the request side of telemetry costs a request, in CPU time.

One in-process FastAPI app with one route is called through ASGI directly (no server, no
network), N times per variant, interleaved over rounds; the median CPU microseconds per request
of each variant is printed beside the bare app's. Variants: the service's telemetry middleware
with tracing off (metrics only), with every request sampled and exported (to an exporter that
drops the batch: the encoding and the network are the exporter's, the same for every variant),
and with 10% parent-based sampling; FastAPI's own tracing (which main.py turns off); and the
stock `FastAPIInstrumentor`, when installed (it is not a dependency of the service: `pip
install opentelemetry-instrumentation-fastapi`), both with every request sampled:

    make bench-telemetry
"""

import asyncio
import importlib
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, Sampler, TraceIdRatioBased
from starlette.types import ASGIApp, Message

from {{ cookiecutter.package_name }}.api.middleware.telemetry import TelemetryMiddleware
from {{ cookiecutter.package_name }}.infrastructure.telemetry.metrics import observe_http_request

REQUESTS = 5000
ROUNDS = 5
SCOPE: dict[str, Any] = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "path": "/api/v1/things/1",
    "raw_path": b"/api/v1/things/1",
    "query_string": b"",
    "root_path": "",
    "headers": [(b"host", b"bench")],
    "client": ("127.0.0.1", 1),
    "server": ("127.0.0.1", 8000),
}


class DroppingExporter(SpanExporter):
    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


def provider(sampler: Sampler) -> TracerProvider:
    traced = TracerProvider(sampler=sampler)
    traced.add_span_processor(BatchSpanProcessor(DroppingExporter()))
    return traced


def route_app(native_tracing: TracerProvider | None = None) -> FastAPI:
    # FastAPI's own tracing stays off unless a variant measures it (main.py turns it off).
    telemetry: dict[str, Any] = {"tracing": False, "metrics": False, "logs": False}
    if native_tracing is not None:
        telemetry = {"tracer_provider": native_tracing, "metrics": False, "logs": False}
    app = FastAPI(telemetry=telemetry)  # type: ignore[arg-type]

    @app.get("/api/v1/things/{thing_id}")
    async def thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    return app


def with_middleware(sampler: Sampler | None) -> ASGIApp:
    app = route_app()
    tracer = None if sampler is None else provider(sampler).get_tracer("bench")
    app.add_middleware(TelemetryMiddleware, tracer=tracer, record_request=observe_http_request)
    return app


def with_instrumentor() -> ASGIApp:
    instrumentation = importlib.import_module("opentelemetry.instrumentation.fastapi")
    app = route_app()
    # As the service configured it before the middleware replaced it.
    instrumentation.FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider(ALWAYS_ON), exclude_spans=["send", "receive"]
    )
    return app


def variants() -> dict[str, Callable[[], ASGIApp]]:
    chosen: dict[str, Callable[[], ASGIApp]] = {
        "bare app": route_app,
        "middleware, tracing off (metrics only)": lambda: with_middleware(None),
        "middleware, every request sampled": lambda: with_middleware(ALWAYS_ON),
        "middleware, 10% sampled": lambda: with_middleware(ParentBased(TraceIdRatioBased(0.1))),
        "FastAPI's own tracing, every request sampled": lambda: route_app(provider(ALWAYS_ON)),
    }
    if importlib.util.find_spec("opentelemetry.instrumentation.fastapi") is not None:
        chosen["FastAPIInstrumentor, every request sampled"] = with_instrumentor
    else:
        print("(FastAPIInstrumentor left out: opentelemetry-instrumentation-fastapi not installed)")
    return chosen


async def cpu_microseconds_per_request(app: ASGIApp) -> float:
    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: Message) -> None:
        return None

    started = time.process_time()
    for _ in range(REQUESTS):
        await app(dict(SCOPE), receive, send)
    return (time.process_time() - started) / REQUESTS * 1e6


async def main() -> int:
    apps = {name: make() for name, make in variants().items()}
    for app in apps.values():  # warm up: first calls build FastAPI's caches
        await cpu_microseconds_per_request(app)
    samples: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(ROUNDS):
        for name, app in apps.items():
            samples[name].append(await cpu_microseconds_per_request(app))
    bare = statistics.median(samples["bare app"])
    print(f"CPU µs per request, median of {ROUNDS} rounds of {REQUESTS} (ASGI, in process)")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:45} {median:7.1f}  (+{median - bare:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
