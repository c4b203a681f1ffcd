"""A real `{{ cookiecutter.package_name }} serve` process for the tests, on a free port, with the
test's settings: what only several processes can show (metrics summed across them)."""

import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from {{ cookiecutter.package_name }}.shared.settings import Settings

from .redis_server import free_port
from .worker_process import settings_environment, terminate

# A correctness bound (the API must come up), not a benchmark: the processes import the app at
# once, which on a busy two-core machine has taken half a minute.
START_SECONDS = 90.0


class ApiProcess:
    def __init__(
        self,
        settings: Settings,
        directory: Path,
        *,
        workers: int,
        overrides: Mapping[str, object] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = directory / "api.log"
        self._environment = settings_environment(
            settings, metrics_directory=str(directory), **(overrides or {})
        )
        self._directory = directory  # the working directory: no `.env` there
        self._workers = workers
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "{{ cookiecutter.package_name }}", "serve"]
        options = ["--port", str(self.port), "--workers", str(self._workers)]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - this package's own command
                [*command, *options],
                cwd=self._directory,
                env=self._environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_SECONDS
        while not self._is_live():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()  # no fixture will: a server left behind would serve the next tests
                raise RuntimeError(f"the API did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, as an orchestrator stops it: each worker process shuts down cleanly."""
        if self._process is not None:
            terminate(self._process, or_else=self._kill)

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()

    def _is_live(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health/live").status_code == 200
        except httpx.TransportError:
            return False
