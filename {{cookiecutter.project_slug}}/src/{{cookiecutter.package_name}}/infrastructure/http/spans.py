"""A CLIENT span per outbound try, with OpenTelemetry's stable HTTP client attributes, and the
W3C `traceparent` of that span on the request: the upstream's spans join our trace."""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

tracer = trace.get_tracer(__name__)


@contextmanager
def client_span(request: httpx.Request, resend_count: int) -> Iterator[trace.Span]:
    """The span of one try; `resend_count` says which (0 for the first, as the semconv counts)."""
    url = request.url
    attributes: dict[str, str | int] = {
        "http.request.method": request.method,
        "server.address": url.host,
        "server.port": url.port or (443 if url.scheme == "https" else 80),
        # Without the query and any user:password (netloc has none): either may hold a secret.
        "url.full": f"{url.scheme}://{url.netloc.decode('ascii')}{url.path}",
    }
    if resend_count:
        attributes["http.request.resend_count"] = resend_count
    with tracer.start_as_current_span(
        request.method, kind=SpanKind.CLIENT, attributes=attributes, record_exception=False
    ) as span:
        propagate.inject(request.headers)  # the context of this span, now current
        yield span


def record_response(span: trace.Span, response: httpx.Response) -> None:
    span.set_attribute("http.response.status_code", response.status_code)
    if response.status_code >= 400:  # for a CLIENT span, 4xx is an error too (semconv)
        span.set_attribute("error.type", str(response.status_code))
        span.set_status(Status(StatusCode.ERROR))


def record_failure(span: trace.Span, error_type: str) -> None:
    span.set_attribute("error.type", error_type)
    span.set_status(Status(StatusCode.ERROR))
