"""The baked Kubernetes manifests, parsed: the objects, their pods and their containers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pairwise import PROJECT_SLUG

KUSTOMIZATION = "kustomization.yaml"  # kustomize's own file, not an object of the cluster
# Kinds whose objects run pods, and where in the object the pod's spec is.
POD_TEMPLATE_KINDS = ("Deployment", "Job")

Manifest = dict[str, Any]


def manifest_paths(project: Path) -> list[Path]:
    return sorted(
        path for path in (project / "deploy/k8s").rglob("*.yaml") if path.name != KUSTOMIZATION
    )


def load_manifests(project: Path) -> list[Manifest]:
    return [
        manifest
        for path in manifest_paths(project)
        for manifest in yaml.safe_load_all(path.read_text())
    ]


def named(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    [manifest] = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    return manifest


def of_slug(component: str) -> str:
    return f"{PROJECT_SLUG}-{component}"


def pod_specs(manifests: list[Manifest]) -> list[dict[str, Any]]:
    return [m["spec"]["template"]["spec"] for m in manifests if m["kind"] in POD_TEMPLATE_KINDS]


def all_containers(pod: dict[str, Any]) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = [*pod.get("initContainers", []), *pod["containers"]]
    return containers


def containers_of(deployment: Manifest) -> dict[str, dict[str, Any]]:
    return {
        container["name"]: container
        for container in deployment["spec"]["template"]["spec"]["containers"]
    }
