"""`make bench`: the service's throughput beside two ceilings, measured in one run (SPEC 10).

Bakes the default answers into build/bench, installs the service, and runs it in server mode
(a fresh PostgreSQL database, its own Redis key prefix) under one uvicorn worker pinned to core
0, loaded by `wrk` pinned to core 1 on 127.0.0.1. Each scenario gets a fresh server and a
warm-up; rounds are interleaved, so that the drift of a shared machine spreads over all of them,
and the median round counts. Writes the table to bench/results.md and prints it.

Environment: BENCH_DURATION (seconds per round, default 10), BENCH_ROUNDS (3),
BENCH_CONNECTIONS (32), BENCH_ONLY (scenario letters, e.g. "A,H,G").
"""

import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cookiecutter.main import cookiecutter

from report import Measurement, parse_wrk, render  # beside this script: on its path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
BUILD_DIR = TEMPLATE_DIR / "build" / "bench"
RESULTS = TEMPLATE_DIR / "bench" / "results.md"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database number of its own, keys under a run prefix
PORT = 8731
SERVER_CORE, LOAD_CORE = "0", "1"
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WARM_UP_SECONDS = 2
ADMIN_EMAIL = "bench@example.com"
TOKEN_PATH = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret
JOBS_PATH = "/api/v1/jobs"
SERVICE = "example_service.main:create_app"


@dataclass(frozen=True)
class Scenario:
    letter: str
    title: str
    path: str
    app: str  # what uvicorn serves: the service, or one of bench/ceilings.py
    env: dict[str, str] = field(default_factory=dict)
    authenticated: bool = True
    lua: str | None = None  # a wrk script, for a request other than a plain GET
    connections: int = CONNECTIONS


def scenarios(item_id: str, password: str) -> list[Scenario]:
    item = f"/api/v1/items/{item_id}"
    login = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.body = "username={ADMIN_EMAIL.replace("@", "%40")}&password={password}"\n'
    )
    post_job = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.body = \'{"kind": "items_report"}\'\n'
    )
    telemetry_off = {"OTEL_SDK_DISABLED": "true"}
    return [
        Scenario("A", "bare FastAPI", "/", "ceilings:bare", authenticated=False),
        Scenario("H", "JWT check + one Redis GET", "/", "ceilings:jwt_redis"),
        Scenario("B", "cached item read, telemetry on", item, SERVICE),
        Scenario("G", "cached item read, telemetry off", item, SERVICE, telemetry_off),
        Scenario("C", "uncached item read", item, SERVICE, {"CACHE_ENABLED": "false"}),
        Scenario("D", "GET /api/v1/users/me", "/api/v1/users/me", SERVICE),
        # Bound by the password hash (argon2, slow by design): with many connections every
        # request would wait out wrk's timeout in the queue.
        Scenario("E", f"POST {TOKEN_PATH}", TOKEN_PATH, SERVICE, lua=login, connections=4),
        Scenario("F", "GET /health/live", "/health/live", SERVICE, authenticated=False),
        # Accepting a job: the job row and its outbox message in one transaction; the relay
        # publishes them to Redis beside the load (no worker runs them here: bench/jobs.py).
        Scenario("J", f"POST {JOBS_PATH}", JOBS_PATH, SERVICE, lua=post_job),
    ]


def main() -> int:
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    with prepared_service() as prepared:
        plan = scenarios(prepared.item_id, prepared.password)
        measured = measure(prepared.project, prepared.env, plan, prepared.token)
    table = render(heading(measured), [(s.letter, s.title, found) for s, found in measured])
    RESULTS.write_text(table)
    print(table)
    return 0


@dataclass(frozen=True)
class PreparedService:
    project: Path
    env: dict[str, str]
    token: str
    item_id: str
    password: str


@contextmanager
def prepared_service() -> Iterator[PreparedService]:
    """The baked service, installed, with a fresh database and key prefix, an admin signed in
    and one item to read; the database and keys are removed afterwards."""
    project = bake_and_install()
    run_name = f"bench_{os.getpid()}_{int(time.time())}"
    env = service_env(run_name)
    run([*psql(), "-c", f'CREATE DATABASE "{run_name}"'])
    try:
        cli = str(project / ".venv/bin/example_service")
        run([cli, "migrate"], cwd=project, env=env)
        password = secrets.token_urlsafe(18)
        admin = ["--email", ADMIN_EMAIL, "--password", password]
        run([cli, "create-admin", *admin], cwd=project, env=env)
        token, item_id = prepare(project, env, password)
        yield PreparedService(project, env, token, item_id, password)
    finally:
        run([*psql(), "-c", f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)'])
        forget_keys(f"{run_name}:*")
        forget_keys(f"_kombu.binding.{run_name}:*")  # the jobs queue's routing table


def heading(measured: list[tuple[Scenario, Measurement]]) -> str:
    fewer = ", ".join(
        f"{s.letter}: -c{s.connections}" for s, _ in measured if s.connections != CONNECTIONS
    )
    return (
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {platform.node()} "
        f"({os.cpu_count()} cores, Python {platform.python_version()}): one uvicorn worker on "
        f"core {SERVER_CORE}, `wrk -t1 -c{CONNECTIONS} -d{DURATION}s` on core {LOAD_CORE}"
        f"{f' ({fewer})' if fewer else ''}, median of {ROUNDS} interleaved rounds."
    )


def bake_and_install() -> Path:
    shutil.rmtree(BUILD_DIR, ignore_errors=True)
    project = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=str(BUILD_DIR)))
    run(["make", "install"], cwd=project)
    return project


