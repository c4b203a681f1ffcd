"""Where finished spans go: to an OTLP collector when an endpoint is configured, else nowhere.

The exporters read their endpoint, headers, timeout and TLS settings from the standard
`OTEL_EXPORTER_OTLP_*` variables themselves; the SDK leaves the choice of transport to the
application, which is all this module decides.
"""

import os

from opentelemetry.sdk.trace.export import SpanExporter

HTTP_PROTOBUF = "http/protobuf"  # the specification's default
GRPC = "grpc"


class UnsupportedOtlpProtocolError(ValueError):
    """`OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL` names a transport this service cannot export over."""


def otlp_span_exporter() -> SpanExporter | None:
    """The exporter the variables ask for, or None when no OTLP endpoint is set."""
    endpoint = _variable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
    if endpoint is None:
        return None
    protocol = otlp_protocol()
    # Imported only when used: an exporter and its protobuf encoders take tens of milliseconds
    # to import (docs/benchmarks.md, start-up), and gRPC's much more.
    if protocol == GRPC:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
            OTLPSpanExporter as GrpcSpanExporter,
        )

        return GrpcSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
        OTLPSpanExporter as HttpSpanExporter,
    )

    return HttpSpanExporter()


def otlp_protocol() -> str:
    """The transport asked for, the traces-only variable first; http/protobuf by default."""
    protocol = _variable("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL")
    protocol = (protocol or HTTP_PROTOBUF).lower()
    if protocol not in (HTTP_PROTOBUF, GRPC):
        # http/json is in the specification, but the Python SDK has no exporter for it.
        raise UnsupportedOtlpProtocolError(
            f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r}: spans are exported over "
            f"{HTTP_PROTOBUF} or {GRPC}"
        )
    return protocol


def _variable(*names: str) -> str | None:
    """The first of these variables that is set and not blank."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None
