"""A throwaway `redis-server` that a test starts, stops, hangs and restarts at will.

Fault tests need a Redis they may break without disturbing the shared one. A missing
`redis-server` binary fails the test (it never skips): the faults are part of the contract.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

STARTUP_SECONDS = 5.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class RedisServer:
    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed; the cache fault tests need it")
        self._binary = binary
        self._directory = directory
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start (again), loading `dump.rdb` from the directory when a `save()` left one."""
        self._process = subprocess.Popen(  # noqa: S603 - a fixed argument list, no shell
            [
                self._binary,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
                *("--dir", str(self._directory), "--dbfilename", "dump.rdb"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop without saving (`--save ""`): what was not `save()`d is gone."""
        if self._process is not None:
            self.resume()
            self._process.terminate()
            self._process.wait(timeout=STARTUP_SECONDS)
            self._process = None

    def hang(self) -> None:
        """Freeze the server (SIGSTOP): connections stay open, nothing is answered."""
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGCONT)

    def save(self) -> None:
        """Write `dump.rdb` now, as a periodic snapshot would have."""
        with redis.Redis(port=self.port) as client:
            client.save()

    def _answers(self) -> bool:
        try:
            with redis.Redis(port=self.port, socket_timeout=0.2) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False
