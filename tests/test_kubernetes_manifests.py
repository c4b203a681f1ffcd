"""The Kubernetes set: valid against the Kubernetes schemas, applied whole by kustomize, migrated
before the rollout, with disruption budgets, resources and network policies.

The schemas come with kubernetes-validate (no cluster, no network), pinned to one Kubernetes
version: the oldest minor the Kubernetes project still supports when this was written.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from manifests import (
    KUSTOMIZATION,
    Manifest,
    all_containers,
    load_manifests,
    manifest_paths,
    named,
    of_slug,
    pod_specs,
)
from pairwise import PACKAGE_NAME, PAIRWISE_CASES, PROJECT_SLUG, Case

BakedCase = Callable[[Case], Path]
KUBERNETES_VERSION = "1.35.0"
VALIDATOR = Path(sys.executable).parent / "kubernetes-validate"
MONITORING_NAMESPACE = {"kubernetes.io/metadata.name": "monitoring"}

each_case = pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)
each_postgresql_case = pytest.mark.parametrize(
    "case",
    [case for case in PAIRWISE_CASES if case.database == "postgresql"],
    ids=lambda case: case.id,
)


def validate(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """kubernetes-validate, strict: a field the schema does not name is an error too."""
    return subprocess.run(
        [VALIDATOR, "--strict", "--kubernetes-version", KUBERNETES_VERSION, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def load_kustomization(directory: Path) -> dict[str, Any]:
    kustomization: dict[str, Any] = yaml.safe_load((directory / KUSTOMIZATION).read_text())
    return kustomization


def egress_ports(policy: Manifest) -> set[int]:
    return {port["port"] for rule in policy["spec"]["egress"] for port in rule["ports"]}


def container_port_names(pod: dict[str, Any]) -> set[str]:
    return {port["name"] for container in pod["containers"] for port in container.get("ports", [])}


@each_case
def test_manifests_match_the_kubernetes_schemas(case: Case, baked_case: BakedCase) -> None:
    paths = manifest_paths(baked_case(case))

    checked = validate(paths)

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(f"against version {KUBERNETES_VERSION[:4]}") == len(
        load_manifests(baked_case(case))
    )


def test_the_validator_rejects_a_misspelt_field(tmp_path: Path) -> None:
    """The test above proves something only if the validator is strict about field names."""
    misspelt = tmp_path / "pdb.yaml"
    misspelt.write_text(
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: x}\n"
        "spec: {maxUnavailabel: 1, selector: {matchLabels: {a: b}}}\n"
    )

    checked = validate([misspelt])

    assert checked.returncode != 0
    assert "maxUnavailabel" in checked.stdout + checked.stderr


@each_case
def test_kustomization_applies_every_manifest_once(case: Case, baked_case: BakedCase) -> None:
    k8s = baked_case(case) / "deploy/k8s"
    kustomization = load_kustomization(k8s)
    # examples/ holds the Secret's shape (never applied); migrate/ is applied before the rollout.
    applied_apart = {"examples", "migrate"}
    expected = {
        str(path.relative_to(k8s))
        for path in manifest_paths(k8s.parent.parent)
        if path.relative_to(k8s).parts[0] not in applied_apart
    }

    assert kustomization["kind"] == "Kustomization"
    assert sorted(kustomization["resources"]) == sorted(expected)
    assert kustomization["images"] == [
        {"name": PROJECT_SLUG, "newTag": "0.1.0"},
    ]


@each_case
def test_every_container_requests_and_limits_resources(case: Case, baked_case: BakedCase) -> None:
    pods = pod_specs(load_manifests(baked_case(case)))

    assert pods
    for pod in pods:
        for container in all_containers(pod):
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), container["name"]
            # Memory is limited; CPU is not, so that the API is not throttled (the README says why).
            assert "memory" in resources["limits"], container["name"]


@each_case
def test_the_schema_is_migrated_before_the_api_serves(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    manifests = load_manifests(project)
    api_pod = named(manifests, "Deployment", of_slug("api"))["spec"]["template"]["spec"]
    migrate_command = [PACKAGE_NAME, "migrate"]

    if case.database == "sqlite":
        # One replica, replaced whole: its init container migrates, and no Job exists.
        [init] = api_pod["initContainers"]
        assert init["command"] == migrate_command
        assert not [m for m in manifests if m["kind"] == "Job"]
        return
    # Once per release, in a Job applied and waited for before the rollout: not in the API's pods.
    assert "initContainers" not in api_pod
    job = named(manifests, "Job", of_slug("migrate"))
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == migrate_command
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    migrate_dir = project / "deploy/k8s/migrate"
    assert load_kustomization(migrate_dir)["resources"] == ["migrate-job.yaml"]
    assert (
        load_kustomization(migrate_dir)["images"]
        == load_kustomization(migrate_dir.parent)["images"]
    )
    readme = (project / "deploy/k8s/README.md").read_text()
    order = [
        "kubectl apply -k deploy/k8s/migrate",
        f"kubectl wait --for=condition=complete --timeout=15m job/{of_slug('migrate')}",
        "kubectl apply -k deploy/k8s ",
    ]
    positions = [readme.index(step) for step in order]
    assert positions == sorted(positions)


@each_postgresql_case
def test_a_drain_evicts_one_api_pod_and_one_worker_at_a_time(
    case: Case, baked_case: BakedCase
) -> None:
    manifests = load_manifests(baked_case(case))

    for component in ("api", "worker"):
        budget = named(manifests, "PodDisruptionBudget", of_slug(component))
        deployment = named(manifests, "Deployment", of_slug(component))
        assert budget["spec"]["selector"] == deployment["spec"]["selector"]
        assert budget["spec"]["maxUnavailable"] == 1
        assert deployment["spec"]["replicas"] >= 2  # so that one always serves


@each_case
def test_network_policies_allow_only_what_the_service_uses(
    case: Case, baked_case: BakedCase
) -> None:
    manifests = load_manifests(baked_case(case))
    baseline = named(manifests, "NetworkPolicy", of_slug("baseline"))
    api_ingress = named(manifests, "NetworkPolicy", of_slug("api"))
    metrics_ingress = named(manifests, "NetworkPolicy", of_slug("worker-metrics"))
    servers = {6379, 4317, 4318}  # Redis, the OTLP collector over gRPC and over HTTP
    if case.database == "postgresql":
        servers.add(5432)
    if case.broker == "rabbitmq":
        servers.add(5672)

    # Every pod of the service, the migration Job's too, is shut but for what a policy allows.
    everything = {"app.kubernetes.io/name": PROJECT_SLUG}
    assert baseline["spec"]["podSelector"]["matchLabels"] == everything
    assert baseline["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in baseline["spec"]
    [dns, server_rule] = baseline["spec"]["egress"]
    assert egress_ports({"spec": {"egress": [dns]}}) == {53}
    assert "to" in dns  # the cluster's resolver only
    assert egress_ports({"spec": {"egress": [server_rule]}}) == servers
    # The API's port from anywhere; the worker's metrics from the monitoring namespace only.
    [api_rule] = api_ingress["spec"]["ingress"]
    assert api_rule["ports"] == [{"protocol": "TCP", "port": "http"}]
    [metrics_rule] = metrics_ingress["spec"]["ingress"]
    assert metrics_rule["from"] == [{"namespaceSelector": {"matchLabels": MONITORING_NAMESPACE}}]
    assert metrics_rule["ports"] == [{"protocol": "TCP", "port": "metrics"}]
    # Each policy's named port is a port of the pods it selects.
    for policy, port in ((api_ingress, "http"), (metrics_ingress, "metrics")):
        selector = policy["spec"]["podSelector"]["matchLabels"]
        pods = [
            m["spec"]["template"]
            for m in manifests
            if m["kind"] == "Deployment"
            and selector.items() <= m["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert pods, policy["metadata"]["name"]
        for pod in pods:
            assert port in container_port_names(pod["spec"])
