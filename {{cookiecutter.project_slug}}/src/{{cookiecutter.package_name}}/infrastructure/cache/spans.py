"""The cache's spans: made only inside a recorded trace, and never made current.

Outside a recorded trace (tracing off, or this request not sampled) a child span would be
dropped anyway: skipping it spares the hottest path of the service the cost of making one.

Inside one, the span is a child of the request's span but does not become the current span
itself: nothing a cache call runs makes spans of its own, so switching the context to it and
back (what `start_as_current_span` adds) would buy nothing on every cached read. The SDK's span
is its own context manager: leaving the `with` ends it, and an exception records itself on it.
"""

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext

from opentelemetry import trace
from opentelemetry.util.types import AttributeValue

tracer = trace.get_tracer(__name__)
NOT_TRACED = nullcontext(trace.INVALID_SPAN)


def cache_span(
    name: str, attributes: Mapping[str, AttributeValue]
) -> AbstractContextManager[trace.Span]:
    if not trace.get_current_span().is_recording():
        return NOT_TRACED
    return tracer.start_span(name, kind=trace.SpanKind.CLIENT, attributes=attributes)
