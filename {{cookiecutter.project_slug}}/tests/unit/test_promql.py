"""The PromQL reader (tests/promql.py) that the dashboard and alert checks rely on: what it takes
for a metric or a label, and what it reports missing."""

import json
from pathlib import Path

import yaml

from ..promql import Catalog, Selector, parse, unknown_references

EXPOSITION: Catalog = {
    "http_requests_total": {"route": None, "status": frozenset({"200", "500"})},
}


def test_selectors_are_found_inside_functions_and_aggregations() -> None:
    selectors, grouping = parse(
        "histogram_quantile(0.99, sum by (route, le) "
        '(rate(latency_bucket{job="api",route=~"/api/.*"}[$__rate_interval])))'
    )

    assert selectors == [
        Selector("latency_bucket", (("job", "=", "api"), ("route", "=~", "/api/.*")))
    ]
    assert grouping == {"route", "le"}


def test_keywords_numbers_durations_and_functions_are_not_metrics() -> None:
    selectors, grouping = parse(
        "sum(rate(a_total[5m] offset 1h)) without (instance) / on (job) group_left (kind) b"
        ' > bool 14.4 * 0.001 and absent(up{job="worker"} == 1)'
    )

    assert [selector.metric for selector in selectors] == ["a_total", "b", "up"]
    assert grouping == {"instance", "job", "kind"}


def test_braces_and_commas_inside_a_label_value_stay_in_the_value() -> None:
    selectors, _ = parse('requests_total{route="/items/{item_id}",status!="2,0"}')

    assert selectors == [
        Selector("requests_total", (("route", "=", "/items/{item_id}"), ("status", "!=", "2,0")))
    ]


def test_a_metric_named_by_a_matcher_is_found() -> None:
    selectors, _ = parse('{__name__="jobs_total",kind="report"}')

    assert selectors == [Selector("jobs_total", (("kind", "=", "report"),))]


def write_deploy(root: Path, record: str, panels: list[dict[str, object]]) -> Path:
    """A deploy/ directory with one recording rule, an alert reading it, and a dashboard."""
    deploy = root / "deploy"
    (deploy / "prometheus").mkdir(parents=True)
    (deploy / "grafana/dashboards").mkdir(parents=True)
    config = {"rule_files": ["prometheus/rules.yml"], "scrape_configs": [{"job_name": "api"}]}
    (deploy / "prometheus.yml").write_text(yaml.safe_dump(config))
    rules = [
        {"record": "errors:ratio_rate5m", "expr": record},
        {"alert": "Errors", "expr": "errors:ratio_rate5m > 0.001"},
        {"alert": "ApiDown", "expr": 'absent(up{job="api"} == 1)'},
    ]
    (deploy / "prometheus/rules.yml").write_text(
        yaml.safe_dump({"groups": [{"name": "slo", "rules": rules}]})
    )
    dashboard = {"panels": panels}
    (deploy / "grafana/dashboards/service.json").write_text(json.dumps(dashboard))
    return deploy


def panel(title: str, expr: str) -> dict[str, object]:
    return {"title": title, "targets": [{"expr": expr}]}


def test_queries_of_exposed_metrics_recorded_rules_and_up_pass(tmp_path: Path) -> None:
    deploy = write_deploy(
        tmp_path,
        'sum(rate(http_requests_total{status="500"}[5m])) / sum(rate(http_requests_total[5m]))',
        [
            panel("Errors", "errors:ratio_rate5m"),
            # A collapsed row holds its panels inside it.
            {"title": "Row", "panels": [panel("Routes", "sum by (route) (http_requests_total)")]},
        ],
    )

    assert unknown_references(deploy, EXPOSITION) == []


def test_unknown_metrics_labels_and_values_are_each_reported(tmp_path: Path) -> None:
    deploy = write_deploy(
        tmp_path,
        'sum(rate(http_requests_total{code="500"}[5m]))',
        [
            panel("Typo", "sum by (path) (http_request_total)"),
            panel("Values", 'http_requests_total{status="503"} + on (job) up{job="worker"}'),
        ],
    )

    assert unknown_references(deploy, EXPOSITION) == [
        "rule errors:ratio_rate5m: http_requests_total has no label code",
        "service.json: panel 'Typo': no metric http_request_total",
        "service.json: panel 'Typo': no label path",
        "service.json: panel 'Values': http_requests_total's status is never '503'",
        "service.json: panel 'Values': up's job is never 'worker'",
    ]
