"""Prometheus metrics of the service (prometheus-client), defined once per process.

Names and labels are part of the service's contract (SPEC section 7): dashboards and alerts
depend on them, so a label is renamed only together with those. What each one means, and how
several processes add up: docs/observability.md, "Metrics".

Under `serve --workers N` and the prefork worker, prometheus-client keeps every value in a file
per process (multiprocess mode, metrics_directory.py); a gauge's `multiprocess_mode` says how the
processes' values combine into one.
"""

from enum import StrEnum
from functools import cache

from prometheus_client import Counter, Gauge, Histogram

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


# The database pool of each process, summed over the live processes: connections the service
# holds. Sampled, not counted per checkout (pool_metrics.py): nothing is added to a request.
DB_POOL_SIZE = Gauge(
    "db_pool_size", "Connections the pools keep open when idle.", multiprocess_mode="livesum"
)
DB_POOL_CONNECTIONS_IN_USE = Gauge(
    "db_pool_connections_in_use",
    "Connections checked out of the pools.",
    multiprocess_mode="livesum",
)
DB_POOL_CONNECTIONS_OVERFLOW = Gauge(
    "db_pool_connections_overflow",
    "Connections open beyond the pools' size (DATABASE_MAX_OVERFLOW).",
    multiprocess_mode="livesum",
)
DB_POOL_WAITS = Counter(
    "db_pool_waits",  # exported as db_pool_waits_total
    "Checkouts that found no idle connection and no room to open one, so waited for a return.",
)

CIRCUIT_BREAKER_OPEN = Gauge(
    "circuit_breaker_open",
    "1 while the dependency's circuit breaker is open (or half-open), 0 while closed.",
    ["dependency"],
    multiprocess_mode="livemax",  # open in any live process is open
)
HEALTH_CHECK_UP = Gauge(
    "health_check_up",
    "1 if the readiness check passed (or warned) the last time /health/ready ran it, else 0.",
    ["check"],
    multiprocess_mode="livemostrecent",  # one dependency: whichever process looked last
)


def set_circuit_breaker_open(dependency: str, is_open: bool) -> None:
    CIRCUIT_BREAKER_OPEN.labels(dependency).set(1 if is_open else 0)


def set_health_check_up(check: str, is_up: bool) -> None:
    HEALTH_CHECK_UP.labels(check).set(1 if is_up else 0)


# Calls to other services (infrastructure/http/), one observation per try. `host` is the
# upstream's host[:port], a handful per deployment; `status` is the response's code, or
# `timeout`, `error` (no answer) or `circuit_open` (not sent: the host's breaker is open).
HTTP_CLIENT_REQUESTS = Counter(
    "http_client_requests",  # exported as http_client_requests_total
    "Outbound HTTP requests by upstream host, method and status (or failure).",
    ["host", "method", "status"],
)
HTTP_CLIENT_REQUEST_DURATION = Histogram(
    "http_client_request_duration_seconds",
    "Time from sending an outbound request to its response's headers, by host and method.",
    ["host", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def observe_http_client_request(host: str, method: str, status: str, seconds: float) -> None:
    HTTP_CLIENT_REQUESTS.labels(host, method, status).inc()
    if status != "circuit_open":  # nothing was sent: no latency to speak of
        HTTP_CLIENT_REQUEST_DURATION.labels(host, method).observe(seconds)
