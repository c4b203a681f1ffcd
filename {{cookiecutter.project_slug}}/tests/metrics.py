"""Reading the process's Prometheus counters in tests (they are global: compare before/after)."""

from prometheus_client import REGISTRY


def cache_operations(operation: str, result: str) -> float:
    labels = {"operation": operation, "result": result}
    return REGISTRY.get_sample_value("cache_operations_total", labels) or 0.0
