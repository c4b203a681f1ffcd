"""Spans go to OTLP only when an endpoint is set, over the transport the variables name."""

import pytest
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
    OTLPSpanExporter as GrpcSpanExporter,
)
from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
    OTLPSpanExporter as HttpSpanExporter,
)

from {{ cookiecutter.package_name }}.infrastructure.telemetry.span_export import (
    UnsupportedOtlpProtocolError,
    otlp_span_exporter,
)

pytestmark = pytest.mark.usefixtures("fresh_tracing")
ENDPOINT = "http://127.0.0.1:4318"


def test_without_an_endpoint_nothing_is_exported() -> None:
    assert otlp_span_exporter() is None


@pytest.mark.parametrize(
    "variable", ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
)
def test_an_endpoint_exports_over_http_protobuf_by_default(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, ENDPOINT)

    assert isinstance(otlp_span_exporter(), HttpSpanExporter)


def test_grpc_is_chosen_by_the_protocol_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")

    assert isinstance(otlp_span_exporter(), GrpcSpanExporter)


def test_the_traces_protocol_variable_wins_over_the_general_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf")

    assert isinstance(otlp_span_exporter(), HttpSpanExporter)


def test_a_protocol_without_an_exporter_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")

    with pytest.raises(UnsupportedOtlpProtocolError, match="'http/json'"):
        otlp_span_exporter()
