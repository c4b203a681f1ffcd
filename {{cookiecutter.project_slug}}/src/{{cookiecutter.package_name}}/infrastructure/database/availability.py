"""Whether an error means the database cannot be reached now (down, restarting, its pool
exhausted) rather than that a request or a query is wrong: the first is a 503 the caller may
retry, the second a 500 (api/middleware/error_boundary.py)."""

from types import TracebackType

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

# Where a connection is opened: an OSError raised in other code is not the database's.
DRIVER_MODULES = ("sqlalchemy.", "asyncpg.", "aiosqlite.")


def database_unavailable(error: BaseException) -> bool:
    if isinstance(error, PoolTimeoutError):
        return True  # no pooled connection within DATABASE_POOL_TIMEOUT_SECONDS
    if isinstance(error, DBAPIError):
        # The connection died under the statement (a restart, a failover); the pool has
        # invalidated it already. Any other DBAPI error is about the statement itself.
        return bool(error.connection_invalidated)
    # Opening a connection fails with the socket's own error: refused while the server is
    # down or restarting, timed out (DATABASE_CONNECT_TIMEOUT_SECONDS) while it hangs.
    return isinstance(error, OSError) and _raised_in_driver(error.__traceback__)


def _raised_in_driver(traceback: TracebackType | None) -> bool:
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.startswith(DRIVER_MODULES):
            return True
        traceback = traceback.tb_next
    return False
