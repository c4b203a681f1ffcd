"""The metrics page's own rules, without a server: a command's directory starts empty, the page
sums the files of every process and drops the live gauges of dead ones, and the worker's page
is served over HTTP. (Real processes: tests/e2e/test_metrics_processes.py.)"""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from prometheus_client.mmap_dict import MmapedDict, mmap_key

from {{ cookiecutter.package_name }}.infrastructure.telemetry.exposition import MetricsExposition
from {{ cookiecutter.package_name }}.infrastructure.telemetry.metrics_directory import (
    MULTIPROCESS_VARIABLE,
    use_metrics_directory,
)
from {{ cookiecutter.package_name }}.infrastructure.telemetry.worker_metrics import (
    serve_worker_metrics,
)

from ..metrics import total
from ..redis_server import free_port


def restore_the_variable_afterwards(monkeypatch: pytest.MonkeyPatch) -> None:
    """`use_metrics_directory` sets the variable; the other tests' apps must stay in one-process
    mode. `setenv` records the variable as it was (usually unset) for the teardown to restore:
    `delenv` of an unset variable records nothing, and the variable would outlive the test."""
    monkeypatch.setenv(MULTIPROCESS_VARIABLE, "")
    monkeypatch.delenv(MULTIPROCESS_VARIABLE)


@pytest.fixture
def directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A metrics directory for this test, the variable restored afterwards."""
    restore_the_variable_afterwards(monkeypatch)
    use_metrics_directory(tmp_path / "serve-8000")
    return tmp_path / "serve-8000"


def a_dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()  # exited and reaped: its pid names no process now
    return process.pid


def write_value(directory: Path, kind: str, pid: int, sample: str, value: float) -> None:
    """What prometheus-client writes for a label-free metric of process `pid`."""
    metric = sample.removesuffix("_total")  # a counter's family is named without it
    values = MmapedDict(str(directory / f"{kind}_{pid}.db"))
    values.write_value(mmap_key(metric, sample, [], [], "help"), value, 0.0)
    values.close()


def test_a_command_starts_from_an_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    restore_the_variable_afterwards(monkeypatch)
    left_over = tmp_path / "worker-9101" / "counter_1.db"
    left_over.parent.mkdir()
    left_over.write_bytes(b"from an earlier run")

    use_metrics_directory(left_over.parent)

    assert list(left_over.parent.iterdir()) == []
    assert MetricsExposition().is_multiprocess


async def test_the_page_sums_processes_and_forgets_the_live_gauges_of_dead_ones(
    directory: Path,
) -> None:
    dead, alive = a_dead_pid(), 1  # pid 1 always exists
    for pid in (dead, alive):
        write_value(directory, "counter", pid, "jobs_total", 2.0)
        write_value(directory, "gauge_livesum", pid, "db_pool_size", 5.0)

    page, content_type = await MetricsExposition().render("text/plain")

    assert content_type.startswith("text/plain")
    assert total(page.decode(), "jobs_total") == 4  # a dead process's counts stay
    assert total(page.decode(), "db_pool_size") == 5  # its pool does not
    assert not (directory / f"gauge_livesum_{dead}.db").exists()
    assert (directory / f"gauge_livesum_{alive}.db").exists()


def test_the_worker_page_is_served_over_http(directory: Path) -> None:
    write_value(directory, "counter", 1, "jobs_total", 3.0)
    port = free_port()

    server = serve_worker_metrics("127.0.0.1", port)
    assert server is not None
    try:
        page = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    finally:
        server.shutdown()
        server.server_close()

    assert total(page, "jobs_total") == 3


def test_port_zero_serves_no_worker_page() -> None:
    assert serve_worker_metrics("127.0.0.1", 0) is None
