"""One server under test: started on its core, timed until it is ready, sampled, stopped."""

import http.client
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.service import BIN, CLI, PORT, PROJECT, SERVICE

SERVER_CORE = 0
READY_WITHIN_SECONDS = 30
POLL_SECONDS = 0.01  # the resolution of the start-up time


@dataclass(frozen=True)
class Server:
    pid: int  # of the process that serves the requests
    startup_seconds: float  # launch to ready: for the service, the first 200 on /health/ready

    def rss_mb(self) -> float:
        """The process's resident memory (VmRSS), in MB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(kib) * 1024 / 1_000_000


@contextmanager
def serve(
    app: str, env: dict[str, str], server: str = "uvicorn", port: int = PORT
) -> Iterator[Server]:
    command = ["taskset", "-c", str(SERVER_CORE), *server_command(app, server, port)]
    launched = time.monotonic()
    process = subprocess.Popen(command, cwd=PROJECT, env=env)
    try:
        # The service is ready when it says so; a ceiling, when it answers at all.
        path, ready = ("/health/ready", {200}) if app == SERVICE else ("/", None)
        wait_until_answered(process, port, path, ready)
        startup_seconds = time.monotonic() - launched
        yield Server(serving_pid(process.pid, server), startup_seconds)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_command(app: str, server: str, port: int) -> list[str]:
    where = ["--host", "127.0.0.1", "--port", str(port)]
    if server == "granian":
        factory = ["--factory"] if app == SERVICE else []
        options = ["--interface", "asgi", "--workers", "1", "--log-level", "warning"]
        return [str(BIN / "granian"), *options, *factory, *where, app]
    if app == SERVICE:
        return [CLI, "serve", *where]  # exactly what a deployment runs
    return [str(BIN / "uvicorn"), app, *where, "--no-access-log", "--log-level", "warning"]


def wait_until_answered(
    process: "subprocess.Popen[bytes]", port: int, path: str, statuses: set[int] | None
) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before it was ready")
        status = http_status(port, path)
        if status is not None and (statuses is None or status in statuses):
            return
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"the server was not ready within {READY_WITHIN_SECONDS} s")


def http_status(port: int, path: str) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def serving_pid(pid: int, server: str) -> int:
    """uvicorn with one worker serves from the process it was started as (taskset and the
    console script exec, they do not fork); granian from its one worker, a child process."""
    if server != "granian":
        return pid
    [child] = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(child)
