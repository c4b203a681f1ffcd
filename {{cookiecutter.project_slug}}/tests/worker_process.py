"""A real `{{ cookiecutter.package_name }} worker` process for the tests, on the test's database
and broker, and helpers to look at what reached the broker."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kombu import Message

from {{ cookiecutter.package_name }}.infrastructure.queue.celery_app import (
    create_celery,
    dead_letter_queue,
    task_queue,
)
from {{ cookiecutter.package_name }}.shared.settings import Settings

START_SECONDS = 30.0  # a correctness bound (the worker must come up), not a benchmark
# What a child process inherits; the settings come from `settings_environment` alone.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV")
# What varies between otherwise equal log messages, left out when counting them: a task's id
# ("Task jobs.run[<id>] received") and numbers ("succeeded in 0.002s").
VARYING = re.compile(r"\[[0-9a-f-]{36}\]|\d+(\.\d+)?")
LOG_END_CHARACTERS = 4000


def settings_environment(settings: Settings, **overrides: object) -> dict[str, str]:
    """The environment that makes a child process read these settings (and no `.env`)."""
    values = {**settings.model_dump(), **overrides}
    environment = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    for name, value in values.items():
        if value is None:
            continue
        environment[name.upper()] = ",".join(value) if isinstance(value, list) else str(value)
    return environment


class WorkerProcess:
    def __init__(
        self,
        settings: Settings,
        directory: Path,
        overrides: Mapping[str, object] | None = None,
        *,
        beat: bool = False,
        concurrency: int | None = None,
    ) -> None:
        self.heartbeat = directory / "worker.heartbeat"
        self.log = directory / "worker.log"
        self._environment = settings_environment(
            settings,
            worker_heartbeat_file=str(self.heartbeat),
            worker_heartbeat_seconds=0.5,
            # A stop while any task runs sleeps this out whole (docs/jobs.md): 30 s by default,
            # and in a suite whose shared queue a worker finds busy, the bulk of its stops.
            worker_soft_shutdown_seconds=1,
            # The schedule's own store, as each worker of a deployment has: a store shared with
            # the suite's earlier workers would hand this one their entries' last runs.
            beat_schedule_file=str(directory / "beat-schedule"),
            **(overrides or {}),
        )
        self._directory = directory  # the working directory: no `.env` there
        # The schedule runs in every embedded worker; in server mode only with --beat.
        self._options = ["--beat"] if beat else []
        if concurrency is not None:  # the prefork pool's children (server mode)
            self._options.append(f"--concurrency={concurrency}")
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.heartbeat.unlink(missing_ok=True)
        with self.log.open("ab") as log:
            command = [sys.executable, "-m", "{{ cookiecutter.package_name }}", "worker"]
            self._process = subprocess.Popen(  # noqa: S603 - this package's own command
                [*command, *self._options],
                cwd=self._directory,
                env=self._environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, for `kill`
            )
        deadline = time.monotonic() + START_SECONDS
        while not self.heartbeat.exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL to the worker and its pool, as when its container or node dies: no
        shutdown, no acknowledgement, no requeue by the worker itself, no orphan left."""
        if self._process is not None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()

    def stop(self) -> None:
        if self._process is not None:
            terminate(self._process, or_else=self.kill)

    def output(self) -> str:
        return self.log.read_text()

    def report(self) -> str:
        """What a failing test shows of this worker: the log's digest first, since a report that
        cuts the failure short still keeps it, then the log's end."""
        log = self.output()
        return f"{_digest(log)}\nthe log's end:\n{log[-LOG_END_CHARACTERS:]}"


def terminate(
    process: subprocess.Popen[bytes], or_else: Callable[[], None], seconds: float = 20
) -> None:
    """SIGTERM, as an orchestrator stops a process, and a wait; `or_else` if it outstays it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            or_else()


def _digest(log: str) -> str:
    """The log on one line: each message with its count, the first and last timestamps, and
    every warning or error with the last line of its exception."""
    counts: Counter[str] = Counter()
    problems: list[str] = []
    stamps: list[str] = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            counts[line.strip()[:80]] += 1
            continue
        stamps.append(str(record.get("timestamp", "")))
        message = VARYING.sub("#", str(record.get("message", "")))
        counts[message] += 1
        if record.get("level") in ("warning", "error", "critical"):
            cause = str(record.get("exception") or record.get("error") or "").strip()
            problems.append(f"{message}: {cause.splitlines()[-1] if cause else ''}")
    said = "; ".join(f"{message} x{count}" for message, count in counts.items() if message)
    span = f"{stamps[0]} to {stamps[-1]}" if stamps else "no records"
    return f"worker log ({span}): {said} | problems: {' / '.join(problems) or 'none'}"


def take_messages(settings: Settings, *, dead_letters: bool = False) -> list[Message]:
    """Every message waiting in the task queue (or the dead-letter queue), taken off it."""
    queue = dead_letter_queue(settings) if dead_letters else task_queue(settings)
    taken: list[Message] = []
    with create_celery(settings).connection_for_read() as connection:
        bound = queue.bind(connection.default_channel)
        bound.declare()
        while (message := bound.get(no_ack=True)) is not None:
            taken.append(message)
    return taken


def delete_queues(settings: Settings) -> None:
    with create_celery(settings).connection_for_write() as connection:
        channel = connection.default_channel
        queues: list[Any] = [task_queue(settings)]
        if settings.is_rabbitmq_broker:
            queues.append(dead_letter_queue(settings))
        for queue in queues:
            queue.bind(channel).delete()
