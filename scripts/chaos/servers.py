"""Private PostgreSQL and Redis servers for one run: own directory, own free loopback port.

Nothing here touches the machine's servers: the binaries are the machine's, the data, sockets
and ports are the run's. Redis keeps its default snapshots, so that a stop (SIGTERM, what
`docker stop` sends) saves its data and a start loads it back, as in deploy/docker-compose.yml.
"""

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from .processes import ChaosError, free_port, start, stop, wait_until

DATABASE = "chaos"


def postgres_bin() -> Path:
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3])
    )
    if not versions:
        raise ChaosError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    return versions[-1].parent


class PrivatePostgres:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self._bin = postgres_bin()
        self._root = root / "postgres"
        self._data = self._root / "data"
        self._log = self._root / "server.log"
        # initdb refuses to run as root: then the server runs as the `postgres` account.
        self._user = "postgres" if os.geteuid() == 0 else None
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def create(self) -> None:
        self._root.mkdir()
        if self._user is not None:
            shutil.chown(self._root, self._user)
        self._run(
            self._bin / "initdb",
            "-D",
            self._data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        self.sql(f"CREATE DATABASE {DATABASE}", database="postgres")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self._root}"
            " -c fsync=off -c full_page_writes=off"  # a throwaway database: spare the disk
        )
        self._run(
            self._bin / "pg_ctl",
            "-D",
            self._data,
            "-l",
            self._log,
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """`fast`: every session is ended and the server shuts down cleanly (a restart)."""
        self._run(self._bin / "pg_ctl", "-D", self._data, "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        if (self._data / "postmaster.pid").exists():
            self.stop("immediate")

    def sql(self, statement: str, database: str = DATABASE) -> str:
        """Runs one statement through psql; its rows, one a line, columns `|`-separated."""
        psql = [
            str(self._bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            statement,
        ]
        done = subprocess.run(psql, capture_output=True, text=True, check=False, timeout=30)
        if done.returncode != 0:
            raise ChaosError(f"psql failed: {done.stderr.strip()}")
        return str(done.stdout)

    def _run(self, *command: object) -> None:
        done = subprocess.run(
            [str(part) for part in command],
            capture_output=True,
            text=True,
            check=False,
            user=self._user,
            cwd=self._root,
            timeout=60,
        )
        if done.returncode != 0:
            raise ChaosError(f"{Path(str(command[0])).name} failed: {done.stderr.strip()}")


class PrivateRedis:
    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = root / name
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._dir.mkdir(exist_ok=True)
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self._dir),
            "--save",
            "3600 1 300 100 60 10000",
            "--appendonly",
            "no",
        ]
        self._process = start(command, self._dir / "server.log")
        wait_until(self.answers, 10, f"redis ({self.name}) on port {self.port}")

    def stop(self) -> None:
        """SIGTERM: Redis saves its snapshot and exits; `start` loads it back."""
        stop(self._process, timeout_seconds=30)
        self._process = None

    def pause(self) -> None:
        """SIGSTOP: the server hangs with its connections open, as a stalled host does."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False
