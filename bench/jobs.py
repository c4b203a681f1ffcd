"""`make bench-jobs`: what the queue adds to a job's life, per broker (SPEC 10, the jobs issue).

For Redis, RabbitMQ and the embedded broker (SQLite database and SQLite transport), against the
baked default service and a real `worker` process:

- enqueue-to-start: 200 jobs posted one after another, each from `POST /api/v1/jobs` answered to
  the worker starting it (the job's `started_at`), median and p99;
- drain: 2,000 jobs queued while no worker runs, then one worker process (`--concurrency 1`)
  started; jobs per second from the first start to the last finish.

Writes bench/jobs.md and prints it. Loopback only; every queue and database is the run's own.
Runs on the baked project's harness (its bench/ package), which `make bench-jobs` puts on the path.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.postgresql import fresh_database
from bench.scenarios import CONNECTIONS, JOB_KIND
from bench.servers import serve
from bench.service import (
    CLI,
    JOBS_PATH,
    PROJECT,
    REDIS_URL,
    SERVICE,
    call,
    create_admin,
    prepared_service,
    run,
    sign_in,
)

RESULTS = Path(__file__).resolve().parent / "jobs.md"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"
LATENCY_JOBS = int(os.environ.get("BENCH_LATENCY_JOBS", "200"))
DRAIN_JOBS = int(os.environ.get("BENCH_DRAIN_JOBS", "2000"))
# The pool sizes a drain is measured with: one task process, and the worker's default here
# (as many as the machine has cores). The embedded worker always runs one (the solo pool).
DRAIN_PROCESSES = (1, os.cpu_count() or 1)
BODY = json.dumps({"kind": JOB_KIND}).encode()
WAIT_SECONDS = 600  # a bound on a run that went wrong, not a target


def main() -> int:
    rows = []
    with prepared_service(fresh_database, CONNECTIONS) as prepared:
        scratch = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
        queue = f"{prepared.env['REDIS_KEY_PREFIX']}:jobs"
        brokers = {
            "redis": {"CELERY_BROKER_URL": REDIS_URL, "CELERY_QUEUE": queue},
            "rabbitmq": {"CELERY_BROKER_URL": RABBITMQ_URL, "CELERY_QUEUE": queue},
            "embedded": {
                "CELERY_BROKER_URL": f"sqla+sqlite:///{scratch / 'broker.sqlite3'}",
                "DATABASE_URL": f"sqlite+aiosqlite:///{scratch / 'service.sqlite3'}",
                # A postgresql bake refuses SQLite in production; embedded mode is for the rest.
                "ENVIRONMENT": "development",
            },
        }
        for name, broker in brokers.items():
            env = {**prepared.env, **broker, "OUTBOX_POLL_SECONDS": "0.2"}
            if name == "embedded":  # a database of its own, with the same admin
                run([CLI, "migrate"], env)
                create_admin(env, prepared.password)
            with serve(SERVICE, env):
                token = sign_in(prepared.password)
                latencies = enqueue_to_start(env, token, scratch / name)
                rates = [
                    drain_rate(env, token, scratch / name, processes)
                    for processes in DRAIN_PROCESSES
                ]
            rows.append((name, latencies, rates))
            drained = ", ".join(f"{rate:.0f}" for rate in rates)
            print(f"{name}: {summary(latencies)}, drain {drained} jobs/s", flush=True)
    table = render(rows)
    RESULTS.write_text(table)
    print(table)
    return 0


def post_job(token: str) -> str:
    job_id: str = call("POST", JOBS_PATH, BODY, "application/json", token)["id"]
    return job_id


def enqueue_to_start(env: dict[str, str], token: str, directory: Path) -> list[float]:
    answered: dict[str, float] = {}
    with worker(env, directory):
        for _ in range(LATENCY_JOBS):
            answered[post_job(token)] = time.time()
            time.sleep(0.02)  # one after another, not a burst
        jobs = wait_for_all(list(answered), token)
    return sorted(
        (started(job) - answered[job["id"]]) * 1000
        for job in jobs  # milliseconds
    )


def drain_rate(env: dict[str, str], token: str, directory: Path, processes: int) -> float:
    ids = [post_job(token) for _ in range(DRAIN_JOBS)]
    time.sleep(2)  # the relay has published them all by now (it is woken by every commit)
    with worker(env, directory, concurrency=processes):
        jobs = wait_for_all(ids, token)
    first = min(started(job) for job in jobs)
    last = max(datetime.fromisoformat(job["finished_at"]).timestamp() for job in jobs)
    return len(jobs) / (last - first)


@contextmanager
def worker(env: dict[str, str], directory: Path, concurrency: int = 0) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    heartbeat = directory / "worker.heartbeat"
    heartbeat.unlink(missing_ok=True)
    command = [CLI, "worker", *([f"--concurrency={concurrency}"] if concurrency else [])]
    environment = {**env, "WORKER_HEARTBEAT_FILE": str(heartbeat), "LOG_LEVEL": "WARNING"}
    with (directory / "worker.log").open("ab") as log:
        process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while not heartbeat.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start; see {directory / 'worker.log'}")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)


def wait_for_all(ids: list[str], token: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + WAIT_SECONDS
    done: dict[str, dict[str, Any]] = {}
    while len(done) < len(ids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(ids) - len(done)} jobs did not finish")
        for job_id in [job_id for job_id in ids if job_id not in done]:
            job = call("GET", f"{JOBS_PATH}/{job_id}", None, None, token)
            if job["status"] in ("succeeded", "failed"):
                done[job_id] = job
        time.sleep(0.2)
    failed = [job for job in done.values() if job["status"] != "succeeded"]
    if failed:
        raise RuntimeError(f"{len(failed)} jobs failed, e.g. {failed[0]}")
    return list(done.values())


def started(job: dict[str, Any]) -> float:
    return datetime.fromisoformat(str(job["started_at"])).timestamp()


def summary(latencies: list[float]) -> str:
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return f"enqueue-to-start median {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms"


def render(rows: list[tuple[str, list[float], list[float]]]) -> str:
    processes = " / ".join(map(str, DRAIN_PROCESSES))
    lines = [
        "# Job benchmarks (`make bench-jobs`)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {os.cpu_count()} cores: "
        f"{LATENCY_JOBS} jobs one after another for the latency; {DRAIN_JOBS} queued jobs for "
        f"the drain, by one worker with {processes} task processes (the embedded worker's solo "
        "pool runs one either way). Targets: median enqueue-to-start <= 50 ms in server mode, "
        "<= 250 ms embedded; drain >= 200 jobs/s.",
        "",
        f"| broker | enqueue-to-start median ms | p99 ms | drain jobs/s ({processes}) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, latencies, rates in rows:
        median = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        drained = " / ".join(f"{rate:.0f}" for rate in rates)
        lines.append(f"| {name} | {median:.1f} | {p99:.1f} | {drained} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
