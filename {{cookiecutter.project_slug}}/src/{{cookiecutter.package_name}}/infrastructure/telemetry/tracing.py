"""OpenTelemetry tracing: the SDK tracer provider and the FastAPI server spans.

The SDK reads the standard variables itself (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`,
`OTEL_SDK_DISABLED`, `OTEL_EXPORTER_OTLP_*`); this module only decides what to wire.
"""

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

DEFAULT_SERVICE_NAME = "{{ cookiecutter.project_slug }}"


def configure_tracer_provider() -> trace.TracerProvider:
    """The process-wide provider, created once (OpenTelemetry allows setting it only once)."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    service_name = os.environ.get("OTEL_SERVICE_NAME", DEFAULT_SERVICE_NAME)
    resource = Resource.create({SERVICE_NAME: service_name})
    provider = TracerProvider(resource=resource)
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    ):
        # Imported only when there is somewhere to export to: the exporter and its protobuf
        # encoders take about 60 ms to import, a few percent of the service's start-up.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def request_tracer() -> trace.Tracer | None:
    """The tracer of the server spans, or None with tracing off: then the telemetry middleware
    records metrics only, and spends nothing on spans."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return None
    return configure_tracer_provider().get_tracer("{{ cookiecutter.package_name }}.api")
