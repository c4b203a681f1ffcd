"""The run's own SQLite database, a file in a directory removed afterwards."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """A new database file called `name`, as the service's DATABASE_URL."""
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as directory:
        yield f"sqlite+aiosqlite:///{directory}/{name}.sqlite3"
