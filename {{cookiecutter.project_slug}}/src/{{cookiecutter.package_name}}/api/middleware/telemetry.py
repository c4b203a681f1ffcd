"""The server span and the HTTP metrics of every request, in one pass (SPEC section 7).

Written by hand, as pure ASGI, because the stock `FastAPIInstrumentor` cost about 120 µs a
request even when nothing was sampled: it looks the route up a second time to name the span,
and wraps every `send` and `receive`. Here the span is named after routing, from the route
that Starlette leaves in `scope["route"]`, and the same pass records the metrics. Attributes
are the required ones of OpenTelemetry's stable HTTP semantic conventions, no more.
"""

from collections.abc import Callable
from time import perf_counter

from opentelemetry import propagate, trace
from opentelemetry.context import attach, detach
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...shared.request_context import fallback_trace_id_var

# Records one finished request: method, route template, status code, seconds, trace id (or
# None). The composition root passes the Prometheus one (infrastructure/telemetry/metrics.py).
RecordRequest = Callable[[str, str, int, float, str | None], None]

# The route label of a request no route matched (a 404, say): one value, never the raw path,
# so that scanners probing random paths cannot grow the metrics without bound.
UNMATCHED_ROUTE = "unmatched"
_TRACE_CONTEXT_HEADERS = frozenset({b"traceparent", b"tracestate"})
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class TelemetryMiddleware:
    """`tracer` is None when tracing is off (`OTEL_SDK_DISABLED`): then only metrics."""

    def __init__(
        self, app: ASGIApp, *, tracer: trace.Tracer | None, record_request: RecordRequest
    ) -> None:
        self.app = app
        self.tracer = tracer
        self.record_request = record_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        method = scope["method"] if scope["method"] in _KNOWN_METHODS else "_OTHER"
        span = self._start_span(scope, method)
        status_code = 500  # unless a response starts: an exception that escapes is a 500

        async def send_recording_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        # The span is current while the app runs: its children (SQL, cache, the outbox row's
        # trace context) and the request's log lines belong to it.
        token = None if span is trace.INVALID_SPAN else attach(trace.set_span_in_context(span))
        try:
            await self.app(scope, receive, send_recording_status)
        except Exception as error:
            span.record_exception(error)
            raise
        finally:
            if token is not None:
                detach(token)
            route = _route_template(scope)
            trace_id = _finish_span(span, method, route, status_code)
            self.record_request(
                method, route or UNMATCHED_ROUTE, status_code, perf_counter() - started, trace_id
            )

    def _start_span(self, scope: Scope, method: str) -> trace.Span:
        if self.tracer is None:
            return trace.INVALID_SPAN
        # The caller's W3C trace context, if any: this request's span continues its trace.
        carrier = {
            key.decode("latin-1"): value.decode("latin-1")
            for key, value in scope["headers"]
            if key in _TRACE_CONTEXT_HEADERS
        }
        parent = propagate.extract(carrier) if carrier else None
        span = self.tracer.start_span(
            method,  # renamed once the route is known
            context=parent,
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": scope["path"],
                "url.scheme": scope.get("scheme", "http"),
            },
        )
        context = span.get_span_context()
        if context.is_valid:
            # Logs and problem bodies quote this id, also after the span has ended (the 500
            # handler runs outside it): the span's id replaces the request's fallback id.
            fallback_trace_id_var.set(trace.format_trace_id(context.trace_id))
        return span


def _route_template(scope: Scope) -> str | None:
    route = scope.get("route")
    return getattr(route, "path_format", None) if route is not None else None


def _finish_span(span: trace.Span, method: str, route: str | None, status_code: int) -> str | None:
    """Ends the span; returns its trace id if it was recorded (the latency's exemplar)."""
    if not span.is_recording():
        return None
    attributes: dict[str, str | int] = {"http.response.status_code": status_code}
    if route is not None:
        span.update_name(f"{method} {route}")
        attributes["http.route"] = route
    if status_code >= 500:
        # Server spans mark only 5xx as errors: a 4xx is the client's mistake (semconv).
        attributes["error.type"] = str(status_code)
        span.set_status(Status(StatusCode.ERROR))
    span.set_attributes(attributes)
    span.end()
    return trace.format_trace_id(span.get_span_context().trace_id)
