"""OpenTelemetry tracing: the process's tracer provider, set once, and its flush at the end.

The SDK reads the standard variables itself: the sampler (`OTEL_TRACES_SAMPLER`,
`OTEL_TRACES_SAMPLER_ARG`), the batch processor's bounds (`OTEL_BSP_*`), the exporter's endpoint,
headers and timeout (`OTEL_EXPORTER_OTLP_*`). This module adds what the service knows (its name,
version and environment) and decides whether to trace at all (`OTEL_SDK_DISABLED`).

Nothing here runs at import: the API sets tracing up in `create_app`, the worker in each of its
processes once forked (worker_tracing.py), since an exporter's thread and connections must not
be shared across a fork.
"""

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import (
    DEPLOYMENT_ENVIRONMENT,
    SERVICE_NAME,
    SERVICE_VERSION,
    OTELResourceDetector,
    Resource,
)
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from .span_export import otlp_span_exporter

DEFAULT_SERVICE_NAME = "{{ cookiecutter.project_slug }}"
# The current semantic conventions' name; most backends still key on the older one above.
DEPLOYMENT_ENVIRONMENT_NAME = "deployment.environment.name"

_provider: TracerProvider | None = None  # this process's, once `configure_tracing` made it


def tracing_enabled() -> bool:
    """False when `OTEL_SDK_DISABLED=true`: then nothing is set up or instrumented at all,
    since even spans that record nothing cost every request and every statement."""
    return os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() != "true"


def configure_tracing(service_version: str, environment: str) -> None:
    """Sets this process's global tracer provider; a second call does nothing.

    Spans are exported over OTLP when an endpoint is configured (span_export.py) and kept
    nowhere otherwise: trace ids still reach the logs and problem responses. Finished spans
    wait in a bounded queue (`OTEL_BSP_MAX_QUEUE_SIZE`, 2048 by default) and are dropped, not
    buffered without end, when the collector cannot keep up.
    """
    global _provider
    if _provider is not None or not tracing_enabled():
        return
    # No sampler given: the SDK reads OTEL_TRACES_SAMPLER(_ARG), parentbased_always_on by default.
    provider = TracerProvider(resource=service_resource(service_version, environment))
    exporter = otlp_span_exporter()
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _provider = provider


def flush_tracing() -> None:
    """Exports the spans still queued (the API's shutdown): the provider stays usable."""
    if _provider is not None:
        _provider.force_flush()


def shutdown_tracing() -> None:
    """Exports the spans still queued and stops the exporter; safe when tracing is off, and
    when called twice. For a process that ends without running `atexit` handlers, as a Celery
    pool process does: the SDK's own shutdown at exit would never run there."""
    if _provider is not None:
        _provider.shutdown()  # drains the queue first, within the processor's timeout


def service_resource(service_version: str, environment: str) -> Resource:
    """Who emits the spans: the service's own defaults, overridden by `OTEL_SERVICE_NAME` and
    `OTEL_RESOURCE_ATTRIBUTES` when they are set."""
    defaults = Resource.create(
        {
            SERVICE_NAME: DEFAULT_SERVICE_NAME,
            SERVICE_VERSION: service_version,
            DEPLOYMENT_ENVIRONMENT_NAME: environment,
            DEPLOYMENT_ENVIRONMENT: environment,
        }
    )
    # `Resource.create` lets its arguments win over the variables; an operator's variables must
    # win over the service's defaults instead, so they are merged again, on top.
    return defaults.merge(OTELResourceDetector().detect())


def request_tracer() -> trace.Tracer | None:
    """The tracer of the API's server spans, or None with tracing off: then the telemetry
    middleware records metrics only and spends nothing on spans."""
    return None if _provider is None else _provider.get_tracer("{{ cookiecutter.package_name }}.api")
