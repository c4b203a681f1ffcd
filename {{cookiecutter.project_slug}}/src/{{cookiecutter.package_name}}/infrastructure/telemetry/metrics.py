"""Prometheus metrics of the service (prometheus-client), defined once per process.

Names and labels are part of the service's contract (SPEC section 7): dashboards and alerts
depend on them, so a label is renamed only together with those.
"""

from enum import StrEnum
from functools import cache

from prometheus_client import Counter


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
