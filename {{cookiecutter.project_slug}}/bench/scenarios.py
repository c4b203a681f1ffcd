"""What `make bench` loads: each scenario is one request that wrk repeats against one server."""

import json
import os
from dataclasses import dataclass, field, replace

from bench.service import ADMIN_EMAIL, JOBS_PATH, SERVICE, TOKEN_PATH

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
JOB_KIND = "{% if cookiecutter.include_example_domain == 'y' %}items_report{% else %}sessions_report{% endif %}"
TELEMETRY_OFF = {"OTEL_SDK_DISABLED": "true"}
# Bs: every request traced as in B, the spans sent nowhere (a blank endpoint: no exporter). B - Bs
# is the export's price, Bs - G the making of the spans by the OpenTelemetry SDK.
TRACED_NOT_EXPORTED = {"OTEL_EXPORTER_OTLP_ENDPOINT": ""}
# B10: the parent-based sampler keeps a caller's decision and samples a tenth of new traces.
TEN_PERCENT_SAMPLED = {
    "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
    "OTEL_TRACES_SAMPLER_ARG": "0.1",
}
ME = "/api/v1/users/me"
# The scenarios served a second time under granian: the ASGI server, measured rather than assumed.
ON_GRANIAN = ("A", "G")
# The order within a round: the two sides of each target next to each other where a line
# allows it (G between H and B, the two targets it is compared in that miss most easily).
MEASURING_ORDER = ("F", "A", "C", "H", "G", "B", "Bs", "B10", "D", "E", "J")


@dataclass(frozen=True)
class Scenario:
    letter: str
    title: str
    path: str
    app: str  # what is served: the service (SERVICE), or one of bench/ceilings.py
    env: dict[str, str] = field(default_factory=dict)  # on top of the run's environment
    server: str = "uvicorn"  # or "granian"
    authenticated: bool = True
    lua: str | None = None  # a wrk script, for a request other than a plain GET
    connections: int = CONNECTIONS

    @property
    def label(self) -> str:
        """The scenario's row in the table: its letter, and its server unless uvicorn."""
        return self.letter if self.server == "uvicorn" else f"{self.letter} ({self.server})"

    @property
    def is_default_service(self) -> bool:
        """The service as deployed: these scenarios share one process through every round, so
        that its memory, sampled after each of them, shows whether it grows."""
        return self.app == SERVICE and not self.env and self.server == "uvicorn"

    @property
    def is_traced(self) -> bool:
        return self.app == SERVICE and self.env.get("OTEL_SDK_DISABLED") != "true"


def exporting_to(endpoint: str) -> dict[str, str]:
    """Telemetry as deployed: every request's spans exported over OTLP/HTTP, here to
    bench/otlp_sink.py. The run's environment: the kept process exports, as production does."""
    return {
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
        "OTEL_TRACES_SAMPLER": "parentbased_always_on",
    }


def ceilings() -> list[Scenario]:
    return [
        Scenario("A", "bare FastAPI", "/", "bench.ceilings:bare", authenticated=False),
        Scenario("H", "JWT check + one Redis GET", "/", "bench.ceilings:jwt_redis"),
    ]


def service_calls(password: str) -> list[Scenario]:
    login = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.body = "username={ADMIN_EMAIL.replace("@", "%40")}&password={password}"\n'
    )
    post_job = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = '{json.dumps({'kind': JOB_KIND})}'\n"
    )
    return [
        # Telemetry off, as G, which its target compares it with: B alone prices telemetry.
        Scenario("D", "GET /api/v1/users/me, telemetry off", ME, SERVICE, TELEMETRY_OFF),
        # Bound by the password hash (argon2, slow by design): with many connections every
        # request would wait out wrk's timeout in the queue.
        Scenario("E", f"POST {TOKEN_PATH}", TOKEN_PATH, SERVICE, lua=login, connections=4),
        Scenario("F", "GET /health/live", "/health/live", SERVICE, authenticated=False),
        # Accepting a job: the job row and its outbox message in one transaction; the relay
        # publishes them to Redis beside the load (no worker runs them here).
        Scenario("J", f"POST {JOBS_PATH}", JOBS_PATH, SERVICE, lua=post_job),
    ]


def on_granian(plan: list[Scenario]) -> list[Scenario]:
    return [replace(s, server="granian") for s in plan if s.letter in ON_GRANIAN]


def in_measuring_order(plan: list[Scenario]) -> list[Scenario]:
    """MEASURING_ORDER, then any other letter; uvicorn's rows before granian's."""

    def position(scenario: Scenario) -> tuple[bool, int]:
        known = scenario.letter in MEASURING_ORDER
        where = MEASURING_ORDER.index(scenario.letter) if known else len(MEASURING_ORDER)
        return scenario.server != "uvicorn", where

    return sorted(plan, key=position)  # stable: unknown letters keep their order
