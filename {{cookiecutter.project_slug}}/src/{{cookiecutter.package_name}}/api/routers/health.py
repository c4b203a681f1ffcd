"""Liveness and readiness probes, for load balancers and orchestrators (no auth)."""

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ...domain.health import HealthStatus, overall_status, run_checks
from ..ports import api_dependencies
from ..schemas.health import HealthOut

HEALTH_JSON = "application/health+json"

router = APIRouter(prefix="/health", tags=["health"])


class HealthResponse(JSONResponse):
    media_type = HEALTH_JSON


@router.get("/live", response_model=HealthOut, response_class=HealthResponse)
async def live() -> HealthResponse:
    """The process is up. Touches no dependency, so a slow database never gets it restarted.

    A GET is answered before routing, by `LivenessProbe` (api/middleware/liveness.py), with
    this same body: this route documents the probe and answers the other methods."""
    return HealthResponse({"status": HealthStatus.PASS})


@router.get(
    "/ready",
    response_model=HealthOut,
    response_class=HealthResponse,
    responses={503: {"model": HealthOut, "description": "A critical dependency is down"}},
)
async def ready(request: Request) -> HealthResponse:
    """Whether to send traffic here: `fail` (503) if the database is down, `warn` if degraded."""
    checks = api_dependencies(request).health_checks
    results = await run_checks(checks)
    status = overall_status(results, frozenset(check.name for check in checks if check.critical))
    body = HealthOut.model_validate(
        {"status": status, "checks": {name: asdict(result) for name, result in results.items()}}
    )
    return HealthResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=503 if status is HealthStatus.FAIL else 200,
    )
