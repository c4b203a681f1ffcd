"""Tracing set-up: one provider per process, the standard `OTEL_*` variables honoured, nothing
at all with `OTEL_SDK_DISABLED=true`, and queued spans exported when the process shuts down."""

import pytest
from opentelemetry import context, propagate, trace
from opentelemetry.sdk.trace import TracerProvider

from {{ cookiecutter.package_name }}.infrastructure.telemetry.tracing import (
    DEFAULT_SERVICE_NAME,
    configure_tracing,
    flush_tracing,
    shutdown_tracing,
    tracing_enabled,
)

from ..otlp_receiver import otlp_receiver

pytestmark = pytest.mark.usefixtures("fresh_tracing")
UNSAMPLED_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"


def sdk_provider() -> TracerProvider:
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    return provider


def test_configuring_twice_sets_one_provider() -> None:
    configure_tracing("1.2.3", "test")
    first = sdk_provider()

    configure_tracing("1.2.3", "test")

    assert sdk_provider() is first


def test_spans_are_recorded_once_configured_even_with_nowhere_to_export_them() -> None:
    configure_tracing("1.2.3", "test")

    with trace.get_tracer("test").start_as_current_span("work") as span:
        assert span.is_recording()
        assert span.get_span_context().trace_id != 0


def test_disabled_sdk_sets_up_nothing_and_records_no_span(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_SDK_DISABLED", "TRUE")

    configure_tracing("1.2.3", "test")

    assert not tracing_enabled()
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)
    with trace.get_tracer("test").start_as_current_span("work") as span:
        assert not span.is_recording()
    shutdown_tracing()  # safe when there is nothing to shut down
    flush_tracing()


def test_the_resource_names_the_service_its_version_and_environment() -> None:
    configure_tracing("1.2.3", "production")

    attributes = sdk_provider().resource.attributes
    assert attributes["service.name"] == DEFAULT_SERVICE_NAME
    assert attributes["service.version"] == "1.2.3"
    assert attributes["deployment.environment.name"] == "production"
    assert attributes["deployment.environment"] == "production"


def test_the_standard_variables_override_the_services_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_SERVICE_NAME", "orders")
    monkeypatch.setenv(
        "OTEL_RESOURCE_ATTRIBUTES",
        "service.name=ignored,deployment.environment.name=staging,team=payments",
    )

    configure_tracing("1.2.3", "production")

    attributes = sdk_provider().resource.attributes
    # OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (the specification).
    assert attributes["service.name"] == "orders"
    assert attributes["deployment.environment.name"] == "staging"
    assert attributes["team"] == "payments"


def test_the_sampler_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "traceidratio")
    monkeypatch.setenv("OTEL_TRACES_SAMPLER_ARG", "0")

    configure_tracing("1.2.3", "test")

    assert "TraceIdRatioBased{0.0}" in sdk_provider().sampler.get_description()
    with trace.get_tracer("test").start_as_current_span("work") as span:
        assert not span.is_recording()


def test_by_default_an_unsampled_caller_makes_an_unsampled_trace() -> None:
    configure_tracing("1.2.3", "test")  # parentbased_always_on, the SDK's default
    token = context.attach(propagate.extract({"traceparent": UNSAMPLED_PARENT}))
    try:
        with trace.get_tracer("test").start_as_current_span("work") as span:
            assert not span.is_recording()
    finally:
        context.detach(token)


def test_shutting_down_exports_the_spans_still_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    with otlp_receiver() as receiver:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "600000")  # no scheduled export in the test
        configure_tracing("1.2.3", "test")
        with trace.get_tracer("test").start_as_current_span("last words"):
            pass

        shutdown_tracing()

        [span] = receiver.spans()
    assert (span.name, span.resource["service.version"]) == ("last words", "1.2.3")


def test_flushing_exports_the_spans_queued_so_far(monkeypatch: pytest.MonkeyPatch) -> None:
    with otlp_receiver() as receiver:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint)
        monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "600000")
        configure_tracing("1.2.3", "test")
        with trace.get_tracer("test").start_as_current_span("first"):
            pass

        flush_tracing()
        with trace.get_tracer("test").start_as_current_span("second"):
            pass
        flush_tracing()  # the provider still works after a flush

        assert [span.name for span in receiver.spans()] == ["first", "second"]
