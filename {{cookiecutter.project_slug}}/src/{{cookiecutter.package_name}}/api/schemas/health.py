"""Health responses in the shape of the IETF health-check draft (`application/health+json`)."""

from pydantic import BaseModel

from ...domain.health import HealthStatus


class CheckOut(BaseModel):
    status: HealthStatus
    latency_ms: float
    output: str | None = None


class HealthOut(BaseModel):
    status: HealthStatus
    checks: dict[str, CheckOut] | None = None
