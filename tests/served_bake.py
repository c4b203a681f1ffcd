"""A baked project's own commands, run as its reader runs them: `create-admin`, then `serve` on a
free loopback port in embedded mode, for the template tests that talk to the running service
(the docs page in a browser, the walkthrough's resource over HTTP)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def package_name_of(project: Path) -> str:
    """The bake's answers are kept in .cruft.json; its command is named after its package."""
    answers = json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]
    name: str = answers["package_name"]
    return name


def run_command(
    project: Path, environment: Mapping[str, str], *arguments: str, stdin: str = ""
) -> None:
    """The project's command line (`migrate`, `create-admin ...`), failing on a non-zero exit."""
    subprocess.run(
        [str(project / ".venv/bin" / package_name_of(project)), *arguments],
        cwd=project,
        env=dict(environment),
        input=stdin,
        text=True,
        check=True,
        capture_output=True,
    )


def create_admin(project: Path, environment: Mapping[str, str], email: str, password: str) -> None:
    # On stdin: the command refuses a password on its command line.
    run_command(
        project, environment, "create-admin", "--email", email, "--password-stdin", stdin=password
    )


@contextmanager
def serving(project: Path, environment: Mapping[str, str]) -> Iterator[str]:
    """`serve` on a free port until the block ends; yields its base URL once it is live."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = str(project / ".venv/bin" / package_name_of(project))
    with subprocess.Popen(
        [command, "serve", "--port", str(port)],
        cwd=project,
        env=dict(environment),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as server:
        try:
            wait_until_live(base_url, server)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_live(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the service exited at start-up"
        try:
            with urllib.request.urlopen(f"{base_url}/health/live", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{base_url} did not come up")
