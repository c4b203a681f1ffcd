"""The service under test: its settings for the run, a fresh database and key prefix, an admin."""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.tools import ensure_installed

PROJECT = Path(__file__).resolve().parent.parent
PACKAGE = "{{ cookiecutter.package_name }}"
SERVICE = f"{PACKAGE}.main:create_app"
# The interpreter running the benchmark is the project's: its scripts sit beside it.
BIN = Path(sys.executable).parent
CLI = str(BIN / PACKAGE)
# A database number of the benchmark's own; the run's keys go under a prefix of its own too.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
ADMIN_EMAIL = "bench@example.com"
TOKEN_PATH = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret
JOBS_PATH = "/api/v1/jobs"
PORT = 8731  # where a server under test listens (loopback only)

DatabaseFactory = Callable[[str], AbstractContextManager[str]]


@dataclass(frozen=True)
class PreparedService:
    env: dict[str, str]
    password: str  # the bench admin's


@contextmanager
def prepared_service(fresh_database: DatabaseFactory, pool_size: int) -> Iterator[PreparedService]:
    """The service's environment for a run: a fresh database, migrated, with an admin, and a
    Redis key prefix of the run's own; the database and the keys are removed afterwards."""
    ensure_installed("redis-cli", "redis-tools")
    check_redis()
    # The bytecode an installed package has (pip compiles at install): from an editable
    # checkout under PYTHONDONTWRITEBYTECODE=1, every start would compile every module again.
    run([str(BIN / "python"), "-m", "compileall", "-q", str(PROJECT / "src")])
    run_name = f"bench_{os.getpid()}_{int(time.time())}"
    try:
        with fresh_database(run_name) as database_url:
            env = service_env(run_name, database_url, pool_size)
            run([CLI, "migrate"], env)
            password = secrets.token_urlsafe(18)
            create_admin(env, password)
            yield PreparedService(env, password)
    finally:
        forget_keys(f"{run_name}:*")
        forget_keys(f"_kombu.binding*.{run_name}:*")  # the jobs queue's routing tables


def service_env(run_name: str, database_url: str, pool_size: int) -> dict[str, str]:
    return {
        **os.environ,
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        # A connection for every wrk connection: waiting for the pool is not what is measured.
        "DATABASE_POOL_SIZE": str(pool_size),
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": run_name,
        # The rate limit stays on, so every request is counted as in production (SPEC 10: G
        # with the limiter on); its limit is raised out of the way of the benchmark's one user.
        "RATE_LIMIT_PER_MINUTE": str(10**9),
        # Jobs go to the benchmark's Redis database, on a queue of this run's own (J).
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_QUEUE": f"{run_name}:jobs",
        # H returns this key's value (bench/ceilings.py reads the rest of this environment).
        "BENCH_REDIS_KEY": f"{run_name}:ceiling",
    }


def sign_in(password: str) -> str:
    form = f"username={ADMIN_EMAIL}&password={password}".encode()
    answer = call("POST", TOKEN_PATH, form, "application/x-www-form-urlencoded")
    return str(answer["access_token"])


def set_ceiling_value(env: dict[str, str], value: dict[str, Any]) -> None:
    """What H returns: a body the size of the service's own cached read."""
    run(["redis-cli", "-u", REDIS_URL, "SET", env["BENCH_REDIS_KEY"], json.dumps(value)], env)


def call(
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
    token: str = "",
) -> dict[str, Any]:
    url = f"http://127.0.0.1:{PORT}{path}"
    request = urllib.request.Request(url, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def check_redis() -> None:
    command = ["redis-cli", "-u", REDIS_URL, "PING"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.stdout.strip() != "PONG":
        raise SystemExit(f"error: Redis does not answer at {REDIS_URL} (is it running?)")


def forget_keys(pattern: str) -> None:
    # Only this run's keys, in the benchmark's own database number.
    script = "for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end"
    run(["redis-cli", "-u", REDIS_URL, "EVAL", script, "0", pattern])


def run(command: list[str], env: dict[str, str] | None = None, stdin: str | None = None) -> None:
    subprocess.run(
        command, check=True, cwd=PROJECT, env=env, input=stdin, text=True, stdout=subprocess.DEVNULL
    )


def create_admin(env: dict[str, str], password: str) -> None:
    # The password on stdin: the command refuses it on its command line.
    run([CLI, "create-admin", f"--email={ADMIN_EMAIL}", "--password-stdin"], env, password + "\n")
