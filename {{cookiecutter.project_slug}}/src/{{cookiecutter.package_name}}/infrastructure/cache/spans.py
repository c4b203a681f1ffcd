"""The cache's spans: made only inside a recorded trace.

Outside one (tracing off, or this request not sampled) a child span would be dropped anyway:
skipping it spares the hottest path of the service the cost of making one.
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
    return tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT, attributes=attributes)
