"""The run's own PostgreSQL database, created empty and dropped afterwards."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from bench.tools import ensure_installed

# The server that `make test` uses too; point elsewhere with BENCH_POSTGRES_URL.
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """A new database called `name`, as the service's DATABASE_URL."""
    ensure_installed("psql", "postgresql-client")
    _psql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_URL}/{name}".replace("postgresql:", "postgresql+asyncpg:", 1)
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _psql(statement: str) -> None:
    command = ["psql", f"{POSTGRES_URL}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", statement]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        problem = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise SystemExit(f"error: PostgreSQL at {POSTGRES_URL}: {problem[0]} (is it running?)")
