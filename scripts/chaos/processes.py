"""Child processes the run owns: started in their own session, so that one signal reaches a
process and every child it forked (a Celery worker and its pool), and stopped on the way out."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path


class ChaosError(RuntimeError):
    """The run cannot go on (a server would not start, say); the message says why."""


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it; the race is harmless here)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout_seconds: float, what: str) -> None:
    deadline = time.monotonic() + timeout_seconds
    while not check():
        if time.monotonic() > deadline:
            raise ChaosError(f"{what}: not within {timeout_seconds:g}s")
        time.sleep(0.1)


def start(
    command: Sequence[str],
    log: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
) -> subprocess.Popen[bytes]:
    """Starts `command` in a new session, its output appended to `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=None if env is None else dict(env),
            cwd=cwd,
            user=user,
            start_new_session=True,
        )


def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Sends `signum` to the process and everything in its session."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def stop(process: subprocess.Popen[bytes] | None, timeout_seconds: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it lingers; its whole group either way. Idempotent."""
    if process is None:
        return
    if process.poll() is None:
        signal_group(process, signal.SIGCONT)  # a paused process cannot handle SIGTERM
        signal_group(process, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout_seconds)
    signal_group(process, signal.SIGKILL)  # children that outlived their parent, too
    process.wait()
