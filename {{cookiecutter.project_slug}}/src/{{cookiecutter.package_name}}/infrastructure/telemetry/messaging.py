"""Trace context across the outbox: from the request that wrote a message, through the relay's
publish, to the worker that runs it (SPEC section 7).

The request's `traceparent` is saved with the outbox row (database/outbox.py), because the
relay publishes later, from another task or process, where the request's span is long gone.
The publish span continues that saved trace; the message then carries the publish span's own
context, so the worker's span is its child.
"""

from contextlib import AbstractContextManager
from typing import Protocol
from uuid import UUID

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

tracer = trace.get_tracer(__name__)


class RelayedMessage(Protocol):
    @property
    def id(self) -> UUID: ...
    @property
    def topic(self) -> str: ...
    @property
    def headers(self) -> dict[str, str]: ...


def publish_span(message: RelayedMessage) -> AbstractContextManager[trace.Span]:
    """A PRODUCER span for one message, in the trace of the request that wrote it."""
    return tracer.start_as_current_span(
        f"publish {message.topic}",
        context=propagate.extract(message.headers),
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "celery",
            "messaging.operation.type": "send",
            "messaging.destination.name": message.topic,
            "messaging.message.id": str(message.id),
        },
    )


def trace_headers() -> dict[str, str]:
    """The current trace context as message headers (`traceparent`, `tracestate`)."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers
