"""Tracing (OpenTelemetry SDK) and metrics (prometheus-client): how the service reports what
it does."""
