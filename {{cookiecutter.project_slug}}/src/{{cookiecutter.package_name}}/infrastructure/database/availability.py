"""Whether an error means the database cannot be reached now (down, restarting, its pool
exhausted) rather than that a request or a query is wrong: the first is a 503 the caller may
retry, the second a 500 (api/middleware/error_boundary.py)."""

from types import TracebackType

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

# Where a connection is opened: an OSError raised in other code is not the database's.
DRIVER_MODULES = ("sqlalchemy.", "asyncpg.", "aiosqlite.")
# PostgreSQL's error codes for "not now": 08 the connection failed, 57P01-57P03 the server is
# shutting down, crashing or starting up, 53300 it has no connection slot left.
UNAVAILABLE_SQLSTATES = ("08", "57P", "53300")


def database_unavailable(error: BaseException) -> bool:
    if isinstance(error, PoolTimeoutError):
        return True  # no pooled connection within DATABASE_POOL_TIMEOUT_SECONDS
    if isinstance(error, DBAPIError):
        # The connection died under the statement (a restart, a failover): the pool has
        # invalidated it already. Or the server refused a new one for now. Any other DBAPI
        # error is about the statement itself.
        return bool(error.connection_invalidated) or _sqlstate(error).startswith(
            UNAVAILABLE_SQLSTATES
        )
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


def _sqlstate(error: BaseException) -> str:
    """The PostgreSQL error code of the driver's exception that SQLAlchemy wrapped, if any."""
    cause: BaseException | None = error
    while cause is not None:
        code = getattr(cause, "sqlstate", None)
        if isinstance(code, str):
            return code
        cause = getattr(cause, "orig", None) or cause.__cause__
    return ""
