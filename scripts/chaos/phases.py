"""The failures, in turn, each followed by a phase of recovery under the same load."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from .client import Recorder
from .ledger import JobLedger
from .processes import ChaosError, wait_until
from .servers import PrivatePostgres, PrivateRedis
from .service import Service

OUTAGE_SECONDS = 8.0
RECOVERY_SECONDS = 8.0


@dataclass
class Cluster:
    database: PrivatePostgres
    cache: PrivateRedis
    broker: PrivateRedis
    service: Service
    ledger: JobLedger


def run_phases(cluster: Cluster, recorder: Recorder, say: Callable[[str], None]) -> None:
    steps: list[tuple[str, Callable[[], None]]] = [
        ("steady", lambda: time.sleep(10)),
        ("cache Redis hung (SIGSTOP)", lambda: hang(cluster.cache)),
        ("cache Redis stopped", lambda: restart_redis(cluster.cache)),
        ("cache Redis back", lambda: time.sleep(RECOVERY_SECONDS)),
        ("broker Redis stopped", lambda: restart_redis(cluster.broker)),
        ("broker Redis back", lambda: time.sleep(RECOVERY_SECONDS)),
        ("worker SIGKILLed mid-task", lambda: kill_worker_mid_task(cluster, say)),
        ("worker back", lambda: time.sleep(RECOVERY_SECONDS)),
        ("PostgreSQL restarted", lambda: restart_postgres(cluster.database)),
        ("PostgreSQL back", lambda: time.sleep(RECOVERY_SECONDS)),
    ]
    for name, action in steps:
        say(f"phase: {name}")
        recorder.enter(name)
        action()


def hang(redis: PrivateRedis) -> None:
    redis.pause()
    try:
        time.sleep(OUTAGE_SECONDS)
    finally:
        redis.resume()


def restart_redis(redis: PrivateRedis) -> None:
    redis.stop()
    time.sleep(OUTAGE_SECONDS)
    redis.start()


def restart_postgres(database: PrivatePostgres) -> None:
    database.stop("fast")
    time.sleep(OUTAGE_SECONDS)
    database.start()


def kill_worker_mid_task(cluster: Cluster, say: Callable[[str], None]) -> None:
    """Makes finishing a job slow (ledger.py), waits until a job is `running`, and SIGKILLs the
    worker and its pool while that task waits on its final UPDATE: the job stays `running` and
    its message unacknowledged, to come back after the broker's visibility timeout."""
    cluster.ledger.slow_finishes(True)
    try:
        wait_until(lambda: bool(cluster.ledger.running()), 20, "a job running")
        cluster.service.kill_worker()
        in_flight = cluster.ledger.running()  # after the kill: what it really left running
        if not in_flight:
            raise ChaosError("the worker was killed between tasks, not in one")
        say(f"  killed the worker mid-task; left running: {', '.join(in_flight)}")
    finally:
        cluster.ledger.slow_finishes(False)
    time.sleep(OUTAGE_SECONDS / 2)
    cluster.service.start_worker()


def drain(cluster: Cluster, timeout_seconds: float, say: Callable[[str], None]) -> bool:
    """Waits, with no load, until every job is final and the outbox empty; whether they were."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        unfinished, pending = cluster.ledger.unfinished(), cluster.ledger.pending_outbox()
        if unfinished == 0 and pending == 0:
            return True
        say(f"  draining: {unfinished} job(s) unfinished, {pending} outbox message(s) unsent")
        time.sleep(5)
    return False
