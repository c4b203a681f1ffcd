"""Per-request values that logs and error responses quote, carried in context variables."""

from contextvars import ContextVar

from opentelemetry import trace

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
fallback_trace_id_var: ContextVar[str | None] = ContextVar("fallback_trace_id", default=None)
# The caller's user id, once a token is verified: logs of authenticated requests carry it.
user_id_var: ContextVar[str | None] = ContextVar("user_id", default=None)
# The address the request came from, as the server saw it: the audit trail records it.
client_address_var: ContextVar[str | None] = ContextVar("client_address", default=None)


def current_trace_id() -> str | None:
    """The active trace id as 32 lowercase hex digits, as W3C Trace Context writes it.

    The OpenTelemetry span is the source of truth. The fallback covers a process running with
    `OTEL_SDK_DISABLED=true`, where no span is recording but a response must still quote an id.
    """
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        return trace.format_trace_id(context.trace_id)
    return fallback_trace_id_var.get()


def current_span_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return trace.format_span_id(context.span_id) if context.is_valid else None
