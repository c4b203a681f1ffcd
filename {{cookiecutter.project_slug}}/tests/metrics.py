"""Reading Prometheus metrics in tests: this process's registry (values are global: compare
before and after), and a scraped page (what Prometheus would read)."""

from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families


def cache_operations(operation: str, result: str) -> float:
    labels = {"operation": operation, "result": result}
    return REGISTRY.get_sample_value("cache_operations_total", labels) or 0.0


def current(name: str, **labels: str) -> float | None:
    """A sample of this process's registry; `None` when it has no such series."""
    return REGISTRY.get_sample_value(name, labels)


def scraped(page: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text page, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


def total(page: str, name: str, **labels: str) -> float:
    """The sum of `name`'s samples on the page whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(
        value
        for (sample, sample_labels), value in scraped(page).items()
        if sample == name and wanted <= sample_labels
    )