def service_env(run_name: str) -> dict[str, str]:
    secret_key = secrets.token_urlsafe(48)
    database_url = f"{POSTGRES_URL}/{run_name}".replace("postgresql:", "postgresql+asyncpg:")
    return {
        **os.environ,
        "ENVIRONMENT": "production",
        "SECRET_KEY": secret_key,
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        # A connection for every wrk connection: waiting for the pool is not what is measured.
        "DATABASE_POOL_SIZE": str(CONNECTIONS),
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": run_name,
        # Jobs go to the benchmark's Redis database, on a queue of this run's own (J).
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_QUEUE": f"{run_name}:jobs",
        # The ceilings (bench/ceilings.py) verify the service's tokens and read its Redis.
        "PYTHONPATH": str(TEMPLATE_DIR / "bench"),
        "BENCH_SECRET_KEY": secret_key,
        "BENCH_REDIS_URL": REDIS_URL,
        "BENCH_REDIS_KEY": f"{run_name}:ceiling",
    }


def prepare(project: Path, env: dict[str, str], password: str) -> tuple[str, str]:
    """Sign in, create the item every read asks for, and give H a value of the same size."""
    with serve(project, SERVICE, env):
        form = f"username={ADMIN_EMAIL}&password={password}".encode()
        token = call("POST", TOKEN_PATH, form, "application/x-www-form-urlencoded")["access_token"]
        item = {"name": "Benchmark item", "description": "Read over and over.", "price": "9.99"}
        body = json.dumps(item).encode()
        created = call("POST", "/api/v1/items", body, "application/json", token)
        read = call("GET", f"/api/v1/items/{created['id']}", None, None, token)
    run(["redis-cli", "-u", REDIS_URL, "SET", env["BENCH_REDIS_KEY"], json.dumps(read)])
    return str(token), str(created["id"])


def measure(
    project: Path, env: dict[str, str], plan: list[Scenario], token: str
) -> list[tuple[Scenario, Measurement]]:
    only = {letter.strip() for letter in os.environ.get("BENCH_ONLY", "").split(",") if letter}
    plan = [scenario for scenario in plan if not only or scenario.letter in only]
    rounds: dict[str, list[Measurement]] = {scenario.letter: [] for scenario in plan}
    for number in range(1, ROUNDS + 1):
        for scenario in plan:
            with serve(project, scenario.app, {**env, **scenario.env}):
                load(scenario, token, WARM_UP_SECONDS)
                result = load(scenario, token, DURATION)
            rounds[scenario.letter].append(result)
            print(
                f"round {number}/{ROUNDS} {scenario.letter} {scenario.title}: "
                f"{result.requests_per_second:.0f} req/s, p99 {result.p99_ms:.1f} ms",
                flush=True,
            )
    return [(scenario, median_round(rounds[scenario.letter])) for scenario in plan]


def median_round(found: list[Measurement]) -> Measurement:
    by_throughput = sorted(found, key=lambda measured: measured.requests_per_second)
    return by_throughput[len(by_throughput) // 2]


@contextmanager
def serve(project: Path, app: str, env: dict[str, str]) -> Iterator[None]:
    command = ["taskset", "-c", SERVER_CORE, str(project / ".venv/bin/uvicorn"), app]
    if app == SERVICE:
        command.append("--factory")
    command += ["--host", "127.0.0.1", "--port", str(PORT), "--no-access-log"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=project, env=env)
    try:
        wait_for_port(server)
        yield
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for_port(server: "subprocess.Popen[bytes]") -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not listen within 30 s")


def load(scenario: Scenario, token: str, seconds: int) -> Measurement:
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{scenario.connections}"]
    command += [f"-d{seconds}s", "--latency"]
    if scenario.authenticated:
        command += ["-H", f"Authorization: Bearer {token}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if scenario.lua:
            script.write(scenario.lua)
            script.flush()
            command += ["-s", script.name]
        command.append(f"http://127.0.0.1:{PORT}{scenario.path}")
        done = subprocess.run(command, check=True, capture_output=True, text=True)
    return parse_wrk(done.stdout)


def call(
    method: str, path: str, body: bytes | None, content_type: str | None, token: str = ""
) -> dict[str, Any]:
    url = f"http://127.0.0.1:{PORT}{path}"  # loopback only
    request = urllib.request.Request(url, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def forget_keys(pattern: str) -> None:
    # Only this run's keys, in the benchmark's own database number.
    script = "for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end"
    run(["redis-cli", "-u", REDIS_URL, "EVAL", script, "0", pattern])


def psql() -> list[str]:
    return ["psql", f"{POSTGRES_URL}/postgres", "-q", "-v", "ON_ERROR_STOP=1"]


def run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run(command, check=True, cwd=cwd, env=env)


if __name__ == "__main__":
    sys.exit(main())
