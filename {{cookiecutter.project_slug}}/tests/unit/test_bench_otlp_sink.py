"""The benchmark's OTLP sink (bench/otlp_sink.py) accepts what the service's exporter sends and
counts the spans in it: the benchmark's proof that traced scenarios exported their spans."""

import http.client
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

from bench.otlp_sink import OtlpSink, SpanCounter


@pytest.fixture
def sink() -> Iterator[OtlpSink]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SpanCounter)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    yield OtlpSink(server.server_address[1])
    server.shutdown()
    server.server_close()


def post(sink: OtlpSink, path: str, body: bytes) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", sink.port, timeout=5)
    try:
        headers = {"Content-Type": "application/x-protobuf"}
        connection.request("POST", path, body, headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def spans(*counts: int) -> bytes:
    """An export request: one scope per count, with that many spans."""
    scopes = [ScopeSpans(spans=[Span(name="GET /") for _ in range(count)]) for count in counts]
    request = ExportTraceServiceRequest(resource_spans=[ResourceSpans(scope_spans=scopes)])
    body: bytes = request.SerializeToString()
    return body


def test_an_export_is_accepted_and_its_spans_counted(sink: OtlpSink) -> None:
    before = sink.spans_received()

    status, body = post(sink, "/v1/traces", spans(2, 3))

    assert status == 200
    assert not ExportTraceServiceResponse.FromString(body).HasField("partial_success")
    assert sink.spans_received() - before == 5


def test_a_post_elsewhere_is_not_counted(sink: OtlpSink) -> None:
    before = sink.spans_received()

    status, _ = post(sink, "/v1/metrics", spans(4))

    assert status == 404
    assert sink.spans_received() == before
