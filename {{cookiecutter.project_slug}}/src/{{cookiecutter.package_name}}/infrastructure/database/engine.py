"""The async engine of a process: pool settings from config, SQLite tuned for concurrency.

PostgreSQL connections are not pinged at checkout (a pre-ping costs a round trip on every
request): a connection the server closed is seen for free and replaced (`_discard_if_closed`),
and one that fails mid-query invalidates the whole pool, so every stale connection is
reconnected at its next checkout (docs/database.md).
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ...shared.settings import Settings
from ..telemetry.tracing import tracing_enabled
from .pool_metrics import WaitCountingPool


def create_engine(settings: Settings) -> AsyncEngine:
    """The engine, with a span per statement unless tracing is disabled (telemetry/sql_spans.py)."""
    url = make_url(settings.database_url)
    engine = (
        _create_sqlite_engine(settings)
        if url.get_backend_name() == "sqlite"
        else _create_postgresql_engine(settings)
    )
    if tracing_enabled():
        from ..telemetry.sql_spans import trace_statements  # its import costs start-up otherwise

        trace_statements(engine)
    return engine


def _create_postgresql_engine(settings: Settings) -> AsyncEngine:
    engine = create_async_engine(
        settings.database_url,
        echo=settings.database_echo,
        # Bound values include password and token hashes: SQL logs and errors never show them.
        hide_parameters=True,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout_seconds,
        pool_recycle=settings.database_pool_recycle_seconds,
        poolclass=WaitCountingPool,  # SQLAlchemy's own, counting waits (pool_metrics.py)
        connect_args=postgresql_connect_args(settings),
    )
    event.listen(engine.sync_engine, "checkout", _discard_if_closed)
    return engine


def postgresql_connect_args(settings: Settings) -> dict[str, Any]:
    """asyncpg's: a server that does not answer fails the connect in time, and the server itself
    cancels a statement that runs too long, which frees its locks and its connection too."""
    statement_timeout_ms = round(settings.database_statement_timeout_seconds * 1000)
    return {
        "timeout": settings.database_connect_timeout_seconds,
        "server_settings": {"statement_timeout": str(statement_timeout_ms)},
    }


# An execution option of the read-only engine on SQLite: its transactions start deferred.
_READS_ONLY = "reads_only"


def read_only(engine: AsyncEngine) -> AsyncEngine:
    """The engine for work that only reads. On PostgreSQL its queries run without a transaction
    (autocommit): a one-query read costs one round trip instead of BEGIN, query and ROLLBACK.
    On SQLite its transactions start deferred, taking no write lock: in WAL mode a reader never
    waits for the writer, nor a writer for it (`_begin`)."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine.execution_options(**{_READS_ONLY: True})


def _discard_if_closed(dbapi_connection: Any, _record: object, _proxy: object) -> None:
    # When PostgreSQL restarts (or an idle timeout ends a session) the server closes the
    # socket, and asyncpg notices as soon as the event loop reads the EOF. Raising
    # DisconnectionError makes the pool discard this connection and check out another: the
    # retry happens inside the pool, before the request sends anything.
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def _create_sqlite_engine(settings: Settings) -> AsyncEngine:
    url = make_url(settings.database_url)
    options: dict[str, Any] = {}
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        options["poolclass"] = WaitCountingPool  # a file's pool; memory needs its StaticPool
    engine = create_async_engine(url, echo=settings.database_echo, hide_parameters=True, **options)
    event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    event.listen(engine.sync_engine, "begin", _begin)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: object) -> None:
    # The driver's own implicit BEGIN is switched off: `_begin_immediate` starts transactions.
    dbapi_connection.isolation_level = None
    # WAL lets readers run beside the one writer; busy_timeout makes a writer wait for the
    # lock instead of failing at once; SQLite enforces foreign keys only when asked.
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA busy_timeout=5000",
        "PRAGMA foreign_keys=ON",
    ):
        cursor.execute(pragma)
    cursor.close()


def _begin(connection: Connection) -> None:
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY when another
    # connection wrote in between, and busy_timeout cannot help it. Taking the write lock
    # at BEGIN makes such transactions queue instead. Work that only reads (`read_only`)
    # starts deferred: it never writes, so it never needs the lock, and a read cut short by a
    # timeout (a health check, a scrape) cannot leave a lock behind for every writer to wait on.
    if connection.get_execution_options().get(_READS_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True, slots=True)
class SessionFactories:
    """Sessions for transactions, and sessions for work that only reads (`read_only`)."""

    transactional: async_sessionmaker[AsyncSession]
    read_only: async_sessionmaker[AsyncSession]


def create_session_factories(engine: AsyncEngine) -> SessionFactories:
    return SessionFactories(
        transactional=create_session_factory(engine),
        read_only=create_session_factory(read_only(engine)),
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: rows are translated to entities before commit, and nothing
    # should lazily reload after it (lazy I/O is an error under asyncio anyway).
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
