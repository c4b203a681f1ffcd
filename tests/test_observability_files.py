"""Static checks of deploy/'s observability wiring: every PromQL expression of the rules and the
dashboard names only metrics and labels the service exposes, Prometheus scrapes the API and the
workers, Grafana is provisioned with the dashboard, and the OpenTelemetry Collector takes OTLP in
and sends traces to Jaeger (SPEC section 7). The rules themselves: test_alert_rules.py.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from pairwise import PAIRWISE_CASES, PROJECT_SLUG, Case

BakedCase = Callable[[Case], Path]
DEFAULTS = PAIRWISE_CASES[0]
ANY = None  # a label whose values are open (a route, a job kind)
Labels = dict[str, frozenset[str] | None]
BUCKETS = ("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0")
HTTP_LABELS: Labels = {"method": ANY, "route": ANY}
# The service's metrics contract (SPEC section 7), as prometheus-client exposes it: sample name
# -> label -> the values it takes. The dashboard and the rules may use these and nothing else.
EXPOSITION: dict[str, Labels] = {
    "http_requests_total": {**HTTP_LABELS, "status": ANY},
    "http_request_duration_seconds_bucket": {**HTTP_LABELS, "le": frozenset({*BUCKETS, "+Inf"})},
    "http_request_duration_seconds_count": HTTP_LABELS,
    "http_request_duration_seconds_sum": HTTP_LABELS,
    "cache_operations_total": {
        "operation": frozenset({"get", "fill", "invalidate"}),
        "result": frozenset({"hit", "miss", "error", "ok"}),
    },
    "jobs_total": {"kind": ANY, "status": frozenset({"succeeded", "failed"})},
    "db_pool_size": {},
    "db_pool_connections_in_use": {},
    "db_pool_connections_overflow": {},
    "db_pool_waits_total": {},
    "outbox_pending_messages": {},
    "outbox_oldest_pending_age_seconds": {},
    "circuit_breaker_open": {"dependency": ANY},  # `redis`, or an upstream's host[:port]
    "health_check_up": {"check": ANY},  # the names of /health/ready's checks
    "http_client_requests_total": {"host": ANY, "method": ANY, "status": ANY},
    "http_client_request_duration_seconds_bucket": {"host": ANY, "method": ANY, "le": ANY},
    "http_client_request_duration_seconds_count": {"host": ANY, "method": ANY},
    "http_client_request_duration_seconds_sum": {"host": ANY, "method": ANY},
}
# What the brief for the dashboard asks to see, by the series that show it.
DASHBOARD_METRICS = {
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "cache_operations_total",
    "circuit_breaker_open",
    "outbox_pending_messages",
    "outbox_oldest_pending_age_seconds",
    "jobs_total",
    "db_pool_connections_in_use",
}
WORKER_METRICS_PORT = 9101

each_case = pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def baked_promql(project: Path) -> ModuleType:
    """The baked project's PromQL reader (its tests/promql.py): one reader for both checks."""
    name = f"promql_of_{abs(hash(project))}"
    spec = importlib.util.spec_from_file_location(name, project / "tests/promql.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@each_case
def test_every_promql_expression_names_exposed_metrics(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    problems = baked_promql(project).unknown_references(project / "deploy", EXPOSITION)

    assert problems == []


def test_the_promql_check_catches_a_misspelt_metric_and_label(
    baked_case: BakedCase, tmp_path: Path
) -> None:
    deploy = shutil.copytree(baked_case(DEFAULTS) / "deploy", tmp_path / "deploy")
    dashboard_path = deploy / f"grafana/dashboards/{PROJECT_SLUG}.json"
    dashboard = json.loads(dashboard_path.read_text())
    dashboard["panels"][0]["targets"] = [
        {"expr": 'sum by (rout) (rate(http_request_total{job="api"}[5m]))'},
        {"expr": 'sum(rate(cache_operations_total{operation="get",result="hits"}[5m]))'},
    ]
    dashboard_path.write_text(json.dumps(dashboard))

    problems = baked_promql(baked_case(DEFAULTS)).unknown_references(deploy, EXPOSITION)

    where = f"{PROJECT_SLUG}.json: panel {dashboard['panels'][0]['title']!r}"
    assert problems == [
        f"{where}: no metric http_request_total",
        f"{where}: no label rout",
        f"{where}: cache_operations_total's result is never 'hits'",
    ]


@each_case
def test_prometheus_scrapes_the_api_and_every_worker(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    config = load_yaml(project / "deploy/prometheus.yml")
    services = load_yaml(project / "deploy/docker-compose.yml")["services"]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}

    assert set(jobs) == {"api", "worker"}
    [api] = jobs["api"]["static_configs"]
    assert api["targets"] == ["api:8000"]
    [workers] = jobs["worker"]["dns_sd_configs"]
    assert workers["names"] == ["worker"]
    assert workers["port"] == WORKER_METRICS_PORT
    assert services["worker"]["environment"]["WORKER_METRICS_HOST"] == "0.0.0.0"  # noqa: S104
    # Mounted beside the configuration, so its relative rule_files resolve in the container.
    mounts = dict(volume.split(":")[:2] for volume in services["prometheus"]["volumes"])
    assert mounts["./prometheus.yml"] == "/etc/prometheus/prometheus.yml"
    assert mounts["./prometheus"] == "/etc/prometheus/prometheus"
    for rule_file in config["rule_files"]:
        assert (project / "deploy" / rule_file).is_file()


@each_case
def test_grafana_is_provisioned_with_the_dashboard(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    deploy = project / "deploy"
    grafana = load_yaml(deploy / "docker-compose.yml")["services"]["grafana"]
    mounts = {}
    for volume in grafana["volumes"]:
        source, target, mode = volume.split(":")
        assert (deploy / source).is_dir(), volume
        assert mode == "ro"
        mounts[target] = deploy / source
    provisioning = mounts["/etc/grafana/provisioning"]
    [datasource] = load_yaml(provisioning / "datasources/prometheus.yml")["datasources"]
    [provider] = load_yaml(provisioning / "dashboards/dashboards.yml")["providers"]
    dashboards = sorted(mounts[provider["options"]["path"]].glob("*.json"))

    assert grafana["image"].startswith("grafana/grafana:")
    assert grafana["ports"] == ["3000:3000"]
    assert urlsplit(datasource["url"]).netloc == "prometheus:9090"
    assert [path.name for path in dashboards] == [f"{PROJECT_SLUG}.json"]
    dashboard = json.loads(dashboards[0].read_text())
    assert dashboard["uid"] == PROJECT_SLUG
    promql = baked_promql(project)
    shown = set()
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == datasource["uid"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == datasource["uid"], panel["title"]
            shown |= {selector.metric for selector in promql.parse(target["expr"])[0]}
    assert shown >= DASHBOARD_METRICS


@each_case
def test_collector_takes_otlp_in_and_sends_traces_to_jaeger(
    case: Case, baked_case: BakedCase
) -> None:
    project = baked_case(case)
    collector = load_yaml(project / "deploy/otel-collector.yaml")
    services = load_yaml(project / "deploy/docker-compose.yml")["services"]
    protocols = collector["receivers"]["otlp"]["protocols"]
    traces = collector["service"]["pipelines"]["traces"]

    assert protocols["grpc"]["endpoint"] == "0.0.0.0:4317"
    assert protocols["http"]["endpoint"] == "0.0.0.0:4318"
    for pipeline in collector["service"]["pipelines"].values():
        for kind in ("receivers", "processors", "exporters"):
            assert set(pipeline.get(kind, [])) <= set(collector.get(kind, {})), kind
    [exporter] = traces["exporters"]
    assert collector["exporters"][exporter]["endpoint"] == "jaeger:4317"
    assert "jaeger" in services
    # The service speaks OTLP over HTTP (its exporter package) to the collector's 4318.
    for name in ("api", "worker", "beat"):
        endpoint = urlsplit(services[name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"])
        assert (endpoint.hostname, endpoint.port) == ("otel-collector", 4318)
