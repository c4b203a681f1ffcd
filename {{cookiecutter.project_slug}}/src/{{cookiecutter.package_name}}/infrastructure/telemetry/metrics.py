"""Prometheus metrics of the service (prometheus-client), defined once per process.

Names and labels are part of the service's contract (SPEC section 7): dashboards and alerts
depend on them, so a label is renamed only together with those.
"""

from enum import StrEnum
from functools import cache

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter(
    "http_requests",  # exported as http_requests_total
    "HTTP requests by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from the request's arrival to its last response byte, by method and route template.",
    ["method", "route"],
    # Around the read routes' latency objective (docs/operations.md): fine below 100 ms.
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_http_request(
    method: str, route: str, status_code: int, seconds: float, trace_id: str | None
) -> None:
    """One finished request. `route` is the template (`/api/v1/users/{user_id}`), never the
    raw path: a label per id would grow without bound. `trace_id` becomes the latency
    observation's exemplar where the exposition supports exemplars."""
    _http_requests(method, route, status_code).inc()
    duration = _http_request_duration(method, route)
    duration.observe(seconds, {"trace_id": trace_id} if trace_id else None)


@cache  # the label lookup, once per (method, route, status): it runs on every request
def _http_requests(method: str, route: str, status_code: int) -> Counter:
    return HTTP_REQUESTS.labels(method, route, str(status_code))


@cache
def _http_request_duration(method: str, route: str) -> Histogram:
    return HTTP_REQUEST_DURATION.labels(method, route)


class CacheResult(StrEnum):
    HIT = "hit"
    MISS = "miss"
    ERROR = "error"  # the cache could not answer (down, slow, circuit open): the database did
    OK = "ok"  # a fill or an invalidation that reached the cache


CACHE_OPERATIONS = Counter(
    "cache_operations",  # exported as cache_operations_total
    "Cache operations by kind (get, fill, invalidate) and result (hit, miss, error, ok).",
    ["operation", "result"],
)


def count_cache_operation(operation: str, result: CacheResult) -> None:
    _cache_operations(operation, result).inc()


@cache  # one child per label pair, looked up once: this runs several times per request
def _cache_operations(operation: str, result: CacheResult) -> Counter:
    return CACHE_OPERATIONS.labels(operation, result.value)


JOBS = Counter(
    "jobs",  # exported as jobs_total
    "Jobs that reached a final state, by kind and status (succeeded, failed).",
    ["kind", "status"],
)


def count_job(kind: str, status: str) -> None:
    JOBS.labels(kind, status).inc()
