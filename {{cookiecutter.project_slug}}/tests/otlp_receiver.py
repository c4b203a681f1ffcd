"""A small OTLP/HTTP receiver for tests: the collector that a service under test exports to.

Point a process at it with `OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint`; it decodes each
`ExportTraceServiceRequest` (opentelemetry-proto) and keeps the spans, for a test to wait for.
"""

import gzip
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span

WAIT_SECONDS = 20.0  # a correctness bound (the spans must arrive), not a benchmark


@dataclass(frozen=True, slots=True)
class ReceivedSpan:
    name: str
    trace_id: str  # 32 lowercase hex digits, as W3C Trace Context writes it
    span_id: str
    parent_span_id: str  # "" for a root span
    kind: str  # "CONSUMER", "SERVER", "CLIENT", ...
    attributes: dict[str, Any]
    resource: dict[str, Any]  # the exporting process: service.name, service.version, ...


class OtlpReceiver:
    def __init__(self) -> None:
        self._spans: list[ReceivedSpan] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            # Polls for shutdown() every 10 ms, not the default 0.5 s that each stop would wait.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
        )

    @property
    def endpoint(self) -> str:
        """The base URL: the HTTP exporter appends `/v1/traces` itself."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def spans(self) -> list[ReceivedSpan]:
        with self._lock:
            return list(self._spans)

    def wait_for(
        self, wanted: Callable[[ReceivedSpan], bool], seconds: float = WAIT_SECONDS
    ) -> list[ReceivedSpan]:
        """The spans received so far, once at least one is `wanted` (or an AssertionError)."""
        deadline = time.monotonic() + seconds
        while not any(wanted(span) for span in self.spans()):
            if time.monotonic() > deadline:
                names = sorted({span.name for span in self.spans()})
                raise AssertionError(f"no such span within {seconds:g}s; received: {names}")
            time.sleep(0.05)
        return self.spans()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _receive(self, request: ExportTraceServiceRequest) -> None:
        received = [
            _received_span(span, _attributes(resource_spans.resource.attributes))
            for resource_spans in request.resource_spans
            for scope_spans in resource_spans.scope_spans
            for span in scope_spans.spans
        ]
        with self._lock:
            self._spans.extend(received)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class ExportHandler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                receiver._receive(ExportTraceServiceRequest.FromString(body))
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: a line per export would clutter the test output."""

        return ExportHandler


@contextmanager
def otlp_receiver() -> Iterator[OtlpReceiver]:
    receiver = OtlpReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()


def _received_span(span: Span, resource: dict[str, Any]) -> ReceivedSpan:
    return ReceivedSpan(
        name=span.name,
        trace_id=span.trace_id.hex(),
        span_id=span.span_id.hex(),
        parent_span_id=span.parent_span_id.hex(),
        kind=Span.SpanKind.Name(span.kind).removeprefix("SPAN_KIND_"),
        attributes=_attributes(span.attributes),
        resource=resource,
    )


def _attributes(pairs: Iterable[KeyValue]) -> dict[str, Any]:
    return {pair.key: _value(pair.value) for pair in pairs}


def _value(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_value(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return _attributes(value.kvlist_value.values)
    return getattr(value, kind) if kind else None
