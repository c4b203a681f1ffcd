"""A local OTLP/HTTP trace receiver that keeps nothing but a count, so that the traced
scenarios pay for exporting their spans, as a deployment does, without a collector to install.

The harness starts it as a process of its own on the load generator's core (`otlp_sink()`);
the service exports to it (`POST /v1/traces`, protobuf), and `GET /spans` says how many spans
it has received so far: a traced scenario that exported nothing measured the wrong thing.

    python -m bench.otlp_sink PORT
"""

import gzip
import http.client
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from bench.service import BIN, PORT, PROJECT
from bench.wrk import LOAD_CORE

SINK_PORT = PORT + 2  # beside the fresh servers' port and the kept process's
TRACES_PATH = "/v1/traces"
COUNT_PATH = "/spans"
READY_WITHIN_SECONDS = 10
# An empty ExportTraceServiceResponse: every span accepted, none rejected.
ACCEPTED = ExportTraceServiceResponse().SerializeToString()


@dataclass(frozen=True)
class OtlpSink:
    port: int

    @property
    def endpoint(self) -> str:
        """What OTEL_EXPORTER_OTLP_ENDPOINT names: the exporter appends /v1/traces itself."""
        return f"http://127.0.0.1:{self.port}"

    def spans_received(self) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", COUNT_PATH)
            return int(connection.getresponse().read())
        finally:
            connection.close()


@contextmanager
def otlp_sink(port: int = SINK_PORT) -> Iterator[OtlpSink]:
    """The sink, running for the `with` block; stopped (and its count gone) afterwards."""
    command = ["taskset", "-c", str(LOAD_CORE), str(BIN / "python"), "-m", "bench.otlp_sink"]
    process = subprocess.Popen([*command, str(port)], cwd=PROJECT)
    sink = OtlpSink(port)
    try:
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        while True:
            try:
                sink.spans_received()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the OTLP sink did not start on port {port}") from None
                time.sleep(0.05)
        yield sink
    finally:
        process.terminate()
        process.wait()


class SpanCounter(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the exporter reuses its connection
    # One process, one server: the count lives on the class, a thread per connection adds to it.
    spans = 0
    counting = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != TRACES_PATH:
            self._answer(404, b"", "text/plain")
            return
        if self.headers.get("Content-Encoding") == "gzip":  # OTEL_EXPORTER_OTLP_COMPRESSION
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest.FromString(body)
        received = sum(
            len(scope.spans)
            for resource in request.resource_spans
            for scope in resource.scope_spans
        )
        with SpanCounter.counting:
            SpanCounter.spans += received
        self._answer(200, ACCEPTED, "application/x-protobuf")

    def do_GET(self) -> None:
        if self.path != COUNT_PATH:
            self._answer(404, b"", "text/plain")
            return
        self._answer(200, str(SpanCounter.spans).encode(), "text/plain")

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: a line per export would fill the benchmark's output."""


def main(port: int) -> None:
    # A thread per connection: the kept process and a fresh one may both hold one open.
    ThreadingHTTPServer(("127.0.0.1", port), SpanCounter).serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
