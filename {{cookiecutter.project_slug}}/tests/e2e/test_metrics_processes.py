"""Metrics across processes: `serve --workers 2` and the prefork worker each answer for all of
their processes, and what a dead process leaves behind is cleared (docs/observability.md)."""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from {{ cookiecutter.package_name }} import cli
from {{ cookiecutter.package_name }}.shared.settings import Settings

from ..api_process import ApiProcess
from ..metrics import total
from ..redis_server import free_port
from ..waiting import BOUND_SECONDS, eventually
from ..worker_process import WorkerProcess
from .test_jobs_api import create_job, finished
from .test_metrics_api import OPENMETRICS

server_mode_only = pytest.mark.parametrize("run_mode", ["server"], indirect=True)
REQUESTS = 40
JOBS = 6
JOB_ROUTE = "/api/v1/jobs/{job_id}"
LIVE_GAUGES = r"gauge_live\w+?_(\d+)\.db"  # the files of gauges kept while their process lives


def pids_with(directory: Path, pattern: str) -> set[int]:
    """The processes with a metrics file whose name matches `pattern`, in the directory."""
    names = (path.name for path in directory.rglob("*.db"))
    return {int(match[1]) for name in names if (match := re.fullmatch(pattern, name))}


def test_the_command_imports_no_metrics_before_choosing_their_directory() -> None:
    # prometheus-client picks one process or several when first imported; `serve` and
    # `worker` choose after cli.py is loaded, so loading it must not import the library.
    code = f"import sys, {cli.__name__}; sys.exit('prometheus_client' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603


@pytest.fixture
def api(settings: Settings, tmp_path: Path) -> Iterator[ApiProcess]:
    process = ApiProcess(settings, tmp_path, workers=2)
    process.start()
    yield process
    process.stop()


def new_connection_per_request(api: ApiProcess) -> httpx.Client:
    # The kernel hands each connection to whichever process accepts it first.
    return httpx.Client(base_url=api.url, limits=httpx.Limits(max_keepalive_connections=0))


def scrape_until(client: httpx.Client, condition: Callable[[str], bool]) -> str:
    """The first page that meets `condition` (or the last one read, after the bound): a request
    is counted just after its response is sent, so the scrape may overtake the last count."""
    deadline = time.monotonic() + BOUND_SECONDS
    page = client.get("/metrics").text
    while not condition(page) and time.monotonic() < deadline:
        time.sleep(0.05)
        page = client.get("/metrics").text
    return page


def job_requests(page: str) -> float:
    return total(page, "http_requests_total", route=JOB_ROUTE)


@server_mode_only  # several API processes need Redis (cli.py)
def test_two_api_processes_count_every_request(api: ApiProcess, tmp_path: Path) -> None:
    with new_connection_per_request(api) as client:
        for _ in range(REQUESTS):
            assert client.get(f"/api/v1/jobs/{uuid4()}").status_code == 401
        page = scrape_until(client, lambda page: job_requests(page) >= REQUESTS)
        openmetrics = client.get("/metrics", headers={"accept": OPENMETRICS})

    assert job_requests(page) == REQUESTS
    assert total(page, "http_request_duration_seconds_count", route=JOB_ROUTE) == REQUESTS
    assert len(pids_with(tmp_path, r"counter_(\d+)\.db")) == 2  # both processes write files
    # The requests were traced, but files keep no exemplars: dropped, without an error.
    assert openmetrics.text.endswith("# EOF\n")
    assert "trace_id" not in openmetrics.text


@server_mode_only
def test_a_killed_api_process_leaves_its_counts_and_takes_its_gauges(
    api: ApiProcess, tmp_path: Path
) -> None:
    with new_connection_per_request(api) as client:
        for _ in range(REQUESTS):
            client.get(f"/api/v1/jobs/{uuid4()}")
        scrape_until(client, lambda page: job_requests(page) >= REQUESTS)
        victim = min(pids_with(tmp_path, LIVE_GAUGES))
        os.kill(victim, signal.SIGKILL)  # no shutdown: it cannot clear anything itself

        # Cleared by the first scrape after uvicorn has reaped it (a zombie still exists).
        page = scrape_until(client, lambda _: victim not in pids_with(tmp_path, LIVE_GAUGES))

    assert victim not in pids_with(tmp_path, LIVE_GAUGES)
    assert job_requests(page) == REQUESTS  # its counts stay


@server_mode_only
def test_a_stopped_api_leaves_no_live_gauges(api: ApiProcess, tmp_path: Path) -> None:
    # The API answers once one process is up; the other writes its gauges a moment later.
    deadline = time.monotonic() + BOUND_SECONDS
    while len(pids_with(tmp_path, LIVE_GAUGES)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pids_with(tmp_path, LIVE_GAUGES)) == 2

    api.stop()

    assert pids_with(tmp_path, LIVE_GAUGES) == set()


async def test_the_worker_counts_the_jobs_of_every_child(
    user_client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    # Server mode: the prefork pool with two children; embedded mode: one solo process.
    concurrency = 2 if settings.redis_url else None
    overrides = {"worker_metrics_port": port, "metrics_directory": str(tmp_path / "metrics")}
    worker = WorkerProcess(settings, tmp_path, overrides, concurrency=concurrency)
    worker.start()
    try:
        jobs = [await create_job(user_client) for _ in range(JOBS)]
        for job in jobs:
            await finished(user_client, job["id"], worker)

        async def counted() -> float | None:
            # A job shows as finished once committed, a moment before the worker counts it.
            async with httpx.AsyncClient() as client:
                page = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
            count = total(page, "jobs_total")
            return count if count >= JOBS else None

        assert await eventually(counted, "every job counted", context=worker.report) == JOBS
    finally:
        worker.stop()
