"""Static checks of deploy/'s observability: Prometheus's configuration and alert rules (with
promtool), the Grafana provisioning and dashboard, the OpenTelemetry Collector, and that every
PromQL expression names only metrics and labels the service exposes (SPEC section 7).

promtool must be installed (`scripts/ensure-promtool.sh`, which `make test` runs): without it
these tests fail, they never skip.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
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
    "circuit_breaker_open": {"dependency": frozenset({"redis"})},
    "health_check_up": {"check": ANY},  # the names of /health/ready's checks
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
ALERT_TESTS = ("deploy/prometheus/alerts.test.yml", "deploy/prometheus/slow-burn.test.yml")
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


def promtool(project: Path, *arguments: str) -> None:
    executable = shutil.which("promtool")
    assert executable, "promtool is not installed: run scripts/ensure-promtool.sh (as root)"
    checked = subprocess.run(
        [executable, *arguments], cwd=project, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def alerts(project: Path) -> list[dict[str, Any]]:
    groups = load_yaml(project / "deploy/prometheus/alerts.yml")["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a document's headings: lower case, punctuation dropped."""
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", heading).strip().lower().replace(" ", "-") for heading in headings
    }


@each_case
def test_promtool_accepts_the_configuration_and_its_rules(
    case: Case, baked_case: BakedCase
) -> None:
    project = baked_case(case)

    promtool(project, "check", "config", "deploy/prometheus.yml")  # and the rule files it names
    promtool(project, "check", "rules", "deploy/prometheus/recording-rules.yml")
    promtool(project, "check", "rules", "deploy/prometheus/alerts.yml")


def test_promtool_unit_tests_of_the_alerts_pass(baked_case: BakedCase) -> None:
    # The rule files are the same whatever the answers: the defaults stand for every case.
    promtool(baked_case(DEFAULTS), "test", "rules", *ALERT_TESTS)


def test_every_alert_fires_in_a_test_and_stays_quiet_in_another(baked_case: BakedCase) -> None:
    project = baked_case(DEFAULTS)
    checks = [
        check
        for path in ALERT_TESTS
        for test in load_yaml(project / path)["tests"]
        for check in test.get("alert_rule_test", [])
    ]

    names = {rule["alert"] for rule in alerts(project)}
    assert {check["alertname"] for check in checks if check["exp_alerts"]} == names
    assert {check["alertname"] for check in checks if not check["exp_alerts"]} == names


def test_every_alert_links_its_runbook_section(baked_case: BakedCase) -> None:
    project = baked_case(DEFAULTS)
    anchors = github_anchors((project / "docs/operations.md").read_text())

    for rule in alerts(project):
        annotations = rule["annotations"]
        assert annotations["summary"]
        assert annotations["description"]
        page, anchor = annotations["runbook_url"].split("#")
        assert page == "docs/operations.md"
        assert anchor == rule["alert"].lower()
        assert anchor in anchors, f"{rule['alert']}: no section #{anchor} in docs/operations.md"
        assert rule["labels"]["severity"] in {"page", "ticket"}
    assert "docs/operations.md" in (project / "README.md").read_text()


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
