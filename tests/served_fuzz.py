"""A longer fuzz run than the baked project's own (its tests/fuzz/ runs in process): `schemathesis
run` against the bake served in server mode (PostgreSQL and Redis, a database and key prefix of
its own), over HTTP, as a signed-in user and as an admin, with every default check and phase.

The settings are the project's own `schemathesis.toml` (seed, hooks, the operations that may
refuse schema-valid data), with a larger budget and the sign-in added. Its case count is read
from schemathesis' own report, so that a run which sent next to nothing cannot pass.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from served_bake import create_admin, run_command, serving

# Fuzzing-phase examples per operation; the examples, coverage and stateful phases add theirs.
EXAMPLES_PER_OPERATION = 25
MIN_CASES = 2000  # in all, both callers (issue 16)
RUN_TIMEOUT_SECONDS = 900
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "Orchid-lantern-9931-river"  # noqa: S105 (a throwaway bake's accounts)
CALLERS = {"user": "fuzz-user@example.com", "admin": "fuzz-admin@example.com"}
# What the served service is told beside its database and Redis. The limits are raised so that
# the fuzzer's requests reach the routes: under the default 100 a minute nearly every case would
# be a 429 (declared by every operation, so accepted, and testing nothing). The cheapest argon2
# and a long request deadline, as the project's own tests have them: this checks behaviour, and a
# machine running other suites beside it can take seconds over a request.
SERVICE_SETTINGS = {
    "RATE_LIMIT_PER_MINUTE": "1000000",
    "LOGIN_MAX_FAILURES_PER_CLIENT": "1000000",
    "PASSWORD_HASH_TIME_COST": "1",
    "PASSWORD_HASH_MEMORY_KIB": "64",
    "PASSWORD_HASH_PARALLELISM": "1",
    "REQUEST_TIMEOUT_SECONDS": "30",
}
# Signing in again whenever an answer is a 401: the fuzzer may end its own session (it lists the
# caller's sessions and deletes one by its id), after which every request would be a 401.
SIGN_IN = """
[auth.dynamic.openapi.OAuth2PasswordBearer]
path = "/api/v1/auth/token"
payload = {{ username = "{email}", password = "{password}" }}
payload_content_type = "application/x-www-form-urlencoded"
extract_selector = "/access_token"
"""
# Run by the bake's own Python, which has the drivers: a statement on the PostgreSQL server, and
# the removal of a key prefix from Redis.
SQL = """
import asyncio, sys
import asyncpg

async def run() -> None:
    connection = await asyncpg.connect(sys.argv[1])
    await connection.execute(sys.argv[2])
    await connection.close()

asyncio.run(run())
"""
FORGET_KEYS = """
import sys
import redis

client = redis.Redis.from_url(sys.argv[1])
for key in client.scan_iter(match=sys.argv[2] + "*"):
    client.delete(key)
"""


@dataclass(frozen=True)
class FuzzReport:
    """What schemathesis says it did: cases generated, operations tested, failures found."""

    cases: int
    operations_tested: int
    operations_selected: int
    unique_failures: int
    errored: int
    seconds: float


def assert_served_fuzzing_passes(
    project: Path, environment: Mapping[str, str], redis_url: str, artefact: Path
) -> list[FuzzReport]:
    """Both callers' runs pass every check, and send at least MIN_CASES cases between them."""
    with server_mode(project, environment, redis_url) as served:
        create_admin(project, served, CALLERS["admin"], PASSWORD)
        with serving(project, served) as base_url:
            register(base_url, CALLERS["user"])
            reports = [fuzz(project, served, base_url, role, artefact.parent) for role in CALLERS]

    artefact.parent.mkdir(parents=True, exist_ok=True)
    artefact.write_text(json.dumps([vars(report) for report in reports], indent=2) + "\n")
    assert sum(report.cases for report in reports) >= MIN_CASES, reports
    for report in reports:
        assert report.operations_tested == report.operations_selected > 20, report
        assert (report.unique_failures, report.errored) == (0, 0), report
    return reports


@contextmanager
def server_mode(
    project: Path, environment: Mapping[str, str], redis_url: str
) -> Iterator[dict[str, str]]:
    """The environment of a served bake on a fresh PostgreSQL database, migrated, and its own
    Redis key prefix and queue; the database and keys are gone afterwards."""
    name = f"served_fuzz_{secrets.token_hex(4)}"
    python = str(project / ".venv/bin/python")
    subprocess.run([python, "-c", SQL, POSTGRES_URL, f'CREATE DATABASE "{name}"'], check=True)
    served = {
        **environment,
        **SERVICE_SETTINGS,
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "REDIS_KEY_PREFIX": name,
        "CELERY_QUEUE": name,
        "SECRET_KEY": secrets.token_urlsafe(48),
    }
    try:
        run_command(project, served, "migrate")
        yield served
    finally:
        subprocess.run([python, "-c", FORGET_KEYS, redis_url, name], check=True)
        drop = f'DROP DATABASE "{name}" WITH (FORCE)'
        subprocess.run([python, "-c", SQL, POSTGRES_URL, drop], check=True)


def register(base_url: str, email: str) -> None:
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    request = urllib.request.Request(  # noqa: S310 (the service on 127.0.0.1)
        f"{base_url}/api/v1/auth/register",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201


def fuzz(
    project: Path, environment: Mapping[str, str], base_url: str, role: str, directory: Path
) -> FuzzReport:
    """One `schemathesis run` as this caller; fails with its output's tail on any failure."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / f"served-fuzzing-{role}.toml"
    config.write_text(
        (project / "schemathesis.toml").read_text()
        + SIGN_IN.format(email=CALLERS[role], password=PASSWORD)
    )
    report_path = directory / f"served-fuzzing-{role}.json"
    command = [
        str(project / ".venv/bin/schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--request-timeout",
        "60",
        "--report",
        "json",
        "--report-json-path",
        str(report_path),
    ]
    hooks = {"SCHEMATHESIS_HOOKS": "tests.fuzz.hooks"} if has_hooks(project) else {}
    run = subprocess.run(
        command,
        cwd=project,  # where the hooks module is found
        env={**environment, "NO_COLOR": "1", **hooks},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )
    tail = "\n".join(run.stdout.splitlines()[-80:])
    assert run.returncode == 0, f"schemathesis found failures as the {role}:\n{tail}\n{run.stderr}"
    return read_report(report_path)


def has_hooks(project: Path) -> bool:
    return (project / "tests/fuzz/hooks.py").is_file()


def read_report(path: Path) -> FuzzReport:
    report = json.loads(path.read_text())
    return FuzzReport(
        cases=report["test_cases"]["generated"],
        operations_tested=report["operations"]["tested"],
        operations_selected=report["operations"]["selected"],
        unique_failures=report["test_cases"]["unique_failures"],
        errored=report["test_cases"]["errored"] + len(report["errors"]),
        seconds=round(report["running_time"], 1),
    )
