"""Static checks of deploy/: compose, Kubernetes and the Dockerfile agree with the answers.

No Docker engine or cluster is needed: the files are parsed and cross-checked, and compose is
validated against the Compose Specification's schema.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from pairwise import PACKAGE_NAME, PAIRWISE_CASES, PROJECT_SLUG, Case

BakedCase = Callable[[Case], Path]
BIN = Path(sys.executable).parent
API_PORT = 8000
# The service's long-running processes; the Celery worker joins them with the jobs issue.
APP_SERVICES = ("api",)
SETTINGS_FROM_COMPOSE = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

each_case = pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)


def load_compose(project: Path) -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load((project / "deploy/docker-compose.yml").read_text())
    return compose


def expected_compose_services(case: Case) -> set[str]:
    services = {"migrate", "api", "redis", "otel-collector", "jaeger", "prometheus"}
    if case.database == "postgresql":
        services.add("postgres")
    if case.broker == "rabbitmq":
        services.add("rabbitmq")
    return services


@each_case
def test_compose_matches_the_compose_schema(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    checked = subprocess.run(
        [
            BIN / "check-jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            "deploy/docker-compose.yml",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr


@each_case
def test_compose_runs_the_services_the_answers_need(case: Case, baked_case: BakedCase) -> None:
    services = load_compose(baked_case(case))["services"]

    assert set(services) == expected_compose_services(case)
    # The API is probed by the image's HEALTHCHECK; the one-shot migration needs none; the
    # collector and Jaeger ship without a shell to probe with.
    probed = {
        name for name, service in services.items() if "test" in service.get("healthcheck", {})
    }
    assert probed == set(services) - {"api", "migrate", "otel-collector", "jaeger"}


@each_case
def test_compose_points_the_service_at_its_servers(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    services = load_compose(project)["services"]

    for name in APP_SERVICES:
        environment = services[name]["environment"]
        for setting in SETTINGS_FROM_COMPOSE:
            url = urlsplit(environment[setting])
            if url.scheme.startswith("sqlite"):
                assert case.database == "sqlite"
                assert any(volume.endswith(":/data") for volume in services[name]["volumes"])
            else:
                assert url.hostname in services, f"{name}: {setting} points at {url.hostname}"
        assert environment["CELERY_BROKER_URL"].split(":")[0] == (
            "redis" if case.broker == "redis" else "amqp"
        )
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    for mount in [*services["otel-collector"]["volumes"], *services["prometheus"]["volumes"]]:
        assert (project / "deploy" / mount.split(":")[0]).is_file(), mount


def load_manifests(project: Path) -> list[dict[str, Any]]:
    return [
        manifest
        for path in sorted((project / "deploy/k8s").rglob("*.yaml"))
        for manifest in yaml.safe_load_all(path.read_text())
    ]


def named(manifests: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    [manifest] = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    return manifest


@each_case
def test_every_manifest_is_a_named_kubernetes_object(case: Case, baked_case: BakedCase) -> None:
    manifests = load_manifests(baked_case(case))

    assert manifests
    for manifest in manifests:
        assert {"apiVersion", "kind", "metadata"} <= set(manifest)
        assert manifest["metadata"]["name"].startswith(PROJECT_SLUG)
        assert "namespace" not in manifest["metadata"]


@each_case
def test_api_deployment_is_probed_and_locked_down(case: Case, baked_case: BakedCase) -> None:
    manifests = load_manifests(baked_case(case))
    deployment = named(manifests, "Deployment", f"{PROJECT_SLUG}-api")
    pod = deployment["spec"]["template"]["spec"]
    containers = {container["name"]: container for container in pod["containers"]}
    api = containers["api"]
    [port] = api["ports"]

    assert port == {"name": "http", "containerPort": API_PORT}
    assert api["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert api["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
    assert {"requests", "limits"} <= set(api["resources"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    for container in [*pod["initContainers"], *pod["containers"]]:
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
    # Nothing but the API runs in its pod until the worker arrives with the jobs issue.
    assert set(containers) == {"api"}
    # One SQLite file on a ReadWriteOnce volume cannot be shared: a single replica, replaced whole.
    if case.database == "sqlite":
        assert deployment["spec"]["replicas"] == 1
        assert deployment["spec"]["strategy"]["type"] == "Recreate"


@each_case
def test_manifests_refer_to_each_other_by_name(case: Case, baked_case: BakedCase) -> None:
    manifests = load_manifests(baked_case(case))
    deployments = [m for m in manifests if m["kind"] == "Deployment"]
    service = named(manifests, "Service", f"{PROJECT_SLUG}-api")
    api = named(manifests, "Deployment", f"{PROJECT_SLUG}-api")

    assert [m["metadata"]["name"] for m in deployments] == [f"{PROJECT_SLUG}-api"]
    assert service["spec"]["selector"] == api["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    for deployment in deployments:
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for source in container["envFrom"]:
                [(kind, reference)] = source.items()
                kind_of = {"configMapRef": "ConfigMap", "secretRef": "Secret"}
                assert named(manifests, kind_of[kind], reference["name"])
    secret = named(manifests, "Secret", f"{PROJECT_SLUG}-secrets")
    assert secret["stringData"]["DATABASE_URL"].startswith(
        "postgresql+asyncpg://" if case.database == "postgresql" else "sqlite+aiosqlite:///"
    )


def dockerfile_instructions(project: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (project / "deploy/Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


@each_case
def test_dockerfile_builds_a_non_root_image_of_the_answers(
    case: Case, baked_case: BakedCase
) -> None:
    project = baked_case(case)
    instructions = dockerfile_instructions(project)
    arguments_of = {
        name: [args for n, args in instructions if n == name] for name, _ in instructions
    }

    assert [args.split()[0] for args in arguments_of["FROM"]] == [
        f"python:{case.python_version}-slim"
    ] * 2
    [user] = arguments_of["USER"]
    assert user.split(":")[0] not in {"0", "root"}
    assert arguments_of["CMD"] == [f'["{PACKAGE_NAME}", "serve", "--host", "0.0.0.0"]']
    assert "/health/live" in arguments_of["HEALTHCHECK"][0]
    assert arguments_of["EXPOSE"] == [str(API_PORT)]


@each_case
def test_dockerfile_copies_only_what_exists_and_dockerignore_lets_in(
    case: Case, baked_case: BakedCase
) -> None:
    project = baked_case(case)
    # .dockerignore excludes everything (`*`) and lets in what it names with `!`.
    let_in = {
        line[1:].rstrip("/")
        for line in (project / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    copies = [args for name, args in dockerfile_instructions(project) if name == "COPY"]

    sources = [
        source for args in copies if not args.startswith("--from") for source in args.split()[:-1]
    ]

    assert sources
    for source in sources:
        assert (project / source).exists(), f"COPY {source}: not in the baked project"
        assert source in let_in, f"COPY {source}: .dockerignore keeps it out of the context"
