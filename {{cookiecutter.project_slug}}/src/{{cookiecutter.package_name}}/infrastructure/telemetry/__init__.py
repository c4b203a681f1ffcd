"""Tracing (OpenTelemetry SDK) and, later, metrics: how the service reports what it does."""
