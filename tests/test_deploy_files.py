"""Static checks of deploy/: compose, Kubernetes and the Dockerfile agree with the answers.

No Docker engine or cluster is needed: the files are parsed and cross-checked, and compose is
validated against the Compose Specification's schema.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from manifests import all_containers, containers_of, load_manifests, named, pod_specs
from pairwise import PACKAGE_NAME, PAIRWISE_CASES, PROJECT_SLUG, Case

BakedCase = Callable[[Case], Path]
BIN = Path(sys.executable).parent
API_PORT = 8000
WORKER_METRICS_PORT = 9101  # the default of WORKER_METRICS_PORT
# The service's long-running processes, each run from the service's image.
APP_SERVICES = ("api", "worker", "beat")
WORKER_ALIVE = [PACKAGE_NAME, "worker-alive"]
SETTINGS_FROM_COMPOSE = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

each_case = pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)


def load_compose(project: Path) -> dict[str, Any]:
    compose: dict[str, Any] = yaml.safe_load((project / "deploy/docker-compose.yml").read_text())
    return compose


def expected_compose_services(case: Case) -> set[str]:
    observability = {"otel-collector", "jaeger", "prometheus", "grafana"}
    services = {"migrate", *APP_SERVICES, "redis", *observability}
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
    # The API is probed by the image's HEALTHCHECK; the one-shot migration and beat need none
    # (the image's HTTP probe is disabled for them); the collector and Jaeger ship without a
    # shell to probe with.
    probed = {
        name for name, service in services.items() if "test" in service.get("healthcheck", {})
    }
    assert probed == set(services) - {"api", "migrate", "beat", "otel-collector", "jaeger"}
    assert services["migrate"]["healthcheck"] == {"disable": True}
    assert services["beat"]["healthcheck"] == {"disable": True}
    # The worker serves no HTTP: it is probed by the heartbeat file it writes.
    assert services["worker"]["healthcheck"]["test"] == ["CMD", *WORKER_ALIVE]


@each_case
def test_compose_runs_each_process_of_the_service(case: Case, baked_case: BakedCase) -> None:
    services = load_compose(baked_case(case))["services"]
    images = {services[name]["image"] for name in ["migrate", *APP_SERVICES]}

    assert images == {f"{PROJECT_SLUG}:latest"}
    assert "command" not in services["api"]  # the image's CMD: serve
    assert services["migrate"]["command"] == [PACKAGE_NAME, "migrate"]
    assert services["worker"]["command"] == [PACKAGE_NAME, "worker"]
    assert services["beat"]["command"] == [PACKAGE_NAME, "beat"]
    # Celery's warm shutdown finishes the tasks in hand: more than compose's default 10 s.
    assert services["worker"]["stop_grace_period"] == "60s"
    # Its metrics page, for Prometheus on the compose network.
    assert services["worker"]["environment"]["WORKER_METRICS_HOST"] == "0.0.0.0"  # noqa: S104


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
        broker = urlsplit(environment["CELERY_BROKER_URL"])
        assert broker.scheme == ("redis" if case.broker == "redis" else "amqp")
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        assert depends_on[broker.hostname]["condition"] == "service_healthy"
    for name in ("otel-collector", "prometheus", "grafana"):
        for mount in services[name]["volumes"]:
            assert (project / "deploy" / mount.split(":")[0]).exists(), mount


def expected_deployments(case: Case) -> list[str]:
    """One SQLite file cannot be shared between pods: the worker then lives in the API's pod."""
    components = ["api", "beat", "worker"] if case.database == "postgresql" else ["api"]
    return [f"{PROJECT_SLUG}-{component}" for component in components]


def assert_is_a_worker_container(worker: dict[str, Any]) -> None:
    """A worker's only HTTP is its metrics page, open to Prometheus; its probes run
    `worker-alive` on its heartbeat."""
    probes = [
        worker[key] for key in ("startupProbe", "livenessProbe", "readinessProbe") if key in worker
    ]
    assert "livenessProbe" in worker
    for probe in probes:
        assert probe["exec"]["command"] == WORKER_ALIVE
    assert worker["ports"] == [{"name": "metrics", "containerPort": WORKER_METRICS_PORT}]
    assert {"name": "WORKER_METRICS_HOST", "value": "0.0.0.0"} in worker["env"]  # noqa: S104
    assert {"requests", "limits"} <= set(worker["resources"])


@each_case
def test_every_manifest_is_a_named_kubernetes_object(case: Case, baked_case: BakedCase) -> None:
    manifests = load_manifests(baked_case(case))

    assert manifests
    for manifest in manifests:
        assert {"apiVersion", "kind", "metadata"} <= set(manifest)
        assert manifest["metadata"]["name"].startswith(PROJECT_SLUG)
        assert "namespace" not in manifest["metadata"]


