"""Liveness and readiness over HTTP (SPEC section 5, health)."""

from dataclasses import replace

import httpx
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.api.ports import ApiDependencies
from {{ cookiecutter.package_name }}.domain.health import CheckResult, HealthStatus

from .problems import assert_problem


async def test_live_passes_without_touching_anything(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "pass"}
    assert response.headers["content-type"] == "application/health+json"
    assert len(response.headers["x-request-id"]) == 32  # inside the request context


async def test_live_is_answered_before_routing(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Liveness means the process answers: not that the routes, their dependencies and the
    response models work (the readiness probe asks about those)."""
    app.router.routes.clear()

    assert (await client.get("/health/live")).json() == {"status": "pass"}
    assert_problem(await client.get("/health/ready"), 404)


async def test_ready_reports_each_check(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/health+json"
    body = response.json()
    assert body["status"] == "pass"
    assert body["checks"]["database"]["status"] == "pass"
    assert body["checks"]["database"]["latency_ms"] >= 0
    assert body["checks"]["cache"]["status"] == "pass"


class DownCheck:
    def __init__(self, name: str, *, critical: bool) -> None:
        self.name, self.critical = name, critical

    async def check(self) -> CheckResult:
        return CheckResult(HealthStatus.FAIL, 0.5, "ConnectionRefusedError")


def replace_checks(app: FastAPI, *checks: DownCheck) -> None:
    current: ApiDependencies = app.state.dependencies
    app.state.dependencies = replace(current, health_checks=[*current.health_checks, *checks])


async def test_a_critical_dependency_down_is_503_fail(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.state.dependencies = replace(
        app.state.dependencies, health_checks=[DownCheck("database", critical=True)]
    )

    response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["database"]["output"] == "ConnectionRefusedError"


async def test_an_optional_dependency_down_is_200_warn(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    replace_checks(app, DownCheck("cache", critical=False))

    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json()["status"] == "warn"
    assert response.json()["checks"]["cache"]["status"] == "fail"
