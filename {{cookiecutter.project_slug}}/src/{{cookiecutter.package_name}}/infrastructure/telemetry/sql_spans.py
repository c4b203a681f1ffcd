"""A span per SQL statement (opentelemetry-instrumentation-sqlalchemy), inside traced work only.

The statement spans are the instrumentation's own: its names and attributes follow the database
semantic conventions, and bound values are never recorded. What this module adds is where they
are made: only under a span that records (a request, a task run). The outbox relay polls the
database every second outside any request; each poll would otherwise start a trace of its own.
"""

from contextlib import AbstractContextManager
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.instrumentation.sqlalchemy.version import __version__ as instrumentation_version
from opentelemetry.metrics import NoOpUpDownCounter
from sqlalchemy.ext.asyncio import AsyncEngine

INSTRUMENTATION = "opentelemetry.instrumentation.sqlalchemy"


def trace_statements(engine: AsyncEngine) -> None:
    """Traces the statements of this engine (through its sync core: SQLAlchemy runs an async
    engine's statements there). Call it only when tracing is enabled."""
    tracer = trace.get_tracer(INSTRUMENTATION, instrumentation_version)
    # The instrumentation's `EngineTracer` per engine, rather than its instrumentor, which
    # instruments only the first engine of a process (opentelemetry-python-contrib#3977) and
    # patches `create_engine` globally. Its connection-usage metric is left out: the service's
    # metrics are Prometheus' (metrics.py).
    no_metric = NoOpUpDownCounter("db.client.connections.usage")
    EngineTracer(ChildSpansOnly(tracer), engine.sync_engine, no_metric)  # type: ignore[no-untyped-call]


class ChildSpansOnly(trace.Tracer):
    """Starts a span only when the parent records; otherwise hands back a span that does
    nothing, as the SDK does for a trace it does not sample."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self._tracer = tracer

    def start_span(
        self, name: str, context: Context | None = None, *args: Any, **kwargs: Any
    ) -> trace.Span:
        if not trace.get_current_span(context).is_recording():
            return trace.INVALID_SPAN
        return self._tracer.start_span(name, context, *args, **kwargs)

    # Typed by the base class with a private name for the same kind of context manager.
    def start_as_current_span(  # type: ignore[override]
        self, name: str, context: Context | None = None, *args: Any, **kwargs: Any
    ) -> AbstractContextManager[trace.Span]:
        if not trace.get_current_span(context).is_recording():
            return trace.use_span(trace.INVALID_SPAN)
        return self._tracer.start_as_current_span(name, context, *args, **kwargs)