@each_case
def test_every_pod_is_locked_down(case: Case, baked_case: BakedCase) -> None:
    pods = pod_specs(load_manifests(baked_case(case)))

    assert pods
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in all_containers(pod):
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            # The root filesystem is read-only: /tmp (the heartbeat file's home) is a volume.
            mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
            assert "/tmp" in mounts  # noqa: S108 (a path in the manifest, not one used here)


@each_case
def test_api_deployment_is_probed(case: Case, baked_case: BakedCase) -> None:
    manifests = load_manifests(baked_case(case))
    deployment = named(manifests, "Deployment", f"{PROJECT_SLUG}-api")
    containers = containers_of(deployment)
    api = containers["api"]
    [port] = api["ports"]

    assert port == {"name": "http", "containerPort": API_PORT}
    assert api["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert api["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
    assert {"requests", "limits"} <= set(api["resources"])
    if case.database == "postgresql":
        assert set(containers) == {"api"}  # the worker has its own Deployment
        return
    # One SQLite file on a ReadWriteOnce volume cannot be shared: a single replica, replaced
    # whole, with the worker (and the schedule, which must run once) beside the API.
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"]["type"] == "Recreate"
    assert set(containers) == {"api", "worker"}
    worker = containers["worker"]
    assert worker["command"][:3] == [PACKAGE_NAME, "worker", "--beat"]
    assert worker["volumeMounts"] == api["volumeMounts"]
    assert "/data" in {mount["mountPath"] for mount in worker["volumeMounts"]}
    assert_is_a_worker_container(worker)
    # A worker that is not ready must not take the API out of its Service.
    assert "readinessProbe" not in worker
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 60


@pytest.mark.parametrize(
    "case",
    [case for case in PAIRWISE_CASES if case.database == "postgresql"],
    ids=lambda case: case.id,
)
def test_worker_and_beat_run_in_their_own_deployments(case: Case, baked_case: BakedCase) -> None:
    manifests = load_manifests(baked_case(case))
    worker_deployment = named(manifests, "Deployment", f"{PROJECT_SLUG}-worker")
    beat_deployment = named(manifests, "Deployment", f"{PROJECT_SLUG}-beat")
    [worker] = containers_of(worker_deployment).values()
    [beat] = containers_of(beat_deployment).values()

    # Workers scale on the broker; the schedule (beat) must run exactly once, even in a rollout.
    assert worker_deployment["spec"]["replicas"] >= 2
    assert worker["command"][:2] == [PACKAGE_NAME, "worker"]
    assert "--beat" not in worker["command"]
    assert_is_a_worker_container(worker)
    assert worker["readinessProbe"]["exec"]["command"] == WORKER_ALIVE
    # Celery's warm shutdown finishes the tasks in hand: more than Kubernetes' default 30 s.
    assert worker_deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 60
    assert beat_deployment["spec"]["replicas"] == 1
    assert beat_deployment["spec"]["strategy"] == {"type": "Recreate"}
    assert beat["command"] == [PACKAGE_NAME, "beat"]
    assert "ports" not in beat
    assert {"requests", "limits"} <= set(beat["resources"])


@each_case
def test_manifests_refer_to_each_other_by_name(case: Case, baked_case: BakedCase) -> None:
    manifests = load_manifests(baked_case(case))
    deployments = [m for m in manifests if m["kind"] == "Deployment"]
    service = named(manifests, "Service", f"{PROJECT_SLUG}-api")
    api = named(manifests, "Deployment", f"{PROJECT_SLUG}-api")

    assert sorted(m["metadata"]["name"] for m in deployments) == expected_deployments(case)
    assert service["spec"]["selector"] == api["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    # One image for every process, which the kustomizations' `images:` set.
    images = {
        container["image"] for pod in pod_specs(manifests) for container in all_containers(pod)
    }
    assert len(images) == 1
    assert images.pop().startswith(f"{PROJECT_SLUG}:")
    for deployment in deployments:
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"] == labels
        # The Service sends HTTP to the API's pods only, never to a worker's.
        selected = service["spec"]["selector"].items() <= labels.items()
        assert selected == (deployment is api)
    for pod in pod_specs(manifests):
        for container in all_containers(pod):
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


@each_case
def test_a_bot_keeps_the_lock_moving(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    # Dependabot on GitHub; Renovate, which also runs on GitLab and self-hosted, elsewhere.
    config, schema = (
        (".github/dependabot.yml", "vendor.dependabot")
        if case.ci == "github"
        else ("renovate.json", "vendor.renovate")
    )
    unchosen = "renovate.json" if case.ci == "github" else ".github/dependabot.yml"

    checked = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", schema, config],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not (project / unchosen).exists()
    if case.ci == "github":
        updates = yaml.safe_load((project / config).read_text())["updates"]
        assert {"package-ecosystem": "uv", "directory": "/"}.items() <= updates[0].items()
    else:
        renovate = json.loads((project / config).read_text())
        assert renovate["lockFileMaintenance"]["enabled"] is True
