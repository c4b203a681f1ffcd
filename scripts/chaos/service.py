"""The service under test: the default answers baked and installed (as `make demo` does), and
its commands run against the run's private servers, configured through the environment."""

import hashlib
import json
import os
import secrets
import signal
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .processes import ChaosError, free_port, signal_group, start, stop, wait_until

TEMPLATE_DIR = Path(__file__).resolve().parents[2]
OUTPUT_DIR = TEMPLATE_DIR / "build" / "chaos"
ADMIN_EMAIL = "admin@example.com"
# The bound every request is held to: the service's own deadline, here its default.
REQUEST_TIMEOUT_SECONDS = 5.0


def bake_and_install() -> Path:
    """Bakes the defaults into build/chaos and installs them; a second run keeps the .venv and
    installs again only when pyproject.toml or uv.lock changed. Returns the project's directory."""
    from cookiecutter.main import cookiecutter  # the template's .venv has it; nothing else does

    project = Path(
        cookiecutter(
            str(TEMPLATE_DIR), no_input=True, overwrite_if_exists=True, output_dir=str(OUTPUT_DIR)
        )
    )
    stamp = project / ".venv" / ".chaos-installed"
    wanted = hashlib.sha256(
        (project / "pyproject.toml").read_bytes() + (project / "uv.lock").read_bytes()
    ).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        environment = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
        subprocess.run(["make", "install"], cwd=project, env=environment, check=True)
        stamp.write_text(wanted)
    return project


@dataclass(frozen=True)
class Endpoints:
    database_url: str
    cache_url: str
    broker_url: str


class Service:
    """The API (`serve`) and the worker (`worker`) of the baked project, plus its one-off
    commands. They run in `workdir`, so the bake's .env and var/ play no part."""

    def __init__(self, project: Path, workdir: Path, endpoints: Endpoints) -> None:
        answers = json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]
        self.package = answers["package_name"]
        self._command = str(project / ".venv" / "bin" / self.package)
        self._workdir = workdir
        self.port = free_port()
        self.admin_password = secrets.token_urlsafe(18)
        self._api: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[bytes] | None = None
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
            "ENVIRONMENT": "development",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": endpoints.database_url,
            "REDIS_URL": endpoints.cache_url,
            "CELERY_BROKER_URL": endpoints.broker_url,
            "CELERY_QUEUE": "chaos",
            "REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT_SECONDS),
            # Out of the way: the load is one client, far above the default 100 a minute.
            "RATE_LIMIT_PER_MINUTE": "1000000",
            # A killed worker's task comes back after the visibility timeout: seconds here,
            # an hour by default. The bounds below keep the settings' own checks satisfied.
            "TASK_SOFT_TIME_LIMIT_SECONDS": "8",
            "TASK_TIME_LIMIT_SECONDS": "10",
            "BROKER_VISIBILITY_TIMEOUT_SECONDS": "15",
            "JOB_STALLED_AFTER_SECONDS": "20",
            "WORKER_METRICS_PORT": "0",  # no fixed port that another run could hold
            "WORKER_HEARTBEAT_FILE": str(workdir / "worker.heartbeat"),
            "METRICS_DIRECTORY": str(workdir / "metrics"),
            "OTEL_SDK_DISABLED": "true",  # no collector to send spans to
            "PYTHONUNBUFFERED": "1",
        }

    def prepare(self) -> None:
        """Migrates, and creates the admin (password on stdin, as the README says)."""
        self._run("migrate")
        self._run(
            "create-admin",
            "--email",
            ADMIN_EMAIL,
            "--password-stdin",
            stdin=self.admin_password + "\n",
        )

    def start_api(self) -> None:
        command = [self._command, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self._api = start(command, self._workdir / "api.log", env=self.env, cwd=self._workdir)
        wait_until(self._live, 60, "the API's /health/live")

    def start_worker(self) -> None:
        command = [self._command, "worker", "--concurrency", "2"]
        self._worker = start(command, self._workdir / "worker.log", env=self.env, cwd=self._workdir)
        heartbeat = self._workdir / "worker.heartbeat"
        wait_until(heartbeat.exists, 60, "the worker's first heartbeat")

    def kill_worker(self) -> None:
        """SIGKILL to the worker and its pool at once: no shutdown, no message given back."""
        if self._worker is not None:
            signal_group(self._worker, signal.SIGKILL)
            self._worker.wait()
            (self._workdir / "worker.heartbeat").unlink(missing_ok=True)

    def running(self) -> list[str]:
        """Which of the API and the worker are still up (both should be, at the end)."""
        processes = {"api": self._api, "worker": self._worker}
        return [name for name, process in processes.items() if process and process.poll() is None]

    def stop(self) -> None:
        stop(self._api)
        stop(self._worker, timeout_seconds=40)  # its soft shutdown lets tasks finish

    def _live(self) -> bool:
        if self._api is not None and self._api.poll() is not None:
            raise ChaosError(f"the API exited; see {self._workdir / 'api.log'}")
        try:
            url = f"http://127.0.0.1:{self.port}/health/live"
            with urllib.request.urlopen(url, timeout=1) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    def _run(self, *arguments: str, stdin: str | None = None) -> None:
        done = subprocess.run(
            [self._command, *arguments],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self._workdir,
            check=False,
            timeout=120,
        )
        if done.returncode != 0:
            raise ChaosError(f"{self.package} {arguments[0]} failed: {done.stderr.strip()[-2000:]}")
